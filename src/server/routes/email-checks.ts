import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { checkSmtp, sendOnce, type SmtpConfig } from '../../channels/index.js';
import { recordAudit } from '../../audit/index.js';
import {
  assertTemplateSensitive,
  emailNotReady,
  readSettings,
  requireTemplate,
} from '../../messaging/index.js';
import { ProfileKind } from '../../profiles/index.js';
import { ConflictError, ValidationError, type ErrorDetail } from '../../shared/index.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';
import { personId, renderForPerson } from '../template-render.js';

const IdParams = z.object({ id: z.string().min(1).max(200) });

const TestSendInput = z.strictObject({
  /** Where the test goes: only ever this address, never the person's own. */
  to: z.email('must be an e-mail address').max(254, 'must be at most 254 characters'),
  /** Whose data fills the template; without it, the template's defaults do. */
  person: z
    .strictObject({
      kind: ProfileKind.default('user_id'),
      value: z.string().min(1).max(1024),
    })
    .optional(),
});

const TestSendOutput = z.object({
  sent: z.boolean(),
  to: z.string(),
  subject: z.string(),
  /** The SMTP server's reply when sent, or why it was not. */
  response: z.string().optional(),
  error: z.string().optional(),
});

const SmtpTestOutput = z.object({
  ok: z.boolean(),
  /** `host:port` of SMTP_URL. */
  server: z.string(),
  ms: z.number(),
  error: z.string().optional(),
});

const EmailSetup = z.object({
  publicUrl: z.string(),
  /** `config`: RAPPORT_PUBLIC_URL or the flag; otherwise the address the server listens on. */
  publicUrlFrom: z.enum(['config', 'listening address']),
  /** SMTP_URL without its credentials; null when it is not set. */
  smtp: z
    .object({ host: z.string(), port: z.number(), secure: z.boolean(), login: z.boolean() })
    .nullable(),
  /** What keeps e-mail from going out, each naming its setting; empty when it can. */
  missing: z.array(z.object({ path: z.string(), problem: z.string() })),
});

const NO_SMTP: ErrorDetail = {
  path: 'SMTP_URL',
  problem:
    'is not set: start Rapport with SMTP_URL=smtp://user:password@host:587 (or smtps://…:465)',
};

const NO_SENDER: ErrorDetail = {
  path: 'settings.email.from',
  problem: 'no sender address: PUT /v1/admin/settings with {"email": {"from": "shop@example.com"}}',
};

/** SMTP_URL, or a 409 naming it: nothing an API call can fix, but the operator can. */
function smtpOf(ctx: AppContext, action: string): SmtpConfig {
  if (!ctx.email.smtp) throw new ConflictError(`Cannot ${action}: SMTP_URL is not set.`, [NO_SMTP]);
  return ctx.email.smtp;
}

/**
 * The e-mail checks of the settings page: how this server sends (read), a connection test
 * of SMTP_URL, and a test send of a template to one address given explicitly.
 */
export function emailCheckRoutes(ctx: AppContext): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/admin/settings/email-setup',
      summary:
        'How this server sends e-mail: the public URL and where it comes from, the SMTP server (no credentials), what is missing',
      tag: 'admin',
      auth: 'read',
      responses: { 200: EmailSetup },
      handler: async ({ principal }) => {
        const smtp = ctx.email.smtp;
        return {
          publicUrl: ctx.publicUrl,
          publicUrlFrom: ctx.publicUrlFrom,
          smtp: smtp
            ? { host: smtp.host, port: smtp.port, secure: smtp.secure, login: !!smtp.auth }
            : null,
          missing: await emailNotReady(ctx.store.db, principal.workspaceId, {
            smtp: ctx.email.configured,
            publicUrl: ctx.publicUrl,
          }),
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/admin/settings/smtp-test',
      summary:
        'Connect to the SMTP server of SMTP_URL (greeting, EHLO, login): ok or its error, within seconds; 409 without SMTP_URL',
      tag: 'admin',
      auth: 'admin',
      // Each call opens a connection to a server outside: counted like a preview.
      rateLimit: 'preview',
      responses: { 200: SmtpTestOutput, 409: z.unknown() },
      handler: async () => {
        const smtp = smtpOf(ctx, 'test the SMTP server');
        const r = await checkSmtp(smtp, ctx.email.checkTimeoutMs);
        return {
          ok: r.kind === 'ok',
          server: `${smtp.host}:${smtp.port}`,
          ms: r.ms,
          ...(r.kind === 'failed' ? { error: r.error } : {}),
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/templates/:id/test-send',
      summary:
        "Send an e-mail template, marked as a test, to one address given explicitly (with a person's data, or the defaults); audited; 409 naming what e-mail lacks",
      tag: 'templates',
      auth: 'admin',
      rateLimit: 'preview',
      params: IdParams,
      body: TestSendInput,
      responses: { 200: TestSendOutput, 404: z.unknown(), 409: z.unknown() },
      handler: async ({ params, body, principal, request }) => {
        const ws = principal.workspaceId;
        const db = ctx.store.db;
        const stored = await requireTemplate(db, ws, params.id);
        if (stored.template.channel !== 'email') {
          throw new ValidationError('Only e-mail templates can be sent as a test.', [
            { path: 'id', problem: `is a ${stored.template.channel} template, not an e-mail one` },
          ]);
        }
        // The public URL is not needed: a test carries no working unsubscribe link.
        const settings = await readSettings(db, ws);
        const from = settings.email.from;
        const missing: ErrorDetail[] = [
          ...(ctx.email.smtp ? [] : [NO_SMTP]),
          ...(from ? [] : [NO_SENDER]),
        ];
        if (!ctx.email.smtp || !from) {
          throw new ConflictError(
            `Cannot send a test e-mail yet: set ${missing.map((d) => d.path).join(', ')} (see details).`,
            missing,
          );
        }
        const smtp = ctx.email.smtp;
        await assertTemplateSensitive(db, ws, stored.template);
        const person = body.person
          ? await personId(db, ws, body.person.kind, body.person.value)
          : null;
        const rendered = await renderForPerson(ctx, ws, stored.template, person);
        const subject = `[Test] ${rendered.fields.subject ?? ''}`;
        const result = await sendOnce(smtp, ctx.email.checkTimeoutMs, {
          from: settings.email.fromName ? { name: settings.email.fromName, address: from } : from,
          to: body.to,
          ...(settings.email.replyTo ? { replyTo: settings.email.replyTo } : {}),
          subject,
          preheader: rendered.fields.preheader,
          html: rendered.fields.html,
          text: rendered.fields.text,
          messageId: `test-${randomUUID()}`,
          // Not a message to a person: no unsubscribe, no tracking, no message log.
          headers: { 'X-Rapport-Test': `template ${stored.template.id}` },
        });
        const out =
          result.kind === 'sent'
            ? { sent: true, to: body.to, subject, response: result.response }
            : { sent: false, to: body.to, subject, error: result.error };
        // After the send, outside any transaction: SMTP must not hold the store's connection.
        await recordAudit(db, {
          workspaceId: ws,
          at: ctx.clock.now(),
          keyId: principal.keyId,
          action: 'template.test_send',
          target: { kind: 'template', id: stored.template.id },
          before: null,
          after: {
            to: body.to,
            person: body.person ?? null,
            version: stored.version,
            sent: out.sent,
            ...(out.error ? { error: out.error } : {}),
          },
          requestId: request.id,
          route: `${request.method} ${request.routeOptions.url ?? request.url}`,
        });
        return out;
      },
    }),
  ];
}
