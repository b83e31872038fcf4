import type { Generated } from 'kysely';

// The decisions module's tables (migration 0015), apart to keep database.ts short.

/** The live version of an offer; its budget counters are spent by one conditional UPDATE. */
export interface OffersTable {
  workspace_id: string;
  id: string;
  version: number;
  /** JSON: the offer as the API takes it. */
  definition: string;
  budget_count: number | null;
  budget_spend: number | null;
  spent_count: Generated<number>;
  spent_amount: Generated<number>;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface OfferVersionsTable {
  workspace_id: string;
  offer_id: string;
  version: number;
  definition: string;
  created_at: number;
}

export interface OfferCodesTable {
  id: Generated<number>;
  workspace_id: string;
  offer_id: string;
  code: string;
  /** Set once when handed out, never cleared. */
  assigned_at: number | null;
  profile_id: string | null;
  decision_id: string | null;
  redeemed_at: number | null;
  imported_at: number;
}

export interface PlacementsTable {
  workspace_id: string;
  /** The placement's name (`email_hero`). */
  id: string;
  version: number;
  definition: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface DecisionPolicyStateTable {
  workspace_id: string;
  placement_id: string;
  policy_version: number;
  /** JSON: the policy's sufficient statistics. */
  state: string;
  revision: number;
  updated_at: number;
}

export interface DecisionsTable {
  id: string;
  workspace_id: string;
  profile_id: string | null;
  placement_id: string;
  offer_id: string;
  offer_version: number;
  policy_kind: string;
  policy_version: number;
  propensity: number;
  /** JSON: every candidate's probability under the policy. */
  distribution: string;
  features: string;
  context: string;
  reasons: string;
  holdout: number;
  code: string | null;
  dedupe_key: string | null;
  created_at: number;
  attribution_ends_at: number;
  clicked_at: number | null;
  converted_at: number | null;
  redeemed_at: number | null;
  revenue: Generated<number>;
  reward: Generated<number>;
  learned_at: number | null;
}
