import { changesSince, latestChangeId } from '../catalog/index.js';
import {
  eventsMentioning,
  liveFactsOf,
  liveProfilePage,
  statedTraits,
  type ProfileFacts,
} from '../profiles/index.js';
import { skipLocked, withRetriedTransaction, type Store, type Tx } from '../store/index.js';
import {
  dateTriggerEvent,
  getPath,
  keyOf,
  nextDateTriggerAt,
  durationMs,
  type CatalogTrigger,
  type DateTrigger,
  type JourneyEvent,
} from './core/index.js';
import type { JourneyHost, Loaded } from './journey-host.js';

export const PRICE_DROPPED = 'Product Price Dropped';
export const BACK_IN_STOCK = 'Product Back In Stock';
const CATALOG_CURSOR = 'journeys:catalog_changes';

function dateJourneys(loaded: Loaded) {
  return loaded.current.filter(
    (j) => j.status === 'active' && j.definition.trigger.type === 'date',
  );
}

/** Writes (or clears) when each date journey next fires for one person. */
export async function scheduleDates(
  tx: Tx,
  loaded: Loaded,
  workspaceId: string,
  profileId: string,
  facts: ProfileFacts,
  now: number,
): Promise<void> {
  const journeys = dateJourneys(loaded);
  if (journeys.length === 0) return;
  const { traits, timezone } = statedTraits(facts);
  for (const j of journeys) {
    const trigger = j.definition.trigger as DateTrigger;
    const due = nextDateTriggerAt(trigger, traits, timezone ?? j.definition.timezone, now);
    if (due === null) {
      await tx
        .deleteFrom('journey_schedules')
        .where('workspace_id', '=', workspaceId)
        .where('journey_id', '=', j.id)
        .where('profile_id', '=', profileId)
        .execute();
    } else {
      await tx
        .insertInto('journey_schedules')
        .values({ workspace_id: workspaceId, journey_id: j.id, profile_id: profileId, due_at: due })
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'journey_id', 'profile_id']).doUpdateSet({ due_at: due }),
        )
        .execute();
    }
  }
}

/** Schedules a date journey for every person (on creation or activation), in pages. */
export async function scheduleAllDates(
  store: Store,
  stage: JourneyHost,
  workspaceId: string,
  now: number,
): Promise<number> {
  let after = '';
  let total = 0;
  for (;;) {
    const done = await withRetriedTransaction(store, async (tx) => {
      const loaded = await stage.loaded(tx, workspaceId);
      if (dateJourneys(loaded).length === 0) return true;
      const rows = await liveProfilePage(tx, workspaceId, after, 1000);
      if (rows.length === 0) return true;
      after = rows[rows.length - 1]!.id;
      for (const r of rows) await scheduleDates(tx, loaded, workspaceId, r.id, r.facts, now);
      total += rows.length;
      return false;
    });
    if (done) return total;
  }
}

/** Fires due date triggers: each becomes a `Journey Date Reached` event for that person. */
export async function runDueDates(
  store: Store,
  stage: JourneyHost,
  now: number,
  limit = 200,
): Promise<boolean> {
  return withRetriedTransaction(store, async (tx) => {
    const due = await tx
      .selectFrom('journey_schedules')
      .selectAll()
      .where('due_at', '<=', now)
      .orderBy('due_at')
      .limit(limit)
      .modifyEnd(skipLocked(store))
      .execute();
    if (due.length === 0) return false;
    for (const d of due) {
      const loaded = await stage.loaded(tx, d.workspace_id);
      const journey = loaded.current.find((j) => j.id === d.journey_id);
      // Merged-away people are no longer anyone: their schedules go.
      const facts = (await liveFactsOf(tx, [d.profile_id])).get(d.profile_id);
      if (
        !journey ||
        journey.status !== 'active' ||
        journey.definition.trigger.type !== 'date' ||
        !facts
      ) {
        await tx
          .deleteFrom('journey_schedules')
          .where('workspace_id', '=', d.workspace_id)
          .where('journey_id', '=', d.journey_id)
          .where('profile_id', '=', d.profile_id)
          .execute();
        continue;
      }
      const { traits, timezone } = statedTraits(facts);
      const trigger = journey.definition.trigger;
      const event = dateTriggerEvent(
        trigger,
        traits,
        timezone ?? journey.definition.timezone,
        d.due_at,
      );
      await stage.handlePerson(tx, loaded, d.workspace_id, d.profile_id, facts, [event], now, [
        journey.id,
      ]);
      // The next occurrence, a year on.
      await scheduleDates(
        tx,
        { ...loaded, current: [journey] },
        d.workspace_id,
        d.profile_id,
        facts,
        d.due_at + 1,
      );
    }
    return true;
  });
}

