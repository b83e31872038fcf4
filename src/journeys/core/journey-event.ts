import { z } from 'zod';

/**
 * An event as the stepper sees it: a person's track/page/screen event, a `Segment
 * Entered`/`Segment Exited` event, a catalog event, or a synthetic date/API trigger.
 * Paths in definitions (`properties.cart_id`) are read from this object.
 */
export const JourneyEvent = z.object({
  event: z.string().min(1),
  /** Epoch milliseconds. */
  timestamp: z.number(),
  messageId: z.string().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});
export type JourneyEvent = z.infer<typeof JourneyEvent>;

/** Emitted by the segments engine; `properties.segment_id` names the segment. */
export const SEGMENT_ENTERED = 'Segment Entered';
export const SEGMENT_EXITED = 'Segment Exited';
/** Synthesized by the shell when a date trigger fires (see `dateTriggerEvent`). */
export const DATE_TRIGGER_EVENT = 'Journey Date Reached';
/** Synthesized by the shell for `POST /v1/journeys/{id}/trigger` style API entries. */
export const API_TRIGGER_EVENT = 'Journey API Triggered';
