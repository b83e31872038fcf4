import { describe, expect, it } from 'vitest';
import { deriveTraits } from './derive-traits.js';
import { emptyFacts } from './facts-schema.js';
import {
  encodeUplift,
  scoreUplift,
  upliftFeatures,
  UPLIFT_FEATURE_NAMES,
  type UpliftScorer,
} from './uplift-trait.js';
import { defaultWorkspaceModel } from './workspace-model.js';

const NOW = Date.UTC(2026, 0, 1);
const logit = (p: number) => Math.log(p / (1 - p));

/** A scorer over one label: shoes lovers 40% vs 10%, everyone else 25% either way. */
const scorer: UpliftScorer = {
  model: 't_learner',
  link: 'logistic',
  columns: [
    { name: 'top_category', kind: 'categorical', levels: ['shoes', 'other'] },
    { name: 'order_count', kind: 'numeric', mean: 2, sd: 4 },
  ],
  treated: [logit(0.25), logit(0.4) - logit(0.25), 0, 0],
  control: [logit(0.25), logit(0.1) - logit(0.25), 0, 0],
  trained_at: NOW,
};

describe('the uplift.<journey> trait', () => {
  it('encodes labels (unknown ones as "other") and standardises numbers', () => {
    expect(encodeUplift(scorer.columns, { top_category: 'shoes', order_count: 6 })).toEqual([
      1, 1, 0, 1,
    ]);
    expect(encodeUplift(scorer.columns, { top_category: 'hats', order_count: 0 })).toEqual([
      1, 0, 1, -0.5,
    ]);
  });

  it('scores P(treated) − P(control)', () => {
    expect(scoreUplift(scorer, { top_category: 'shoes', order_count: 0 })).toBeCloseTo(0.3, 6);
    expect(scoreUplift(scorer, { top_category: 'books', order_count: 9 })).toBe(0);
  });

  it('is derived with the other traits, keyed by journey, and absent without a model', () => {
    const facts = emptyFacts();
    const plain = deriveTraits(facts, NOW, defaultWorkspaceModel(NOW));
    expect(plain).not.toHaveProperty('uplift');
    expect(Object.keys(upliftFeatures(plain))).toEqual(UPLIFT_FEATURE_NAMES);
    expect(upliftFeatures(plain)).toMatchObject({
      order_count: 0,
      has_ordered: 0,
      lifecycle: 'prospect',
      top_category: 'none',
    });
    const model = { ...defaultWorkspaceModel(NOW), uplift: { jrn_b: scorer, jrn_a: scorer } };
    const traits = deriveTraits(facts, NOW, model);
    // "none" is not a kept level: it reads as "other", 25% either way.
    expect(traits.uplift).toEqual({ jrn_a: 0, jrn_b: 0 });
    expect(Object.keys(traits.uplift!)).toEqual(['jrn_a', 'jrn_b']);
  });
});
