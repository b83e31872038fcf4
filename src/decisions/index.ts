// The decisions module's public face. Everything else in src/decisions is private.
export { LoggedRow, type EvaluatedRow } from './core/ope/rows.js';
export { evaluatePolicy, ESTIMATORS, type OpeReport } from './core/ope/estimators.js';
export { contextFeatures } from './core/ope/reward-model.js';
export { replay, defaultLearners, type ReplayReport } from './core/ope/replay.js';
export { obdEvaluationRows } from './core/ope/obd.js';
export { withPolicyTarget } from './core/ope/targets.js';
export { PolicyConfig, PolicyState } from './core/types.js';
