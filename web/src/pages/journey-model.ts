/**
 * The journey editor's operations on a definition (docs/journeys.md), as plain JSON: the
 * step kinds and a new step of each, the outgoing slots of a step (the fields that hold
 * step ids), connecting, inserting, renaming and removing steps, and the API's problems
 * by step. Pure, so the editor stays a thin view over it and tests need no browser.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type StepJson = { id: string; type: string; [key: string]: Json };
export interface Definition {
  start: string;
  steps: StepJson[];
  [key: string]: Json;
}

export const STEP_KINDS = [
  'wait',
  'send',
  'branch',
  'split',
  'update_profile',
  'webhook',
  'decide',
  'exit',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A definition as the API returned it, or null when it has no steps list. */
export function asDefinition(value: unknown): Definition | null {
  if (!isObject(value) || !Array.isArray(value.steps)) return null;
  const steps = value.steps.filter(
    (s): s is StepJson => isObject(s) && typeof s.id === 'string' && typeof s.type === 'string',
  );
  return { ...value, start: typeof value.start === 'string' ? value.start : '', steps };
}

/** A step of a kind that validates once its target (`to`) exists. */
export function newStep(kind: StepKind, id: string, to: string): StepJson {
  switch (kind) {
    case 'wait':
      return { id, type: 'wait', duration: 'P1D', next: to };
    case 'send':
      return {
        id,
        type: 'send',
        channel: 'email',
        message: { content: { subject: 'A subject', text: 'The message' } },
        next: to,
      };
    case 'branch':
      return {
        id,
        type: 'branch',
        cases: [{ name: 'Case 1', condition: { trait: 'plan', eq: 'pro' }, next: to }],
        default: to,
      };
    case 'split':
      return {
        id,
        type: 'split',
        arms: [
          { name: 'A', weight: 50, next: to },
          { name: 'B', weight: 50, next: to },
        ],
      };
    case 'update_profile':
      return { id, type: 'update_profile', set: { nurtured: true }, next: to };
    case 'webhook':
      return { id, type: 'webhook', url: 'https://example.com/hook', next: to };
    case 'decide':
      return { id, type: 'decide', placement: 'email_offer', next: to };
    case 'exit':
      return { id, type: 'exit' };
  }
}

/** One field of a step that names the next step: its JSON path and what the editor calls it. */
export interface Slot {
  path: (string | number)[];
  /** The React Flow handle id: the path joined by dots. */
  key: string;
  label: string;
  to: string;
}

/** The outgoing slots of a step, in the order the schema lists them (`edgesOf` in core). */
export function slotsOf(step: StepJson): Slot[] {
  const slot = (path: (string | number)[], label: string, to: Json | undefined): Slot => ({
    path,
    key: path.join('.'),
    label,
    to: typeof to === 'string' ? to : '',
  });
  const list = (field: string, label: (i: number, item: Record<string, Json>) => string) => {
    const items = step[field];
    if (!Array.isArray(items)) return [];
    return items.map((item, i) =>
      slot(
        [field, i, 'next'],
        label(i, isObject(item) ? item : {}),
        isObject(item) ? item.next : '',
      ),
    );
  };
  switch (step.type) {
    case 'exit':
      return [];
    case 'wait':
      return isObject(step.next)
        ? [
            slot(['next', 'event'], 'on event', step.next.event),
            slot(['next', 'timeout'], 'on timeout', step.next.timeout),
          ]
        : [slot(['next'], 'next', step.next)];
    case 'branch':
      return [
        ...list('cases', (i, c) =>
          typeof c.name === 'string' && c.name ? c.name : `case ${i + 1}`,
        ),
        slot(['default'], 'otherwise', step.default),
      ];
    case 'split':
      return list('arms', (i, a) =>
        typeof a.name === 'string' && a.name ? a.name : `arm ${i + 1}`,
      );
    default:
      return [slot(['next'], 'next', step.next)];
  }
}

/** The value at a JSON path, or undefined. */
export function getAt(
  value: Json | undefined,
  path: readonly (string | number)[],
): Json | undefined {
  let current: Json | undefined = value;
  for (const part of path) {
    if (Array.isArray(current) && typeof part === 'number') current = current[part];
    else if (isObject(current) && typeof part === 'string') current = current[part];
    else return undefined;
  }
  return current;
}

/** A copy with the value at `path` set (undefined removes an object's key). */
export function setAt<T extends Json>(
  value: T,
  path: readonly (string | number)[],
  to: Json | undefined,
): T {
  const [head, ...rest] = path;
  if (head === undefined) return to as T;
  if (Array.isArray(value) && typeof head === 'number') {
    const copy: Json[] = value.slice();
    copy[head] = setAt(copy[head] ?? {}, rest, to) ?? null;
    return copy as T;
  }
  const key = String(head);
  const source: Record<string, Json> = isObject(value) ? value : {};
  const next =
    rest.length === 0
      ? to
      : setAt(source[key] ?? (typeof rest[0] === 'number' ? [] : {}), rest, to);
  // Rebuilt without the key rather than deleting from a copy: undefined removes a field.
  const object = Object.fromEntries(Object.entries(source).filter(([k]) => k !== key));
  if (next !== undefined) object[key] = next;
  return object as T;
}

const mapStep = (def: Definition, id: string, f: (s: StepJson) => StepJson): Definition => ({
  ...def,
  steps: def.steps.map((s) => (s.id === id ? f(s) : s)),
});

