export { EventWriter } from './event-writer.js';
export { IngestService, type IngestCounters } from './ingest-service.js';
export { RejectedKeeper, type RejectedCounters } from './rejected-keeper.js';
export { normalizeEvent, type NormalizedEvent } from './normalize.js';
export { MAX_BATCH_BYTES, MAX_EVENT_BYTES } from './limits.js';
export { eventsPerMinute } from './event-rate.js';
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
  RejectedFilter,
  RejectedPage,
  listEvents,
  listRejected,
} from './event-queries.js';
export {
  exportPersonEvents,
  erasePersonEvents,
  erasePersonRejected,
  deleteEventsBefore,
  deleteRejectedBefore,
} from './personal-data.js';
