import { mayContact } from '../privacy/index.js';
import type { MessageTemplate } from '../channels/index.js';
import { loadRecipient, type Recipient } from './person.js';
import type { SendDeps } from './send-channels.js';
import type { ClaimedMessage, ClaimedSend, Deliver, Delivery } from './sender.js';
import { templateForChannel } from './templates-repo.js';
import { readSettings, type WorkspaceSettings } from './workspace-settings.js';

type Carrier = 'email' | 'push' | 'webhook';

const DEFAULT_CHANNELS: readonly Carrier[] = ['email', 'push'];

/**
 * The order to try a `preferred` message's channels in: the person's preferred channel
 * (the `preferred_channel` computed trait) first when the step allows it, then the
 * step's fallback order. Pure, for the tests.
 */
export function channelOrder(
  allowed: readonly Carrier[],
  preferred: string | null | undefined,
): Carrier[] {
  const first = allowed.find((c) => c === preferred);
  return first ? [first, ...allowed.filter((c) => c !== first)] : [...allowed];
}

interface Reach {
  deps: SendDeps;
  m: ClaimedSend;
  recipient: Recipient;
  settings: WorkspaceSettings;
}

/**
 * Why a message cannot go out on `channel` for this person, or null when it can: the
 * channel has a template for the message, the person has an address there (an e-mail
 * address, a push subscription, a webhook URL) and has not said no to it. Caps and
 * quiet hours are the chosen channel's own business: they delay or drop, they do not
 * move the message to another channel.
 */
async function unreachable(channel: Carrier, r: Reach): Promise<string | null> {
  const { deps, m, recipient, settings } = r;
  let template: MessageTemplate | null = null;
  if (m.payload.message.templateId) {
    template = await templateForChannel(
      deps.db,
      m.workspaceId,
      m.payload.message.templateId,
      channel,
    );
    if (!template) return `no ${channel} template`;
  }
  if (channel === 'webhook') {
    return m.payload.url || settings.webhook.url ? null : 'no webhook URL';
  }
  if (channel === 'email' && !recipient.email) return 'no e-mail address';
  if (channel === 'push') {
    const sub = await deps.db
      .selectFrom('push_subscriptions')
      .select('id')
      .where('workspace_id', '=', m.workspaceId)
      .where('profile_id', '=', recipient.profileId)
      .executeTakeFirst();
    if (!sub) return 'no push subscription';
  }
  const decision = mayContact(
    recipient.consents,
    {
      channel,
      topic: m.topic ?? template?.topic,
      transactional: template?.transactional ?? false,
      ...(channel === 'email' ? { address: recipient.email } : {}),
    },
    settings.consent,
  );
  return decision.kind === 'ok' ? null : decision.reason;
}

/**
 * The `preferred` channel: picks the person's channel at send time (their preference
 * may have changed while the journey waited) and hands the message to that channel's
 * deliverer; the outcome records the channel it went out on. Nobody reachable on any
 * allowed channel: skipped, with each channel's reason.
 */
export function preferredChannel(
  deps: SendDeps,
  carriers: Readonly<Record<Carrier, Deliver>>,
): Deliver {
  return async (m: ClaimedMessage): Promise<Delivery> => {
    if (m.kind !== 'send') {
      return { kind: 'failed', error: 'only send messages can go out on the preferred channel' };
    }
    const now = deps.clock.now();
    const recipient = await loadRecipient(deps.db, deps.models, m.workspaceId, m.profileId, now);
    if (!recipient) return { kind: 'skipped', reason: 'no_profile: the person no longer exists' };
    const settings = await readSettings(deps.db, m.workspaceId);
    const order = channelOrder(
      m.payload.channels ?? DEFAULT_CHANNELS,
      recipient.computed.preferred_channel,
    );
    const why: string[] = [];
    for (const channel of order) {
      const problem = await unreachable(channel, { deps, m, recipient, settings });
      if (problem) {
        why.push(`${channel}: ${problem}`);
        continue;
      }
      const outcome = await carriers[channel]({ ...m, channel });
      return { ...outcome, channel };
    }
    return { kind: 'skipped', reason: `no_channel: ${why.join('; ')}` };
  };
}

/** The outbox's deliverers by channel, with `preferred` choosing among the others. */
export function withPreferredChannel(
  deps: SendDeps,
  channels: Readonly<Record<string, Deliver>>,
): Record<string, Deliver> {
  const missing =
    (channel: Carrier): Deliver =>
    () =>
      Promise.resolve({
        kind: 'failed',
        error: `no sender for channel "${channel}" is configured`,
      });
  const carrier = (channel: Carrier) => channels[channel] ?? missing(channel);
  return {
    ...channels,
    preferred: preferredChannel(deps, {
      email: carrier('email'),
      push: carrier('push'),
      webhook: carrier('webhook'),
    }),
  };
}
