export { RecommendationService, type TrainResult } from './service.js';
export {
  interactionsOf,
  loadInteractions,
  toRecommendable,
  INTERACTION_EVENTS,
} from './interactions.js';
