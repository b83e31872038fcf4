import { z } from 'zod';

/** The personalized model's parameters that tuning chooses. */
export const TunedParams = z.object({
  algorithm: z.enum(['ease', 'als']),
  halfLifeDays: z.number().positive().nullable(),
  /** EASE's ridge λ (used when `algorithm` is `ease`). */
  lambda: z.number().positive(),
  /** ALS's regularization (used when `algorithm` is `als`). */
  regularization: z.number().positive(),
  minSupport: z.int().positive(),
  weights: z.object({
    view: z.number().nonnegative(),
    cart: z.number().nonnegative(),
    purchase: z.number().nonnegative(),
  }),
});
export type TunedParams = z.infer<typeof TunedParams>;

/** One setting tried on the validation tail, with its scores there. */
export const TuningCandidate = z.object({
  params: TunedParams,
  /** NDCG@10 and Recall@20 over the validation people. */
  ndcg: z.number(),
  recall: z.number(),
  /** Training and scoring this candidate. */
  seconds: z.number(),
});
export type TuningCandidate = z.infer<typeof TuningCandidate>;

/**
 * How the personalized model's parameters were chosen at a training: the time-based
 * validation split, every setting tried with its scores, and the winner. `skipped` when
 * the data were too small to split (the defaults are kept and `reason` says why).
 */
export const TuningReport = z.object({
  status: z.enum(['tuned', 'skipped']),
  reason: z.string(),
  metric: z.literal('ndcg@10'),
  split: z.object({
    /** Interactions at or after `cut` (epoch ms) are the validation tail. */
    cut: z.number().nullable(),
    tailDays: z.number(),
    trainInteractions: z.int(),
    tailInteractions: z.int(),
    /** People in the tail with an item new to them: the ones scored. */
    people: z.int(),
  }),
  defaults: TunedParams,
  chosen: TunedParams,
  /** The defaults' and the winner's validation scores (null when skipped). */
  defaultScore: z.object({ ndcg: z.number(), recall: z.number() }).nullable(),
  chosenScore: z.object({ ndcg: z.number(), recall: z.number() }).nullable(),
  candidates: z.array(TuningCandidate),
  seconds: z.number(),
});
export type TuningReport = z.infer<typeof TuningReport>;

const days = (d: number | null) => (d === null ? 'none' : `${d} d`);

/** One line: what was chosen and how it scored against the defaults. */
export function describeTuning(r: TuningReport): string {
  if (r.status === 'skipped') return `kept the defaults: ${r.reason}`;
  const c = r.chosen;
  const reg = c.algorithm === 'ease' ? `λ ${c.lambda}` : `regularization ${c.regularization}`;
  const w = `weights view ${c.weights.view}/cart ${c.weights.cart}`;
  return (
    `half-life ${days(c.halfLifeDays)}, ${reg}, min support ${c.minSupport}, ${w}` +
    ` (${r.candidates.length} settings tried on the last ${r.split.tailDays.toFixed(0)} days,` +
    ` ${r.split.people} people): validation NDCG@10 ${r.chosenScore!.ndcg.toFixed(4)}` +
    ` against ${r.defaultScore!.ndcg.toFixed(4)} with the defaults`
  );
}

/**
 * The report as text for a terminal: the one-line summary, then (when tuned) one row per
 * setting tried with its validation scores, the chosen one marked.
 */
export function formatTuning(r: TuningReport): string {
  const lines = [`Personalized: ${describeTuning(r)}.`];
  if (r.status === 'tuned') {
    const reg = (p: TunedParams) =>
      p.algorithm === 'ease' ? `λ ${p.lambda}` : `reg ${p.regularization}`;
    lines.push(
      `  ${'half-life'.padEnd(11)}${'regularization'.padEnd(16)}${'min support'.padEnd(13)}${'view/cart'.padEnd(11)}${'NDCG@10'.padEnd(9)}Recall@20`,
    );
    for (const c of r.candidates) {
      const p = c.params;
      const mark = JSON.stringify(p) === JSON.stringify(r.chosen) ? ' *' : '';
      lines.push(
        `  ${days(p.halfLifeDays).padEnd(11)}${reg(p).padEnd(16)}${String(p.minSupport).padEnd(13)}${`${p.weights.view}/${p.weights.cart}`.padEnd(11)}${c.ndcg.toFixed(4).padEnd(9)}${c.recall.toFixed(4)}${mark}`,
      );
    }
    lines.push(`  (* chosen; tuning took ${r.seconds.toFixed(1)} s)`);
  }
  return `${lines.join('\n')}\n`;
}
