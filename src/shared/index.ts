export {
  type ErrorDetail,
  AppError,
  ValidationError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  RenderLimitError,
  ConfigError,
  CorruptDataError,
  RateLimitedError,
} from './errors.js';
export { zodDetails, decodeJson, type Decoded } from './zod-details.js';
export { type Clock, systemClock } from './clock.js';
export { newId, newTimeOrderedId } from './ids.js';
export { VERSION } from './version.js';
export { TtlCache } from './ttl-cache.js';
export { LogBudget } from './log-budget.js';
export { redactContacts } from './redact-contacts.js';
export { lowerThreadPriority } from './background-priority.js';
export { workerScript } from './worker-script.js';
export { isValidTimeZone, resolveTimeZone, Zone, addDays, localDateString } from './time-zone.js';
export { zoneNamed, canonicalTimeZone, localHour, utcOffsetMinutes } from './zone-cache.js';
export {
  parseIsoDuration,
  isoDurationMs,
  checkIsoDuration,
  type DurationRules,
  type ParsedDuration,
} from './iso-duration.js';
export { mulberry32, seededRandom, type Random } from './random.js';
export { pushTo, groupBy } from './group-by.js';
export { didYouMean } from './did-you-mean.js';
export { PersonRef, removedCount, identifierValues, type Removed } from './personal-data.js';
export { csvLine } from './csv-write.js';
