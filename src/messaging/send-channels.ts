import type { Kysely } from 'kysely';
import {
  EmailSender,
  linkHosts,
  PushSender,
  PushSubscription,
  rewriteLinks,
  MessageTemplate,
  type OfferProvider,
  type RecommendProvider,
  type TemplateChannel,
  type TemplateError,
  type TemplateRenderer,
} from '../channels/index.js';
import { mayPersonalize, withoutSensitiveTraits } from '../privacy/index.js';
import type { ModelCache } from '../profiles/index.js';
import { decodeJson, type Clock } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { workspaceSecrets } from '../workspaces/index.js';
import { cartLink, completeItems, workspaceScope } from './message-scope.js';
import { readSettings, type WorkspaceSettings } from './workspace-settings.js';
import { suppress } from './consent-store.js';
import { shownDecisions } from './shown-decisions.js';
import { heldBack } from './global-control-gate.js';
import { gate } from './gate.js';
import { trackableHosts } from './link-hosts.js';
import { LinkMaker } from './links.js';
import { loadRecipient, type Recipient } from './person.js';
import type { ClaimedSend, Deliver, Delivery } from './sender.js';
import { templateForChannel } from './templates-repo.js';

const SubscriptionKeys = PushSubscription.shape.keys;

/** An event Rapport observed about a person (sent, bounced...), fed back into their log. */
export type Emit = (
  workspaceId: string,
  profileId: string,
  event: string,
  properties: Record<string, unknown>,
) => Promise<void>;

export interface SendDeps {
  db: Kysely<Database>;
  clock: Clock;
  models: ModelCache;
  /** Renders off the event loop under hard limits (a `RenderPool`). */
  renderer: TemplateRenderer;
  publicUrl: string;
  /** Absent without SMTP_URL: e-mail then fails with a message saying so. */
  email?: EmailSender;
  push: PushSender;
  emit: Emit;
  /** Answers `{% recommend %}` blocks (the recommendations engine, when wired). */
  recommend?: (workspaceId: string, profileId: string) => RecommendProvider;
  /** Answers `{% offer %}` blocks: one decision per message and placement (when wired). */
  offer?: (
    workspaceId: string,
    profileId: string,
    messageId: string,
    channel: 'email' | 'push',
    /** The run's decisions by placement (`decide` steps): shown instead of deciding again. */
    decided: Readonly<Record<string, string>>,
  ) => OfferProvider;
  /**
   * Whether a person is in the workspace's global control group (recording it at their
   * first marketing message); the measurement module, when wired. Absent: nobody is.
   */
  /**
   * The template a person gets when a template experiment tests `templateId`: their
   * arm's variant, recorded at this first exposure (the measurement module, when wired).
   */
  templateVariant?: (
    workspaceId: string,
    profileId: string,
    templateId: string,
    now: number,
  ) => Promise<string>;
  globalControl?: (
    workspaceId: string,
    profileId: string,
    percent: number,
    now: number,
  ) => Promise<boolean>;
}

async function resolveTemplate(
  deps: SendDeps,
  m: ClaimedSend,
  channel: TemplateChannel,
): Promise<MessageTemplate | string> {
  const p = m.payload;
  if (p.message.templateId) {
    const id = deps.templateVariant
      ? await deps.templateVariant(
          m.workspaceId,
          m.profileId,
          p.message.templateId,
          deps.clock.now(),
        )
      : p.message.templateId;
    const t = await templateForChannel(deps.db, m.workspaceId, id, channel);
    return t ?? `no ${channel} template "${id}" (create it with POST /v1/templates)`;
  }
  const inline = MessageTemplate.safeParse({
    id: `inline:${m.id}`,
    name: 'inline',
    channel,
    ...(p.message.content ?? {}),
  });
  return inline.success
    ? inline.data
    : `inline content is not a valid ${channel} message: ${inline.error.issues[0]?.message ?? ''}`;
}

async function render(
  deps: SendDeps,
  m: ClaimedSend,
  template: MessageTemplate,
  r: Recipient,
  links: Record<string, string>,
  personalized: boolean,
  channel: 'email' | 'push',
  settings: WorkspaceSettings,
) {
  const p = m.payload;
  const now = deps.clock.now();
  // Second line of defence: whatever a template reads, sensitive traits are not there
  // unless allowed for templates (the first is the check when a template is saved).
  const traits = withoutSensitiveTraits(settings.sensitive, 'templates', r.traits);
  const cart = cartLink(settings, p.key);
  return deps.renderer.render(
    template,
    {
      profile: { id: r.profileId, traits, computed: r.computed },
      ...(p.trigger ? { event: p.trigger } : {}),
      links: { ...links, ...(cart ? { cart } : {}) },
      message: {
        id: m.id,
        journey: p.journey ?? null,
        step: p.step ?? null,
        key: p.key ?? null,
        items: await completeItems(deps.db, m.workspaceId, p.items ?? [], settings),
      },
      workspace: workspaceScope(settings),
    },
    {
      personalized,
      now,
      ...(deps.recommend ? { recommend: deps.recommend(m.workspaceId, r.profileId) } : {}),
      ...(deps.offer
        ? { offer: deps.offer(m.workspaceId, r.profileId, m.id, channel, p.decisions ?? {}) }
        : {}),
    },
  );
}

