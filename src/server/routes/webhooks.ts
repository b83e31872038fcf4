import { z } from 'zod';
import {
  describeWebhookSecret,
  rotateWebhookSecret,
  RotatedWebhookSecret,
  WebhookSecretInfo,
} from '../../workspaces/index.js';
import { readSettings } from '../../messaging/index.js';
import { audited } from '../audited.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

const HOUR = 3_600_000;

const Rotate = z.strictObject({
  overlapHours: z
    .number()
    .int('must be a whole number of hours')
    .min(0, 'must be between 0 and 168 (one week)')
    .max(168, 'must be between 0 and 168 (one week)')
    .default(24)
    .describe('how long the old secret keeps signing beside the new one; 0 retires it at once'),
});

const SecretState = WebhookSecretInfo.extend({
  signing: z.enum(['on', 'off']).describe('webhook.signing in the workspace settings'),
});

/** The webhook signing secret: shown once when rotated, described by fingerprint after. */
export function webhookRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/admin/webhook-secret',
      summary: 'Fingerprints and dates of the webhook signing secrets (never the secrets)',
      tag: 'admin',
      auth: 'admin',
      responses: { 200: SecretState },
      handler: async ({ principal }) => {
        const ws = principal.workspaceId;
        const settings = await readSettings(ctx.store.db, ws);
        return {
          ...(await describeWebhookSecret(ctx.store.db, ctx.clock, ws)),
          signing: settings.webhook.signing,
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/admin/webhook-secret/rotate',
      summary:
        'New webhook signing secret, shown only in this response; the old one signs beside it for overlapHours (24)',
      tag: 'admin',
      auth: 'admin',
      body: Rotate,
      responses: { 200: RotatedWebhookSecret },
      handler: async ({ body, principal, request, reply }) => {
        // The only response that ever holds the secret: keep it out of every cache.
        reply.header('cache-control', 'no-store');
        const ws = principal.workspaceId;
        return audited(
          ctx,
          principal,
          request,
          { action: 'webhook_secret.rotate', kind: 'webhook_secret', id: ws },
          async ({ db }) => {
            // Fingerprints and dates only: the secret never reaches the log.
            const before = await describeWebhookSecret(db, ctx.clock, ws);
            const rotated = await rotateWebhookSecret(db, ctx.clock, ws, {
              overlapMs: body.overlapHours * HOUR,
            });
            const after = await describeWebhookSecret(db, ctx.clock, ws);
            return { result: rotated, before, after };
          },
        );
      },
    }),
  ];
}
