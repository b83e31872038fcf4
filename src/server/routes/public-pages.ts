import { z } from 'zod';
import { listTemplates, loadConsents, recordConsent } from '../../messaging/index.js';
import {
  peekPayload,
  verifyToken,
  type ConsentChange,
  type ConsentTokenClaims,
  type Consents,
  type TokenResult,
} from '../../privacy/index.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

/** The workspace a consent token names, before its signature is checked. */
const NamesWorkspace = z.object({ workspaceId: z.string().min(1) });
const TokenParams = z.object({ token: z.string().min(1).max(4096) });
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#222}label{display:block;margin:.4rem 0}button{padding:.5rem 1rem;margin-top:1rem}</style></head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}

/**
 * Verifies a consent token against the link secret of the workspace its claims name.
 * Nothing is written here or before it: the secret is only read, and a workspace without
 * one (or that does not exist) is answered as a bad signature, so forged tokens cannot
 * tell real workspaces from made-up ones, nor create rows for them.
 */
async function claimsOf(
  ctx: AppContext,
  token: string,
  purpose: 'preferences' | 'unsubscribe',
): Promise<TokenResult<ConsentTokenClaims>> {
  // Unverified: it only says whose secret to check the token with.
  const named = NamesWorkspace.safeParse(peekPayload(token));
  if (!named.success) return { kind: 'refused', reason: 'malformed' };
  const secret = await ctx.linkSecrets.get(named.data.workspaceId);
  if (secret === null) return { kind: 'refused', reason: 'bad_signature' };
  return verifyToken(token, secret, { now: ctx.clock.now(), purpose });
}

function prefsForm(token: string, consents: Consents, topics: string[], saved: boolean): string {
  const state = (entry: { state: string } | undefined) => entry?.state ?? 'unknown';
  const box = (name: string, label: string, current: string) =>
    `<label><input type="checkbox" name="${esc(name)}" value="on"${current === 'denied' ? '' : ' checked'}> ${esc(label)}</label>`;
  return `${saved ? '<p><strong>Saved.</strong></p>' : ''}<form method="post" action="/preferences/${esc(token)}">
<h2>Channels</h2>${['email', 'push'].map((c) => box(`channel:${c}`, c === 'email' ? 'E-mail' : 'Push notifications', state(consents.channels[c as 'email']))).join('')}
<h2>Topics</h2>${topics.map((t) => box(`topic:${t}`, t.replace(/_/g, ' '), state(Object.hasOwn(consents.topics, t) ? consents.topics[t] : undefined))).join('') || '<p>No topics yet.</p>'}
<h2>Personalization</h2>${box('personalization', 'Tailor messages and recommendations to what I do', state(consents.personalization))}
<input type="hidden" name="submitted" value="1"><button type="submit">Save preferences</button></form>`;
}

async function knownTopics(
  ctx: AppContext,
  workspaceId: string,
  consents: Consents,
): Promise<string[]> {
  const topics = new Set(Object.keys(consents.topics));
  for (const t of await listTemplates(ctx.store.db, workspaceId)) {
    if (t.template.topic) topics.add(t.template.topic);
  }
  return [...topics].sort();
}