/**
 * A template that does not render for this person fails the message, for good: the same
 * template and data would fail again (a render limit included), so it is not retried.
 */
function renderFailure(template: MessageTemplate, errors: TemplateError[]): Delivery {
  const problems = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
  return { kind: 'failed', error: `template ${template.id}: ${problems.join('; ')}` };
}

/** A webhook call queued on a message channel: it has no message to render. */
const notASend = (channel: string): Delivery => ({
  kind: 'failed',
  error: `a webhook call cannot go out by ${channel}: only send messages can`,
});

/** E-mail: consent and policies, render, tracked links, List-Unsubscribe, SMTP. */
export function emailChannel(deps: SendDeps): Deliver {
  return async (m): Promise<Delivery> => {
    if (m.kind !== 'send') return notASend('e-mail');
    const now = deps.clock.now();
    const recipient = await loadRecipient(deps.db, deps.models, m.workspaceId, m.profileId, now);
    if (!recipient) return { kind: 'skipped', reason: 'no_profile: the person no longer exists' };
    const template = await resolveTemplate(deps, m, 'email');
    if (typeof template === 'string') return { kind: 'failed', error: template };
    const settings = await readSettings(deps.db, m.workspaceId);
    // The step's topic (the message's topic column), as docs/channels.md says, else the template's.
    const topic = m.topic ?? template.topic;
    const held = await heldBack(deps, m, recipient, settings, template, now);
    if (held) return held;
    const stop = await gate(
      deps.db,
      m,
      recipient,
      settings,
      { channel: 'email', topic, transactional: template.transactional, address: recipient.email },
      now,
    );
    if (stop) return stop;
    if (!recipient.email)
      return { kind: 'skipped', reason: 'no_address: the person has no e-mail address' };
    if (!settings.email.from)
      return {
        kind: 'failed',
        error: 'no sender address: set email.from in PUT /v1/admin/settings',
      };
    if (!deps.email)
      return { kind: 'failed', error: 'e-mail is not configured: start Rapport with SMTP_URL' };

    const secrets = await workspaceSecrets(deps.db, deps.clock, m.workspaceId);
    const maker = new LinkMaker(deps.publicUrl, secrets.linkSecret);
    const unsubscribe = maker.unsubscribe(
      m.workspaceId,
      recipient.profileId,
      'email',
      m.id,
      now,
      topic,
    );
    const preferences = maker.preferences(m.workspaceId, recipient.profileId, now);
    const personalized = mayPersonalize(recipient.consents, settings.consent);
    const rendered = await render(
      deps,
      m,
      template,
      recipient,
      { unsubscribe, preferences },
      personalized,
      'email',
      settings,
    );
    if (rendered.kind !== 'ok') return renderFailure(template, rendered.errors);
    let html = rendered.fields.html;
    let links: { index: number; url: string }[] = [];
    if (html) {
      const exclude = [unsubscribe, preferences];
      // Links to other hosts go out untracked: see trackableHosts.
      const allowHost = await trackableHosts(
        deps.db,
        m.workspaceId,
        settings.tracking,
        deps.publicUrl,
        linkHosts(html, { exclude }),
      );
      const decisionIds = shownDecisions(rendered.blocks);
      const tracked = rewriteLinks(
        html,
        (link) => maker.click(m.id, recipient.profileId, link.index, link.url, now, decisionIds),
        { exclude, openPixelUrl: maker.open(m.id, recipient.profileId, now), allowHost },
      );
      html = tracked.html;
      links = tracked.links.map((l) => ({ index: l.index, url: l.url }));
    }
    const from = settings.email.fromName
      ? { name: settings.email.fromName, address: settings.email.from }
      : settings.email.from;
    const result = await deps.email.send({
      from,
      to: recipient.email,
      ...(settings.email.replyTo ? { replyTo: settings.email.replyTo } : {}),
      subject: rendered.fields.subject ?? '',
      preheader: rendered.fields.preheader,
      html,
      text: rendered.fields.text,
      messageId: m.id,
      unsubscribe: {
        url: unsubscribe,
        ...(settings.email.unsubscribeMailto ? { mailto: settings.email.unsubscribeMailto } : {}),
      },
    });
    const shown = {
      ...m.payload,
      rendered: { ...rendered.fields, html },
      personalized,
      to: recipient.email,
      links,
      blocks: rendered.blocks,
    };
    const base = { message_id: m.id, journey_id: m.journeyId, step_id: m.stepId, channel: 'email' };
    switch (result.kind) {
      case 'sent':
        await deps.emit(m.workspaceId, recipient.profileId, 'Email Sent', base);
        return { kind: 'sent', payload: shown, detail: result.response };
      case 'bounced':
        // The address refuses mail: never send to it again.
        await suppress(deps.db, m.workspaceId, 'email', recipient.email, 'bounce', now);
        await deps.emit(m.workspaceId, recipient.profileId, 'Email Bounced', {
          ...base,
          error: result.error,
          code: result.code,
        });
        return { kind: 'bounced', error: result.error };
      default:
        return result;
    }
  };
}

