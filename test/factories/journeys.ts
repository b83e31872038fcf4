// Factories for the journey core's tests (and the shell's): a profile, an env and a
// runner that drives a run through inputs. Kept in test/ so they never ship in dist/.
import {
  advance,
  createRun,
  validateJourney,
  type Condition,
  type ConditionContext,
  type JourneyDefinition,
  type JourneyDefinitionInput,
  type JourneyEnv,
  type JourneyEvent,
  type JourneyProfile,
  type RunState,
} from '../../src/journeys/core/index.js';
// The core's index does not export the effect union: only the shell needs it.
import type { Effect } from '../../src/journeys/core/effects.js';
import { seededRandom } from '../../src/shared/index.js';

export const T0 = Date.UTC(2026, 0, 5, 12, 0, 0); // a Monday, noon UTC
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export function createTestProfile(overrides: Partial<JourneyProfile> = {}): JourneyProfile {
  return { id: 'p1', traits: {}, computed: {}, ...overrides };
}

/** Conditions in tests: `{ "trait": name, "eq": value }` against the profile's traits. */
export function traitCondition(condition: Condition, ctx: ConditionContext): boolean {
  const c = condition as { trait?: string; eq?: unknown };
  return c.trait !== undefined && ctx.profile.traits[c.trait] === c.eq;
}

export function createTestEnv(now: number, overrides: Partial<JourneyEnv> = {}): JourneyEnv {
  return {
    now,
    random: seededRandom(1),
    profile: createTestProfile(),
    evaluateCondition: traitCondition,
    ...overrides,
  };
}

/** Parses and validates a definition, failing loudly with the problems. */
export function define(input: JourneyDefinitionInput | Record<string, unknown>): JourneyDefinition {
  const r = validateJourney(input);
  if (r.kind !== 'ok') throw new Error(`invalid test journey: ${JSON.stringify(r.details)}`);
  return r.value;
}

export function trackEvent(
  event: string,
  timestamp: number,
  properties: Record<string, unknown> = {},
): JourneyEvent {
  return { event, timestamp, properties };
}

/** Drives one run: keeps the state and every effect produced. */
export class RunDriver {
  run: RunState;
  readonly effects: Effect[] = [];

  constructor(
    readonly def: JourneyDefinition,
    trigger: JourneyEvent,
    readonly envFor: (now: number) => JourneyEnv = (now) => createTestEnv(now),
    options: { runId?: string; key?: string | null; holdout?: boolean; profileId?: string } = {},
  ) {
    this.run = createRun(def, {
      runId: options.runId ?? 'run1',
      profileId: options.profileId ?? 'p1',
      key: options.key ?? null,
      trigger,
      now: trigger.timestamp,
      ...(options.holdout !== undefined ? { holdout: options.holdout } : {}),
    });
    this.step({ kind: 'start' }, trigger.timestamp);
  }

  step(input: Parameters<typeof advance>[2], now: number): Effect[] {
    const r = advance(this.def, this.run, input, this.envFor(now));
    this.run = r.run;
    this.effects.push(...r.effects);
    return r.effects;
  }

  /** Fires the timer at the run's wakeAt. */
  fire(): Effect[] {
    if (this.run.wakeAt === null) throw new Error('no timer set');
    return this.step({ kind: 'timer' }, this.run.wakeAt);
  }

  send(event: JourneyEvent): Effect[] {
    return this.step({ kind: 'event', event }, event.timestamp);
  }

  of<T extends Effect['type']>(type: T): Extract<Effect, { type: T }>[] {
    return this.effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
  }
}

// Building blocks of the advance tests: a journey entered per cart on Product Added.

/** The exit step most test journeys end in. */
export const exit = { id: 'done', type: 'exit' } as const;

/** A webhook send step named `id` (its template too) that goes on to `next`. */
export const sendTo = (id: string, next: string) =>
  ({ id, type: 'send', channel: 'webhook', message: { templateId: id }, next }) as const;

/** A journey keyed by cart on Product Added, starting at step `first`; `overrides` on top. */
export function journey(overrides: Partial<JourneyDefinitionInput>) {
  return define({
    id: 'j',
    name: 'Test',
    trigger: { type: 'event', event: 'Product Added', key: 'properties.cart_id' },
    start: 'first',
    steps: [exit],
    ...overrides,
  });
}

/** A Product Added event for cart `cart` and product `product`. */
export const added = (
  at: number,
  cart = 'c1',
  product = 'p1',
  extra: Record<string, unknown> = {},
) => trackEvent('Product Added', at, { cart_id: cart, product_id: product, ...extra });
