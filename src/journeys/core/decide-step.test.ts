import { describe, expect, it } from 'vitest';
import { decisionIdOf } from './decision-id.js';
import { RunState } from './run-state.js';
import { validateJourney } from './validate.js';
import {
  added,
  exit,
  HOUR,
  journey,
  RunDriver,
  sendTo,
  T0,
} from '../../../test/factories/journeys.js';

const decide = (id: string, next: string, extra: Record<string, unknown> = {}) =>
  ({ id, type: 'decide', placement: 'email_hero', next, ...extra }) as const;

describe('advance: decide steps', () => {
  it('keeps the decision id on the run and hands it to the sends that follow', () => {
    const def = journey({
      steps: [
        decide('first', 'mail', { context: { channel: 'email' } }),
        sendTo('mail', 'done'),
        exit,
      ],
    });
    const d = new RunDriver(def, added(T0));
    const id = decisionIdOf('run1', 'first', 1);
    expect(d.of('decide')).toEqual([
      expect.objectContaining({
        placement: 'email_hero',
        decisionId: id,
        idempotencyKey: 'run1:first:1',
        context: { channel: 'email' },
        profileId: 'p1',
        stepId: 'first',
        at: T0,
      }),
    ]);
    expect(d.run.decisions).toEqual({ email_hero: id });
    expect(d.of('send')[0]!.payload.decisions).toEqual({ email_hero: id });
    expect(d.run.history.map((h) => h.outcome)).toEqual(['decided', 'sent', 'exit']);
    // The effects come in step order: the decision before the send that shows it.
    expect(d.effects.map((e) => e.type).slice(0, 2)).toEqual(['decide', 'send']);
  });

  it('decides again on each visit, under a new id; the run keeps the latest', () => {
    const def = journey({
      steps: [
        decide('first', 'mail'),
        sendTo('mail', 'pause'),
        { id: 'pause', type: 'wait', duration: 'P1D', next: 'again' },
        {
          id: 'again',
          type: 'branch',
          cases: [{ condition: { trait: 'stop', eq: true }, next: 'done' }],
          default: 'first',
        },
        exit,
      ],
    });
    const d = new RunDriver(def, added(T0));
    d.fire();
    const ids = d.of('decide').map((e) => e.decisionId);
    expect(ids).toEqual([decisionIdOf('run1', 'first', 1), decisionIdOf('run1', 'first', 2)]);
    expect(new Set(ids).size).toBe(2);
    expect(d.run.decisions).toEqual({ email_hero: ids[1] });
    expect(d.of('send').map((e) => e.payload.decisions?.email_hero)).toEqual(ids);
  });

  it('makes no decision for a run in the holdout, as it sends nothing', () => {
    const def = journey({ steps: [decide('first', 'mail'), sendTo('mail', 'done'), exit] });
    const d = new RunDriver(def, added(T0), undefined, { holdout: true });
    expect(d.of('decide')).toEqual([]);
    expect(d.run.decisions).toBeUndefined();
    expect(d.run.history.map((h) => h.outcome)).toEqual(['held_out', 'held_out', 'exit']);
  });

  it('gives the same id for the same step visit, and a short one', () => {
    expect(decisionIdOf('r', 's', 1)).toBe(decisionIdOf('r', 's', 1));
    expect(decisionIdOf('r', 's', 1)).not.toBe(decisionIdOf('r', 's', 2));
    expect(decisionIdOf('r', 's', 1)).not.toBe(decisionIdOf('r2', 's', 1));
    expect(decisionIdOf('r', 's', 1)).toMatch(/^dec_[A-Za-z0-9_-]{16}$/);
  });

  it('reads runs stored before decide steps existed (no decisions field)', () => {
    const def = journey({
      steps: [
        { id: 'first', type: 'wait', duration: 'PT1H', next: 'pick' },
        decide('pick', 'done'),
        exit,
      ],
    });
    const d = new RunDriver(def, added(T0));
    const stored = JSON.parse(JSON.stringify(d.run)) as Record<string, unknown>;
    expect(stored.decisions).toBeUndefined();
    const parsed = RunState.parse(stored);
    d.run = parsed;
    d.step({ kind: 'timer' }, T0 + HOUR);
    expect(d.run.decisions).toEqual({ email_hero: decisionIdOf('run1', 'pick', 1) });
  });
});

describe('validateJourney: decide steps', () => {
  const base = (step: Record<string, unknown>) => ({
    id: 'j1',
    name: 'Test',
    trigger: { type: 'event', event: 'Product Added' },
    start: 'pick',
    steps: [step, { id: 'done', type: 'exit' }],
  });
  const problems = (input: unknown) => {
    const r = validateJourney(input);
    if (r.kind === 'ok') throw new Error('expected problems');
    return r.details;
  };

  it('accepts a decide step with a placement, a context and a next step', () => {
    const r = validateJourney(
      base({
        id: 'pick',
        type: 'decide',
        placement: 'email_hero',
        context: { channel: 'email' },
        next: 'done',
      }),
    );
    expect(r.kind).toBe('ok');
  });

  it('names the field of a missing or malformed placement', () => {
    expect(problems(base({ id: 'pick', type: 'decide', next: 'done' }))).toEqual([
      expect.objectContaining({ path: 'steps.0.placement' }),
    ]);
    expect(
      problems(base({ id: 'pick', type: 'decide', placement: 'has spaces', next: 'done' })),
    ).toEqual([
      expect.objectContaining({
        path: 'steps.0.placement',
        problem: expect.stringContaining('placement name'),
      }),
    ]);
  });

  it('refuses a next step that does not exist, and unknown fields', () => {
    expect(
      problems(base({ id: 'pick', type: 'decide', placement: 'email_hero', next: 'nowhere' })),
    ).toEqual([expect.objectContaining({ path: 'steps.0.next' })]);
    expect(
      problems(
        base({ id: 'pick', type: 'decide', placement: 'email_hero', next: 'done', offer: 'x' }),
      ),
    ).toEqual([expect.objectContaining({ path: 'steps.0' })]);
  });
});
