import { z } from 'zod';

/**
 * What a trace entry records. `decision` and `recommendation` entries come from other
 * modules through the extra-entries hook (see `personTrace`).
 */
export const TRACE_KINDS = [
  'event',
  'segment_entered',
  'segment_exited',
  'journey_entered',
  'journey_step',
  'journey_ended',
  'message',
  'message_status',
  'consent_check',
  'delivery_policy',
  'engagement',
  'decision',
  'recommendation',
] as const;
export const TraceKind = z.enum(TRACE_KINDS);
export type TraceKind = z.infer<typeof TraceKind>;

/**
 * One thing Rapport saw or did for the person. Ids are stable and say what they point
 * at: `event:<log id>`, `run:<run id>`, `run:<run id>:<n>` (the n-th step taken),
 * `run:<run id>:end`, `message:<id>`, `message:<id>:<n>` (its n-th status change).
 * `causeId` names the entry that led to this one (null: nothing Rapport knows of).
 */
export const TraceEntry = z.object({
  id: z.string(),
  at: z.string().describe('ISO 8601 date-time'),
  kind: TraceKind,
  summary: z.string().describe('one sentence a marketer can read to the customer'),
  causeId: z.string().nullable(),
  refs: z.object({
    eventId: z.number().int().optional(),
    segmentId: z.string().optional(),
    journeyId: z.string().optional(),
    runId: z.string().optional(),
    stepId: z.string().optional(),
    messageId: z.string().optional(),
  }),
  detail: z.record(z.string(), z.unknown()),
});
export type TraceEntry = z.infer<typeof TraceEntry>;

export const PersonTrace = z.object({
  profileId: z.string(),
  entries: z.array(TraceEntry),
});
export type PersonTrace = z.infer<typeof PersonTrace>;

/** An entry another module adds (decisions, recommendations): `at` in epoch ms. */
export interface ExtraTraceEntry {
  readonly id: string;
  readonly at: number;
  readonly kind: TraceKind;
  readonly summary: string;
  readonly causeId?: string | null;
  readonly refs?: TraceEntry['refs'];
  readonly detail?: Record<string, unknown>;
}