/** Unsubscribes, the preference center and engagement tracking: pages people reach from messages. */
export function publicRoutes(ctx: AppContext): RouteDef[] {
  const expiredPage = (reply: { code(n: number): unknown; type(t: string): unknown }) => {
    reply.code(410);
    reply.type('text/html; charset=utf-8');
    return page(
      'This link has expired',
      '<p>Use the link in a more recent message, or contact us.</p>',
    );
  };
  const invalidPage = (reply: { code(n: number): unknown; type(t: string): unknown }) => {
    reply.code(404);
    reply.type('text/html; charset=utf-8');
    return page('Link not recognised', '<p>This link is not valid.</p>');
  };
  const unsubscribe = async (claims: ConsentTokenClaims) => {
    const now = ctx.clock.now();
    const change: ConsentChange = claims.topic
      ? {
          target: { kind: 'topic', topic: claims.topic },
          state: 'denied',
          source: 'unsubscribe',
          at: now,
        }
      : {
          target: { kind: 'channel', channel: claims.channel ?? 'email' },
          state: 'denied',
          source: 'unsubscribe',
          at: now,
        };
    // One-click from the List-Unsubscribe header stops the channel, not just the topic:
    // RFC 8058 asks that the recipient stop receiving such mail.
    const changes: ConsentChange[] = [change];
    if (claims.topic && claims.channel) {
      changes.push({
        target: { kind: 'channel', channel: claims.channel },
        state: 'denied',
        source: 'unsubscribe',
        at: now,
      });
    }
    await recordConsent(ctx.store.db, claims.workspaceId, claims.profileId, changes, now);
    await ctx.emitTo(
      claims.workspaceId,
      claims.profileId,
      'Unsubscribed',
      {
        channel: claims.channel ?? 'email',
        topic: claims.topic ?? null,
        message_id: claims.messageId ?? null,
      },
      `unsubscribe:${claims.messageId ?? claims.profileId}:${now}`,
    );
  };
  return [
    defineRoute({
      method: 'POST',
      url: '/unsubscribe/:token',
      summary: 'One-click unsubscribe (RFC 8058); the token comes from List-Unsubscribe',
      tag: 'consent',
      auth: 'public',
      params: TokenParams,
      rawBody: true,
      produces: 'text/html',
      handler: async ({ params, reply }) => {
        const r = await claimsOf(ctx, params.token, 'unsubscribe');
        if (r.kind !== 'ok')
          return r.reason === 'expired' ? expiredPage(reply) : invalidPage(reply);
        await unsubscribe(r.claims);
        reply.type('text/html; charset=utf-8');
        return page(
          'You are unsubscribed',
          `<p>You will get no more ${esc(r.claims.channel ?? 'email')} from us.</p>`,
        );
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/unsubscribe/:token',
      summary: 'Unsubscribe confirmation page (GET never unsubscribes: link scanners follow GETs)',
      tag: 'consent',
      auth: 'public',
      params: TokenParams,
      produces: 'text/html',
      handler: async ({ params, reply }) => {
        const r = await claimsOf(ctx, params.token, 'unsubscribe');
        if (r.kind !== 'ok')
          return r.reason === 'expired' ? expiredPage(reply) : invalidPage(reply);
        reply.type('text/html; charset=utf-8');
        return page(
          'Unsubscribe',
          `<form method="post" action="/unsubscribe/${esc(params.token)}"><p>Stop receiving ${esc(r.claims.channel ?? 'email')} from us?</p><button type="submit">Unsubscribe</button></form>`,
        );
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/preferences/:token',
      summary: 'The hosted preference center',
      tag: 'consent',
      auth: 'public',
      params: TokenParams,
      produces: 'text/html',
      handler: async ({ params, reply }) => {
        const r = await claimsOf(ctx, params.token, 'preferences');
        if (r.kind !== 'ok')
          return r.reason === 'expired' ? expiredPage(reply) : invalidPage(reply);
        const consents = await loadConsents(ctx.store.db, r.claims.workspaceId, r.claims.profileId);
        reply.type('text/html; charset=utf-8');
        return page(
          'Your preferences',
          prefsForm(
            params.token,
            consents,
            await knownTopics(ctx, r.claims.workspaceId, consents),
            false,
          ),
        );
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/preferences/:token',
      summary: 'Save the preference center form',
      tag: 'consent',
      auth: 'public',
      params: TokenParams,
      rawBody: true,
      produces: 'text/html',
      handler: async ({ params, request, reply }) => {
        const r = await claimsOf(ctx, params.token, 'preferences');
        if (r.kind !== 'ok')
          return r.reason === 'expired' ? expiredPage(reply) : invalidPage(reply);
        const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
        const { workspaceId, profileId } = r.claims;
        const now = ctx.clock.now();
        const before = await loadConsents(ctx.store.db, workspaceId, profileId);
        const topics = await knownTopics(ctx, workspaceId, before);
        const state = (on: boolean): 'granted' | 'denied' => (on ? 'granted' : 'denied');
        const changes: ConsentChange[] = [
          ...(['email', 'push'] as const).map((channel) => ({
            target: { kind: 'channel' as const, channel },
            state: state(form.get(`channel:${channel}`) === 'on'),
            source: 'preference_center' as const,
            at: now,
          })),
          ...topics.map((topic) => ({
            target: { kind: 'topic' as const, topic },
            state: state(form.get(`topic:${topic}`) === 'on'),
            source: 'preference_center' as const,
            at: now,
          })),
          {
            target: { kind: 'personalization' },
            state: state(form.get('personalization') === 'on'),
            source: 'preference_center',
            at: now,
          },
        ];
        const after = await recordConsent(ctx.store.db, workspaceId, profileId, changes, now);
        reply.type('text/html; charset=utf-8');
        return page('Your preferences', prefsForm(params.token, after, topics, true));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/t/o/:token',
      summary: 'Open pixel: records Email Opened (404 for a token we did not sign)',
      tag: 'tracking',
      auth: 'public',
      params: TokenParams,
      produces: 'image/gif',
      handler: async ({ params, reply }) => {
        const r = await ctx.track(params.token, 'open');
        // The pixel goes with the 404 too: a mail client still shows nothing broken.
        if (!r.authentic) reply.code(404);
        reply.header('cache-control', 'no-store').type('image/gif');
        return PIXEL;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/t/c/:token',
      summary: 'Signed click redirect: records Email Link Clicked and redirects',
      tag: 'tracking',
      auth: 'public',
      params: TokenParams,
      handler: async ({ params, reply }) => {
        const r = await ctx.track(params.token, 'click');
        if (!r.authentic || r.url === null) return invalidPage(reply);
        return reply.redirect(r.url, 302);
      },
    }),
  ];
}
