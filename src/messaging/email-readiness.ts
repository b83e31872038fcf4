import type { Kysely } from 'kysely';
import type { ErrorDetail } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { readSettings } from './workspace-settings.js';

/** What this process knows about sending e-mail. */
export interface EmailSetup {
  /** SMTP_URL is set. */
  smtp: boolean;
  /** Where people reach this server: the links in every e-mail. */
  publicUrl: string;
  /**
   * SMTP_URL is the local catcher of `rapport demo`: mail never leaves the machine, so
   * its links need not be https (nobody's mail client will POST to them).
   */
  capture?: boolean;
}

/**
 * What stands between a workspace and sending e-mail, each named for the setting that
 * fixes it: SMTP_URL, an https RAPPORT_PUBLIC_URL (every e-mail carries a one-click
 * unsubscribe link, which RFC 8058 requires to be https) and the sender address. Empty
 * when e-mail can go out. Checked when an e-mail journey is activated and at start-up,
 * so the problem shows then and not as failed messages later. Only the demo's catcher
 * (`setup.capture`) does without https.
 */
export async function emailNotReady(
  db: Kysely<Database>,
  workspaceId: string,
  setup: EmailSetup,
): Promise<ErrorDetail[]> {
  const out: ErrorDetail[] = [];
  if (!setup.smtp)
    out.push({
      path: 'SMTP_URL',
      problem:
        'is not set: start Rapport with SMTP_URL=smtp://user:password@host:587 (or smtps://…:465)',
    });
  if (!setup.capture && !setup.publicUrl.startsWith('https://'))
    out.push({
      path: 'RAPPORT_PUBLIC_URL',
      problem: `must be an https:// URL people reach this server at (now ${setup.publicUrl}): e-mails carry one-click unsubscribe links, which must be https (RFC 8058)`,
    });
  const settings = await readSettings(db, workspaceId);
  if (!settings.email.from)
    out.push({
      path: 'settings.email.from',
      problem:
        'no sender address: PUT /v1/admin/settings with {"email": {"from": "shop@example.com"}}',
    });
  return out;
}
