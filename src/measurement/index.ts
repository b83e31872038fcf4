export { evaluateUplift, type UpliftEvaluation, DEFAULT_FOLDS } from './core/uplift/cross-fit.js';
export { upliftTable } from './core/uplift/dataset.js';
