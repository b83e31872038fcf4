import type { Kysely } from 'kysely';
import { exportPersonAudit, erasePersonAudit } from '../audit/index.js';
import {
  deleteDecisionsBefore,
  erasePersonDecisions,
  exportPersonDecisions,
} from '../decisions/index.js';
import type { EraseStep, RetentionStep } from '../erasure/index.js';
import {
  deleteEventsBefore,
  deleteRejectedBefore,
  erasePersonEvents,
  erasePersonRejected,
  exportPersonEvents,
} from '../ingest/index.js';
import { erasePersonJourneys, exportPersonJourneys } from '../journeys/index.js';
import {
  deleteMessagesBefore,
  erasePersonConsent,
  erasePersonMessages,
  exportPersonMessaging,
} from '../messaging/index.js';
import {
  erasePersonProfiles,
  erasePersonQuarantine,
  exportPersonProfiles,
  writeTombstones,
} from '../profiles/index.js';
import {
  deleteRecommendationExposuresBefore,
  erasePersonExperiments,
  erasePersonRecommendationExposures,
  exportPersonExperiments,
  recommendationExposuresOf,
} from '../measurement/index.js';
import { erasePersonModels } from '../recommend/index.js';
import { erasePersonSegments, exportPersonSegments } from '../segments/index.js';
import type { PersonRef } from '../shared/index.js';
import type { Database } from '../store/index.js';

/**
 * Every module's part of an erasure, in order (docs/privacy.md). The tombstone comes
 * first, so events arriving meanwhile are refused; then what would act on the person
 * (journeys, queued messages) stops before their data goes; profiles go last, as the
 * other steps find rows through the person's profile ids. A module that adds a table
 * with personal data adds its step here (test/privacy/coverage.test.ts fails until it
 * does, or until the table is listed in `NO_PERSONAL_DATA`).
 */
export const ERASE_STEPS: readonly EraseStep[] = [
  {
    name: 'tombstone',
    tables: ['erasure_tombstones'],
    run: (db, p, _limit, { hash, now }) => writeTombstones(db, p, hash, now),
  },
  { name: 'journeys', tables: ['journey_runs', 'journey_schedules'], run: erasePersonJourneys },
  { name: 'messages', tables: ['messages', 'message_events'], run: erasePersonMessages },
  {
    name: 'decisions',
    // Codes stay spent (never handed out twice) but lose the link to the person.
    tables: ['decisions', 'offer_codes'],
    run: async (db, p) => {
      const removed = { decisions: 0, offer_codes: 0 };
      for (const id of p.profileIds) {
        const r = await erasePersonDecisions(db, p.workspaceId, id);
        removed.decisions += r.decisions;
        removed.offer_codes += r.codes;
      }
      return removed;
    },
  },
  {
    name: 'experiments',
    tables: ['experiment_assignments', 'recommendation_exposures'],
    run: async (db, p) => {
      let removed = 0;
      let shown = 0;
      for (const id of p.profileIds) {
        removed += await erasePersonExperiments(db, p.workspaceId, id);
        shown += await erasePersonRecommendationExposures(db, p.workspaceId, id);
      }
      return { experiment_assignments: removed, recommendation_exposures: shown };
    },
  },
  {
    name: 'consent',
    tables: ['consents', 'consent_statements', 'suppressions', 'push_subscriptions'],
    run: (db, p, _limit, { hash, now }) => erasePersonConsent(db, p, hash, now),
  },
  {
    name: 'segments',
    tables: ['segment_members', 'segment_checks'],
    run: (db, p) => erasePersonSegments(db, p),
  },
  { name: 'quarantine', tables: ['quarantined_events'], run: erasePersonQuarantine },
  { name: 'events', tables: ['events'], run: erasePersonEvents },
  // After the events: a training that starts from here on no longer sees the person.
  {
    name: 'recommendation_models',
    tables: ['recommendation_models'],
    run: (db, p) => erasePersonModels(db, p),
  },
  { name: 'rejected', tables: ['rejected_events'], run: erasePersonRejected },
  { name: 'audit', tables: ['audit_log'], run: erasePersonAudit },
  {
    name: 'profiles',
    tables: ['profiles', 'identities', 'profile_merges'],
    run: (db, p) => erasePersonProfiles(db, p),
  },
];

