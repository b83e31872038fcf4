import type { Kysely } from 'kysely';
import { loadRecipient, sentMessagesBetween, type SentMessage } from '../messaging/index.js';
import { countLiveProfiles, type ModelCache } from '../profiles/index.js';
import type { Database } from '../store/index.js';
import {
  effectiveness,
  engagementBaselines,
  KEY_TRAITS,
  preferredChannel,
  type PersonQuality,
} from './effectiveness.js';
import { allExperiments } from './experiments-repo.js';
import { maturity } from './maturity.js';

const DAY = 86_400_000;
/** Scorecards look at the messages of the last 90 days. */
export const SCORECARD_DAYS = 90;

/** Experiments with people in their control arm and in another arm. */
async function controlledExperiments(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const rows = await db
    .selectFrom('experiment_assignments')
    .select(['experiment_id', 'arm'])
    .distinct()
    .where('workspace_id', '=', workspaceId)
    .execute();
  const arms = new Map<string, Set<string>>();
  for (const r of rows)
    arms.set(r.experiment_id, (arms.get(r.experiment_id) ?? new Set()).add(r.arm));
  let n = 0;
  for (const e of await allExperiments(db, workspaceId)) {
    const seen = arms.get(e.id);
    if (seen?.has(e.controlArm) && [...seen].some((a) => a !== e.controlArm)) n++;
  }
  return n;
}

/** `GET /v1/reports/maturity`. */
export async function maturityReport(db: Kysely<Database>, workspaceId: string, now: number) {
  const messages = await sentMessagesBetween(db, workspaceId, now - SCORECARD_DAYS * DAY, now);
  return {
    window: {
      from: new Date(now - SCORECARD_DAYS * DAY).toISOString(),
      to: new Date(now).toISOString(),
    },
    ...maturity({
      messages,
      people: await countLiveProfiles(db, workspaceId),
      controlledExperiments: await controlledExperiments(db, workspaceId),
    }),
  };
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/** `GET /v1/reports/effectiveness`: overall and per journey. */
export async function effectivenessReport(
  db: Kysely<Database>,
  models: ModelCache,
  workspaceId: string,
  now: number,
) {
  const messages = await sentMessagesBetween(db, workspaceId, now - SCORECARD_DAYS * DAY, now);
  const byPerson = new Map<string, SentMessage[]>();
  for (const m of messages) byPerson.set(m.profileId, [...(byPerson.get(m.profileId) ?? []), m]);
  const quality = new Map<string, PersonQuality>();
  const preferred = new Map<string, string | null>();
  for (const [profileId, own] of byPerson) {
    const r = await loadRecipient(db, models, workspaceId, profileId, now);
    if (!r) continue;
    const stated =
      typeof r.traits.preferred_channel === 'string' ? r.traits.preferred_channel : null;
    const filled = KEY_TRAITS.filter((k) => present(r.traits[k])).length + (r.timezone ? 1 : 0);
    quality.set(profileId, {
      identified: (r.identities.user_id?.length ?? 0) > 0 || r.email !== undefined,
      consentRecorded: Object.keys(r.consents.channels).length > 0,
      completeness: filled / (KEY_TRAITS.length + 1),
      statedChannel: stated,
    });
    preferred.set(profileId, preferredChannel(own, stated));
  }
  // Each person's baseline comes from every message they were sent, so a journey is
  // measured against what its people give the whole program.
  const baselines = engagementBaselines(messages);
  const byJourney = new Map<string, SentMessage[]>();
  for (const m of messages) {
    const key = m.journeyId ?? '';
    byJourney.set(key, [...(byJourney.get(key) ?? []), m]);
  }
  return {
    window: {
      from: new Date(now - SCORECARD_DAYS * DAY).toISOString(),
      to: new Date(now).toISOString(),
    },
    overall: effectiveness(messages, quality, preferred, baselines),
    journeys: [...byJourney]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([journeyId, ms]) => ({
        journeyId: journeyId === '' ? null : journeyId,
        ...effectiveness(ms, quality, preferred, baselines),
      })),
  };
}
