import { WebhookSender } from '../channels/index.js';
import { identitiesByKind } from '../profiles/index.js';
import type { Clock } from '../shared/index.js';
import type { Store } from '../store/index.js';
import { webhookSigningSecrets } from '../workspaces/index.js';
import { readSettings } from './workspace-settings.js';
import type { ClaimedMessage, Deliver } from './sender.js';

/**
 * The webhook channel: `webhook` steps call their own URL; `send` steps on the webhook
 * channel POST the message with the person and the run's context to the step's URL or
 * the workspace's default. Bodies are signed with the workspace's webhook secret (and the
 * rotated-out one during its overlap) unless the workspace turned signing off.
 */
export function webhookChannel(
  store: Store,
  clock: Clock,
  sender = new WebhookSender({ clock }),
): Deliver {
  return async (m: ClaimedMessage) => {
    const settings = await readSettings(store.db, m.workspaceId);
    const secret =
      settings.webhook.signing === 'off'
        ? undefined
        : await webhookSigningSecrets(store.db, clock, m.workspaceId);
    if (m.kind === 'webhook') {
      const p = m.payload;
      return sender.send({
        url: p.url,
        ...(p.method ? { method: p.method } : {}),
        headers: p.headers ?? {},
        body: p.body ?? null,
        secret,
        deliveryId: m.idempotencyKey,
      });
    }
    const url = m.payload.url ?? settings.webhook.url;
    if (!url) {
      return {
        kind: 'failed',
        error: 'no webhook URL: set one on the step or in PUT /v1/admin/settings (webhook.url)',
      };
    }
    const identities = await identitiesByKind(store.db, m.workspaceId, m.profileId);
    const body = {
      type: 'journey.message',
      messageId: m.id,
      idempotencyKey: m.idempotencyKey,
      sentAt: new Date(clock.now()).toISOString(),
      profile: { id: m.profileId, identities },
      ...m.payload,
    };
    return sender.send({ url, body, secret, deliveryId: m.idempotencyKey });
  };
}
