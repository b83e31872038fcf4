import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../shared/index.js';
import { auuc, qiniCoefficient, type ScoredPerson, upliftAt } from './metrics.js';

const person = (uplift: number, treated: boolean, outcome: number): ScoredPerson => ({
  uplift,
  treated,
  outcome,
});

describe('uplift@k', () => {
  it('is the treated minus control mean among the top share by predicted uplift', () => {
    const people = [
      person(0.9, true, 1),
      person(0.8, false, 0),
      person(0.7, true, 1),
      person(0.6, false, 1),
      person(0.1, true, 0),
      person(0.0, false, 1),
    ];
    // Top 50%: treated 1, 1 (mean 1), control 0 (mean 0).
    expect(upliftAt(people, 0.5)).toBe(1);
    // Everyone: treated 2/3, control 2/3.
    expect(upliftAt(people, 1)).toBeCloseTo(0, 12);
    // Top person alone has no control: no value.
    expect(upliftAt(people, 0.1)).toBeNull();
  });
});

describe('Qini coefficient and AUUC', () => {
  // 4,000 people, half treated; uplift 0.3 for "persuadable" (a quarter), 0 for the rest.
  const random = mulberry32(11);
  const people: { truth: number; treated: boolean; outcome: number }[] = [];
  for (let i = 0; i < 4000; i++) {
    const truth = i % 4 === 0 ? 0.3 : 0;
    const treated = random() < 0.5;
    people.push({ truth, treated, outcome: random() < 0.1 + (treated ? truth : 0) ? 1 : 0 });
  }
  const scored = (score: (p: (typeof people)[number], i: number) => number) =>
    people.map((p, i) => person(score(p, i), p.treated, p.outcome));

  it('rank the true uplift well above random, and random near 0', () => {
    const good = scored((p) => p.truth + 0.001 * random());
    const noise = scored(() => random());
    expect(qiniCoefficient(good)).toBeGreaterThan(0.2);
    expect(auuc(good)).toBeGreaterThan(0.2);
    expect(Math.abs(qiniCoefficient(noise))).toBeLessThan(0.08);
    expect(qiniCoefficient(good)).toBeGreaterThan(qiniCoefficient(noise) + 0.15);
  });

  it('are 1 for the perfect ranking and negative for its reverse', () => {
    const perfect = scored((p) => (p.treated ? p.outcome : -p.outcome));
    expect(qiniCoefficient(perfect)).toBeCloseTo(1, 12);
    expect(auuc(perfect)).toBeCloseTo(1, 12);
    const reverse = scored((p) => -p.truth);
    expect(qiniCoefficient(reverse)).toBeLessThan(0);
  });
});
