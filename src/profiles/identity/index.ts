export {
  IDENTITY_KINDS,
  IdentityKind,
  DEFAULT_BLOCKED_VALUES,
  KIND_PRIORITY,
  identityKey,
  identifiersOf,
  isBlocked,
  normalizeEmail,
  normalizePhone,
  Identifier,
  type EventIds,
} from './identifiers.js';
export {
  resolveIdentity,
  DEFAULT_LIMITS,
  type IdentityLimits,
  type IdentityView,
  type IdentityDecision,
} from './resolve.js';
