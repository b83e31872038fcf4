// Event-to-membership latency of the segments benchmark: live events at a steady rate
// through ingestion while the real background loops run. A profile hook notes, for each
// person, the membership transitions a batch made and the benchmark's events that caused
// them; when that batch's transaction has committed (`processBatch()` returned), the
// transitions are stamped with the commit time. Latency = commit - acknowledgement
// (the ingest promise resolving), one sample per event that changed a membership.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggedEvent, PipelineStage } from '../src/profiles/index.js';
import { SEGMENT_ENTERED, SEGMENT_EXITED } from '../src/segments/apply.js';
import { startBackground, type App } from '../src/app/build-app.js';
import { DAY, productOf, WORKSPACE, type PersonSummary } from './_segments-data.js';
import { percentiles } from './_percentiles.js';
import { mulberry32 } from '../src/shared/index.js';

export interface LoadOptions {
  seconds: number;
  /** Events per second offered. */
  rate: number;
  /** Events per ingest call (one /v1/batch request). */
  batch: number;
  seed: number;
  /** The segment probes flip, and the share of events that are probes. */
  probeSegmentId: string;
  probeShare: number;
}

interface Sent {
  ackAt: number | null;
  probe: 'enter' | 'exit' | null;
}
interface Committed {
  at: number;
  causes: string[];
  transitions: { segmentId: string; entered: boolean }[];
}

const TRANSITION = new Set([SEGMENT_ENTERED, SEGMENT_EXITED]);

/**
 * Who can be flipped by one event for the whole run: for "shoe browsers, not buyers"
 * (2+ shoe views and no order within 7 days), people with exactly one shoe view that
 * stays in the window (enter on a second view) and people with two or more (exit on an
 * order), with no order in the window and nothing near its edges or in the future.
 */
function probeCandidates(people: PersonSummary[], start: number, marginMs: number, seed: number) {
  const edge = start - 7 * DAY;
  const enter: PersonSummary[] = [];
  const exit: PersonSummary[] = [];
  for (const p of people) {
    if (p.future || (p.lastOrderAt !== null && p.lastOrderAt > edge - marginMs)) continue;
    if (p.shoeViews.some((t) => t > edge - marginMs && t <= edge + marginMs)) continue;
    const inWindow = p.shoeViews.filter((t) => t > edge + marginMs).length;
    if (inWindow === 1) enter.push(p);
    else if (inWindow >= 2) exit.push(p);
  }
  const r = mulberry32(seed);
  const shuffle = (xs: PersonSummary[]) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  return { enter: shuffle(enter), exit: shuffle(exit) };
}

/** Step time of each background loop (they share one thread, and on SQLite one connection). */
function timeSteps(ctx: App) {
  const stats: Record<string, { steps: number; totalMs: number; maxMs: number }> = {};
  let on = false;
  const wrap = <T>(name: string, target: object, method: string) => {
    const obj = target as Record<string, () => Promise<T>>;
    const original = obj[method]!.bind(target);
    const s = (stats[name] = { steps: 0, totalMs: 0, maxMs: 0 });
    obj[method] = async () => {
      const t = performance.now();
      const r = await original();
      const ms = performance.now() - t;
      if (process.env.SEG_DEBUG && on && ms > 40)
        console.error(name, Math.round(t), Math.round(ms), JSON.stringify(r));
      if (on && (r === true || ms > 5 || (r as { events?: number }).events)) {
        s.steps++;
        s.totalMs += ms;
        s.maxMs = Math.max(s.maxMs, ms);
      }
      return r;
    };
  };
  wrap('profiles.processBatch', ctx.profiles, 'processBatch');
  wrap('segments.runDueChecks', ctx.segments, 'runDueChecks');
  wrap('segments.backfillStep', ctx.segments, 'backfillStep');
  wrap('journeys.runDueTimers', ctx.journeys, 'runDueTimers');
  wrap('outbox.step', ctx.outbox, 'step');
  return {
    start: () => (on = true),
    stop: () => {
      on = false;
      return Object.fromEntries(
        Object.entries(stats).map(([k, v]) => [
          k,
          { steps: v.steps, totalMs: Math.round(v.totalMs), maxMs: Math.round(v.maxMs) },
        ]),
      );
    },
  };
}

/**
 * Watches each batch for the Segment Entered/Exited events the load's own events caused:
 * a pipeline stage the bench adds after the declared ones (`buildApp`'s `extraStages`), so
 * the segments stage's events are in `c.events`. Batches may run concurrently (several
 * profile workers on PostgreSQL): each batch's transitions travel in its own async
 * context, and a retried batch starts its attempt afresh.
 */