function catalogEvent(change: {
  itemId: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  at: number;
  id: number;
}): JourneyEvent | null {
  if (change.field === 'price' && change.oldValue !== null && change.newValue !== null) {
    const before = Number(change.oldValue);
    const after = Number(change.newValue);
    if (!(after < before)) return null;
    return {
      event: PRICE_DROPPED,
      timestamp: change.at,
      messageId: `catalog-change:${change.id}`,
      properties: {
        product_id: change.itemId,
        old_price: before,
        new_price: after,
        drop_percent: Math.round((1000 * (before - after)) / before) / 10,
      },
    };
  }
  if (change.field === 'in_stock' && change.oldValue === '0' && change.newValue === '1') {
    return {
      event: BACK_IN_STOCK,
      timestamp: change.at,
      messageId: `catalog-change:${change.id}`,
      properties: { product_id: change.itemId },
    };
  }
  return null;
}

/**
 * Offers price drops and restocks to catalog-triggered journeys: each change becomes a
 * catalog event, offered to the people whose recent events show interest in the item
 * (the journey's `interest` rule). A cursor per workspace remembers what was read.
 */
export async function runCatalogChanges(
  store: Store,
  stage: JourneyHost,
  now: number,
): Promise<boolean> {
  const workspaces = await store.db
    .selectFrom('journeys')
    .select('workspace_id')
    .distinct()
    .where('status', '=', 'active')
    .execute();
  let worked = false;
  for (const { workspace_id: workspaceId } of workspaces) {
    const more = await withRetriedTransaction(store, async (tx) => {
      const loaded = await stage.loaded(tx, workspaceId);
      const journeys = loaded.current.filter(
        (j) => j.status === 'active' && j.definition.trigger.type === 'catalog',
      );
      let cursor = tx
        .selectFrom('cursors')
        .select('position')
        .where('workspace_id', '=', workspaceId)
        .where('name', '=', CATALOG_CURSOR);
      if (store.kind === 'postgres') cursor = cursor.forUpdate();
      const row = await cursor.executeTakeFirst();
      // Before any journey read the changes, start from the newest: old changes are history.
      const position = row?.position ?? (await latestChangeId(tx, workspaceId));
      const changes = await changesSince(tx, workspaceId, position, 200);
      const next = changes.length > 0 ? changes[changes.length - 1]!.id : position;
      await tx
        .insertInto('cursors')
        .values({ workspace_id: workspaceId, name: CATALOG_CURSOR, position: next })
        .onConflict((oc) => oc.columns(['workspace_id', 'name']).doUpdateSet({ position: next }))
        .execute();
      if (journeys.length === 0) return false;
      for (const change of changes) {
        const event = catalogEvent(change);
        if (!event) continue;
        for (const j of journeys) {
          const trigger = j.definition.trigger as CatalogTrigger;
          if (trigger.event !== event.event) continue;
          for (const profileId of await interested(tx, workspaceId, trigger, change.itemId, now)) {
            const facts = (await liveFactsOf(tx, [profileId])).get(profileId);
            if (!facts) continue;
            await stage.handlePerson(tx, loaded, workspaceId, profileId, facts, [event], now, [
              j.id,
            ]);
          }
        }
      }
      return changes.length > 0;
    });
    worked ||= more;
  }
  return worked;
}

async function interested(
  tx: Tx,
  workspaceId: string,
  trigger: CatalogTrigger,
  itemId: string,
  now: number,
): Promise<string[]> {
  // The trigger's schema validated the duration.
  const since = now - durationMs(trigger.interest.within);
  const found = await eventsMentioning(
    tx,
    workspaceId,
    trigger.interest.events,
    since,
    // A cheap prefilter; the exact path is checked below.
    itemId,
  );
  const people = new Set<string>();
  for (const { profileId, event: e } of found) {
    const at = getPath(
      { event: e.event, properties: e.properties, context: e.context },
      trigger.interest.path,
    );
    if (keyOf(at) === itemId) people.add(profileId);
  }
  return [...people];
}
