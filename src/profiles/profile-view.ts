import { z } from 'zod';
import { IDENTITY_KINDS } from './identity/index.js';

export const ProfileKind = z.enum(['user_id', 'anonymous_id', 'email', 'phone', 'profile_id']);
export type ProfileKind = z.infer<typeof ProfileKind>;

export const ProfileEventOut = z.object({
  id: z.number().int(),
  messageId: z.string(),
  type: z.string(),
  event: z.string().nullable(),
  timestamp: z.string(),
  properties: z.record(z.string(), z.unknown()),
});

/** A person as the API shows them. */
export const ProfileView = z.object({
  id: z.string(),
  identities: z.object(
    Object.fromEntries(IDENTITY_KINDS.map((k) => [k, z.array(z.string())])) as Record<
      (typeof IDENTITY_KINDS)[number],
      z.ZodArray<z.ZodString>
    >,
  ),
  traits: z.record(z.string(), z.unknown()),
  computed: z.record(z.string(), z.unknown()),
  segments: z.array(z.object({ id: z.string(), name: z.string(), since: z.string() })),
  mergedFrom: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  recentEvents: z.array(ProfileEventOut),
});
export type ProfileView = z.infer<typeof ProfileView>;

export const ProfileSummary = z.object({
  id: z.string(),
  identities: z.array(z.object({ kind: z.string(), value: z.string() })),
  updatedAt: z.string(),
});
export const ProfileList = z.object({
  profiles: z.array(ProfileSummary),
  nextCursor: z.string().nullable(),
});
export type ProfileList = z.infer<typeof ProfileList>;

export const ProfileListQuery = z.object({
  q: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).optional(),
});
export type ProfileListQuery = z.infer<typeof ProfileListQuery>;
