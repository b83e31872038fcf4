/**
 * The text columns sealed when a master key is configured: whole values, written by
 * the encryption plugin on insert and update and opened on every read. Each holds
 * personal data as the client or a template wrote it (raw events carry traits,
 * properties and context; facts carry the stated traits; payloads carry the recipient
 * and the rendered bodies; merges list the identities moved; a journey run keeps the
 * person's traits it read).
 *
 * What stays clear and why is in docs/privacy.md: ids, times, types, names of events and
 * the columns queries filter or sort on.
 */
export const SEALED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  events: ['raw'],
  rejected_events: ['raw'],
  profiles: ['facts'],
  profile_merges: ['identities'],
  identities: ['sealed_value'],
  messages: ['payload'],
  journey_runs: ['state'],
  message_events: ['detail'],
  consents: ['consents'],
  // Not the endpoint: it is unique per workspace and looked up by equality.
  push_subscriptions: ['keys'],
  // Which items were shown to the person and why ("Because you bought ...").
  recommendation_exposures: ['items'],
};
