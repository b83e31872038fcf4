import type { Kysely } from 'kysely';
import { z } from 'zod';
import { emailNotReady } from '../messaging/index.js';
import { ValidationError } from '../shared/index.js';
import type { Database } from '../store/index.js';
import type { AppContext } from './context.js';

const Steps = z.looseObject({
  steps: z.array(z.looseObject({ type: z.string(), channel: z.string().optional() })),
});

/** Whether a journey has a step that may send e-mail (the person's preferred channel may be). */
function sendsEmail(definition: unknown): boolean {
  const parsed = Steps.safeParse(definition);
  return (
    parsed.success &&
    parsed.data.steps.some(
      (s) => s.type === 'send' && (s.channel === 'email' || s.channel === 'preferred'),
    )
  );
}

/**
 * Refuses to make a journey that sends e-mail active while e-mail cannot go out (no
 * SMTP_URL, no https public URL, no sender): a 400 naming each missing setting, instead
 * of messages that fail one by one later. Call it in the change's transaction.
 */
export async function assertEmailReady(
  ctx: AppContext,
  db: Kysely<Database>,
  workspaceId: string,
  definition: unknown,
): Promise<void> {
  if (!ctx.email.checkOnActivate || !sendsEmail(definition)) return;
  const details = await emailNotReady(db, workspaceId, {
    smtp: ctx.email.configured,
    publicUrl: ctx.publicUrl,
    capture: ctx.email.capture,
  });
  if (details.length === 0) return;
  throw new ValidationError(
    `This journey sends e-mail, which cannot go out yet: set ${details.map((d) => d.path).join(', ')} (see details), then activate it.`,
    details,
  );
}