/** Web push to each of the person's subscriptions; dead subscriptions are removed. */
export function pushChannel(deps: SendDeps): Deliver {
  return async (m): Promise<Delivery> => {
    if (m.kind !== 'send') return notASend('push');
    const now = deps.clock.now();
    const recipient = await loadRecipient(deps.db, deps.models, m.workspaceId, m.profileId, now);
    if (!recipient) return { kind: 'skipped', reason: 'no_profile: the person no longer exists' };
    const template = await resolveTemplate(deps, m, 'push');
    if (typeof template === 'string') return { kind: 'failed', error: template };
    const settings = await readSettings(deps.db, m.workspaceId);
    // The step's topic (the message's topic column), as docs/channels.md says, else the template's.
    const topic = m.topic ?? template.topic;
    const held = await heldBack(deps, m, recipient, settings, template, now);
    if (held) return held;
    const stop = await gate(
      deps.db,
      m,
      recipient,
      settings,
      { channel: 'push', topic, transactional: template.transactional, address: undefined },
      now,
    );
    if (stop) return stop;
    const subs = await deps.db
      .selectFrom('push_subscriptions')
      .selectAll()
      .where('workspace_id', '=', m.workspaceId)
      .where('profile_id', '=', recipient.profileId)
      .execute();
    if (subs.length === 0)
      return { kind: 'skipped', reason: 'no_subscription: the person has no push subscription' };
    const rendered = await render(
      deps,
      m,
      template,
      recipient,
      {},
      mayPersonalize(recipient.consents, settings.consent),
      'push',
      settings,
    );
    if (rendered.kind !== 'ok') return renderFailure(template, rendered.errors);
    const secrets = await workspaceSecrets(deps.db, deps.clock, m.workspaceId);
    if (secrets.vapid.kind === 'corrupt')
      return {
        kind: 'failed',
        error: `the workspace's VAPID keys are unreadable: ${secrets.vapid.problem}`,
      };
    const vapid = secrets.vapid.value;
    const subject = settings.email.from
      ? `mailto:${settings.email.from}`
      : deps.publicUrl.startsWith('https:')
        ? deps.publicUrl
        : 'mailto:push@rapport.invalid';
    const payload = {
      title: rendered.fields.pushTitle ?? '',
      body: rendered.fields.pushBody ?? '',
      ...(rendered.fields.pushUrl ? { url: rendered.fields.pushUrl } : {}),
      ...(rendered.fields.pushIcon ? { icon: rendered.fields.pushIcon } : {}),
      messageId: m.id,
    };
    let sent = 0;
    let retry: string | null = null;
    let failed: string | null = null;
    for (const sub of subs) {
      // Validated when stored (https, or http on loopback for local testing). Keys that
      // no longer decode fail this subscription only; the person's others still get it.
      const keys = decodeJson(SubscriptionKeys, sub.keys);
      if (keys.kind === 'corrupt') {
        failed = `subscription ${sub.id} has unreadable keys: ${keys.problem}`;
        continue;
      }
      const r = await deps.push.send(
        { endpoint: sub.endpoint, keys: keys.value },
        payload,
        { subject, ...vapid },
        { topic: m.id.slice(-32).replace(/[^A-Za-z0-9_-]/g, '') },
      );
      if (r.kind === 'sent') sent++;
      else if (r.kind === 'gone')
        await deps.db.deleteFrom('push_subscriptions').where('id', '=', sub.id).execute();
      else if (r.kind === 'retry') retry = r.error;
      else failed = r.error;
    }
    if (sent > 0) {
      await deps.emit(m.workspaceId, recipient.profileId, 'Push Notification Sent', {
        message_id: m.id,
        journey_id: m.journeyId,
        step_id: m.stepId,
        channel: 'push',
      });
      return { kind: 'sent', payload: { ...m.payload, rendered: payload, subscriptions: sent } };
    }
    if (retry) return { kind: 'retry', error: retry };
    return { kind: 'failed', error: failed ?? 'every subscription was gone' };
  };
}
