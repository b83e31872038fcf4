export { inGlobalControl, exportPersonExperiments, erasePersonExperiments } from './assignments.js';
export { journeyExposureHook, experimentMergeStage } from './journey-exposures.js';
