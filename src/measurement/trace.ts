// The shell of GET /v1/profiles/{kind}/{value}/trace: reads the person's events, journey
// runs and messages through the owning modules' functions (this module owns none of
// those tables) and assembles them (core/trace/assemble.ts).

import type { Kysely } from 'kysely';
import { runsOfProfile } from '../journeys/index.js';
import { listMessages } from '../messaging/index.js';
import { eventsOfPeople } from '../profiles/index.js';
import type { Database } from '../store/index.js';
import { assembleTrace, type TraceMessage } from './core/trace/assemble.js';
import type { ExtraTraceEntry, PersonTrace } from './core/trace/trace-entry.js';
import { recommendationExposuresOf } from './recommendation-exposures.js';
import { messageRecommendations, servedRecommendations } from './trace-recommendations.js';

/**
 * A source of extra trace entries another module keeps, such as decisions (policy,
 * propensity) or logged recommendations. The trace route passes the sources it is given;
 * wiring a new module's source in is one line there.
 */
export type TraceSource = (
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
) => Promise<readonly ExtraTraceEntry[]>;

const PAGE = 500;

async function messagesOf(db: Kysely<Database>, workspaceId: string, profileId: string) {
  const out: TraceMessage[] = [];
  const recommendations: ExtraTraceEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await listMessages(db, workspaceId, {
      profileId,
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    for (const m of page.messages) {
      recommendations.push(...messageRecommendations(m));
      out.push({
        id: m.id,
        journeyId: m.journeyId,
        runId: m.runId,
        stepId: m.stepId,
        channel: m.channel,
        kind: m.kind,
        topic: m.topic,
        createdAt: Date.parse(m.createdAt),
        history: m.history.map((h) => ({
          status: h.status,
          at: Date.parse(h.at),
          detail: h.detail,
        })),
      });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { messages: out, recommendations };
}

/** The trace of one (live) profile, with the entries of each extra source (`extraSources`: the hook). */
export async function personTrace(
  db: Kysely<Database>,
  workspaceId: string,
  profileId: string,
  extraSources: readonly TraceSource[] = [],
): Promise<PersonTrace> {
  const events = (await eventsOfPeople(db, [profileId])).get(profileId) ?? [];
  const runs = await runsOfProfile(db, workspaceId, profileId);
  const { messages, recommendations } = await messagesOf(db, workspaceId, profileId);
  const served = servedRecommendations(await recommendationExposuresOf(db, workspaceId, profileId));
  const extra = [
    ...recommendations,
    ...served,
    ...(await Promise.all(extraSources.map((s) => s(db, workspaceId, profileId)))).flat(),
  ];
  const entries = assembleTrace({
    events: events
      .filter((e) => e.workspaceId === workspaceId)
      .map((e) => ({
        id: e.id,
        messageId: e.messageId,
        type: e.type,
        event: e.event,
        timestamp: e.timestamp,
        properties: e.properties ?? {},
      })),
    runs: runs.map((r) => ({
      runId: r.runId,
      journeyId: r.journeyId,
      holdout: r.holdout,
      status: r.status,
      enteredAt: Date.parse(r.enteredAt),
      endedAt: r.endedAt === null ? null : Date.parse(r.endedAt),
      endReason: r.endReason,
      trigger: r.trigger,
      history: r.history.map((h) => ({
        stepId: h.stepId,
        at: Date.parse(h.at),
        outcome: h.outcome,
      })),
    })),
    messages,
    extra,
  });
  return { profileId, entries };
}
