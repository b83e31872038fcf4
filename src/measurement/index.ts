export { evaluateUplift, type UpliftEvaluation, DEFAULT_FOLDS } from './core/uplift/cross-fit.js';
export { upliftTable } from './core/uplift/dataset.js';
export { personTrace, type TraceSource } from './trace.js';
export { PersonTrace } from './core/trace/trace-entry.js';
export { inGlobalControl, exportPersonExperiments, erasePersonExperiments } from './assignments.js';
export { journeyExposureHook, experimentMergeStage } from './journey-exposures.js';
export {
  CreateExperiment,
  UpdateExperiment,
  ExperimentWithCounts,
  ExperimentList,
} from './experiment.js';
export { createExperiment, getExperiment, updateExperiment } from './experiments-repo.js';
export {
  listExperiments,
  experimentWithCounts,
  syncJourneyExperiments,
} from './experiments-list.js';
export { ExperimentReport, experimentReport, programReport } from './report.js';
export { maturityReport, effectivenessReport } from './scorecards.js';
export { MaturityReport, EffectivenessReport } from './scorecard-schemas.js';
export { templateVariantFor } from './template-variants.js';
export { PlacementAssignments } from './placement-arms.js';
export { trainJourneyUplift, journeysDueForUplift } from './journey-uplift.js';
export { UpliftStatus, upliftStatus, loadUpliftScorers } from './uplift-models-repo.js';
export {
  ExposureLog,
  recommendationExposuresOf,
  erasePersonRecommendationExposures,
  deleteRecommendationExposuresBefore,
} from './recommendation-exposures.js';
