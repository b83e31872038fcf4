import { describe, expect, it } from 'vitest';
import { ValidationError, seededRandom } from '../../shared/index.js';
import { choose, distribution, mergeStates, update } from './policy.js';
import {
  PolicyConfig,
  PolicyState,
  emptyState,
  featureVector,
  type PolicyContext,
} from './types.js';

const none: PolicyContext = { features: {} };
const random = () => seededRandom('policy-test');
const parse = (c: unknown) => PolicyConfig.parse(c);

describe('fixed priority', () => {
  it('picks the first candidate of its order, with propensity 1', () => {
    const config = parse({ kind: 'fixed', order: ['c', 'b', 'a'] });
    const choice = choose(config, emptyState(), ['a', 'b'], none, random());
    expect(choice).toEqual({ action: 'b', propensity: 1, distribution: { a: 0, b: 1 } });
  });

  it('falls back to the first candidate when the order names none of them', () => {
    const config = parse({ kind: 'fixed' });
    expect(distribution(config, emptyState(), ['x', 'y'], none, random())).toEqual({ x: 1, y: 0 });
  });
});

describe('weighted random', () => {
  it('gives each candidate its share of the weights, and draws accordingly', () => {
    const config = parse({ kind: 'weighted', weights: { a: 1, b: 3, gone: 10 } });
    const dist = distribution(config, emptyState(), ['a', 'b', 'c'], none, random());
    expect(dist).toEqual({ a: 0.25, b: 0.75, c: 0 });
    const r = random();
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 20_000; i++)
      counts[choose(config, emptyState(), ['a', 'b', 'c'], none, r).action]! += 1;
    expect(counts.a! / 20_000).toBeCloseTo(0.25, 1);
    expect(counts.c).toBe(0);
  });

  it('is uniform when no candidate has a weight', () => {
    const config = parse({ kind: 'weighted', weights: {} });
    expect(distribution(config, emptyState(), ['a', 'b'], none, random())).toEqual({
      a: 0.5,
      b: 0.5,
    });
  });
});

describe('the interface', () => {
  it('refuses no candidates, repeated ones and __proto__', () => {
    const config = parse({ kind: 'fixed' });
    expect(() => distribution(config, emptyState(), [], none, random())).toThrow(ValidationError);
    expect(() => distribution(config, emptyState(), ['a', 'a'], none, random())).toThrow(
      /distinct/,
    );
    expect(() => distribution(config, emptyState(), ['__proto__'], none, random())).toThrow(
      /__proto__/,
    );
  });

  it('reads features by name, missing ones as 0', () => {
    expect(featureVector(['b', 'z', 'a'], { features: { a: 1, b: 2 } })).toEqual([2, 0, 1]);
  });

  it('updates without touching its input, and states merge by adding', () => {
    const config = parse({ kind: 'linucb', features: ['x'] });
    const s0 = emptyState();
    const s1 = update(config, s0, 'a', { features: { x: 2 } }, 1);
    expect(s0).toEqual({ arms: {} });
    expect(s1.arms.a).toEqual({ n: 1, rewardSum: 1, xx: [1, 2, 2, 4], xr: [1, 2] });
    const s2 = update(config, s1, 'a', { features: { x: 1 } }, 0);
    const merged = mergeStates(s1, update(config, emptyState(), 'a', { features: { x: 1 } }, 0));
    expect(merged).toEqual(s2);
    expect(PolicyState.parse(JSON.parse(JSON.stringify(s2)))).toEqual(s2);
  });

  it('refuses a reward that is not a finite number', () => {
    const config = parse({ kind: 'thompson' });
    expect(() => update(config, emptyState(), 'a', none, Number.NaN)).toThrow(/reward/);
  });

  it('fills in defaults and refuses bad configs naming the field', () => {
    expect(parse({ kind: 'thompson' })).toEqual({
      kind: 'thompson',
      prior: { alpha: 1, beta: 1 },
      draws: 1000,
    });
    const bad = PolicyConfig.safeParse({ kind: 'epsilon_greedy', epsilon: 2 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['epsilon']);
  });
});
