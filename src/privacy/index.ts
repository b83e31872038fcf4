// The consent core: what each person said yes or no to, the one decision every send goes
// through, and the signed links of the preference center. Pure (no I/O, no clock):
// times come in as arguments. Imports only `shared`.
export {
  ConsentChannel,
  ConsentState,
  ConsentSource,
  Topic,
  Consents,
  ConsentChange,
  emptyConsents,
  targetName,
  parseTargetName,
  foldStatements,
  compareStatements,
  consentFromTraits,
  ConsentUpdate,
  changesFromUpdate,
  Suppression,
  normalizeAddress,
  ConsentPolicy,
  DEFAULT_CONSENT_POLICY,
  mayContact,
  mayPersonalize,
} from './consent/index.js';
export {
  signPayload,
  verifyPayload,
  peekPayload,
  ConsentTokenClaims,
  signToken,
  verifyToken,
  type TokenResult,
} from './tokens/index.js';
export {
  SensitiveSettings,
  DEFAULT_SENSITIVE_SETTINGS,
  checkSensitiveUse,
  assertSensitiveUse,
  violationDetail,
  withoutSensitiveTraits,
  type AttributeUse,
} from './sensitive/index.js';
