export { evaluateUplift, type UpliftEvaluation, DEFAULT_FOLDS } from './core/uplift/cross-fit.js';
export { upliftTable } from './core/uplift/dataset.js';
export { personTrace, type TraceSource } from './trace.js';
export { PersonTrace } from './core/trace/trace-entry.js';
