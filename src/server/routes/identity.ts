import { z } from 'zod';
import {
  describeIdentitySecret,
  rotateIdentitySecret,
  RotatedWebhookSecret,
  WebhookSecretInfo,
} from '../../workspaces/index.js';
import { audited } from '../audited.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

const HOUR = 3_600_000;

const Rotate = z.strictObject({
  overlapHours: z
    .number()
    .int('must be a whole number of hours')
    .min(0, 'must be between 0 and 720 (30 days)')
    .max(720, 'must be between 0 and 720 (30 days)')
    .default(24)
    .describe('how long tokens signed with the old secret still verify; 0 stops them at once'),
});

/**
 * The identity secret a site's server signs identity tokens with, so a browser holding a
 * public key can prove which userId it is (docs/keys.md, Identity tokens).
 */
export function identityRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/admin/identity-secret',
      summary: 'Fingerprints and dates of the identity-token secrets (never the secrets)',
      tag: 'admin',
      auth: 'admin',
      responses: { 200: WebhookSecretInfo },
      handler: ({ principal }) =>
        describeIdentitySecret(ctx.store.db, ctx.clock, principal.workspaceId),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/admin/identity-secret/rotate',
      summary:
        'New identity-token secret, shown only in this response; tokens signed with the old one verify for overlapHours (24)',
      tag: 'admin',
      auth: 'admin',
      body: Rotate,
      responses: { 200: RotatedWebhookSecret },
      handler: async ({ body, principal, request, reply }) => {
        reply.header('cache-control', 'no-store');
        const ws = principal.workspaceId;
        return audited(
          ctx,
          principal,
          request,
          { action: 'identity_secret.rotate', kind: 'identity_secret', id: ws },
          async ({ db }) => {
            const before = await describeIdentitySecret(db, ctx.clock, ws);
            const rotated = await rotateIdentitySecret(db, ctx.clock, ws, {
              overlapMs: body.overlapHours * HOUR,
            });
            const after = await describeIdentitySecret(db, ctx.clock, ws);
            return { result: rotated, before, after };
          },
        );
      },
    }),
  ];
}
