import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  defaultWorkspaceModel,
  deriveTraits,
  toLoggedEvent,
  type ProfileFacts,
} from '../profiles/index.js';
import { ValidationError, pushTo } from '../shared/index.js';
import { indexEvents, type SubjectEvent } from '../segments/index.js';
import type { Database } from '../store/index.js';
import { ConditionCache } from './conditions.js';
import {
  simulate,
  type JourneyDefinition,
  type SimulatedPerson,
  type SimulationResult,
} from './core/index.js';
import { checkJourney, getJourney } from './journey-repo.js';
import { journeyEventOf } from './stage.js';

export const SimulateInput = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  profileIds: z.array(z.string().min(1)).min(1).max(10_000).optional(),
  /** Simulate this draft instead of the saved definition. */
  definition: z.unknown().optional(),
  seed: z.union([z.string(), z.number()]).default(1),
  /** People considered at most (those with events in the window, by id). */
  limit: z.number().int().min(1).max(50_000).default(10_000),
});
export type SimulateInput = z.infer<typeof SimulateInput>;

/**
 * Replays people's logged events through a journey (a saved one or a draft) with a
 * virtual clock: how many would reach each step, and when. Nothing is written or sent.
 */
export async function simulateJourney(
  db: Kysely<Database>,
  workspaceId: string,
  journeyId: string,
  input: SimulateInput,
  now: number,
): Promise<SimulationResult> {
  const saved = await getJourney(db, workspaceId, journeyId);
  const def: JourneyDefinition = await checkJourney(
    db,
    workspaceId,
    input.definition === undefined
      ? saved.definition
      : { ...(input.definition as object), id: journeyId },
  );
  const to = input.to ? Date.parse(input.to) : now;
  const from = input.from ? Date.parse(input.from) : to - 30 * 86_400_000;
  if (from >= to)
    throw new ValidationError('Nothing to replay.', [
      { path: 'from', problem: 'must be before to' },
    ]);

  let ids = input.profileIds;
  if (!ids) {
    const rows = await db
      .selectFrom('events')
      .select('profile_id')
      .distinct()
      .where('workspace_id', '=', workspaceId)
      .where('timestamp', '>=', from)
      .where('timestamp', '<=', to)
      .where('profile_id', 'is not', null)
      .where('profile_id', '!=', '')
      .limit(input.limit)
      .execute();
    ids = rows.map((r) => r.profile_id!);
  }
  const people: SimulatedPerson[] = [];
  const histories = new Map<string, SubjectEvent[]>();
  const facts = new Map<string, ProfileFacts>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const p of await db
      .selectFrom('profiles')
      .select(['id', 'facts'])
      .where('id', 'in', chunk)
      .execute()) {
      facts.set(p.id, JSON.parse(p.facts) as ProfileFacts);
    }
    const rows = await db
      .selectFrom('events')
      .selectAll()
      .where('profile_id', 'in', chunk)
      .where('timestamp', '<=', to)
      .orderBy('timestamp')
      .execute();
    for (const row of rows) {
      const e = toLoggedEvent(row);
      pushTo(histories, row.profile_id!, {
        type: e.type,
        event: e.event,
        timestamp: e.timestamp,
        properties: e.properties,
        context: e.context,
      });
    }
  }
  const model = defaultWorkspaceModel(to);
  for (const id of ids) {
    const f = facts.get(id);
    if (!f) continue;
    const { traits, timezone, ...computed } = deriveTraits(f, to, model);
    const events = (histories.get(id) ?? [])
      .filter((e) => e.timestamp >= from)
      .map((e) =>
        journeyEventOf({
          ...e,
          id: 0,
          workspaceId,
          messageId: '',
          userId: null,
          anonymousId: null,
          previousId: null,
          receivedAt: e.timestamp,
          traits: {},
          context: e.context ?? {},
          type: e.type as 'track',
        }),
      )
      .filter((e): e is NonNullable<typeof e> => e !== null);
    people.push({ profile: { id, traits, computed: { ...computed, timezone }, timezone }, events });
  }
  const cache = new ConditionCache();
  return simulate(def, people, {
    from,
    to,
    seed: input.seed,
    evaluateCondition: (condition, ctx) => {
      // Conditions see the person's history up to the virtual moment being replayed.
      const history = (histories.get(ctx.profile.id) ?? []).filter((e) => e.timestamp <= ctx.now);
      return cache.get(condition).run(
        {
          traits: ctx.profile.traits,
          computed: { ...ctx.profile.computed, __trigger: ctx.trigger, __current: ctx.event ?? {} },
          events: history,
          eventsByName: indexEvents(history),
          segments: new Set(),
        },
        ctx.now,
      );
    },
  });
}
