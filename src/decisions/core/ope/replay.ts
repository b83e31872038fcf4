// The replay method (Li, Chu, Langford and Wang 2011): on a log whose actions were drawn
// uniformly at random, an online learner is shown each logged context; when it picks the
// logged action, it sees that reward and learns, otherwise the row is skipped. The kept
// rows are an unbiased sample of what the learner would have met live.
import { seededRandom, type Random } from '../../../shared/index.js';
import { choose, update } from '../policy.js';
import { PolicyConfig, emptyState, type PolicyState } from '../types.js';
import type { LoggedRow } from './rows.js';

export interface ReplayLearner {
  name: string;
  config: PolicyConfig;
}

/** The learners `rapport eval policy --replay` compares, contextual ones over `features`. */
export function defaultLearners(features: readonly string[]): ReplayLearner[] {
  const parse = (c: unknown) => PolicyConfig.parse(c);
  return [
    { name: 'uniform', config: parse({ kind: 'weighted', weights: {} }) },
    { name: 'epsilon_greedy', config: parse({ kind: 'epsilon_greedy', epsilon: 0.1 }) },
    { name: 'thompson', config: parse({ kind: 'thompson', draws: 100 }) },
    { name: 'linucb', config: parse({ kind: 'linucb', alpha: 1, features }) },
    { name: 'linear_ts', config: parse({ kind: 'linear_ts', v: 0.25, features, draws: 100 }) },
  ];
}

export interface ReplayCheckpoint {
  /** Logged rows read so far. */
  rows: number;
  /** Rows where the learner agreed with the log: the rounds it actually played. */
  matched: number;
  averageReward: number;
  /** Reward the best single action (by its logged mean) would have earned in the matched rounds, minus what the learner earned. */
  regret: number;
}

export interface ReplayResult {
  name: string;
  matched: number;
  averageReward: number;
  regret: number;
  checkpoints: ReplayCheckpoint[];
}

export interface ReplayReport {
  rows: number;
  actions: number;
  /** False when the log's propensities differ: replay is then biased toward likely actions. */
  uniform: boolean;
  bestAction: { action: string; averageReward: number };
  learners: ReplayResult[];
}

/** 100, 200, 500, 1000, 2000, 5000, ...: checkpoints spread evenly on a log scale. */
export function isCheckpoint(rows: number): boolean {
  if (rows < 100) return false;
  const scale = Math.pow(10, Math.floor(Math.log10(rows)));
  return rows === scale || rows === 2 * scale || rows === 5 * scale;
}

interface Track {
  learner: ReplayLearner;
  /** One stream per learner: adding a learner leaves the others' runs unchanged. */
  random: Random;
  state: PolicyState;
  matched: number;
  reward: number;
  marks: { rows: number; matched: number; reward: number }[];
}

/** Replays every learner over `rows` (all actions of the log are every round's candidates). */
export function replay(
  rows: readonly LoggedRow[],
  learners: readonly ReplayLearner[],
  options: { seed?: number; onProgress?: (done: number) => void } = {},
): ReplayReport {
  const actions = [...new Set(rows.map((r) => r.action))].sort();
  const perAction = new Map<string, { n: number; sum: number }>();
  let minP = Infinity;
  let maxP = 0;
  for (const row of rows) {
    const s = perAction.get(row.action) ?? { n: 0, sum: 0 };
    s.n += 1;
    s.sum += row.reward;
    perAction.set(row.action, s);
    minP = Math.min(minP, row.propensity);
    maxP = Math.max(maxP, row.propensity);
  }
  let best = { action: actions[0] ?? '', averageReward: 0 };
  for (const [action, s] of perAction) {
    if (s.sum / s.n > best.averageReward) best = { action, averageReward: s.sum / s.n };
  }
  const tracks: Track[] = learners.map((learner) => ({
    learner,
    random: seededRandom(`replay:${options.seed ?? 1}:${learner.name}`),
    state: emptyState(),
    matched: 0,
    reward: 0,
    marks: [],
  }));
  rows.forEach((row, i) => {
    const context = { features: row.context };
    for (const t of tracks) {
      const { action } = choose(t.learner.config, t.state, actions, context, t.random);
      if (action === row.action) {
        t.matched += 1;
        t.reward += row.reward;
        t.state = update(t.learner.config, t.state, action, context, row.reward);
      }
      if (isCheckpoint(i + 1) || i === rows.length - 1) {
        t.marks.push({ rows: i + 1, matched: t.matched, reward: t.reward });
      }
    }
    if ((i + 1) % 1000 === 0) options.onProgress?.(i + 1);
  });
  const regretOf = (matched: number, reward: number) => matched * best.averageReward - reward;
  return {
    rows: rows.length,
    actions: actions.length,
    uniform: rows.length > 0 && maxP - minP <= 1e-6 * maxP,
    bestAction: best,
    learners: tracks.map((t) => ({
      name: t.learner.name,
      matched: t.matched,
      averageReward: t.matched > 0 ? t.reward / t.matched : 0,
      regret: regretOf(t.matched, t.reward),
      checkpoints: t.marks.map((m) => ({
        rows: m.rows,
        matched: m.matched,
        averageReward: m.matched > 0 ? m.reward / m.matched : 0,
        regret: regretOf(m.matched, m.reward),
      })),
    })),
  };
}
