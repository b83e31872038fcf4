import { describe, expect, it } from 'vitest';
import { validateJourney } from '../../src/journeys/core/validate.js';
import {
  addOutcome,
  asDefinition,
  connect,
  insertStep,
  problemsByStep,
  removeStep,
  renameStep,
  setWaitMode,
  slotsOf,
  STEP_KINDS,
  waitModeOf,
  type Definition,
} from '../../web/src/pages/journey-model.js';
import { layoutSteps } from '../../web/src/pages/journey-layout.js';
import { fieldsOf, paramsOf } from '../../web/src/pages/recipe-form.js';
import { listRecipes } from '../../src/journeys/core/recipes/index.js';

const journey = (): Definition =>
  asDefinition({
    id: 'j',
    name: 'J',
    trigger: { type: 'api' },
    start: 'ping',
    steps: [
      { id: 'ping', type: 'webhook', url: 'https://hooks.example/p', next: 'done' },
      { id: 'done', type: 'exit' },
    ],
  })!;
const valid = (def: Definition) => {
  const r = validateJourney(def);
  return r.kind === 'ok' ? 'ok' : r.details;
};

/** The journey editor's model: every edit it makes leaves a journey the API accepts. */
describe('the journey editor model', () => {
  const joining = STEP_KINDS.filter((k) => k !== 'exit');
  it.each(joining)('inserts a %s step in between, and the journey still validates', (kind) => {
    const { def, id } = insertStep(journey(), kind, 'ping');
    expect(id).toBe(`${kind}_1`);
    expect(def.steps.find((s) => s.id === 'ping')!.next).toBe(id);
    const added = def.steps.find((s) => s.id === id)!;
    expect(slotsOf(added).every((s) => s.to === 'done')).toBe(true);
    expect(valid(def)).toBe('ok');
  });

  it('inserts an exit that ends the path, leaving what came after it for the API to name', () => {
    const { def } = insertStep(journey(), 'exit', 'ping');
    expect(def.steps.find((s) => s.id === 'ping')!.next).toBe('exit_1');
    const problems = problemsByStep(
      def,
      (validateJourney(def) as { details: { path: string; problem: string }[] }).details,
    );
    expect(problems.map((p) => p.stepId)).toEqual(['done']);
  });

  it('removes a step and joins what pointed to it to where it went', () => {
    const { def } = insertStep(journey(), 'wait', 'ping');
    const removed = removeStep(def, 'wait_1');
    expect(removed.steps.map((s) => s.id)).toEqual(['ping', 'done']);
    expect(removed.steps[0]!.next).toBe('done');
    expect(valid(removed)).toBe('ok');
    const noStart = removeStep(journey(), 'ping');
    expect(noStart.start).toBe('done');
  });

  it('renames a step everywhere it is named, and refuses a taken id', () => {
    const { def } = insertStep(journey(), 'split', 'ping');
    const renamed = renameStep(renameStep(def, 'done', 'finish'), 'ping', 'first');
    expect(renamed.start).toBe('first');
    expect(renamed.steps.find((s) => s.id === 'split_1')!.arms).toEqual([
      { name: 'A', weight: 50, next: 'finish' },
      { name: 'B', weight: 50, next: 'finish' },
    ]);
    expect(valid(renamed)).toBe('ok');
    expect(renameStep(renamed, 'first', 'finish')).toBe(renamed);
  });

  it('connects a slot by its handle, and an open slot is what the API names', () => {
    const { def } = insertStep(journey(), 'branch', 'ping');
    const branch = def.steps.find((s) => s.id === 'branch_1')!;
    expect(slotsOf(branch).map((s) => [s.key, s.label])).toEqual([
      ['cases.0.next', 'Case 1'],
      ['default', 'otherwise'],
    ]);
    const open = connect(def, 'branch_1', 'cases.0.next', '');
    const r = validateJourney(open);
    expect(r.kind).toBe('invalid');
    const details = r.kind === 'invalid' ? r.details : [];
    const problems = problemsByStep(
      open,
      details.map((d) => ({ ...d, path: `definition.${d.path}` })),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ stepId: 'branch_1', field: 'cases.0.next' }),
    );
    expect(problemsByStep(open, [{ path: 'definition.trigger.type', problem: 'x' }])).toEqual([
      { stepId: null, field: 'trigger.type', problem: 'x' },
    ]);
  });

  it.each(['event', 'until', 'duration'] as const)(
    'turns a wait into its %s form, keeping where it leads',
    (mode) => {
      const { def } = insertStep(journey(), 'wait', 'ping');
      const turned = {
        ...def,
        steps: def.steps.map((s) => (s.id === 'wait_1' ? setWaitMode(s, mode) : s)),
      };
      const wait = turned.steps.find((s) => s.id === 'wait_1')!;
      expect(waitModeOf(wait)).toBe(mode);
      expect(slotsOf(wait).map((s) => s.to)).toEqual(
        mode === 'event' ? ['done', 'done'] : ['done'],
      );
      expect(valid(turned)).toBe('ok');
    },
  );

  it('adds a case to a branch and an arm to a split, each still valid', () => {
    for (const kind of ['branch', 'split'] as const) {
      const { def } = insertStep(journey(), kind, 'ping');
      const grown = {
        ...def,
        steps: def.steps.map((s) => (s.id === `${kind}_1` ? addOutcome(s) : s)),
      };
      const step = grown.steps.find((s) => s.id === `${kind}_1`)!;
      expect(slotsOf(step)).toHaveLength(3);
      expect(valid(grown)).toBe('ok');
    }
  });

  it('lays steps out by distance from the start, keeping dragged ones where they were put', () => {
    const { def } = insertStep(journey(), 'wait', 'ping');
    const at = layoutSteps(def, new Map([['done', { x: 5, y: 6 }]]));
    expect(at.get('ping')).toEqual({ x: 0, y: 0 });
    expect(at.get('wait_1')).toEqual({ x: 0, y: 130 });
    expect(at.get('done')).toEqual({ x: 5, y: 6 });
  });
});

describe('the recipe form', () => {
  const browse = listRecipes().find((r) => r.id === 'browse_abandonment')!;
  const fields = fieldsOf(browse.params);

  it('has a field per parameter, of the kind its schema says', () => {
    const byName = new Map(fields.map((f) => [f.name, f]));
    expect(byName.get('channel')).toMatchObject({ input: 'select', initial: 'webhook' });
    expect(byName.get('channel')!.options).toContain('email');
    expect(byName.get('holdoutPercent')).toMatchObject({ input: 'number', min: 0, max: 100 });
    expect(byName.get('delay')).toMatchObject({ input: 'text', initial: 'PT2H' });
  });

  it('sends only what was changed, and names a field that does not parse', () => {
    expect(paramsOf(fields, {})).toEqual({ params: {}, problems: [] });
    expect(
      paramsOf(fields, { delay: 'PT3H', channel: 'webhook', holdoutPercent: '10', name: '' }),
    ).toEqual({ params: { delay: 'PT3H', holdoutPercent: 10 }, problems: [] });
    const welcome = listRecipes().find((r) => r.id === 'welcome_series')!;
    const list = fieldsOf(welcome.params);
    expect(list.find((f) => f.name === 'messages')!.input).toBe('json');
    expect(paramsOf(list, { messages: '[{' }).problems).toEqual([
      { field: 'messages', problem: 'is not valid JSON' },
    ]);
  });
});
