export { EventWriter } from './event-writer.js';
export { IngestService, type IngestCounters, type RejectedGate } from './ingest-service.js';
export {
  RejectedKeeper,
  CLEANUP_BATCH,
  type RejectedPolicy,
  type RejectedCounters,
} from './rejected-keeper.js';
export { normalizeEvent, type NormalizedEvent } from './normalize.js';
export { batchElementSources } from './raw-elements.js';
export { MAX_BATCH_BYTES, MAX_EVENT_BYTES } from './limits.js';
export {
  BatchRequest,
  BatchResponse,
  SingleResponse,
  SegmentEvent,
  SCHEMA_BY_TYPE,
  EVENT_TYPES,
  type EventType,
} from './segment-schemas.js';
export {
  EventFilter,
  EventPage,
  StoredEvent,
  RejectedFilter,
  RejectedPage,
  listEvents,
  listRejected,
} from './event-queries.js';
