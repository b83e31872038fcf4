import type { Kysely } from 'kysely';
import { encryptionOf, type Database } from '../../store/index.js';

/** Identifier kinds that are personal data: kept sealed, found through their blind index. */
const INDEXED = new Set(['email', 'phone']);

/**
 * What `identities.value` holds for a (normalized) identifier: with encryption on, the
 * blind index of an e-mail or phone (the sealed address goes in `sealed_value`), so the
 * graph's uniqueness and equality lookups work on it; otherwise the value itself.
 */
export function storedValue(db: Kysely<Database>, kind: string, value: string): string {
  if (!INDEXED.has(kind)) return value;
  const keyring = encryptionOf(db);
  return keyring ? keyring.blindIndex(kind, value) : value;
}

/**
 * The values an identifier may be stored under: its blind index, and, until the
 * background re-encryption converts rows written before the key was set, its clear
 * value. Looking up both keeps one person one profile while a database is converted.
 */
export function lookupValues(db: Kysely<Database>, kind: string, value: string): string[] {
  const stored = storedValue(db, kind, value);
  return stored === value ? [value] : [stored, value];
}

/** The `sealed_value` column to write beside `storedValue`: the clear value (the store seals it). */
export function sealedValue(db: Kysely<Database>, kind: string, value: string): string | null {
  return INDEXED.has(kind) && encryptionOf(db) ? value : null;
}

/** An identity row's value in clear (the store opened `sealed_value` on read). */
export function clearValue(row: { value: string; sealed_value: string | null }): string {
  return row.sealed_value ?? row.value;
}
