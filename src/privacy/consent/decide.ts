import { z } from 'zod';
import type { ConsentChannel, ConsentEntry, Consents } from './consent.js';
import { Topic } from './consent.js';
import type { Suppression } from './suppression.js';
import { findSuppression } from './suppression.js';

/**
 * What `unknown` means: `opt_in` — nothing may be sent until the person says yes;
 * `opt_out` — allowed until the person says no.
 */
export const ConsentMode = z.enum(['opt_in', 'opt_out']);
export type ConsentMode = z.infer<typeof ConsentMode>;

/**
 * A workspace's consent policy. Defaults: e-mail and SMS need a yes (GDPR / PECR for
 * e-mail, TCPA for SMS); push needs none beyond the browser permission its subscription
 * already proves; webhooks are system-to-system; in-app is shown inside the product.
 * Topics are refinements of a channel, so an unknown topic is allowed; personalization
 * is on until the person turns it off.
 */
export const ConsentPolicy = z.strictObject({
  channels: z
    .strictObject({
      email: ConsentMode.default('opt_in'),
      push: ConsentMode.default('opt_out'),
      sms: ConsentMode.default('opt_in'),
      webhook: ConsentMode.default('opt_out'),
      in_app: ConsentMode.default('opt_out'),
    })
    .prefault({}),
  topics: ConsentMode.default('opt_out'),
  /** Per-topic exceptions, e.g. `{ "newsletter": "opt_in" }` for a double-opt-in newsletter. */
  topicModes: z.record(Topic, ConsentMode).default({}),
  personalization: ConsentMode.default('opt_out'),
  /**
   * Transactional messages (receipts, password resets) need no marketing consent;
   * `respect_channel_denial` also withholds them from a channel the person turned off.
   */
  transactional: z.enum(['ignore_consent', 'respect_channel_denial']).default('ignore_consent'),
});
export type ConsentPolicy = z.infer<typeof ConsentPolicy>;

export const DEFAULT_CONSENT_POLICY: ConsentPolicy = ConsentPolicy.parse({});

/** The message a decision is about. */
export interface ContactRequest {
  channel: ConsentChannel;
  /** The consent topic of the message (newsletter, offers...); none for channel-only checks. */
  topic?: string | undefined;
  /** Receipts, password resets, shipping notices: not marketing. */
  transactional?: boolean | undefined;
  /** The destination (e-mail address, push endpoint) to check against suppressions. */
  address?: string | undefined;
  /** The suppressions that may cover this person or address (bounces, complaints). */
  suppressions?: readonly Suppression[] | undefined;
  /**
   * What was said about the address itself, by whichever profile held it: a "no" belongs
   * to the address as well as to the person (see `foldStatements`).
   */
  addressConsents?: Consents | undefined;
}

export type ContactRefusal =
  | 'suppressed'
  | 'address_denied'
  | 'channel_denied'
  | 'channel_not_granted'
  | 'topic_denied'
  | 'topic_not_granted';

export type ContactDecision =
  | { kind: 'ok' }
  | {
      kind: 'refused';
      reason: ContactRefusal;
      /** One human sentence for the message log. */
      detail: string;
    };

function refuse(reason: ContactRefusal, detail: string): ContactDecision {
  return { kind: 'refused', reason, detail };
}

function since(entry: ConsentEntry): string {
  return `(${entry.source}, ${new Date(entry.at).toISOString()})`;
}

/**
 * THE decision: may this person be contacted on this channel about this topic? Every
 * send goes through here, at send time, so "respect the no" lives in one place. In order:
 *
 * 1. A suppression of the channel and address (a hard bounce) refuses anything,
 *    transactional included: the address does not work.
 * 2. A transactional message is allowed, unless the policy says `respect_channel_denial`
 *    and the channel is denied (for the person or the address).
 * 3. The channel: `denied` refuses; then the address: the channel denied for the
 *    address, by any profile that held it, refuses (`address_denied`); then `unknown`
 *    refuses when the policy for that channel is `opt_in`.
 * 4. The topic, when given: `denied` for the person or the address refuses; `unknown`
 *    refuses when the topic's mode (`topicModes[topic]`, else `topics`) is `opt_in`.
 *
 * @example
 * mayContact(consents, { channel: 'email', topic: 'offers', address: 'ann@example.com' }, policy)
 * // { kind: 'refused', reason: 'channel_denied', detail: 'email is denied (unsubscribe, 2026-…)' }
 */
export function mayContact(
  consents: Consents,
  request: ContactRequest,
  policy: ConsentPolicy = DEFAULT_CONSENT_POLICY,
): ContactDecision {
  const { channel, topic } = request;
  const suppression = findSuppression(request.suppressions ?? [], channel, request.address);
  if (suppression) {
    const what = suppression.address === undefined ? channel : `${channel} address`;
    return refuse(
      'suppressed',
      `${what} is suppressed (${suppression.reason}, ${new Date(suppression.at).toISOString()})`,
    );
  }

  const channelEntry = consents.channels[channel];
  const address = request.addressConsents;
  const addressEntry = address?.channels[channel];
  if (request.transactional) {
    if (policy.transactional === 'respect_channel_denial') {
      if (channelEntry?.state === 'denied') {
        return refuse('channel_denied', `${channel} is denied ${since(channelEntry)}`);
      }
      if (addressEntry?.state === 'denied') {
        return refuse('address_denied', `${channel} address is denied ${since(addressEntry)}`);
      }
    }
    return { kind: 'ok' };
  }
  if (channelEntry?.state === 'denied') {
    return refuse('channel_denied', `${channel} is denied ${since(channelEntry)}`);
  }
  if (addressEntry?.state === 'denied') {
    return refuse('address_denied', `${channel} address is denied ${since(addressEntry)}`);
  }
  if (channelEntry?.state !== 'granted' && policy.channels[channel] === 'opt_in') {
    return refuse('channel_not_granted', `${channel} needs a yes (opt-in policy) and has none`);
  }

  if (topic !== undefined) {
    const topicEntry = Object.hasOwn(consents.topics, topic) ? consents.topics[topic] : undefined;
    if (topicEntry?.state === 'denied') {
      return refuse('topic_denied', `topic ${topic} is denied ${since(topicEntry)}`);
    }
    const addressTopic =
      address && Object.hasOwn(address.topics, topic) ? address.topics[topic] : undefined;
    if (addressTopic?.state === 'denied') {
      return refuse(
        'topic_denied',
        `topic ${topic} is denied for this address ${since(addressTopic)}`,
      );
    }
    const mode = Object.hasOwn(policy.topicModes, topic) ? policy.topicModes[topic] : policy.topics;
    if (topicEntry?.state !== 'granted' && mode === 'opt_in') {
      return refuse('topic_not_granted', `topic ${topic} needs a yes (opt-in policy) and has none`);
    }
  }
  return { kind: 'ok' };
}

/**
 * Whether this person may get the personalized experience (recommendations from their
 * behaviour, references to what they viewed). `denied` is always no; `unknown` follows
 * the policy (default `opt_out`: yes until they say no).
 */
export function mayPersonalize(
  consents: Consents,
  policy: ConsentPolicy = DEFAULT_CONSENT_POLICY,
): boolean {
  const state = consents.personalization?.state ?? 'unknown';
  if (state === 'unknown') return policy.personalization === 'opt_out';
  return state === 'granted';
}
