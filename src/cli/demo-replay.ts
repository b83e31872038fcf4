import { eventTimeOf } from '../importer/index.js';

/** Requests stay well under the 500 KB batch limit (an order may be up to 32 KB). */
const BATCH_BYTES = 256 * 1024;
/** How often the replay looks for due events: the pace a person sees. */
const TICK_MS = 200;

/**
 * When each held-back event is sent, in ms after the replay starts: its place in the
 * held-back window (`from`, `windowMs`) scaled to `overMs`, so the shop's quiet nights
 * and busy afternoons keep their shape. Clamped to [0, overMs]; never decreasing.
 *
 * @example replayOffsets([from, from + windowMs / 2], from, windowMs, 600_000) // [0, 300_000]
 */
export function replayOffsets(
  times: readonly (number | null)[],
  from: number,
  windowMs: number,
  overMs: number,
): number[] {
  let last = 0;
  return times.map((t) => {
    const at = t === null ? last : ((t - from) / windowMs) * overMs;
    last = Math.max(last, Math.min(overMs, Math.max(0, Math.round(at))));
    return last;
  });
}

/** The events of one request each, in order, none over `BATCH_BYTES` (one event always fits). */
export function batchesOf(events: readonly Record<string, unknown>[]): Record<string, unknown>[][] {
  const out: Record<string, unknown>[][] = [];
  let batch: Record<string, unknown>[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event)) + 1;
    if (batch.length > 0 && bytes + size > BATCH_BYTES) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(event);
    bytes += size;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

export interface ReplayOptions {
  /** The demo server, reached on loopback. */
  url: string;
  writeKey: string;
  events: readonly Record<string, unknown>[];
  /** Index of the first event to send: a resumed demo goes on where it stopped. */
  start: number;
  from: number;
  windowMs: number;
  overMs: number;
  onSent(sent: number): void;
  onError(message: string): void;
}

export interface Replay {
  /** Resolves when every event was sent, or after `stop`. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Replays the held-back weeks as live traffic through the public ingestion API
 * (`POST /v1/batch` with a write key), each event stamped with the moment it is sent, so
 * profiles, segments, journeys and messages move as a real shop's would.
 */
export function startReplay(o: ReplayOptions): Replay {
  const offsets = replayOffsets(o.events.map(eventTimeOf), o.from, o.windowMs, o.overMs);
  const base = offsets[o.start] ?? 0;
  const began = Date.now();
  let stopped = false;
  let wake: () => void = () => undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const auth = `Basic ${Buffer.from(`${o.writeKey}:`).toString('base64')}`;
  const send = async (batch: Record<string, unknown>[]) => {
    const at = new Date().toISOString();
    const body = JSON.stringify({ batch: batch.map((e) => ({ ...e, timestamp: at })) });
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await fetch(`${o.url}/v1/batch`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body,
        });
        if (r.ok) return;
        const text = await r.text();
        if ((r.status < 500 && r.status !== 429) || attempt >= 3) {
          o.onError(`POST /v1/batch answered ${r.status}: ${text.slice(0, 300)}`);
          return;
        }
      } catch (error) {
        if (attempt >= 3 || stopped) {
          o.onError(`POST /v1/batch failed: ${(error as Error).message}`);
          return;
        }
      }
      await pause(1000);
    }
  };
  const run = async () => {
    let next = o.start;
    while (next < o.events.length && !stopped) {
      const elapsed = Date.now() - began;
      let end = next;
      while (end < o.events.length && offsets[end]! - base <= elapsed) end++;
      if (end > next) {
        for (const batch of batchesOf(o.events.slice(next, end))) {
          if (stopped) break;
          await send(batch);
          next += batch.length;
          o.onSent(next);
        }
      } else {
        await pause(Math.min(TICK_MS, offsets[next]! - base - elapsed));
      }
    }
  };
  const done = run();
  return {
    done,
    stop: async () => {
      stopped = true;
      wake();
      await done;
    },
  };
}
