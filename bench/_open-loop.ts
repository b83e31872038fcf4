// An open-loop HTTP load generator: requests start on a fixed schedule (one every
// 1/rate seconds) whether or not earlier ones have answered, and each latency is
// measured from the scheduled start, so a stalled server is charged for the requests
// it kept waiting (no coordinated omission). autocannon's rate limit instead lets each
// connection fire its whole per-second quota at the top of every second, which measures
// bursts of `rate` requests rather than a steady rate.
import { Agent, request } from 'node:http';
import { percentiles } from './_percentiles.js';

export interface OpenLoopOptions {
  url: string;
  paths: readonly string[];
  /** Requests per second. */
  rate: number;
  seconds: number;
  headers?: Record<string, string>;
  /** Requests scheduled in the first `warmupSeconds` are sent but not measured. */
  warmupSeconds?: number;
  /** Open sockets at most; more requests in flight than this wait (and are charged). */
  connections?: number;
  /** JSON bodies to POST, taken in turn with `paths` (GET when absent). */
  bodies?: readonly string[];
}

export interface OpenLoopResult {
  rate: number;
  /** Answers per second over the measured part. */
  rps: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  errors: number;
  non2xx: number;
}

export async function openLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections ?? 64 });
  const warmup = (o.warmupSeconds ?? 1) * 1000;
  const total = Math.round(o.rate * (o.seconds + warmup / 1000));
  const interval = 1000 / o.rate;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let done = 0;
  const start = performance.now() + 20;
  await new Promise<void>((finish) => {
    let sent = 0;
    const settle = () => {
      if (++done === total) finish();
    };
    const fire = (i: number, due: number) => {
      const path = o.paths[i % o.paths.length]!;
      const body = o.bodies?.[i % o.bodies.length];
      const headers =
        body === undefined ? o.headers : { ...o.headers, 'content-type': 'application/json' };
      const method = body === undefined ? 'GET' : 'POST';
      const req = request(`${o.url}${path}`, { agent, headers, method }, (res) => {
        res.resume();
        res.on('end', () => {
          if (due - start >= warmup) {
            latencies.push(performance.now() - due);
            if (res.statusCode! < 200 || res.statusCode! >= 300) non2xx++;
          }
          settle();
        });
      });
      req.on('error', () => {
        if (due - start >= warmup) errors++;
        settle();
      });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        fire(sent, start + sent * interval);
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    setTimeout(tick, 20);
  });
  agent.destroy();
  const p = percentiles(latencies);
  return {
    rate: o.rate,
    rps: Math.round(latencies.length / o.seconds),
    p50: p.p50 ?? null,
    p99: p.p99 ?? null,
    max: p.max ?? null,
    errors,
    non2xx,
  };
}
