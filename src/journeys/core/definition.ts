import { z } from 'zod';
import { Duration } from './duration.js';
import { EventMatcher } from './event-filter.js';
import { TimeZone } from './local-time.js';
import { Step, StepId } from './steps.js';
import { Trigger } from './triggers.js';

/** Protects the server and the builder: a journey past this is not a journey. */
export const MAX_STEPS = 200;

/**
 * Whether and when a person may enter again. `scope: "key"` counts only earlier runs with
 * the same key (one run per cart); `"profile"` counts all of the person's runs. A person
 * never has two unfinished runs in the same scope.
 */
export const ReentryPolicy = z
  .strictObject({
    policy: z.enum(['never', 'always', 'after']),
    /** For `after`: how long after the previous entry. */
    after: Duration.optional(),
    scope: z.enum(['key', 'profile']).default('key'),
  })
  .refine((r) => (r.policy === 'after') === (r.after !== undefined), {
    path: ['after'],
    message: 'is required with policy "after" and only allowed with it',
  });
export type ReentryPolicy = z.infer<typeof ReentryPolicy>;

/**
 * Which events keep the run's item list (the cart's products) up to date. Only events
 * carrying the run's key at the trigger's key path count. Items come from
 * `properties.products[]` or, for a single-product event, from `properties` itself, and
 * are identified by `product_id` (else `sku`, else `id`).
 */
export const ItemTracking = z.strictObject({
  /** Default: the trigger's event. */
  addOn: z.array(z.string().min(1).max(200)).max(10).optional(),
  removeOn: z.array(z.string().min(1).max(200)).max(10).default([]),
  max: z.number().int().min(1).max(200).default(50),
});
export type ItemTracking = z.infer<typeof ItemTracking>;

export const JourneyStatus = z.enum(['active', 'paused', 'archived']);
export type JourneyStatus = z.infer<typeof JourneyStatus>;

/** A journey: a versioned JSON graph of steps, validated by `validateJourney`. */
export const JourneyDefinition = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be 1-100 letters, digits, _ or -'),
  version: z.number().int().min(1).default(1),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  /** Metadata for the shell: only active journeys take new entries. */
  status: JourneyStatus.default('active'),
  trigger: Trigger,
  /** The first step. */
  start: StepId,
  steps: z.array(Step).min(1).max(MAX_STEPS, `at most ${MAX_STEPS} steps`),
  /** Reaching it ends the run as converted. Checked before exit rules and waits. */
  goal: EventMatcher.optional(),
  /** Any of these ends the run as exited. */
  exitOn: z.array(EventMatcher).max(20).default([]),
  reentry: ReentryPolicy.default({ policy: 'never', scope: 'key' }),
  /** Percent of people (by a hash of person and journey) enrolled but never messaged. */
  holdoutPercent: z.number().min(0).max(100).default(0),
  /** Used for local-time waits of people whose profile has no (valid) time zone. */
  timezone: TimeZone.default('UTC'),
  items: ItemTracking.optional(),
});
export type JourneyDefinition = z.infer<typeof JourneyDefinition>;
/** What a client may send: defaults not yet applied. */
export type JourneyDefinitionInput = z.input<typeof JourneyDefinition>;
