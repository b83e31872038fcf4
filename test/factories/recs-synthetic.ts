// Seeded synthetic interaction logs with a planted time structure, for the tuning tests
// and the quality table of docs/recommendations.md. Kept in test/ so it never ships in
// dist/. Deterministic given the options.
import { mulberry32, type Random } from '../../src/shared/index.js';
import type { Interaction } from '../../src/recommend/index.js';

export interface SyntheticOptions {
  seed: number;
  people: number;
  items: number;
  /** Items are split evenly over topics, arranged on a ring. */
  topics: number;
  /** The log's time span. */
  days: number;
  /** Mean days between one person's visits. */
  visitGapDays: number;
  /** Mean items a visit buys (or rates). */
  itemsPerVisit: number;
  /**
   * Chance per visit that a person's current interest moves to a neighbouring topic on
   * the ring. 0 is stable taste (each visit draws from the person's three fixed topics):
   * old history predicts as well as new, so no decay is best. High drift makes recent
   * history predict best, so a short half-life is.
   */
  drift: number;
  /** Views (and some carts) precede each purchase, and some items are only viewed. */
  browsing: boolean;
  /**
   * Each item gets a 1-5 rating and only ratings ≥ 4 are kept as positives (as with
   * explicit ratings turned into implicit feedback); nobody rates an item twice.
   */
  ratings: boolean;
}

const DAY = 86_400_000;
const T0 = Date.UTC(2020, 0, 1);

/** Zipf-like popularity within a topic: the item at rank r weighs 1 / (r + 1)^0.8. */
function pickInTopic(random: Random, topic: number, perTopic: number, cum: Float64Array): number {
  const u = random() * cum[perTopic - 1]!;
  let lo = 0;
  let hi = perTopic - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return topic * perTopic + lo;
}

const poisson = (random: Random, mean: number) => {
  const l = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > l) {
    k++;
    p *= random();
  }
  return k;
};

/**
 * An interaction log: each person arrives at a random time, visits at exponential gaps,
 * and each visit takes items from the topic of their current interest.
 * @example
 * const log = syntheticLog({ ...BASKET, seed: 7 });
 */
export function syntheticLog(o: SyntheticOptions): Interaction[] {
  const random = mulberry32(o.seed);
  const perTopic = Math.floor(o.items / o.topics);
  const cum = new Float64Array(perTopic);
  for (let r = 0, s = 0; r < perTopic; r++) cum[r] = s += 1 / Math.pow(r + 1, 0.8);
  const out: Interaction[] = [];
  const end = T0 + o.days * DAY;
  for (let p = 0; p < o.people; p++) {
    const userId = `p${p}`;
    const favourites = [0, 1, 2].map(() => Math.floor(random() * o.topics));
    let current = favourites[0]!;
    const had = new Set<number>();
    // Arrivals spread over the first 80% of the span, so many people reach the tail.
    let t = T0 + random() * 0.8 * o.days * DAY;
    while (t < end) {
      if (o.drift > 0) {
        if (random() < o.drift)
          current = (current + (random() < 0.5 ? o.topics - 1 : 1)) % o.topics;
      } else {
        current = favourites[Math.floor(random() * 3)]!;
      }
      const n = 1 + poisson(random, o.itemsPerVisit - 1);
      for (let k = 0; k < n; k++) {
        // One item in ten is a stray from anywhere, so topics are not perfectly separable.
        const topic = random() < 0.1 ? Math.floor(random() * o.topics) : current;
        const item = pickInTopic(random, topic, perTopic, cum);
        const at = t + k * 60_000;
        const itemId = `i${item}`;
        if (o.ratings) {
          if (had.has(item)) continue;
          had.add(item);
          const liked = topic === current ? 0.8 : 0.25;
          if (random() < liked) out.push({ userId, itemId, timestamp: at, kind: 'purchase' });
          continue;
        }
        if (o.browsing) {
          out.push({ userId, itemId, timestamp: at - 120_000, kind: 'view' });
          const strayView = pickInTopic(random, current, perTopic, cum);
          out.push({ userId, itemId: `i${strayView}`, timestamp: at - 90_000, kind: 'view' });
          if (random() < 0.5) out.push({ userId, itemId, timestamp: at - 60_000, kind: 'cart' });
        }
        out.push({ userId, itemId, timestamp: at, kind: 'purchase', quantity: 1 });
      }
      t += -Math.log(1 - random()) * o.visitGapDays * DAY;
    }
  }
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

/** MovieLens-like: three years of ratings, stable taste, ratings ≥ 4 kept. */
export const RATINGS: Omit<SyntheticOptions, 'seed'> = {
  people: 4000,
  items: 2000,
  topics: 40,
  days: 3 * 365,
  visitGapDays: 60,
  itemsPerVisit: 8,
  drift: 0,
  browsing: false,
  ratings: true,
};

/** A shop's baskets over four months: views, carts, purchases, interest that drifts. */
export const BASKET: Omit<SyntheticOptions, 'seed'> = {
  people: 3000,
  items: 2000,
  topics: 40,
  days: 120,
  visitGapDays: 7,
  itemsPerVisit: 3,
  drift: 0.5,
  browsing: true,
  ratings: false,
};
