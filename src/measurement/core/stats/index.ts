// The statistics of measurement, pure: experiments' reports and the uplift evaluation call these.
export type { Interval, Estimate, BinaryArm, ConfidenceOption } from './types.js';
export { DEFAULT_CONFIDENCE } from './types.js';
export {
  normalCdf,
  normalQuantile,
  twoSidedP,
  zFor,
  logGamma,
  chiSquareCdf,
  chiSquareSurvival,
} from './distributions.js';
export {
  type ArmRate,
  type RelativeLift,
  type ProportionComparison,
  armRate,
  compareProportions,
  ratioLift,
} from './proportions.js';
export { type SrmResult, SRM_THRESHOLD, sampleRatioMismatch } from './srm.js';
export {
  type MeanSummary,
  type RevenueOptions,
  type RevenueComparison,
  DEFAULT_RESAMPLES,
  summarize,
  quantileSorted,
  compareRevenue,
} from './revenue.js';
export { type CupedUnit, type CupedArm, type CupedResult, cuped } from './cuped.js';
export {
  type NormalLook,
  type SequentialOptions,
  type SequentialStep,
  type SequentialResult,
  DEFAULT_TAU,
  DEFAULT_ALPHA,
  mixtureSprt,
  sequentialMonitor,
  proportionLook,
  sequentialProportions,
} from './sequential.js';
