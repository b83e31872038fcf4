// The recommendation engine's public face. Everything else in src/recommend is private.
export {
  Interaction,
  InteractionKind,
  INTERACTION_KINDS,
  CatalogItem,
  type CatalogItemInput,
  AttributeValue,
  FeedbackWeights,
} from './schemas.js';
export {
  ModelConfig,
  type ModelConfigInput,
  HistoryConfig,
  PopularConfig,
  TrendingConfig,
  BoughtTogetherConfig,
  ViewedTogetherConfig,
  PersonalizedConfig,
  SimilarConfig,
  AlsParams,
  defaultModelConfigs,
} from './model-config.js';
export {
  RecommendRequest,
  type RecommendRequestInput,
  RecommendResponse,
  RecommendedItem,
  Reason,
  ReasonCode,
  Boost,
  ItemMatch,
  HistoryEvent,
} from './request.js';
export {
  type Model,
  type ModelKind,
  type ModelBundle,
  serializeBundle,
  deserializeBundle,
} from './model.js';
export type { HistoryModel } from './history.js';
export type { PopularityModel } from './popularity.js';
export type { CoOccurrenceModel } from './co-occurrence.js';
export type { EaseModel } from './ease.js';
export type { AlsModel } from './als.js';
export type { ContentModel } from './content.js';
export { train, trainModels, parseCatalog, checkInteractions } from './train.js';
export { Recommender, type RecommenderOptions } from './recommender.js';
export { spdInverseInPlace, NotPositiveDefiniteError } from './spd-inverse.js';
export {
  evaluate,
  recallAt,
  ndcgAt,
  hitAt,
  popularityPercentiles,
  pairedNdcgDifference,
  type Evaluation,
  type Estimate,
  type EvaluateOptions,
} from './evaluate.js';
export { parseTimestamp, parseHeader, parseRow, type RowProblem } from './interactions-csv.js';
export { readInteractionsCsv, type ReadOptions, type ReadResult } from './read-interactions.js';
export { ModelRegistry, type RegistryOptions, type VersionInfo } from './registry.js';
export { trainInWorker, type TrainInWorkerOptions } from './train-worker.js';
export { heldOutTruth, itemPopularity, recommendAll } from './offline-eval.js';
// The serving shell: training from the log, per-workspace registries, live updates.
export {
  RecommendationService,
  type TrainResult,
  interactionsOf,
  loadInteractions,
  toRecommendable,
} from './serving/index.js';
