// The decisions module's public face. Everything else in src/decisions is private.
export { LoggedRow, type EvaluatedRow } from './core/ope/rows.js';
export { evaluatePolicy, ESTIMATORS, type OpeReport } from './core/ope/estimators.js';
export { contextFeatures } from './core/ope/reward-model.js';
export { replay, defaultLearners, type ReplayReport } from './core/ope/replay.js';
export { obdEvaluationRows } from './core/ope/obd.js';
export {
  Offer,
  OfferInput,
  OfferChannel,
  CreateOffer,
  OfferList,
  CodesInput,
  CodesResult,
} from './offer.js';
export { Placement, PlacementInput, CreatePlacement, PlacementList } from './placement.js';
export { DecideInput, DecidePreview, DecideResult } from './decision.js';
export { listOffers, getOffer, createOffer, updateOffer } from './offers-repo.js';
export { deleteOffer } from './delete-offer.js';
export { offerVersions, OfferVersions } from './offer-versions.js';
export { checkOffer, OfferCheck, OfferCheckInput } from './offer-check.js';
export { placementStats, PlacementStats } from './placement-stats.js';
export {
  listPlacements,
  getPlacement,
  createPlacement,
  updatePlacement,
  deletePlacement,
} from './placements-repo.js';
export { importCodes, freeCodes } from './codes.js';
export { DecisionService, type ConsentLookup } from './decide.js';
export { learnStep } from './learner.js';
export { decisionsStage } from './rewards.js';
export {
  decisionLogRows,
  exportPersonDecisions,
  erasePersonDecisions,
  deleteDecisionsBefore,
} from './person-data.js';
export { withPolicyTarget } from './core/ope/targets.js';
export { PolicyConfig, PolicyState } from './core/types.js';
