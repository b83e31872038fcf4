import { z } from 'zod';

const base64url = (bytes: number, what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, `${what} must be base64url`)
    .refine((s) => Buffer.from(s, 'base64url').length === bytes, {
      message: `${what} must decode to ${bytes} bytes`,
    });

/**
 * A workspace's VAPID identity (RFC 8292): the key pair push services check our JWTs
 * against, and a contact (`mailto:` or `https:`) they can reach when something goes wrong.
 * The public key is what the browser's `pushManager.subscribe({ applicationServerKey })`
 * takes.
 */
export const VapidConfig = z.strictObject({
  subject: z
    .string()
    .regex(
      /^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/,
      'must be a mailto: address or an https: URL',
    ),
  /** Uncompressed P-256 point, base64url (65 bytes). */
  publicKey: base64url(65, 'publicKey').refine((s) => Buffer.from(s, 'base64url')[0] === 4, {
    message: 'publicKey must be an uncompressed P-256 point',
  }),
  /** P-256 private scalar, base64url (32 bytes). Keep it secret. */
  privateKey: base64url(32, 'privateKey'),
});
export type VapidConfig = z.infer<typeof VapidConfig>;
