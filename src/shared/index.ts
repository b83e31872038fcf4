export * from './errors.js';
export * from './zod-details.js';
export * from './clock.js';
export * from './ids.js';
export * from './version.js';
export * from './ttl-cache.js';
export { lowerThreadPriority, BACKGROUND_NICE } from './background-priority.js';
export { workerScript, type WorkerScript } from './worker-script.js';
export {
  isValidTimeZone,
  resolveTimeZone,
  Zone,
  addDays,
  localDateString,
  type CivilDate,
  type LocalDateTime,
  type TimeOfDay,
  type Disambiguation,
} from './time-zone.js';
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
