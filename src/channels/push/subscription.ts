import { z } from 'zod';

const key = (bytes: number, what: string) =>
  z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, `${what} must be base64url`)
    .refine((s) => Buffer.from(s, 'base64url').length === bytes, {
      message: `${what} must decode to ${bytes} bytes`,
    });

/**
 * A browser's push subscription, as `PushSubscription.toJSON()` gives it. The endpoint is
 * the push service's URL for this browser; it must be https (every browser's is), which
 * also keeps a client from pointing our server at internal http services.
 */
export const PushSubscription = z.object({
  endpoint: z
    .url({ protocol: /^https$/, error: 'must be an https:// URL' })
    .max(2000, 'must be at most 2000 characters'),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    /** The browser's P-256 public key (65 bytes, uncompressed). */
    p256dh: key(65, 'p256dh'),
    /** The 16-byte authentication secret. */
    auth: key(16, 'auth'),
  }),
});
export type PushSubscription = z.infer<typeof PushSubscription>;
