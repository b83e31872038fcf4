export * from './core/index.js';
export { JourneyStage, journeyEventOf } from './stage.js';
export {
  createJourney,
  getJourney,
  listJourneys,
  updateJourney,
  setJourneyStatus,
  checkJourney,
  loadJourneys,
  type LoadedJourney,
} from './journey-repo.js';
export { CreateJourney, JourneyOut, JourneyList, JourneyStats, JourneyState } from './journey.js';
export { rewriteCondition, conditionValidator, ConditionCache } from './conditions.js';
export { journeyStats, runsOfProfile } from './stats.js';
export { simulateJourney, SimulateInput } from './simulate-journey.js';
export { PRICE_DROPPED, BACK_IN_STOCK } from './special-triggers.js';
