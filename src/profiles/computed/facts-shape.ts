import type { ProfileFacts } from './facts-schema.js';

/**
 * What each field of stored facts must be, one level down. Typed over every key of
 * `ProfileFacts`, so a new field does not compile until it is listed here too.
 */
type Kind = 'array' | 'object' | 'number|null' | 'object|null' | 'hours';
const TOP: Record<Exclude<keyof ProfileFacts, 'version'>, Kind> = {
  first_seen: 'number|null',
  last_seen: 'number|null',
  type_counts: 'array',
  event_counts: 'array',
  sessions: 'array',
  orders: 'array',
  cancelled_orders: 'array',
  refunds: 'array',
  affinity: 'object',
  channels: 'object',
  hours: 'object',
  traits: 'array',
  timezone: 'object|null',
  device: 'object|null',
  os: 'object|null',
  browser: 'object|null',
  first_touch: 'object|null',
  last_touch: 'object|null',
};
const NESTED: {
  [K in 'affinity' | 'channels' | 'hours']: Record<keyof ProfileFacts[K], Kind>;
} = {
  affinity: {
    last_day: 'number|null',
    category: 'array',
    brand: 'array',
    size: 'array',
    colour: 'array',
  },
  channels: { email: 'object', push: 'object', sms: 'object', in_app: 'object', webhook: 'object' },
  hours: {
    active_local: 'hours',
    active_utc: 'hours',
    engaged_local: 'hours',
    engaged_utc: 'hours',
  },
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fits(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    case 'number|null':
      return value === null || typeof value === 'number';
    case 'object|null':
      return value === null || isObject(value);
    case 'hours':
      return Array.isArray(value) && value.length === 24;
  }
}

/**
 * Checks that a decoded JSON value has the shape of `ProfileFacts`, cheaply: the version,
 * and the kind of every field down to the second level, not each element of the lists.
 * Facts are decoded for every person every batch touches; the full schema parse costs
 * about twice the JSON.parse of the text, this a few dozen comparisons. Facts are written
 * only by this module's fold, so what this misses would take a hand edit of the store.
 *
 * @returns the first problem as `path: problem`, or null when the shape fits.
 * @example
 * const problem = factsShapeProblem(JSON.parse(row.facts));
 * if (problem === null) use(value as ProfileFacts);
 */
export function factsShapeProblem(value: unknown): string | null {
  if (!isObject(value)) return 'not an object';
  if (value.version !== 1) return 'version: must be 1';
  for (const [key, kind] of Object.entries(TOP)) {
    if (!fits(value[key], kind)) return `${key}: must be ${kind === 'hours' ? '24 counts' : kind}`;
  }
  for (const [key, fields] of Object.entries(NESTED)) {
    const inner = value[key];
    if (!isObject(inner)) continue; // reported above
    for (const [field, kind] of Object.entries(fields)) {
      if (!fits(inner[field], kind)) {
        return `${key}.${field}: must be ${kind === 'hours' ? '24 counts' : kind}`;
      }
    }
  }
  return null;
}
