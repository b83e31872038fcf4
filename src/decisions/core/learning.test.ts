import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../shared/index.js';
import { choose, distribution, update } from './policy.js';
import { PolicyConfig, emptyState, type PolicyContext, type PolicyState } from './types.js';

const none: PolicyContext = { features: {} };

/** Rounds of choose-then-learn against planted click rates; the share of the last half on `best`. */
function simulate(
  config: PolicyConfig,
  rates: Record<string, number>,
  rounds: number,
  seed: string,
): { lateShare: Record<string, number>; state: PolicyState } {
  const actions = Object.keys(rates);
  const random = seededRandom(seed);
  let state = emptyState();
  const late: Record<string, number> = Object.fromEntries(actions.map((a) => [a, 0]));
  for (let t = 0; t < rounds; t++) {
    const { action } = choose(config, state, actions, none, random);
    const reward = random() < rates[action]! ? 1 : 0;
    state = update(config, state, action, none, reward);
    if (t >= rounds / 2) late[action]! += 1 / (rounds / 2);
  }
  return { lateShare: late, state };
}

describe('learning from planted click rates (0.05 vs 0.10)', () => {
  const rates = { worse: 0.05, better: 0.1 };

  it.each(['s1', 's2', 's3'])(
    'Thompson sampling moves most traffic to the better offer (seed %s)',
    (seed) => {
      const config = PolicyConfig.parse({ kind: 'thompson', draws: 100 });
      const { lateShare } = simulate(config, rates, 4000, seed);
      expect(lateShare.better).toBeGreaterThan(0.75);
    },
  );

  it.each(['s1', 's2', 's3'])('epsilon-greedy does too (seed %s)', (seed) => {
    const config = PolicyConfig.parse({ kind: 'epsilon_greedy', epsilon: 0.1 });
    const { lateShare } = simulate(config, rates, 4000, seed);
    expect(lateShare.better).toBeGreaterThan(0.75);
  });

  it('a fixed policy does not learn', () => {
    const config = PolicyConfig.parse({ kind: 'fixed', order: ['worse', 'better'] });
    expect(simulate(config, rates, 400, 's1').lateShare.worse).toBeCloseTo(1, 10);
  });
});

/** Two segments of people: action `a` wins where x = 1, action `b` where x = 0. */
function contextualRun(config: PolicyConfig, rounds: number, seed: string) {
  const random: Random = seededRandom(seed);
  let state = emptyState();
  const rate = (action: string, x: number) =>
    action === 'a' ? (x === 1 ? 0.3 : 0.05) : action === 'b' ? (x === 1 ? 0.05 : 0.3) : 0.1;
  let lateRight = 0;
  for (let t = 0; t < rounds; t++) {
    const x = random() < 0.5 ? 1 : 0;
    const context = { features: { x } };
    const { action } = choose(config, state, ['a', 'b', 'c'], context, random);
    state = update(config, state, action, context, random() < rate(action, x) ? 1 : 0);
    if (t >= rounds / 2 && action === (x === 1 ? 'a' : 'b')) lateRight += 1 / (rounds / 2);
  }
  return { lateRight, state };
}

describe('contextual policies learn a context-dependent best action', () => {
  it.each([
    { kind: 'linucb', alpha: 0.5, features: ['x'] },
    { kind: 'linear_ts', v: 0.2, features: ['x'], draws: 50 },
  ])('$kind picks the right action for each segment most of the time', (raw) => {
    const config = PolicyConfig.parse(raw);
    const { lateRight } = contextualRun(config, 3000, 'ctx');
    expect(lateRight).toBeGreaterThan(0.8);
  });

  it('a context-free policy cannot: it is right about half the time', () => {
    const config = PolicyConfig.parse({ kind: 'epsilon_greedy', epsilon: 0.05 });
    const { lateRight } = contextualRun(config, 3000, 'ctx');
    expect(lateRight).toBeLessThan(0.6);
  });
});

describe('propensities', () => {
  const state: PolicyState = {
    arms: {
      a: { n: 40, rewardSum: 4 },
      b: { n: 30, rewardSum: 4 },
      c: { n: 5, rewardSum: 0 },
    },
  };
  const configs = [
    { kind: 'weighted', weights: { a: 1, b: 2, c: 1 } },
    { kind: 'epsilon_greedy', epsilon: 0.3 },
    { kind: 'thompson' },
    { kind: 'linucb', features: [], epsilon: 0.2 },
    { kind: 'linear_ts', features: [] },
  ];

  it.each(configs)('$kind: sum to 1 and match how often each action is chosen', (raw) => {
    const config = PolicyConfig.parse(raw);
    const actions = ['a', 'b', 'c'];
    const dist = distribution(config, state, actions, none, seededRandom('d'));
    expect(Object.values(dist).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    const random = seededRandom('freq');
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    const propensities: Record<string, number> = { a: 0, b: 0, c: 0 };
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const choice = choose(config, state, actions, none, random);
      counts[choice.action]! += 1;
      // Each choice's propensity is what its own distribution said.
      expect(choice.propensity).toBe(choice.distribution[choice.action]);
      for (const a of actions) propensities[a]! += choice.distribution[a]! / n;
    }
    for (const a of actions) expect(Math.abs(counts[a]! / n - propensities[a]!)).toBeLessThan(0.03);
  });

  it('epsilon-greedy keeps epsilon / K on every action', () => {
    const config = PolicyConfig.parse({ kind: 'epsilon_greedy', epsilon: 0.3 });
    const dist = distribution(config, state, ['a', 'b', 'c'], none, seededRandom('x'));
    expect(dist.b).toBeCloseTo(0.7 + 0.1, 12);
    expect(dist.a).toBeCloseTo(0.1, 12);
    expect(dist.c).toBeCloseTo(0.1, 12);
  });

  it('Thompson sampling gives no action zero, even one that won no draw', () => {
    const lopsided: PolicyState = {
      arms: { a: { n: 1000, rewardSum: 900 }, b: { n: 1000, rewardSum: 10 } },
    };
    const config = PolicyConfig.parse({ kind: 'thompson' });
    const dist = distribution(config, lopsided, ['a', 'b'], none, seededRandom('x'));
    expect(dist.b).toBeGreaterThan(0);
    expect(dist.a).toBeGreaterThan(0.99);
  });

  it('the same seed gives the same distribution', () => {
    const config = PolicyConfig.parse({ kind: 'thompson' });
    const one = distribution(config, state, ['a', 'b', 'c'], none, seededRandom('same'));
    const two = distribution(config, state, ['a', 'b', 'c'], none, seededRandom('same'));
    expect(one).toEqual(two);
  });
});
