export { SensitiveCategory, SENSITIVE_CATEGORIES, CATEGORY_TRAITS } from './categories.js';
export {
  SensitiveUse,
  TraitPattern,
  SensitiveAllowance,
  SensitiveSettings,
  DEFAULT_SENSITIVE_SETTINGS,
  sensitiveMatch,
  isAllowed,
  checkSensitiveUse,
  assertSensitiveUse,
  violationDetail,
  withoutSensitiveTraits,
  type SensitiveMatch,
  type AttributeUse,
  type SensitiveViolation,
} from './sensitive.js';
