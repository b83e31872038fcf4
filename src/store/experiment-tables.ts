/** The measurement module's tables (see database.ts for the conventions). */

export interface ExperimentsTable {
  workspace_id: string;
  /** `journey:<id>`, `step:<journey>:<step>`, or an id given at creation. */
  id: string;
  /** `journey` | `journey_step` | `template` | `placement` | `global_control` */
  kind: string;
  /** What is tested: a journey id, `<journey>/<step>`, a template id, a placement id. */
  subject_id: string;
  name: string;
  /** Hashed with the person's id to pick the arm. */
  salt: string;
  /** JSON `[{ "name", "weight", "variant"? }]`. */
  arms: string;
  control_arm: string;
  conversion_event: string;
  /** ISO 8601 duration after first exposure. */
  attribution_window: string;
  /** 1 when made from a journey's holdout or split step, 0 when created through the API. */
  implicit: number;
  created_at: number;
  updated_at: number;
}

export interface ExperimentAssignmentsTable {
  workspace_id: string;
  experiment_id: string;
  profile_id: string;
  arm: string;
  /** The first exposure; a later record never replaces it. */
  assigned_at: number;
}

export interface UpliftModelsTable {
  workspace_id: string;
  journey_id: string;
  /** `trained` | `insufficient_data` | `failed`: the latest attempt. */
  status: string;
  /** One sentence: what was trained on, or what is missing. */
  detail: string;
  /** JSON: people and conversions per arm the attempt saw. */
  sample: string;
  /** JSON: average effect and held-out Qini, AUUC, uplift@k per model; null until trained. */
  metrics: string | null;
  /** JSON `UpliftScorer` of the last successful training; null until one. */
  scorer: string | null;
  attempted_at: number;
  trained_at: number | null;
}

export interface RecommendationExposuresTable {
  id: string;
  workspace_id: string;
  profile_id: string;
  /** Where they were served: `api` (GET /v1/recommendations). */
  source: string;
  /** JSON `[{ itemId, strategy, reason: { code, text, itemId? } }]`. */
  items: string;
  served_at: number;
}
