import { randomBytes } from 'node:crypto';
import { ConfigError, systemClock } from '../shared/index.js';
import { reencryptAll, rotateEncryption, type Store } from '../store/index.js';
import { withStore } from './store-command.js';

function batchSize(text: string | undefined): number {
  if (text === undefined) return 500;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new ConfigError(
      `--batch must be a whole number from 1 to 10000, not ${JSON.stringify(text)}`,
      [{ path: '--batch', problem: 'must be a whole number from 1 to 10000' }],
    );
  return n;
}

function needKey(store: Store): void {
  if (!store.encryption)
    throw new ConfigError(
      'RAPPORT_ENCRYPTION_KEY is not set: generate one with `rapport encryption generate-key`, set it, and run this again.',
      [{ path: 'RAPPORT_ENCRYPTION_KEY', problem: 'required' }],
    );
}

/** Progress on stderr, a line every batch; rows are counted, not known in advance. */
const progress = (label: string) => (done: number, table: string) => {
  process.stderr.write(`${label}: ${done.toLocaleString('en')} rows (${table})\n`);
};

/** `rapport encryption generate-key`: a new master key, as RAPPORT_ENCRYPTION_KEY takes it. */
export function runEncryptionGenerateKey(): void {
  process.stdout.write(`${randomBytes(32).toString('base64')}\n`);
}

/** `rapport encryption rotate`: re-wrap keys under the current master key, new data key, re-encrypt. */
export async function runEncryptionRotate(flags: {
  data?: string;
  batch?: string;
  keepDataKey?: boolean;
}): Promise<void> {
  const size = batchSize(flags.batch);
  await withStore(flags, async (store) => {
    needKey(store);
    const result = await rotateEncryption(store, systemClock.now(), {
      batchSize: size,
      newDataKey: !flags.keepDataKey,
      onBatch: progress('re-encrypted'),
    });
    process.stdout.write(
      `Re-wrapped ${result.rewrapped} keys under the current master key; data key ${result.dataKey} is current; ` +
        `re-encrypted ${result.rewritten.toLocaleString('en')} rows. ` +
        'RAPPORT_ENCRYPTION_KEY_PREVIOUS can now be removed.\n',
    );
  });
}

/** `rapport encryption reencrypt`: seal what is in clear or under an old data key (resumable). */
export async function runEncryptionReencrypt(flags: {
  data?: string;
  batch?: string;
}): Promise<void> {
  const size = batchSize(flags.batch);
  await withStore(flags, async (store) => {
    needKey(store);
    const n = await reencryptAll(store, { batchSize: size, onBatch: progress('re-encrypted') });
    process.stdout.write(
      `Re-encrypted ${n.toLocaleString('en')} rows under the current data key.\n`,
    );
  });
}
