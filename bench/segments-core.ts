// npm run bench -- segments-core [--subjects 100000] [--seed 42] [--rounds 3]
//
// The pure segment evaluator over synthetic people: 50 definitions of mixed kinds
// (traits, computed traits, events with windows and where, not-performed, first/last,
// dates and anniversaries, segment membership, nesting), each evaluated for every
// person. Side by side in the same run: the same 50 checks hand-written as plain JS
// predicates. Reports evaluations/s for both and their ratio, checks that both give the
// same members, and measures nextCheckAt.
import { parseArgs } from 'node:util';
import {
  compile,
  indexEvents,
  validateSegment,
  type SegmentDefinition,
  type Subject,
  type SubjectEvent,
} from '../src/segments/core/index.js';
import { report } from './_report.js';
import { mulberry32 } from '../src/shared/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 2, 15, 12);
const CATEGORIES = ['shoes', 'hats', 'bags', 'shirts', 'socks', 'coats'];

function makeSubjects(n: number, seed: number): Subject[] {
  const r = mulberry32(seed); // seeded, so every run sees the same people
  const int = (k: number) => Math.floor(r() * k);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)]!;
  const pad = (x: number) => String(x).padStart(2, '0');
  const names = [
    ...Array<string>(12).fill('Product Viewed'),
    ...Array<string>(3).fill('Product Added'),
    'Cart Viewed',
    'Cart Viewed',
    'Order Completed',
    'Order Completed',
    'Pricing',
  ];
  const out: Subject[] = [];
  for (let i = 0; i < n; i++) {
    const events: SubjectEvent[] = [];
    const count = int(31);
    for (let j = 0; j < count; j++) {
      const event = pick(names);
      // 1% of events are dated up to a day ahead (a client clock running fast).
      const timestamp = r() < 0.01 ? NOW + int(DAY) : NOW - int(90 * DAY);
      events.push({
        type: event === 'Pricing' ? 'page' : 'track',
        event,
        timestamp,
        properties: { category: pick(CATEGORIES), price: 5 + int(200) },
      });
    }
    events.sort((a, b) => a.timestamp - b.timestamp);
    const orders = int(4) === 0 ? 0 : int(13);
    const segments = new Set<string>();
    if (r() < 0.1) segments.add('seg_vip');
    if (r() < 0.3) segments.add('seg_newsletter');
    out.push({
      traits: {
        plan: pick(['free', 'pro', 'team', 'enterprise']),
        country: pick(['FR', 'DE', 'GB', 'US', 'ES', 'IT']),
        age: 18 + int(60),
        signup_at: new Date(NOW - int(3 * 365) * DAY - int(DAY)).toISOString(),
        birthday: `${1950 + int(55)}-${pad(1 + int(12))}-${pad(1 + int(28))}`,
        ...(r() < 0.8 ? { email: `p${i}@example.com` } : {}),
      },
      computed: {
        order_count: orders,
        revenue: orders * (10 + int(300)),
        rfm: { code: `${1 + int(5)}${1 + int(5)}${1 + int(5)}` },
        lifecycle: pick(['new', 'active', 'at_risk', 'lapsed', 'won_back']),
        affinities: { category: [{ value: pick(CATEGORIES), score: r() }] },
      },
      events,
      segments,
    });
  }
  return out;
}

type Predicate = (s: Subject, now: number) => boolean;
interface Case {
  name: string;
  definition: SegmentDefinition;
  reference: Predicate;
}

// Hand-written references: what a developer would write for each rule on clean data.
const countEvents = (
  s: Subject,
  now: number,
  name: string,
  ms: number,
  where?: (e: SubjectEvent) => boolean,
) => {
  let n = 0;
  for (const e of s.events) {
    if (e.event === name && e.timestamp <= now && e.timestamp > now - ms && (!where || where(e)))
      n++;
  }
  return n;
};
const firstOf = (s: Subject, now: number, name: string) => {
  for (const e of s.events) if (e.event === name && e.timestamp <= now) return e.timestamp;
  return undefined;
};
const lastOf = (s: Subject, now: number, name: string) => {
  let last: number | undefined;
  for (const e of s.events) if (e.event === name && e.timestamp <= now) last = e.timestamp;
  return last;
};
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
/** True when an anniversary (after the birth year) falls within [today, today + days]. */
const anniversaryWithin = (birthday: string, days: number, now: number) => {
  const [y, m, d] = birthday.split('-').map(Number) as [number, number, number];
  const today = Math.floor(now / DAY) * DAY;
  const year = new Date(now).getUTCFullYear();
  for (const yy of [year, year + 1]) {
    if (yy <= y) continue;
    const day = m === 2 && d === 29 && !isLeap(yy) ? 28 : d;
    const a = Date.UTC(yy, m - 1, day);
    if (a >= today && a <= today + days * DAY) return true;
  }
  return false;
};
const num = (v: unknown) => v as number;
const traitOf = (s: Subject, k: string) => s.traits[k];
const rfmCode = (s: Subject) => (s.computed.rfm as { code: string }).code;

