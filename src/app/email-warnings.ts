import type { Kysely } from 'kysely';
import { listJourneys } from '../journeys/index.js';
import { emailNotReady } from '../messaging/index.js';
import type { Database } from '../store/index.js';
import { listWorkspaceIds } from '../workspaces/index.js';

/**
 * What start-up says about e-mail, so a missing setting shows in the first screen of
 * logs instead of as failed messages: whether e-mail is on at all, and every active
 * journey that sends e-mail which cannot go out, with what to set.
 */
export async function emailStartupWarnings(
  db: Kysely<Database>,
  setup: { smtp: boolean; publicUrl: string },
): Promise<string[]> {
  const out: string[] = [];
  if (!setup.smtp)
    out.push(
      'E-mail is off: SMTP_URL is not set, so journeys that send e-mail cannot be activated. Set SMTP_URL, an https RAPPORT_PUBLIC_URL and a sender (email.from in PUT /v1/admin/settings); `rapport doctor` checks them.',
    );
  else if (!setup.publicUrl.startsWith('https://'))
    out.push(
      `E-mail cannot go out: the public URL is ${setup.publicUrl}, and e-mails carry one-click unsubscribe links that must be https (RFC 8058). Set RAPPORT_PUBLIC_URL=https://… (where people reach this server).`,
    );
  for (const workspaceId of await listWorkspaceIds(db)) {
    // A journey that does not decode is reported where it is read; it sends nothing.
    const journeys = await listJourneys(db, workspaceId).catch(() => []);
    const sending = journeys.filter(
      (j) =>
        j.status === 'active' &&
        j.definition.steps.some((s) => {
          // 'preferred' may be e-mail for some people; the schema may not list it yet.
          const channel: string = s.type === 'send' ? s.channel : '';
          return channel === 'email' || channel === 'preferred';
        }),
    );
    if (sending.length === 0) continue;
    const missing = await emailNotReady(db, workspaceId, setup);
    if (missing.length === 0) continue;
    out.push(
      `Workspace "${workspaceId}": active journeys ${sending.map((j) => `"${j.id}"`).join(', ')} send e-mail, which will fail until fixed: ${missing.map((m) => `${m.path} ${m.problem}`).join('; ')}. Then resend what failed with \`rapport messages retry --status failed\`.`,
    );
  }
  return out;
}
