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
export { deriveTraits } from './derive-traits.js';
export {
  UpliftScorer,
  UpliftColumn,
  UPLIFT_FEATURES,
  UPLIFT_FEATURE_NAMES,
  OTHER_LEVEL,
  encodeUplift,
  scoreUplift,
  upliftFeatures,
} from './uplift-trait.js';
export { traitsChangeAt } from './trait-expiry.js';
export { ComputedTraits, AffinityScore } from './computed-traits.js';
export { unknownComputedPath, type UnknownComputedPath } from './computed-paths.js';
export {
  WorkspaceModel,
  ModelSettings,
  defaultWorkspaceModel,
  fitWorkspaceModel,
} from './workspace-model.js';
export {
  LifecycleStage,
  LIFECYCLE_STAGES,
  lifecycleStage,
  type LifecycleRules,
} from './lifecycle.js';
export { RfmBoundaries, RfmScores, rfmBoundaries, rfmScores, quantile } from './rfm.js';
export {
  BgNbdParams,
  BgNbdFit,
  fitBgNbd,
  bgnbdLogLikelihood,
  bgnbdPAlive,
  bgnbdExpectedPurchases,
  bgnbdUnconditionalExpected,
  type PurchaseSummary,
} from './bgnbd.js';
export {
  GammaGammaParams,
  GammaGammaFit,
  fitGammaGamma,
  gammaGammaLogLikelihood,
  gammaGammaExpectedSpend,
  type SpendSummary,
} from './gamma-gamma.js';
export { customerLifetimeValue, DAYS_PER_MONTH } from './clv.js';
export {
  purchaseHistory,
  purchaseSummary,
  spendSummary,
  type PurchaseHistory,
} from './purchase-history.js';
