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
export {
  ProfileProcessor,
  MAX_ATTEMPTS,
  countPending,
  type ProfileChange,
  type ProfileHook,
  type CommittedHook,
  type BatchResult,
} from './processor.js';
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
