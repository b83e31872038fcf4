export { ProfileEvent, PROFILE_EVENT_TYPES, type ProfileEventType } from './profile-event.js';
export {
  ProfileFacts,
  OrderFact,
  RefundFact,
  DeviceFact,
  Touch,
  Channel,
  ChannelCounts,
  CHANNELS,
  AFFINITY_KINDS,
  emptyFacts,
  type AffinityKind,
  type Stamped,
} from './facts-schema.js';
export { applyEvent, foldEvents } from './apply-event.js';
export { mergeFacts } from './merge-facts.js';
export { SESSION_GAP_MS } from './sessions.js';
export { AFFINITY_HORIZON_DAYS } from './affinity-facts.js';
export {
  AFFINITY_WEIGHTS,
  ENGAGEMENT_EVENTS,
  GENERIC_ENGAGEMENT,
  isPassive,
  normalName,
} from './event-kinds.js';