/**
 * Tables that hold no personal data, each with why. Together with the tables of
 * `ERASE_STEPS` they must name every table of the migrated store.
 */
export const NO_PERSONAL_DATA: Readonly<Record<string, string>> = {
  workspaces: 'workspace names',
  change_log:
    'cache invalidations: ids of changed keys and profiles, kept ten minutes; an erasure removes those naming the person',
  api_keys: 'hashes of API keys',
  sessions: 'dashboard sessions: hashes of their tokens and keys, and times',
  workspace_settings: "the shop's own settings",
  workspace_secrets: 'generated secrets',
  allowed_origins: "the shop's own web origins (CORS)",
  workspace_models: 'aggregate model parameters (RFM boundaries, BG/NBD fits)',
  catalog_items: 'products',
  catalog_changes: 'product price and stock history',
  segments: 'segment definitions',
  journeys: 'journey definitions',
  journey_versions: 'journey definitions',
  cursors: 'positions of background jobs in the log',
  message_templates: 'templates (a person is only rendered into a message)',
  erasure_jobs: "status only: the person's ids are kept while the job runs, dropped when done",
  offers: 'offer definitions',
  offer_versions: 'offer definitions',
  placements: 'placement definitions',
  decision_policy_state: 'sums of rewards and features per offer; they name no one',
  experiments: 'experiment definitions',
  uplift_models:
    "coefficients of journeys' uplift models over computed traits, and counts; they name no one",
  encryption_keys: 'wrapped data keys',
  kysely_migration: 'applied migrations',
  kysely_migration_lock: 'the migration lock',
};

type Exporter = (db: Kysely<Database>, person: PersonRef) => Promise<Record<string, unknown>>;

/** Every module's part of an export; the keys of their answers make the bundle. */
export const EXPORTERS: readonly Exporter[] = [
  exportPersonProfiles,
  exportPersonEvents,
  exportPersonSegments,
  exportPersonJourneys,
  exportPersonMessaging,
  exportPersonAudit,
  async (db, p) => {
    const decisions: Record<string, unknown>[] = [];
    const codes: Record<string, unknown>[] = [];
    const experiments: Record<string, unknown>[] = [];
    const recommendationsShown: Record<string, unknown>[] = [];
    for (const id of p.profileIds) {
      for (const e of await recommendationExposuresOf(db, p.workspaceId, id))
        recommendationsShown.push({ ...e, servedAt: new Date(e.servedAt).toISOString() });
      const d = await exportPersonDecisions(db, p.workspaceId, id);
      decisions.push(...d.decisions);
      codes.push(...d.codes);
      experiments.push(...(await exportPersonExperiments(db, p.workspaceId, id)));
    }
    return { decisions, offerCodes: codes, experiments, recommendationsShown };
  },
];

/** Retention: what `privacy.retention` may expire, and which module deletes it. */
export const RETENTION_STEPS: readonly RetentionStep[] = [
  { name: 'events', setting: 'eventsDays', run: deleteEventsBefore },
  { name: 'messages', setting: 'messagesDays', run: deleteMessagesBefore },
  { name: 'rejected_events', setting: 'rejectedDays', run: deleteRejectedBefore },
  { name: 'decisions', setting: 'decisionsDays', run: deleteDecisionsBefore },
  // Recommendations shown over HTTP live as long as the messages they could have been.
  {
    name: 'recommendation_exposures',
    setting: 'messagesDays',
    run: deleteRecommendationExposuresBefore,
  },
];

/** One JSON bundle of everything held about the person (GDPR art. 15 and 20). */
export async function exportPerson(
  db: Kysely<Database>,
  person: PersonRef,
  now: number,
): Promise<Record<string, unknown>> {
  const bundle: Record<string, unknown> = {
    exportedAt: new Date(now).toISOString(),
    workspaceId: person.workspaceId,
    profileIds: person.profileIds,
    emails: person.emails,
  };
  for (const exporter of EXPORTERS) Object.assign(bundle, await exporter(db, person));
  return bundle;
}
