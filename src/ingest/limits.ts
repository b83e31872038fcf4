/** Segment's limits: 32 KB per event, 500 KB per request. */
export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;
