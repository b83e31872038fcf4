export { API_TRIGGER_EVENT, listRecipes } from './core/index.js';
export { JourneyStage, type RunsSavedHook, type JourneyDecide } from './stage.js';
export {
  createJourney,
  getJourney,
  listJourneys,
  updateJourney,
  setJourneyStatus,
} from './journey-repo.js';
export { CreateJourney, JourneyOut, JourneyList, JourneyStats } from './journey.js';
export { journeyStats, runsOfProfile } from './stats.js';
export { journeyCountsByStatus, oldestDueTimer } from './journey-counts.js';
export { simulateJourney, SimulateInput } from './simulate-journey.js';
export { exportPersonJourneys, erasePersonJourneys } from './personal-data.js';
