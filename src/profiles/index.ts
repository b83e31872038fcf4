export {
  ProfileFacts,
  deriveTraits,
  traitsChangeAt,
  ComputedTraits,
  unknownComputedPath,
  WorkspaceModel,
  defaultWorkspaceModel,
  UpliftScorer,
  UPLIFT_FEATURES,
  UPLIFT_FEATURE_NAMES,
  OTHER_LEVEL,
  encodeUplift,
  upliftFeatures,
} from './computed/index.js';
export { ProfileProcessor } from './processor.js';
export type { ProfileChange, PipelineStage, CommittedHook } from './pipeline-stage.js';
export { ModelCache } from './model-cache.js';
export { traitsAsOf } from './refold.js';
export { ProfileKind, ProfileView, ProfileList, ProfileListQuery } from './profile-view.js';
export {
  emailAddressesOf,
  eventIdentityOf,
  findProfileId,
  liveProfileId,
  loadFacts,
  profileView,
  listProfiles,
} from './profile-repo.js';
export { unmergeProfile } from './unmerge.js';
export { countProfiles, pipelineBacklog } from './profile-counts.js';
export { rebuildProfiles } from './rebuild.js';
export type { LoggedEvent } from './stored-event.js';
export {
  appendDerivedEvents,
  appendDerivedEventsMany,
  type Appended,
  type DerivedEvent,
} from './derived-events.js';
export { statedTraits } from './stated-traits.js';
export { personName } from './person-name.js';
export {
  QuarantineFilter,
  QuarantinePage,
  listQuarantined,
  retryQuarantined,
  dropQuarantined,
  countQuarantined,
} from './quarantine.js';
export {
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
  countLiveProfiles,
} from './profile-reads.js';
export {
  resolvePerson,
  exportPersonProfiles,
  erasePersonQuarantine,
  erasePersonProfiles,
  writeTombstones,
} from './personal-data.js';
export { eventNameSeen, seenEventNames } from './event-names.js';
