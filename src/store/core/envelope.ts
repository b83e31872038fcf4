import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  randomFillSync,
} from 'node:crypto';

/**
 * Envelope encryption of personal data, as plain functions over keys and text.
 *
 * - The master key (KEK) comes from `RAPPORT_ENCRYPTION_KEY`; it only wraps data keys.
 * - Data keys (DEKs) are random AES-256 keys stored wrapped in `encryption_keys`; a value
 *   is sealed under the current DEK as `enc:v1:<dekId>:<nonce>:<ciphertext+tag>`
 *   (base64url), so a row names the key that opens it and rows written before a
 *   rotation keep opening while both keys are known.
 * - The index key is a separate random key, also stored wrapped, for the blind index:
 *   an HMAC of a normalized value, so an equality lookup works without the clear value.
 *   It survives master-key rotation (it is only re-wrapped), so lookups never break.
 */

export const SEALED_PREFIX = 'enc:v1:';
export const INDEX_PREFIX = 'bi1:';
const WRAPPED_PREFIX = 'kw:v1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface DataKey {
  readonly id: string;
  readonly key: Buffer;
}

/** A key that failed to open a value: wrong master key, another database, or tampering. */
export class KeyMismatchError extends Error {}

/**
 * Reads a 32-byte master key given as base64 (44 characters, `openssl rand -base64 32`)
 * or hex (64 characters). Returns the problem, naming the expected form, when it is
 * neither; never echoes the value.
 */
export function parseMasterKey(text: string): { key: Buffer } | { problem: string } {
  const t = text.trim();
  const expected =
    'must be 32 random bytes as base64 (44 characters, `openssl rand -base64 32`) or hex (64 characters)';
  if (/^[0-9a-fA-F]{64}$/.test(t)) return { key: Buffer.from(t, 'hex') };
  if (/^[A-Za-z0-9+/]{43}=?$/.test(t) || /^[A-Za-z0-9_-]{43}=?$/.test(t)) {
    const key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === 32) return { key };
  }
  const length = t.length === 0 ? 'it is empty' : `it has ${t.length} characters`;
  return { problem: `${expected}; ${length}` };
}

/** A short public name of a master key: which key wrapped a data key, without revealing it. */
export function masterKeyId(kek: Buffer): string {
  return createHmac('sha256', kek).update('rapport master key id').digest('base64url').slice(0, 12);
}

export function newDataKey(): Buffer {
  return randomBytes(32);
}

// Random nonces drawn from a pool: one call to the system's generator per 4,096 seals
// instead of one per seal, which on the ingest path cost as much as the cipher itself.
const NONCE_POOL = Buffer.alloc(NONCE_BYTES * 4096);
let poolAt = NONCE_POOL.length;
function nextNonce(): Buffer {
  if (poolAt === NONCE_POOL.length) {
    randomFillSync(NONCE_POOL);
    poolAt = 0;
  }
  // A copy: the pool is refilled in place later.
  const nonce = Buffer.from(NONCE_POOL.subarray(poolAt, poolAt + NONCE_BYTES));
  poolAt += NONCE_BYTES;
  return nonce;
}

function gcmSeal(key: Buffer, plaintext: Buffer, aad: string): string {
  const nonce = nextNonce();
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return `${nonce.toString('base64url')}:${body.toString('base64url')}`;
}

function gcmOpen(key: Buffer, nonceText: string, bodyText: string, aad: string): Buffer {
  const nonce = Buffer.from(nonceText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES)
    throw new KeyMismatchError('the value is cut short or not in the sealed format');
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new KeyMismatchError(
      'the value does not authenticate (tampered, or sealed under another key)',
    );
  }
}

/** Wraps a data key under the master key, binding the data key's id. */
export function wrapKey(kek: Buffer, id: string, key: Buffer): string {
  return `${WRAPPED_PREFIX}${masterKeyId(kek)}:${gcmSeal(kek, key, `rapport key ${id}`)}`;
}

/** Which master key wrapped this data key (its `masterKeyId`). */
export function wrappedBy(wrapped: string): string | null {
  if (!wrapped.startsWith(WRAPPED_PREFIX)) return null;
  return wrapped.slice(WRAPPED_PREFIX.length).split(':')[0] ?? null;
}

/** Opens a wrapped data key with whichever of the master keys wrapped it. */
export function unwrapKey(keks: readonly Buffer[], id: string, wrapped: string): Buffer {
  const by = wrappedBy(wrapped);
  const kek = keks.find((k) => masterKeyId(k) === by);
  if (!kek)
    throw new KeyMismatchError(
      `data key ${id} was wrapped by master key ${by ?? '?'}, which is not configured`,
    );
  const [, , , nonce, body] = wrapped.split(':');
  const key = gcmOpen(kek, nonce ?? '', body ?? '', `rapport key ${id}`);
  if (key.length !== 32) throw new KeyMismatchError(`data key ${id} is not 32 bytes`);
  return key;
}

export function isSealed(text: string): boolean {
  return text.startsWith(SEALED_PREFIX);
}

/** Seals a text under a data key. */
export function seal(dek: DataKey, text: string): string {
  return `${SEALED_PREFIX}${dek.id}:${gcmSeal(dek.key, Buffer.from(text, 'utf8'), dek.id)}`;
}

/** The id of the data key a sealed value names, or null when it is not sealed. */
export function sealedKeyId(text: string): string | null {
  if (!isSealed(text)) return null;
  const end = text.indexOf(':', SEALED_PREFIX.length);
  return end < 0 ? null : text.slice(SEALED_PREFIX.length, end);
}

/** Opens a sealed value; throws KeyMismatchError when it does not authenticate. */
export function open(dek: DataKey, text: string): string {
  const parts = text.slice(SEALED_PREFIX.length).split(':');
  if (parts.length !== 3 || parts[0] !== dek.id)
    throw new KeyMismatchError('the value is not in the sealed format');
  return gcmOpen(dek.key, parts[1]!, parts[2]!, dek.id).toString('utf8');
}

/**
 * The blind index of a normalized value: equal values (same kind) give equal indexes,
 * and nothing else can be learned from it without the index key.
 */
export function blindIndex(indexKey: Buffer, kind: string, normalized: string): string {
  const mac = createHmac('sha256', indexKey)
    .update(`${kind}\u0000${normalized}`)
    .digest('base64url');
  return `${INDEX_PREFIX}${mac}`;
}

export function isBlindIndex(text: string): boolean {
  return text.startsWith(INDEX_PREFIX);
}
