import { z } from 'zod';

/** A client-supplied JSON object, kept as it is (a `__proto__` key stays data). */
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// z.record would rebuild the object by assignment and silently drop a `__proto__` key;
// the facts must see exactly what the log holds, so these fields are checked, not copied.
const ClientObject = z.custom<Record<string, unknown>>(isPlainObject, {
  message: 'must be a JSON object',
});

export const PROFILE_EVENT_TYPES = [
  'track',
  'identify',
  'page',
  'screen',
  'group',
  'alias',
] as const;

/**
 * One logged event as the profile core reads it (Segment spec semantics). The shell builds
 * it from a stored event: `event` is the track name, or the page/screen name, else null;
 * `timestamp` is the skew-corrected event time in epoch milliseconds.
 */
export const ProfileEvent = z.object({
  messageId: z.string().min(1),
  type: z.enum(PROFILE_EVENT_TYPES),
  event: z.string().nullable(),
  timestamp: z
    .number()
    .refine(Number.isFinite, { message: 'must be a finite number of milliseconds' }),
  properties: ClientObject,
  traits: ClientObject,
  context: ClientObject,
});
export type ProfileEvent = z.infer<typeof ProfileEvent>;
export type ProfileEventType = ProfileEvent['type'];
