import type { Database } from './database.js';

/**
 * Every table of the schema, checked against `Database` by the compiler: a table added
 * there and not here (or the reverse) fails to build. `rapport migrate` copies every table
 * the source's catalog lists (what the migrations made), and its test checks that list
 * against this registry, so neither can drift from the other unnoticed.
 */
export const TABLES = {
  workspaces: true,
  api_keys: true,
  events: true,
  rejected_events: true,
  audit_log: true,
  experiments: true,
  experiment_assignments: true,
  profiles: true,
  identities: true,
  profile_merges: true,
  catalog_items: true,
  catalog_changes: true,
  workspace_settings: true,
  allowed_origins: true,
  sessions: true,
  uplift_models: true,
  recommendation_exposures: true,
  recommendation_models: true,
  workspace_models: true,
  segments: true,
  segment_members: true,
  segment_checks: true,
  journeys: true,
  journey_versions: true,
  journey_runs: true,
  messages: true,
  message_events: true,
  journey_schedules: true,
  cursors: true,
  message_templates: true,
  consents: true,
  suppressions: true,
  push_subscriptions: true,
  workspace_secrets: true,
  quarantined_events: true,
  consent_statements: true,
  offers: true,
  offer_versions: true,
  offer_codes: true,
  placements: true,
  decision_policy_state: true,
  decisions: true,
  encryption_keys: true,
  erasure_jobs: true,
  erasure_tombstones: true,
  change_log: true,
} as const satisfies Record<keyof Database, true>;

export type TableName = keyof typeof TABLES;

export const TABLE_NAMES = Object.keys(TABLES) as TableName[];
