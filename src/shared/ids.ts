import { randomBytes, randomUUID } from 'node:crypto';

/** A random identifier with a readable prefix, e.g. `seg_3k9...`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

export function newUuid(): string {
  return randomUUID();
}
