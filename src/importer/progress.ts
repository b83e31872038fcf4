import cliProgress from 'cli-progress';

/** Progress of long work: a bar with rate and ETA in a terminal, plain lines elsewhere. */
export interface Progress {
  update(done: number, extra?: Record<string, string | number>): void;
  stop(): void;
}

export function createProgress(
  label: string,
  total: number,
  options: { unit?: string; stream?: NodeJS.WriteStream; format?: (n: number) => string } = {},
): Progress {
  const stream = options.stream ?? process.stderr;
  const unit = options.unit ?? '';
  const fmt = options.format ?? ((n: number) => Math.round(n).toLocaleString('en'));
  const started = Date.now();
  if (stream.isTTY && !process.env.CI) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {done}/{all}${unit} | {rate}/s | ETA {eta_formatted} {info}`,
        hideCursor: true,
        stream,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { done: fmt(0), all: fmt(total), rate: '0', info: '' });
    return {
      update: (done, extra = {}) => {
        const secs = (Date.now() - started) / 1000;
        bar.update(Math.min(done, total), {
          done: fmt(done),
          all: fmt(total),
          rate: fmt(secs > 0 ? done / secs : 0),
          info: Object.entries(extra)
            .map(([k, v]) => `${k} ${typeof v === 'number' ? fmt(v) : v}`)
            .join(' '),
        });
      },
      stop: () => bar.stop(),
    };
  }
  // Not a terminal (CI, logs): a plain line every few seconds and at the end.
  let last = 0;
  let lastDone = 0;
  const line = (done: number, extra: Record<string, string | number>) => {
    const secs = (Date.now() - started) / 1000;
    const pct = total > 0 ? Math.floor((100 * Math.min(done, total)) / total) : 100;
    const rest = Object.entries(extra)
      .map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : v}`)
      .join(' ');
    stream.write(
      `${label}: ${pct}% ${fmt(done)}/${fmt(total)}${unit} ${fmt(secs > 0 ? done / secs : 0)}/s ${rest}\n`,
    );
  };
  let lastExtra: Record<string, string | number> = {};
  return {
    update: (done, extra = {}) => {
      lastDone = done;
      lastExtra = extra;
      if (Date.now() - last >= 2000) {
        last = Date.now();
        line(done, extra);
      }
    },
    stop: () => line(lastDone, lastExtra),
  };
}
