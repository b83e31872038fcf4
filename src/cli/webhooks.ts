import { systemClock, ValidationError } from '../shared/index.js';
import { describeWebhookSecret, rotateWebhookSecret } from '../workspaces/index.js';
import { readSettings } from '../messaging/index.js';
import { auditedCommand } from './audited.js';
import { withStore, workspaceOf } from './store-command.js';

type Flags = { data?: string; json?: boolean; workspace?: string };

function overlapHours(value: string | undefined): number {
  if (value === undefined) return 24;
  const hours = Number(value);
  if (!/^\d+$/.test(value) || hours > 168) {
    throw new ValidationError(`--overlap-hours: must be a whole number from 0 to 168.`, [
      { path: '--overlap-hours', problem: 'must be a whole number from 0 to 168' },
    ]);
  }
  return hours;
}

/** `rapport webhooks secret rotate`: a new signing secret, printed once. */
export async function runWebhookSecretRotate(
  flags: Flags & { overlapHours?: string },
): Promise<void> {
  const hours = overlapHours(flags.overlapHours);
  let ws = '';
  const rotated = await withStore(flags, async (store) => {
    ws = await workspaceOf(store, flags.workspace);
    return auditedCommand(
      store,
      'webhooks secret rotate',
      { action: 'webhook_secret.rotate', kind: 'webhook_secret', workspaceId: ws },
      async ({ db }) => {
        // Fingerprints and dates only: the secret never reaches the log.
        const before = await describeWebhookSecret(db, systemClock, ws);
        const r = await rotateWebhookSecret(db, systemClock, ws, { overlapMs: hours * 3_600_000 });
        const after = await describeWebhookSecret(db, systemClock, ws);
        return { result: r, targetId: ws, before, after };
      },
    );
  });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(rotated)}\n`);
    return;
  }
  process.stdout.write(`${rotated.secret}\n`);
  process.stderr.write(
    `New webhook signing secret for workspace "${ws}" (${rotated.fingerprint}). It is shown only once.\n` +
      (rotated.previous
        ? `The previous secret (${rotated.previous.fingerprint}) also signs until ${rotated.previous.retiresAt}.\n`
        : 'The previous secret no longer signs.\n'),
  );
}

/** `rapport webhooks secret show`: fingerprints and dates, never the secret. */
export async function runWebhookSecretShow(flags: Flags): Promise<void> {
  const { info, signing } = await withStore(flags, async (store) => {
    const ws = await workspaceOf(store, flags.workspace);
    return {
      info: await describeWebhookSecret(store.db, systemClock, ws),
      signing: (await readSettings(store.db, ws)).webhook.signing,
    };
  });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ...info, signing })}\n`);
    return;
  }
  process.stdout.write(
    `signing   ${signing}\ncurrent   ${info.fingerprint}  created ${info.createdAt}\n` +
      (info.previous
        ? `previous  ${info.previous.fingerprint}  signs until ${info.previous.retiresAt}\n`
        : ''),
  );
}
