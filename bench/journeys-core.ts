// `npm run bench -- journeys-core [--runs N]`: the pure stepper's throughput.
// N (default 1,000,000) synthetic runs go through a three-step journey with waits
// (wait PT1H -> send -> wait P1D, then exit): created, started, woken twice by their
// timers. The reference in the same run is a hand-written switch doing the same
// transitions and producing the same effects (schedule, send with an idempotency key,
// complete), so the ratio is the price of the general interpreter: the definition walk,
// the immutable copy, visits and history.
import { report } from './_report.js';
import {
  advance,
  createRun,
  validateJourney,
  type JourneyEnv,
  type RunState,
} from '../src/journeys/core/index.js';
import { seededRandom } from '../src/shared/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHUNK = 10_000;

const checked = validateJourney({
  id: 'bench',
  name: 'Bench',
  trigger: { type: 'event', event: 'Signed Up' },
  start: 'wait_1',
  steps: [
    { id: 'wait_1', type: 'wait', duration: 'PT1H', next: 'send' },
    { id: 'send', type: 'send', channel: 'webhook', message: { templateId: 't' }, next: 'wait_2' },
    { id: 'wait_2', type: 'wait', duration: 'P1D', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});
if (checked.kind !== 'ok') throw new Error(JSON.stringify(checked.details));
const def = checked.value;

interface Tally {
  ms: number;
  effects: number;
  completed: number;
  steps: number;
}
const tally = (): Tally => ({ ms: 0, effects: 0, completed: 0, steps: 0 });

// The reference: the same journey as a switch over a step index.
interface RefRun {
  runId: string;
  step: number;
  started: boolean;
  status: 'active' | 'waiting' | 'completed';
  wakeAt: number;
  visits: number[];
  steps: number;
}
type RefEffect =
  | { type: 'schedule'; runId: string; wakeAt: number }
  | { type: 'send'; runId: string; idempotencyKey: string; at: number }
  | { type: 'complete'; runId: string; at: number };

function refAdvance(run: RefRun, now: number, out: RefEffect[]): RefRun {
  const r = { ...run, visits: run.visits.slice() };
  // A timer resumes after the wait it parked on; a start begins at step 0.
  let step = r.started ? r.step + 1 : 0;
  r.started = true;
  for (;;) {
    r.visits[step] = (r.visits[step] ?? 0) + 1;
    r.steps += 1;
    switch (step) {
      case 0:
      case 2:
        r.status = 'waiting';
        r.step = step;
        r.wakeAt = now + (step === 0 ? HOUR : DAY);
        out.push({ type: 'schedule', runId: r.runId, wakeAt: r.wakeAt });
        return r;
      case 1:
        out.push({
          type: 'send',
          runId: r.runId,
          idempotencyKey: `${r.runId}:send:${r.visits[1]}`,
          at: now,
        });
        step = 2;
        break;
      default:
        r.status = 'completed';
        r.step = 3;
        out.push({ type: 'complete', runId: r.runId, at: now });
        return r;
    }
  }
}

function referenceChunk(base: number, n: number, t0: number, t: Tally): void {
  const start = performance.now();
  const out: RefEffect[] = [];
  let runs: RefRun[] = [];
  for (let i = 0; i < n; i++) {
    const run: RefRun = {
      runId: `run_${base + i}`,
      step: 0,
      started: false,
      status: 'active',
      wakeAt: 0,
      visits: [],
      steps: 0,
    };
    runs.push(refAdvance(run, t0, out));
  }
  for (let phase = 0; phase < 2; phase++) runs = runs.map((r) => refAdvance(r, r.wakeAt, out));
  t.ms += performance.now() - start;
  t.effects += out.length;
  for (const r of runs) {
    if (r.status === 'completed') t.completed += 1;
    t.steps += r.steps;
  }
}

const random = seededRandom(1);
const env = (now: number): JourneyEnv => ({
  now,
  random,
  profile: { id: 'p', traits: {}, computed: {} },
  evaluateCondition: () => false,
});

function coreChunk(base: number, n: number, t0: number, t: Tally): void {
  const trigger = { event: 'Signed Up', timestamp: t0 };
  const start = performance.now();
  let effects = 0;
  let runs: RunState[] = [];
  const e0 = env(t0);
  for (let i = 0; i < n; i++) {
    const run = createRun(def, {
      runId: `run_${base + i}`,
      profileId: `p${base + i}`,
      key: null,
      trigger,
      now: t0,
      holdout: false,
    });
    const r = advance(def, run, { kind: 'start' }, e0);
    effects += r.effects.length;
    runs.push(r.run);
  }
  for (let phase = 0; phase < 2; phase++) {
    runs = runs.map((run) => {
      const r = advance(def, run, { kind: 'timer' }, env(run.wakeAt!));
      effects += r.effects.length;
      return r.run;
    });
  }
  t.ms += performance.now() - start;
  t.effects += effects;
  for (const r of runs) {
    if (r.status === 'completed') t.completed += 1;
    t.steps += r.stepCount;
  }
}

/** Both, chunk by chunk and interleaved, so load from other processes hits both alike. */
function measure(total: number, t0: number): { ref: Tally; core: Tally } {
  const ref = tally();
  const core = tally();
  for (let base = 0; base < total; base += CHUNK) {
    const n = Math.min(CHUNK, total - base);
    referenceChunk(base, n, t0, ref);
    coreChunk(base, n, t0, core);
  }
  return { ref, core };
}

export async function main(args: string[]): Promise<void> {
  const i = args.indexOf('--runs');
  const total = i >= 0 ? Number(args[i + 1]) : 1_000_000;
  if (!Number.isInteger(total) || total <= 0) throw new Error('--runs takes a positive integer');
  const t0 = Date.UTC(2026, 0, 1);

  measure(Math.min(total, 50_000), t0); // warm-up: let the JIT compile both
  const { ref, core } = measure(total, t0);
  if (
    core.completed !== total ||
    ref.completed !== total ||
    core.effects !== ref.effects ||
    core.steps !== ref.steps
  ) {
    throw new Error(`mismatch: core ${JSON.stringify(core)}, reference ${JSON.stringify(ref)}`);
  }
  const advances = 3 * total;
  const perSec = (n: number, ms: number) => Math.round(n / (ms / 1000));
  const ratio = ref.ms / core.ms;
  const result = {
    runs: total,
    stepsPerRun: core.steps / total,
    advancesPerRun: 3,
    effects: core.effects,
    core: {
      ms: Math.round(core.ms),
      stepsPerSec: perSec(core.steps, core.ms),
      advancesPerSec: perSec(advances, core.ms),
    },
    reference: {
      ms: Math.round(ref.ms),
      stepsPerSec: perSec(ref.steps, ref.ms),
      advancesPerSec: perSec(advances, ref.ms),
    },
    ratio: Number(ratio.toFixed(3)),
  };
  report(
    'journeys-core',
    result,
    `journeys-core: ${total.toLocaleString('en')} runs, advance ${result.core.stepsPerSec.toLocaleString('en')} steps/s ` +
      `vs hand-written switch ${result.reference.stepsPerSec.toLocaleString('en')} steps/s: ratio ${ratio.toFixed(2)}`,
  );
}
