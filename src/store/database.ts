import type { Generated } from 'kysely';
import type {
  DecisionPolicyStateTable,
  DecisionsTable,
  OfferCodesTable,
  OffersTable,
  OfferVersionsTable,
  PlacementsTable,
} from './decision-tables.js';
import type * as Measurement from './experiment-tables.js';
import type { EncryptionKeysTable } from './encryption-tables.js';
import type { ErasureJobsTable, ErasureTombstonesTable } from './erasure-tables.js';
import type { AllowedOriginsTable } from './origin-tables.js';
import type { RecommendationModelsTable } from './recommend-tables.js';
import type { AuditLogTable } from './audit-tables.js';
import type { ChangeLogTable } from './change-log-table.js';
import type { SessionsTable } from './session-tables.js';

export type { DecisionsTable } from './decision-tables.js';
export type { ExperimentsTable } from './experiment-tables.js';

/**
 * The hand-written schema of every table, shared by both stores. Times are epoch ms in
 * BIGINT columns; JSON is stored as text so both stores hold the client's bytes unchanged.
 */
export interface Database {
  workspaces: WorkspacesTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  events: EventsTable;
  rejected_events: RejectedEventsTable;
  audit_log: AuditLogTable;
  experiments: Measurement.ExperimentsTable;
  experiment_assignments: Measurement.ExperimentAssignmentsTable;
  uplift_models: Measurement.UpliftModelsTable;
  recommendation_exposures: Measurement.RecommendationExposuresTable;
  recommendation_models: RecommendationModelsTable;
  profiles: ProfilesTable;
  identities: IdentitiesTable;
  profile_merges: ProfileMergesTable;
  catalog_items: CatalogItemsTable;
  catalog_changes: CatalogChangesTable;
  workspace_settings: WorkspaceSettingsTable;
  allowed_origins: AllowedOriginsTable;
  workspace_models: WorkspaceModelsTable;
  segments: SegmentsTable;
  segment_members: SegmentMembersTable;
  segment_checks: SegmentChecksTable;
  journeys: JourneysTable;
  journey_versions: JourneyVersionsTable;
  journey_runs: JourneyRunsTable;
  messages: MessagesTable;
  message_events: MessageEventsTable;
  journey_schedules: JourneySchedulesTable;
  cursors: CursorsTable;
  message_templates: MessageTemplatesTable;
  consents: ConsentsTable;
  suppressions: SuppressionsTable;
  push_subscriptions: PushSubscriptionsTable;
  workspace_secrets: WorkspaceSecretsTable;
  quarantined_events: QuarantinedEventsTable;
  consent_statements: ConsentStatementsTable;
  offers: OffersTable;
  offer_versions: OfferVersionsTable;
  offer_codes: OfferCodesTable;
  placements: PlacementsTable;
  decision_policy_state: DecisionPolicyStateTable;
  decisions: DecisionsTable;
  encryption_keys: EncryptionKeysTable;
  erasure_jobs: ErasureJobsTable;
  erasure_tombstones: ErasureTombstonesTable;
  change_log: ChangeLogTable;
}

export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  scope: 'write' | 'read' | 'admin' | 'public';
  /** SHA-256 of the key, hex; keys are 192-bit random so a fast hash is enough. */
  key_hash: string;
  /** The first characters of the key, to tell keys apart in listings. */
  prefix: string;
  created_at: number;
  revoked_at: number | null;
  /** After this the key answers 401 (set at creation, or by a rotation's grace period). */
  expires_at: number | null;
  /** A label to tell keys apart in listings. */
  name: string | null;
}

export interface EventsTable {
  id: Generated<number>;
  workspace_id: string;
  message_id: string;
  type: string;
  /** Track event name, or page/screen name. */
  event: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  previous_id: string | null;
  group_id: string | null;
  /** Event time after clock-skew correction. */
  timestamp: number;
  received_at: number;
  sent_at: number | null;
  /** The event exactly as the client sent it (JSON text). */
  raw: string;
  /** NULL until the profile stage processed it; '' when it had no usable identity. */
  profile_id: string | null;
}

export interface RejectedEventsTable {
  id: Generated<number>;
  workspace_id: string;
  received_at: number;
  /** Position in the batch, or null for a single-event call. */
  batch_index: number | null;
  /** JSON array of `{path, problem}`. */
  details: string;
  raw: string;
}

export interface ProfilesTable {
  id: string;
  workspace_id: string;
  /** Set when this profile was merged into another; reads follow it. */
  merged_into: string | null;
  /** JSON of the profile facts (see profiles/computed). */
  facts: string;
  created_at: number;
  updated_at: number;
}