function cases(): Case[] {
  const out: Case[] = [];
  const plans = ['free', 'pro', 'team', 'enterprise'];
  plans.forEach((p) =>
    out.push({
      name: `plan = ${p}`,
      definition: { trait: 'plan', eq: p },
      reference: (s) => traitOf(s, 'plan') === p,
    }),
  );
  out.push({
    name: 'plan ≠ free',
    definition: { trait: 'plan', neq: 'free' },
    reference: (s) => traitOf(s, 'plan') !== 'free',
  });
  for (const list of [['FR'], ['FR', 'DE'], ['GB', 'US'], ['ES', 'IT', 'FR'], ['US']]) {
    out.push({
      name: `country in ${list.join(',')}`,
      definition: { trait: 'country', in: list },
      reference: (s) => list.includes(traitOf(s, 'country') as string),
    });
  }
  for (const k of [1, 2, 3, 5, 8]) {
    out.push({
      name: `order_count ≥ ${k}`,
      definition: { computed: 'order_count', gte: k },
      reference: (s) => num(s.computed.order_count) >= k,
    });
  }
  for (const codes of [
    ['555', '554', '545'],
    ['111', '112', '121'],
    ['515', '525'],
    ['333'],
    ['455', '445', '355', '545'],
  ]) {
    const set = new Set(codes);
    out.push({
      name: `rfm in ${codes.join(',')}`,
      definition: { computed: 'rfm.code', in: codes },
      reference: (s) => set.has(rfmCode(s)),
    });
  }
  for (const [k, days, category] of [
    [2, 7, 'shoes'],
    [1, 1, 'hats'],
    [3, 30, 'bags'],
    [2, 14, 'shoes'],
    [5, 90, 'shirts'],
  ] as const) {
    out.push({
      name: `viewed ${category} ≥ ${k} in ${days}d`,
      definition: {
        event: 'Product Viewed',
        where: { 'properties.category': { eq: category } },
        count: { gte: k },
        within: `P${days}D`,
      },
      reference: (s, now) =>
        countEvents(
          s,
          now,
          'Product Viewed',
          days * DAY,
          (e) => e.properties.category === category,
        ) >= k,
    });
  }
  for (const [category, days] of [
    ['shoes', 7],
    ['hats', 7],
    ['bags', 14],
    ['coats', 3],
    ['socks', 30],
  ] as const) {
    out.push({
      name: `${category} browsers, not buyers, ${days}d`,
      definition: {
        all: [
          {
            event: 'Product Viewed',
            where: { 'properties.category': { eq: category } },
            count: { gte: 2 },
            within: `P${days}D`,
          },
          { not: { event: 'Order Completed', within: `P${days}D` } },
        ],
      },
      reference: (s, now) =>
        countEvents(
          s,
          now,
          'Product Viewed',
          days * DAY,
          (e) => e.properties.category === category,
        ) >= 2 && countEvents(s, now, 'Order Completed', days * DAY) === 0,
    });
  }
  for (const days of [14, 30, 45, 60, 90]) {
    out.push({
      name: `buyers with no order in ${days}d`,
      definition: {
        all: [
          { computed: 'order_count', gte: 1 },
          { not: { event: 'Order Completed', within: `P${days}D` } },
        ],
      },
      reference: (s, now) =>
        num(s.computed.order_count) >= 1 &&
        countEvents(s, now, 'Order Completed', days * DAY) === 0,
    });
  }
  out.push(
    {
      name: 'signed up in 30d',
      definition: { trait: 'signup_at', within_last: 'P30D' },
      reference: (s, now) => {
        const t = Date.parse(traitOf(s, 'signup_at') as string);
        return t <= now && t > now - 30 * DAY;
      },
    },
    {
      name: 'signed up over a year ago',
      definition: { trait: 'signup_at', more_than_ago: 'P365D' },
      reference: (s, now) => Date.parse(traitOf(s, 'signup_at') as string) <= now - 365 * DAY,
    },
    {
      name: 'birthday within 7 days',
      definition: { trait: 'birthday', anniversary_within: 7 },
      reference: (s, now) => anniversaryWithin(traitOf(s, 'birthday') as string, 7, now),
    },
    {
      name: 'birthday within 30 days',
      definition: { trait: 'birthday', anniversary_within: 30 },
      reference: (s, now) => anniversaryWithin(traitOf(s, 'birthday') as string, 30, now),
    },
    {
      name: 'signed up in 2024',
      definition: { trait: 'signup_at', between: ['2024-01-01', '2024-12-31T23:59:59.999Z'] },
      reference: (s) => {
        const t = Date.parse(traitOf(s, 'signup_at') as string);
        return t >= Date.UTC(2024, 0, 1) && t <= Date.UTC(2025, 0, 1) - 1;
      },
    },
  );
  for (const revenue of [100, 500, 1000, 2000, 3000]) {
    out.push({
      name: `vip or pro with revenue > ${revenue}`,
      definition: {
        any: [
          { segment: 'seg_vip' },
          {
            all: [
              { trait: 'plan', eq: 'pro' },
              { computed: 'revenue', gt: revenue },
            ],
          },
        ],
      },
      reference: (s) =>
        s.segments.has('seg_vip') ||
        (traitOf(s, 'plan') === 'pro' && num(s.computed.revenue) > revenue),
    });
  }
  out.push(
    {
      name: 'first order in 30d',
      definition: { event: 'Order Completed', first: { within_last: 'P30D' } },
      reference: (s, now) => {
        const t = firstOf(s, now, 'Order Completed');
        return t !== undefined && t > now - 30 * DAY;
      },
    },
    {
      name: 'last order over 60d ago',
      definition: { event: 'Order Completed', last: { more_than_ago: 'P60D' } },
      reference: (s, now) => {
        const t = lastOf(s, now, 'Order Completed');
        return t !== undefined && t <= now - 60 * DAY;
      },
    },
    {
      name: 'first view in January',
      definition: { event: 'Product Viewed', first: { between: ['2026-01-01', '2026-02-01'] } },
      reference: (s, now) => {
        const t = firstOf(s, now, 'Product Viewed');
        return t !== undefined && t >= Date.UTC(2026, 0, 1) && t <= Date.UTC(2026, 1, 1);
      },
    },
    {
      name: 'cart abandoners, 24h',
      definition: {
        all: [
          { event: 'Cart Viewed', within: 'PT24H' },
          { not: { event: 'Order Completed', within: 'PT24H' } },
        ],
      },
      reference: (s, now) =>
        countEvents(s, now, 'Cart Viewed', DAY) >= 1 &&
        countEvents(s, now, 'Order Completed', DAY) === 0,
    },
    {
      name: 'at-risk shoe lovers on the newsletter',
      definition: {
        all: [
          { computed: 'lifecycle', eq: 'at_risk' },
          { computed: 'affinities.category.0.value', eq: 'shoes' },
          { segment: 'seg_newsletter' },
          { not: { trait: 'email', not_exists: true } },
        ],
      },
      reference: (s) =>
        s.computed.lifecycle === 'at_risk' &&
        (s.computed.affinities as { category: { value: string }[] }).category[0]?.value ===
          'shoes' &&
        s.segments.has('seg_newsletter') &&
        traitOf(s, 'email') != null,
    },
  );
  return out;
}

