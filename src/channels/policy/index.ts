// Delivery policies, pure: frequency caps across journeys, quiet hours in the
// recipient's zone, and send-time optimization. Time comes in as `now` (epoch ms).
export { IsoDuration, durationMs } from './duration.js';
export {
  FrequencyCap,
  Priority,
  applyFrequencyCaps,
  type RecentSend,
  type CapCandidate,
  type CappedMessage,
  type CapDecision,
} from './frequency-caps.js';
export {
  TimeOfDay,
  QuietHours,
  QuietMode,
  isQuietAt,
  nextAllowedAt,
  applyQuietHours,
  type QuietDecision,
} from './quiet-hours.js';
export { chooseSendTime, type SendTimeInput, type SendTimeDecision } from './send-time.js';
