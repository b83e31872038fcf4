import { z } from 'zod';
import { ConsentChannel } from './consent.js';

/**
 * An address nothing may be sent to, whatever the consents say: a hard bounce, a spam
 * complaint, or an address an admin blocked. Without `address` it covers the whole
 * channel for the person.
 */
export const Suppression = z.strictObject({
  channel: ConsentChannel,
  address: z.string().min(1).max(2000).optional(),
  reason: z.enum(['bounce', 'complaint', 'manual']),
  at: z.number().int().nonnegative(),
});
export type Suppression = z.infer<typeof Suppression>;

/**
 * The form addresses are compared in: e-mail addresses trimmed and lower-cased (mailbox
 * local parts are case-sensitive in theory, never in practice, and a bounce for
 * `Ann@Example.com` must stop `ann@example.com`); other addresses as given.
 */
export function normalizeAddress(channel: ConsentChannel, address: string): string {
  return channel === 'email' ? address.trim().toLowerCase() : address;
}

/** The first suppression that covers this channel and address, if any. */
export function findSuppression(
  suppressions: readonly Suppression[],
  channel: ConsentChannel,
  address?: string,
): Suppression | undefined {
  const wanted = address === undefined ? undefined : normalizeAddress(channel, address);
  return suppressions.find(
    (s) =>
      s.channel === channel &&
      (s.address === undefined || normalizeAddress(channel, s.address) === wanted),
  );
}
