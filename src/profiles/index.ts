export * from './computed/index.js';
export {
  IDENTITY_KINDS,
  IdentityKind,
  DEFAULT_BLOCKED_VALUES,
  DEFAULT_LIMITS,
  identifiersOf,
  resolveIdentity,
  normalizeEmail,
  normalizePhone,
  type Identifier,
  type IdentityLimits,
} from './identity/index.js';
export { ProfileProcessor, countPending } from './processor.js';
export {
  runStages,
  type ProfileChange,
  type PipelineStage,
  type CommittedHook,
} from './pipeline-stage.js';
export { MAX_ATTEMPTS, type BatchResult } from './settle-batch.js';
export { ModelCache } from './model-cache.js';
export {
  ProfileKind,
  ProfileView,
  ProfileList,
  ProfileListQuery,
  ProfileSummary,
} from './profile-view.js';
export {
  emailAddressesOf,
  eventIdentityOf,
  findProfileId,
  liveProfileId,
  loadFacts,
  profileView,
  listProfiles,
} from './profile-repo.js';
export { unmergeProfile, type UnmergeResult } from './unmerge.js';
export { rebuildProfiles, type RebuildResult } from './rebuild.js';
export { refoldFacts } from './refold.js';
export { toLoggedEvent, type LoggedEvent } from './stored-event.js';
export {
  appendDerivedEvents,
  appendDerivedEventsMany,
  type Appended,
  type DerivedEvent,
} from './derived-events.js';
export { statedTraits } from './stated-traits.js';
export {
  QuarantineFilter,
  QuarantinePage,
  QuarantinedEvent,
  listQuarantined,
  retryQuarantined,
  dropQuarantined,
  countQuarantined,
} from './quarantine.js';
export {
  decodeFacts,
  liveProfilePage,
  eachLiveProfilePage,
  liveFactsOf,
  identitiesOf,
  identitiesByKind,
  eventsOfPeople,
  peopleActiveBetween,
  eventsMentioning,
  processedThrough,
  attributedEventsPage,
  type LiveProfile,
  type IdentityRef,
  type PersonEventsQuery,
} from './profile-reads.js';
