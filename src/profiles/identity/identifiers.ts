import { z } from 'zod';

export const IDENTITY_KINDS = ['user_id', 'anonymous_id', 'email', 'phone'] as const;
export const IdentityKind = z.enum(IDENTITY_KINDS);
export type IdentityKind = z.infer<typeof IdentityKind>;

export const Identifier = z.object({ kind: IdentityKind, value: z.string() });
export type Identifier = z.infer<typeof Identifier>;

/** Values clients send when they have no real id; they must never join two people. */
export const DEFAULT_BLOCKED_VALUES = [
  'null',
  'undefined',
  '0',
  'anonymous',
  'guest',
  'none',
  'nil',
  'unknown',
  'n/a',
  '[object object]',
];

/** When two identifiers point at different people, the stronger one decides. */
export const KIND_PRIORITY: Record<IdentityKind, number> = {
  user_id: 0,
  email: 1,
  phone: 2,
  anonymous_id: 3,
};

export function identityKey(kind: IdentityKind, value: string): string {
  return `${kind}:${value}`;
}

/** Lower-cased, trimmed; only plausible addresses count. */
export function normalizeEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) && v.length <= 320 ? v : null;
}

/** Digits with an optional leading +; at least 6 digits to count as a phone number. */
export function normalizePhone(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const s = String(value).trim();
  const digits = s.replace(/[^\d]/g, '');
  if (digits.length < 6 || digits.length > 20) return null;
  return s.startsWith('+') ? `+${digits}` : digits;
}

export function isBlocked(value: string, blocked: ReadonlySet<string>): boolean {
  const v = value.trim().toLowerCase();
  return v === '' || blocked.has(v);
}

export interface EventIds {
  type: string;
  userId: string | null;
  anonymousId: string | null;
  previousId: string | null;
  traits: Record<string, unknown>;
}

/**
 * The identifiers an event carries, blocked values removed. Email and phone come from
 * identify traits (and a track's `context.traits`, which analytics.js fills).
 */
export function identifiersOf(e: EventIds, blocked: ReadonlySet<string>): Identifier[] {
  const out: Identifier[] = [];
  const add = (kind: IdentityKind, value: string | null) => {
    if (value !== null && !isBlocked(value, blocked)) out.push({ kind, value });
  };
  add('user_id', e.userId);
  add('anonymous_id', e.anonymousId);
  if (e.type === 'identify') {
    add('email', normalizeEmail(e.traits.email));
    add('phone', normalizePhone(e.traits.phone));
  }
  return out;
}