export interface IdentitiesTable {
  workspace_id: string;
  kind: string;
  value: string;
  profile_id: string;
  created_at: number;
  /** With encryption on, email and phone values sealed; `value` then holds the blind index. */
  sealed_value: string | null;
}

export interface ProfileMergesTable {
  id: Generated<number>;
  workspace_id: string;
  winner_id: string;
  loser_id: string;
  message_id: string | null;
  reason: string;
  identities: string;
  at: number;
  undone_at: number | null;
}

export interface CatalogItemsTable {
  workspace_id: string;
  id: string;
  title: string | null;
  /** JSON array. */
  categories: string;
  brand: string | null;
  price: number | null;
  currency: string | null;
  /** 1, 0 or NULL (unknown). */
  in_stock: number | null;
  stock: number | null;
  url: string | null;
  image: string | null;
  /** JSON array. */
  tags: string;
  /** JSON object. */
  attributes: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface CatalogChangesTable {
  id: Generated<number>;
  workspace_id: string;
  item_id: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  at: number;
}

export interface WorkspaceSettingsTable {
  workspace_id: string;
  settings: string;
  updated_at: number;
}

export interface WorkspaceModelsTable {
  workspace_id: string;
  kind: string;
  model: string;
  fitted_at: number;
}

export interface SegmentsTable {
  id: string;
  workspace_id: string;
  name: string;
  description: string | null;
  /** JSON of the validated definition. */
  definition: string;
  kind: string;
  version: number;
  backfilled_version: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface SegmentMembersTable {
  workspace_id: string;
  segment_id: string;
  profile_id: string;
  since: number;
}

export interface SegmentChecksTable {
  workspace_id: string;
  segment_id: string;
  profile_id: string;
  due_at: number;
}

export interface JourneysTable {
  workspace_id: string;
  id: string;
  name: string;
  /** draft | active | paused | archived */
  status: string;
  /** The version new runs start on. */
  version: number;
  /** The recipe the journey was built from. */
  recipe: string | null;
  created_at: number;
  updated_at: number;
}

export interface JourneyVersionsTable {
  workspace_id: string;
  journey_id: string;
  version: number;
  definition: string;
  created_at: number;
}

export interface JourneyRunsTable {
  id: string;
  workspace_id: string;
  journey_id: string;
  version: number;
  profile_id: string;
  key: string | null;
  status: string;
  step_id: string;
  holdout: number;
  wake_at: number | null;
  /** JSON RunState (see journeys/core). */
  state: string;
  entered_at: number;
  updated_at: number;
  ended_at: number | null;
}

export interface MessagesTable {
  id: string;
  workspace_id: string;
  profile_id: string;
  journey_id: string | null;
  run_id: string | null;
  step_id: string | null;
  idempotency_key: string;
  channel: string;
  kind: string;
  topic: string | null;
  priority: number;
  status: string;
  reason: string | null;
  payload: string;
  attempts: number;
  next_attempt_at: number | null;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

export interface MessageEventsTable {
  id: Generated<number>;
  message_id: string;
  status: string;
  detail: string | null;
  at: number;
}

export interface JourneySchedulesTable {
  workspace_id: string;
  journey_id: string;
  profile_id: string;
  due_at: number;
}

export interface CursorsTable {
  workspace_id: string;
  name: string;
  position: number;
}

export interface MessageTemplatesTable {
  workspace_id: string;
  id: string;
  name: string;
  channel: string;
  definition: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface ConsentsTable {
  workspace_id: string;
  profile_id: string;
  consents: string;
  updated_at: number;
}

export interface SuppressionsTable {
  workspace_id: string;
  channel: string;
  address: string;
  reason: string;
  at: number;
}

export interface PushSubscriptionsTable {
  id: string;
  workspace_id: string;
  profile_id: string;
  endpoint: string;
  keys: string;
  created_at: number;
}

export interface WorkspaceSecretsTable {
  workspace_id: string;
  kind: string;
  value: string;
  created_at: number;
}

export interface QuarantinedEventsTable {
  event_id: number;
  workspace_id: string;
  /** The last error, truncated. */
  error: string;
  attempts: number;
  quarantined_at: number;
}

export interface ConsentStatementsTable {
  id: Generated<number>;
  workspace_id: string;
  /** `profile:<id>` or `<channel>:<normalized address>`. */
  subject: string;
  /** `channel:email`, `topic:offers`, `personalization`. */
  target: string;
  state: string;
  source: string;
  /** When it was said (never after it was received). */
  at: number;
  recorded_at: number;
  origin_profile_id: string | null;
}
