import { z } from 'zod';

/** The channels a person can say yes or no to. */
export const CONSENT_CHANNELS = ['email', 'push', 'sms', 'webhook', 'in_app'] as const;
export const ConsentChannel = z.enum(CONSENT_CHANNELS);
export type ConsentChannel = z.infer<typeof ConsentChannel>;

export const ConsentState = z.enum(['granted', 'denied', 'unknown']);
export type ConsentState = z.infer<typeof ConsentState>;

/** Where a consent came from; kept with it so "why may we e-mail this person" has an answer. */
export const ConsentSource = z.enum([
  'api',
  'admin',
  'identify',
  'preference_center',
  'unsubscribe',
  'import',
  'bounce',
]);
export type ConsentSource = z.infer<typeof ConsentSource>;

/**
 * A topic is an open set (`newsletter`, `offers`, `product_updates`, ...): lower case
 * letters, digits, `_` and `-`, so it is safe in URLs, JSON keys and SQL alike.
 */
export const Topic = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,63}$/,
    'must be 1-64 lower-case letters, digits, _ or -, starting with a letter or digit',
  );
export type Topic = z.infer<typeof Topic>;

/** One consent: its state, where it came from and when (epoch ms). */
export const ConsentEntry = z.strictObject({
  state: ConsentState,
  source: ConsentSource,
  at: z.number().int().nonnegative(),
});
export type ConsentEntry = z.infer<typeof ConsentEntry>;

/**
 * Everything a person said yes or no to. A missing entry means `unknown`: the workspace's
 * consent policy decides what unknown means per channel.
 */
export const Consents = z.strictObject({
  channels: z.partialRecord(ConsentChannel, ConsentEntry).default({}),
  topics: z.record(Topic, ConsentEntry).default({}),
  personalization: ConsentEntry.optional(),
});
export type Consents = z.infer<typeof Consents>;

/** What a consent is about. */
export const ConsentTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('channel'), channel: ConsentChannel }),
  z.strictObject({ kind: z.literal('topic'), topic: Topic }),
  z.strictObject({ kind: z.literal('personalization') }),
]);
export type ConsentTarget = z.infer<typeof ConsentTarget>;

/** One statement by or about the person: "email denied, via unsubscribe, at t". */
export const ConsentChange = z.strictObject({
  target: ConsentTarget,
  state: ConsentState,
  source: ConsentSource,
  at: z.number().int().nonnegative(),
});
export type ConsentChange = z.infer<typeof ConsentChange>;

/** A person with no recorded consent: every answer is `unknown`. */
export function emptyConsents(): Consents {
  return { channels: {}, topics: {} };
}

/** The recorded entry for a target, or `undefined` when nothing was ever said. */
export function consentFor(consents: Consents, target: ConsentTarget): ConsentEntry | undefined {
  switch (target.kind) {
    case 'channel':
      return consents.channels[target.channel];
    case 'topic':
      return Object.hasOwn(consents.topics, target.topic)
        ? consents.topics[target.topic]
        : undefined;
    case 'personalization':
      return consents.personalization;
  }
}

/** `"channel:email"`, `"topic:offers"`, `"personalization"`: a stable name for logs and reasons. */
export function targetName(target: ConsentTarget): string {
  switch (target.kind) {
    case 'channel':
      return `channel:${target.channel}`;
    case 'topic':
      return `topic:${target.topic}`;
    case 'personalization':
      return 'personalization';
  }
}

/** The target a {@link targetName} names, or null when the name is not one. */
export function parseTargetName(name: string): ConsentTarget | null {
  if (name === 'personalization') return { kind: 'personalization' };
  const [kind, value = ''] = name.split(/:(.*)/s);
  if (kind === 'channel') {
    const channel = ConsentChannel.safeParse(value);
    return channel.success ? { kind: 'channel', channel: channel.data } : null;
  }
  if (kind === 'topic') {
    const topic = Topic.safeParse(value);
    return topic.success ? { kind: 'topic', topic: topic.data } : null;
  }
  return null;
}
