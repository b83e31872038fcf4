// The pure core of journeys: the definition language, its validator, the stepper, entry
// rules, local-time arithmetic, templates and the simulator. No I/O anywhere in here.
export { Duration, durationMs, MAX_DURATION_MS } from './duration.js';
export { getPath, keyOf } from './paths.js';
export {
  JourneyEvent,
  SEGMENT_ENTERED,
  SEGMENT_EXITED,
  DATE_TRIGGER_EVENT,
  API_TRIGGER_EVENT,
} from './journey-event.js';
export {
  FilterOperator,
  EventFilter,
  EventMatcher,
  matchesOperator,
  matchesFilter,
  matchesEvent,
} from './event-filter.js';
export {
  WEEKDAYS,
  Weekday,
  LocalTimeOfDay,
  TimeZone,
  nextLocalTime,
  parseTimeOfDay,
  type LocalTimeSpec,
} from './local-time.js';
export {
  Condition,
  Trigger,
  EventTrigger,
  SegmentTrigger,
  DateTrigger,
  ApiTrigger,
  CatalogTrigger,
} from './triggers.js';
export {
  StepId,
  Step,
  WaitStep,
  BranchStep,
  SplitStep,
  SendStep,
  UpdateProfileStep,
  WebhookStep,
  ExitStep,
  Channel,
  Message,
  edgesOf,
  type StepType,
} from './steps.js';
export {
  JourneyDefinition,
  JourneyStatus,
  ReentryPolicy,
  ItemTracking,
  MAX_STEPS,
  type JourneyDefinitionInput,
} from './definition.js';
export {
  validateJourney,
  triggerHasKey,
  MAX_DEFINITION_BYTES,
  type ValidateOptions,
  type ValidationResult,
} from './validate.js';
export {
  RunState,
  RunStatus,
  AwaitedEvent,
  HistoryEntry,
  HISTORY_LIMIT,
  ENDED_STATUSES,
  isEnded,
  createRun,
  type CreateRunInput,
} from './run-state.js';
export { Item, itemsOf } from './items.js';
export type * from './effects.js';
export type { JourneyEnv, JourneyProfile, ConditionContext, AdvanceInput } from './env.js';
export { advance, MAX_STEPS_PER_ADVANCE, type AdvanceResult } from './advance.js';
export {
  matchTrigger,
  canEnter,
  interestCondition,
  type TriggerMatch,
  type PreviousRun,
} from './entry.js';
export { isHoldout } from './holdout.js';
export {
  nextDateTriggerAt,
  dateTriggerEvent,
  parseTraitDate,
  occurrenceDay,
  type TraitDate,
} from './date-trigger.js';
export { renderJson, renderText, renderUrl } from './render.js';
export {
  JOURNEY_RECIPES,
  listRecipes,
  buildFromRecipe,
  type JourneyRecipe,
  type RecipeListing,
  welcomeSeries,
  WelcomeSeriesParams,
  browseAbandonment,
  BrowseAbandonmentParams,
  cartAbandonment,
  CartAbandonmentParams,
  postPurchase,
  PostPurchaseParams,
  replenishment,
  ReplenishmentParams,
  birthday,
  BirthdayParams,
  winBack,
  WinBackParams,
  priceDrop,
  PriceDropParams,
  backInStock,
  BackInStockParams,
} from './recipes/index.js';
export { tryEnter, entryContext, type EnterResult } from './enter.js';
export {
  simulate,
  type SimulatedPerson,
  type SimulateOptions,
  type SimulationResult,
  type StepCounts,
  type StepReach,
  type GroupCounts,
} from './simulate.js';
export { entryEventNames, runEventNames } from './event-names.js';
