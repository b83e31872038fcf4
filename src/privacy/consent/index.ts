export {
  CONSENT_CHANNELS,
  ConsentChannel,
  ConsentState,
  ConsentSource,
  Topic,
  ConsentEntry,
  Consents,
  ConsentTarget,
  ConsentChange,
  emptyConsents,
  consentFor,
  targetName,
  parseTargetName,
} from './consent.js';
export { foldStatements, compareStatements, SOURCE_STRENGTH } from './merge.js';
export { consentFromTraits, type TraitConsent } from './from-traits.js';
export { ConsentUpdate, changesFromUpdate } from './update.js';
export { Suppression, normalizeAddress, findSuppression } from './suppression.js';
export {
  ConsentMode,
  ConsentPolicy,
  DEFAULT_CONSENT_POLICY,
  mayContact,
  mayPersonalize,
  type ContactRequest,
  type ContactRefusal,
  type ContactDecision,
} from './decide.js';