export function transitionWatch() {
  const sent = new Map<string, Sent>();
  const batch = new AsyncLocalStorage<{ attempt: Omit<Committed, 'at'>[] }>();
  const stage: PipelineStage = {
    name: 'bench-transitions',
    run: (_tx, changes) => {
      const slot = batch.getStore();
      if (!slot) return Promise.resolve(changes);
      slot.attempt = [];
      for (const c of changes) {
        const causes = c.events.filter((e: LoggedEvent) => sent.has(e.messageId));
        const transitions = c.events
          .filter((e) => e.event !== null && TRANSITION.has(e.event))
          .map((e) => ({
            segmentId: String(e.properties.segment_id),
            entered: e.event === SEGMENT_ENTERED,
          }));
        if (causes.length > 0 && transitions.length > 0)
          slot.attempt.push({ causes: causes.map((e) => e.messageId), transitions });
      }
      return Promise.resolve(changes);
    },
  };
  return { sent, batch, stage };
}

/** Runs the steady load, then a burst for capacity; resolves with the measurements. */
export async function runLoad(
  ctx: App,
  watch: ReturnType<typeof transitionWatch>,
  people: PersonSummary[],
  options: LoadOptions,
  log: (line: string) => void,
): Promise<Record<string, unknown>> {
  const { sent, batch } = watch;
  const committed: Committed[] = [];
  let processed = 0;

  const processBatch = ctx.profiles.processBatch.bind(ctx.profiles);
  ctx.profiles.processBatch = async () => {
    const slot = { attempt: [] as Omit<Committed, 'at'>[] };
    const r = await batch.run(slot, processBatch);
    const at = performance.now();
    for (const a of slot.attempt) committed.push({ ...a, at });
    processed += r.events;
    return r;
  };
  const steps = timeSteps(ctx);

  const start = Date.now();
  const { enter, exit } = probeCandidates(
    people,
    start,
    (options.seconds + 300) * 1000,
    options.seed,
  );
  const probePeople = new Set([...enter, ...exit]);
  const pool = people.filter((p) => !probePeople.has(p));
  const r = mulberry32(options.seed + 1);
  let n = 0;
  let newVisitors = 0;
  const probes = { enter: 0, exit: 0 };

  const identity = (p: PersonSummary) => ({
    userId: p.userId,
    ...(p.anonymousId ? { anonymousId: p.anonymousId } : {}),
  });
  const order = (who: object) => {
    const product = productOf(r, null);
    return {
      type: 'track',
      event: 'Order Completed',
      ...who,
      properties: {
        order_id: `live-o${n}`,
        revenue: product.price,
        currency: 'EUR',
        products: [{ ...product, quantity: 1 }],
      },
    };
  };
  /** A background event: what a shop's traffic looks like, 3% from new visitors. */
  const background = (): Record<string, unknown> => {
    if (r() < 0.03)
      return {
        type: 'page',
        name: 'Home',
        anonymousId: `live-visitor-${newVisitors++}`,
        properties: { path: '/' },
      };
    const who = identity(pool[Math.floor(r() * pool.length)]!);
    const x = r();
    if (x < 0.5) {
      const p = productOf(r, null);
      return {
        type: 'track',
        event: 'Product Viewed',
        ...who,
        properties: { ...p, currency: 'EUR' },
      };
    }
    if (x < 0.6)
      return {
        type: 'track',
        event: 'Product Added',
        ...who,
        properties: { ...productOf(r, null), quantity: 1 },
      };
    if (x < 0.8)
      return { type: 'page', name: r() < 0.2 ? 'Pricing' : 'Search', ...who, properties: {} };
    if (x < 0.85) return { type: 'track', event: 'Cart Viewed', ...who, properties: {} };
    if (x < 0.9)
      return { type: 'track', event: 'Email Opened', ...who, properties: { channel: 'email' } };
    if (x < 0.93) return { type: 'identify', ...who, traits: { plan: r() < 0.5 ? 'pro' : 'team' } };
    if (x < 0.96) return order(who);
    return { type: 'track', event: 'Checkout Started', ...who, properties: {} };
  };
  const next = (kind: 'steady' | 'burst'): Record<string, unknown> => {
    const messageId = `live-${kind}-${n++}`;
    let e: Record<string, unknown>;
    let probe: Sent['probe'] = null;
    if (kind === 'steady' && r() < options.probeShare) {
      const wantEnter = r() < 0.5;
      const list = wantEnter && enter.length > 0 ? enter : exit.length > 0 ? exit : enter;
      const p = list.pop();
      if (p) {
        probe = list === enter ? 'enter' : 'exit';
        probes[probe]++;
        const shoe = { ...productOf(r, 'shoes'), category: 'shoes', currency: 'EUR' };
        e =
          probe === 'enter'
            ? { type: 'track', event: 'Product Viewed', ...identity(p), properties: shoe }
            : order(identity(p));
      } else e = background();
    } else e = background();
    sent.set(messageId, { ackAt: null, probe });
    return { ...e, messageId };
  };
  const send = async (events: Record<string, unknown>[]) => {
    const body = { batch: events };
    const res = await ctx.ingest.ingestBatch(WORKSPACE, body, JSON.stringify(body));
    if (res.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(res.rejected[0])}`);
    const at = performance.now();
    for (const e of events) sent.get(e.messageId as string)!.ackAt = at;
  };
  const waitProcessed = async (target: number, timeoutMs: number) => {
    const until = performance.now() + timeoutMs;
    while (processed < target && performance.now() < until)
      await new Promise((w) => setTimeout(w, 20));
    return processed >= target;
  };

  startBackground(ctx);
  log(
    `steady load: ${options.rate} events/s for ${options.seconds} s (${enter.length} enter / ${exit.length} exit probe candidates)`,
  );
  const processedBefore = processed;
  steps.start();
  const inflight: Promise<void>[] = [];
  const backlog: number[] = [];
  const t0 = performance.now();
  const interval = (1000 * options.batch) / options.rate;
  let ticks = 0;
  let nextSample = t0 + 1000;
  while (performance.now() - t0 < options.seconds * 1000) {
    const due = t0 + ticks * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((w) => setTimeout(w, wait));
    if (performance.now() >= nextSample) {
      nextSample += 1000;
      backlog.push(n - (processed - processedBefore));
    }
    inflight.push(send(Array.from({ length: options.batch }, () => next('steady'))));
    ticks++;
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  await Promise.all(inflight);
  const steadyEvents = n;
  const caughtUp = await waitProcessed(processedBefore + steadyEvents, 300_000);
  const drainSeconds = (performance.now() - t0) / 1000 - sendSeconds;
  const steadyProcessed = processed - processedBefore;
  const stepTimes = steps.stop();

  // Capacity: a burst ingested as fast as it is accepted (4 requests of 100 in flight);
  // events/s from the first request to the last event processed.
  const burst = Math.max(1000, options.rate * 10);
  log(`capacity burst: ${burst} events`);
  const b0 = performance.now();
  const before = processed;
  const queue: Promise<void>[] = [];
  for (let i = 0; i < burst; i += 100) {
    queue.push(send(Array.from({ length: Math.min(100, burst - i) }, () => next('burst'))));
    if (queue.length >= 4) await queue.shift();
  }
  await Promise.all(queue);
  await waitProcessed(before + burst, 300_000);
  const burstSeconds = (performance.now() - b0) / 1000;

  // One sample per event that changed a membership: the latest-acknowledged of the
  // benchmark's events in that person's batch (usually the only one) caused it.
  const all: number[] = [];
  const probeLatency: number[] = [];
  const flipped = { enter: 0, exit: 0 };
  let transitions = 0;
  for (const c of committed) {
    const causes = c.causes
      .map((m) => ({ m, s: sent.get(m)! }))
      .filter((x) => !x.m.startsWith('live-burst'));
    if (causes.length === 0) continue;
    const last = causes.reduce((a, b) => (b.s.ackAt! > a.s.ackAt! ? b : a));
    const latency = Math.max(0, c.at - last.s.ackAt!);
    all.push(latency);
    transitions += c.transitions.length;
    for (const x of causes) {
      const want = x.s.probe;
      if (
        want &&
        c.transitions.some(
          (t) => t.segmentId === options.probeSegmentId && t.entered === (want === 'enter'),
        )
      ) {
        flipped[want]++;
        probeLatency.push(latency);
      }
    }
  }
  return {
    offeredEventsPerSecond: options.rate,
    sentEvents: steadyEvents,
    sendSeconds: Number(sendSeconds.toFixed(2)),
    processedEvents: steadyProcessed,
    keptUp: caughtUp,
    drainSecondsAfterLoad: Number(drainSeconds.toFixed(2)),
    sustainedEventsPerSecond: Math.round(steadyProcessed / (sendSeconds + drainSeconds)),
    backlogPerSecond: backlog,
    maxBacklog: Math.max(0, ...backlog),
    stepTimes,
    membershipChangingEvents: all.length,
    transitions,
    latencyMs: percentiles(all),
    probes: { sent: probes, flipped, latencyMs: percentiles(probeLatency) },
    newVisitors,
    capacity: {
      events: burst,
      seconds: Number(burstSeconds.toFixed(2)),
      eventsPerSecond: Math.round(burst / burstSeconds),
    },
  };
}