/** Runs every predicate over every subject; returns members per predicate and seconds. */
function pass(
  predicates: Predicate[],
  subjects: Subject[],
  now: number,
): { members: number[]; seconds: number } {
  const members = predicates.map(() => 0);
  const start = performance.now();
  for (const s of subjects) {
    for (let i = 0; i < predicates.length; i++) if (predicates[i]!(s, now)) members[i]!++;
  }
  return { members, seconds: (performance.now() - start) / 1000 };
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      subjects: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '42' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const n = Number(values.subjects);
  const rounds = Number(values.rounds);
  const all = cases();

  let start = performance.now();
  for (const c of all) {
    const result = validateSegment(
      { name: c.name, definition: c.definition },
      { lookup: () => ({ segment: 'x' }) },
    );
    if (result.kind !== 'ok') throw new Error(`${c.name}: ${JSON.stringify(result.details)}`);
  }
  const validateMs = performance.now() - start;
  start = performance.now();
  const compiled = all.map((c) => compile(c.definition));
  const compileMs = performance.now() - start;

  start = performance.now();
  const subjects = makeSubjects(n, Number(values.seed));
  const generateSeconds = (performance.now() - start) / 1000;
  const events = subjects.reduce((sum, s) => sum + s.events.length, 0);
  start = performance.now();
  const indexed = subjects.map((s) => ({ ...s, eventsByName: indexEvents(s.events) }));
  const indexSeconds = (performance.now() - start) / 1000;

  const references = all.map((c) => c.reference);
  // Warm up both, then alternate them so drift on a shared machine hits both alike.
  pass(compiled, subjects.slice(0, 5000), NOW);
  pass(references, subjects.slice(0, 5000), NOW);
  const best = { compiled: Infinity, indexed: Infinity, reference: Infinity };
  let members = { compiled: [] as number[], indexed: [] as number[], reference: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    const c = pass(compiled, subjects, NOW);
    const x = pass(compiled, indexed, NOW);
    const h = pass(references, subjects, NOW);
    best.compiled = Math.min(best.compiled, c.seconds);
    best.indexed = Math.min(best.indexed, x.seconds);
    best.reference = Math.min(best.reference, h.seconds);
    members = { compiled: c.members, indexed: x.members, reference: h.members };
  }
  const mismatches = all
    .map((c, i) => ({
      name: c.name,
      compiled: members.compiled[i]!,
      indexed: members.indexed[i]!,
      reference: members.reference[i]!,
    }))
    .filter((m) => m.compiled !== m.reference || m.indexed !== m.reference);

  // nextCheckAt for every definition over a slice of people (it is asked once per change).
  const slice = subjects.slice(0, Math.min(n, 20_000));
  start = performance.now();
  let scheduled = 0;
  for (const s of slice) for (const c of compiled) if (c.nextCheckAt(s, NOW) !== null) scheduled++;
  const nextSeconds = (performance.now() - start) / 1000;

  const evaluations = n * all.length;
  const rate = (seconds: number) => Math.round(evaluations / seconds);
  const result = {
    subjects: n,
    definitions: all.length,
    events,
    evaluations,
    compiledPerSecond: rate(best.compiled),
    indexedPerSecond: rate(best.indexed),
    referencePerSecond: rate(best.reference),
    ratioCompiledToReference: +(best.reference / best.compiled).toFixed(3),
    ratioIndexedToReference: +(best.reference / best.indexed).toFixed(3),
    nextCheckAtPerSecond: Math.round((slice.length * all.length) / nextSeconds),
    nextCheckAtScheduledShare: +(scheduled / (slice.length * all.length)).toFixed(3),
    validateMsPerDefinition: +(validateMs / all.length).toFixed(3),
    compileMsPerDefinition: +(compileMs / all.length).toFixed(3),
    generateSeconds: +generateSeconds.toFixed(2),
    indexSeconds: +indexSeconds.toFixed(2),
    rounds,
    members: all.map((c, i) => ({ name: c.name, members: members.compiled[i] })),
    mismatches,
  };
  const m = (x: number) => `${(x / 1e6).toFixed(2)}M/s`;
  report(
    'segments-core',
    result,
    `segments-core: ${n} people × ${all.length} definitions (${events} events): compiled ${m(result.compiledPerSecond)}, ` +
      `with events indexed ${m(result.indexedPerSecond)}, hand-written JS ${m(result.referencePerSecond)} ` +
      `(ratio ${result.ratioCompiledToReference} / ${result.ratioIndexedToReference} indexed); ` +
      `nextCheckAt ${m(result.nextCheckAtPerSecond)}; ${mismatches.length} mismatches`,
  );
  if (mismatches.length > 0) {
    console.error('Members differ from the hand-written predicates:', mismatches);
    process.exitCode = 1;
  }
}