/** Points one slot of `from` at `to` (a drawn or deleted edge: '' leaves it open). */
export function connect(def: Definition, from: string, slotKey: string, to: string): Definition {
  return mapStep(def, from, (s) => {
    const slot = slotsOf(s).find((x) => x.key === slotKey);
    return slot ? setAt(s, slot.path, to) : s;
  });
}

/** An id not yet used: `send_2`, `send_3`… */
export function freshId(def: Definition, kind: string): string {
  const used = new Set(def.steps.map((s) => s.id));
  for (let n = 1; ; n++) if (!used.has(`${kind}_${n}`)) return `${kind}_${n}`;
}

/**
 * Adds a step of `kind`. After a selected step it goes in between: it takes over where
 * the step's first slot pointed, and that slot points to it, so the graph stays whole.
 */
export function insertStep(
  def: Definition,
  kind: StepKind,
  after: string | null,
): { def: Definition; id: string } {
  const id = freshId(def, kind);
  const prev = after === null ? undefined : def.steps.find((s) => s.id === after);
  const slot = prev ? slotsOf(prev)[0] : undefined;
  const to = slot?.to ?? '';
  const step = newStep(kind, id, to);
  let next: Definition = { ...def, steps: [...def.steps, step] };
  if (prev && slot) next = connect(next, prev.id, slot.key, id);
  if (next.start === '') next = { ...next, start: id };
  return { def: next, id };
}

/**
 * Removes a step. What pointed to it now points where it went on (its first slot), so
 * removing a wait between two sends keeps them joined; an exit leaves the slots open.
 */
export function removeStep(def: Definition, id: string): Definition {
  const gone = def.steps.find((s) => s.id === id);
  if (!gone) return def;
  const onward = slotsOf(gone)[0]?.to ?? '';
  const to = onward === id ? '' : onward;
  const steps = def.steps
    .filter((s) => s.id !== id)
    .map((s) =>
      slotsOf(s).reduce((acc, slot) => (slot.to === id ? setAt(acc, slot.path, to) : acc), s),
    );
  return { ...def, steps, start: def.start === id ? to || (steps[0]?.id ?? '') : def.start };
}

/** Renames a step and every reference to it (slots and `start`). */
export function renameStep(def: Definition, from: string, to: string): Definition {
  if (from === to || def.steps.some((s) => s.id === to)) return def;
  const steps = def.steps.map((s) => {
    const renamed = slotsOf(s).reduce(
      (acc, slot) => (slot.to === from ? setAt(acc, slot.path, to) : acc),
      s,
    );
    return renamed.id === from ? { ...renamed, id: to } : renamed;
  });
  return { ...def, steps, start: def.start === from ? to : def.start };
}

export interface Problem {
  /** The step the problem is about, or null for the journey itself (trigger, goal…). */
  stepId: string | null;
  /** The path inside the step (`message.templateId`) or the journey (`trigger.event`). */
  field: string;
  problem: string;
}

/**
 * The API's details (`definition.steps.2.message.templateId`) as problems of the step
 * they name, read against the definition that was sent (step 2 of that one).
 */
export function problemsByStep(
  sent: Definition,
  details: readonly { path: string; problem: string }[],
): Problem[] {
  return details.map((d) => {
    const path = d.path.replace(/^(body\.)?definition\.?/, '');
    const m = /^steps\.(\d+)(?:\.(.*))?$/.exec(path);
    const step = m ? sent.steps[Number(m[1])] : undefined;
    if (m && step) return { stepId: step.id, field: m[2] ?? '', problem: d.problem };
    return { stepId: null, field: path, problem: d.problem };
  });
}

export type WaitMode = 'duration' | 'until' | 'event';

/** Which of its three forms a wait step has (the first present; duration when none). */
export function waitModeOf(step: StepJson): WaitMode {
  if (step.until !== undefined) return 'until';
  if (step.event !== undefined) return 'event';
  return 'duration';
}

/**
 * A wait step turned into another form, keeping where it leads: an event wait needs a
 * timeout and two slots (on event, on timeout), the other forms one `next`.
 */
export function setWaitMode(step: StepJson, mode: WaitMode): StepJson {
  const to = slotsOf(step)[0]?.to ?? '';
  const WAIT_FIELDS = new Set(['duration', 'until', 'event', 'timeout', 'next']);
  const rest = Object.fromEntries(
    Object.entries(step).filter(([k]) => !WAIT_FIELDS.has(k)),
  ) as StepJson;
  switch (mode) {
    case 'duration':
      return { ...rest, duration: 'P1D', next: to };
    case 'until':
      return { ...rest, until: { time: '09:00' }, next: to };
    case 'event':
      return {
        ...rest,
        event: { event: 'Order Completed' },
        timeout: 'P1D',
        next: { event: to, timeout: to },
      };
  }
}

/** A branch with one more case (before `default`), or a split with one more arm. */
export function addOutcome(step: StepJson): StepJson {
  const to = slotsOf(step).at(-1)?.to ?? '';
  if (step.type === 'branch' && Array.isArray(step.cases)) {
    const n = step.cases.length + 1;
    const added = { name: `Case ${n}`, condition: { trait: 'plan', eq: 'pro' }, next: to };
    return { ...step, cases: [...step.cases, added] };
  }
  if (step.type === 'split' && Array.isArray(step.arms)) {
    const name = String.fromCharCode(65 + (step.arms.length % 26));
    return { ...step, arms: [...step.arms, { name, weight: 50, next: to }] };
  }
  return step;
}
