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
