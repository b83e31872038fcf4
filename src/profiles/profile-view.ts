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
  /** With `name`: the person's name as their traits give it. */
  name: z.string().nullable().optional(),
});
export const ProfileList = z.object({
  profiles: z.array(ProfileSummary),
  nextCursor: z.string().nullable(),
  /** With `name`: how many people this page looked at (at most NAME_SCAN_LIMIT). */
  scanned: z.number().int().optional(),
});
export type ProfileList = z.infer<typeof ProfileList>;

/** People a name search reads per request: names are inside facts, which no index reaches. */
export const NAME_SCAN_LIMIT = 2000;

export const ProfileListQuery = z
  .object({
    /** Identifier prefix (user id, e-mail, phone, anonymous id), or a whole e-mail or phone. */
    q: z.string().min(1).max(200).optional(),
    /** Words starting the person's name (`name`, `first_name`, `last_name` traits). */
    name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).optional(),
  })
  .refine((query) => query.q === undefined || query.name === undefined, {
    path: ['name'],
    message: 'search by q or by name, not both',
  });
export type ProfileListQuery = z.infer<typeof ProfileListQuery>;
