// The recommendation engine's public face. Everything else in src/recommend is private.
export { Interaction, CatalogItem } from './schemas.js';
export type { ModelConfigInput } from './model-config.js';
export { RecommendResponse } from './request.js';
export { recommendParamShape, requestFromParams } from './params.js';
export type { Model } from './model.js';
export { train } from './train.js';
export { tuneConfig } from './train-tuned.js';
export { PersonalizedConfig } from './model-config.js';
export { Recommender } from './recommender.js';
export { evaluate, type Evaluation } from './evaluate.js';
export { TuningReport, formatTuning } from './tuning-report.js';
export type { RowProblem } from './interactions-csv.js';
export { readInteractionsCsv, type ReadResult } from './read-interactions.js';
export { heldOutTruth, itemPopularity, recommendAll } from './offline-eval.js';
// The serving shell: training from the log, per-workspace registries, live updates.
export { RecommendationService } from './serving/index.js';
export { erasePersonModels } from './serving/model-store.js';
