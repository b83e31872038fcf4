import {
  appendDerivedEvents,
  liveFactsOf,
  type LoggedEvent,
  type ModelCache,
  type PipelineStage,
  type ProfileFacts,
} from '../profiles/index.js';
import { enqueueMessages } from '../messaging/index.js';
import { groupBy, newId, seededRandom, type Clock } from '../shared/index.js';
import { skipLocked, withRetriedTransaction, type Store, type Tx } from '../store/index.js';
import { ConditionCache } from './conditions.js';
import {
  advance,
  entryEventNames,
  isEnded,
  runEventNames,
  tryEnter,
  type AdvanceInput,
  type DecideEffect,
  type JourneyDefinition,
  type JourneyEvent,
  type RunState,
} from './core/index.js';
import { collectEffects, type EffectWrites } from './effects.js';
import type { JourneyHost, Loaded } from './journey-host.js';
import { loadJourneys, type UnreadableVersion } from './journey-repo.js';
import { PersonContext } from './person.js';
import {
  runCatalogChanges,
  runDueDates,
  scheduleAllDates,
  scheduleDates,
} from './special-triggers.js';
import { endedNow, readRun, saveRuns, toRow } from './runs.js';

/** A journey event from a logged event; identify and unnamed pages are not journey events. */
export function journeyEventOf(e: LoggedEvent): JourneyEvent | null {
  if (e.event === null || e.type === 'identify' || e.type === 'alias' || e.type === 'group')
    return null;
  return {
    event: e.event,
    timestamp: e.timestamp,
    messageId: e.messageId,
    properties: e.properties,
    context: e.context,
  };
}

/**
 * The journeys stage. As a profile hook (after segments) it hands a person's new events
 * to their unfinished runs and starts runs of active journeys whose trigger matches, in
 * the profile batch's transaction; each step's messages go to the outbox in that same
 * transaction. A loop wakes runs whose timer is due. State lives in the store only, so
 * a killed worker loses nothing and a replayed step queues nothing twice.
 */
export interface JourneyStageOptions {
  /**
   * Re-evaluates a person's segments after a journey step updated their profile, in the
   * step's transaction (the segments stage; given by the composition root).
   */
  reevaluate?: PipelineStage;
  /**
   * Told of each journey version whose stored definition does not decode, when the
   * workspace's journeys are (re)loaded; the version is left out (the composition root
   * logs it).
   */
  onUnreadable?: (problem: UnreadableVersion & { workspaceId: string }) => void;
  /**
   * Told of every run saved, with its definition, in the transaction that saves it: the
   * measurement module records holdout and split-step arms at first exposure there.
   */
  onRunsSaved?: RunsSavedHook;
  /** Makes a decide step's decision in the step's transaction (the decisions module). */
  decide?: JourneyDecide;
}

/** What a decide step asks of the decisions module: the decision logged under its id. */
export type JourneyDecide = (tx: Tx, workspaceId: string, effect: DecideEffect) => Promise<void>;

/** What `onRunsSaved` receives: the saved runs, each with its journey version. */
export type RunsSavedHook = (
  tx: Tx,
  workspaceId: string,
  runs: readonly { run: RunState; definition: JourneyDefinition }[],
) => Promise<void>;

export class JourneyStage implements JourneyHost {
  readonly conditions = new ConditionCache();
  private readonly cache = new Map<string, { stamp: string; loaded: Loaded }>();
  private readonly reevaluate: PipelineStage | undefined;
  private readonly onUnreadable: JourneyStageOptions['onUnreadable'];
  private readonly onRunsSaved: RunsSavedHook | undefined;
  private readonly decide: JourneyDecide | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly models: ModelCache,
    options: JourneyStageOptions = {},
  ) {
    this.reevaluate = options.reevaluate;
    this.onUnreadable = options.onUnreadable;
    this.onRunsSaved = options.onRunsSaved;
    this.decide = options.decide;
  }

  /** The workspace's journeys (all versions), cached until one changes. */
  async loaded(tx: Tx, workspaceId: string): Promise<Loaded> {
    // The journeys table is small: its (id, version, status) rows are the cache stamp, so
    // an edit or a pause made by any process is seen by the next batch.
    const rows = await tx
      .selectFrom('journeys')
      .select(['id', 'version', 'status'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('id')
      .execute();
    const stamp = rows.map((r) => `${r.id}@${r.version}:${r.status}`).join('|');
    const hit = this.cache.get(workspaceId);
    if (hit && hit.stamp === stamp) return hit.loaded;
    const { current, versions, unreadable } = await loadJourneys(tx, workspaceId);
    for (const u of unreadable) this.onUnreadable?.({ ...u, workspaceId });
    const entryNames = new Set<string>();
    for (const j of current)
      if (j.status === 'active') for (const n of entryEventNames(j.definition)) entryNames.add(n);
    const runNames = new Set<string>();
    for (const def of versions.values()) for (const n of runEventNames(def)) runNames.add(n);
    const loaded: Loaded = {
      current,
      versions,
      entryNames,
      runNames,
      unreadable: new Map(unreadable.map((u) => [`${u.journeyId}@${u.version}`, u.problem])),
    };
    this.cache.set(workspaceId, { stamp, loaded });
    return loaded;
  }

  /**
   * The pipeline stage (after segments, whose Segment Entered/Exited events it reads):
   * hands each person's new events to their unfinished runs and to active journeys'
   * triggers, and keeps date-trigger schedules current. It derives nothing for later
   * stages; what it writes (runs, outbox messages) commits with the batch.
   */
  readonly stage: PipelineStage = {
    name: 'journeys',
    run: async (tx, changes, now) => {
      for (const [workspaceId, list] of groupBy(changes, (c) => c.workspaceId)) {
        const loaded = await this.loaded(tx, workspaceId);
        if (loaded.current.length === 0) continue;
        for (const change of list) {
          if (change.created || change.events.some((e) => e.type === 'identify')) {
            await scheduleDates(tx, loaded, workspaceId, change.profileId, change.facts, now);
          }
          const events = change.events
            .map(journeyEventOf)
            .filter(
              (e): e is JourneyEvent =>
                e !== null && (loaded.entryNames.has(e.event) || loaded.runNames.has(e.event)),
            );
          if (events.length === 0) continue;
          await this.handlePerson(
            tx,
            loaded,
            workspaceId,
            change.profileId,
            change.facts,
            events,
            now,
          );
        }
      }
      return changes;
    },
  };

  /**
   * Offers events to one person: first to their unfinished runs (so a goal that is also a
   * trigger ends the old run before a new one starts), then to active journeys' triggers.
   */
  async handlePerson(
    tx: Tx,
    loaded: Loaded,
    workspaceId: string,
    profileId: string,
    facts: ProfileFacts,
    events: readonly JourneyEvent[],
    now: number,
    /** Offer entries only to these journeys (date and catalog triggers). */
    only?: readonly string[],
  ): Promise<void> {
    let q = tx.selectFrom('journey_runs').selectAll().where('profile_id', '=', profileId);
    if (this.store.kind === 'postgres') q = q.forUpdate();
    const read = (await q.execute()).map(readRun);
    const runs = read.map((r) => r.run);
    const person = new PersonContext(
      tx,
      workspaceId,
      profileId,
      facts,
      this.models,
      this.conditions,
    );
    const dirty = new Map<string, RunState>();
    // A run whose state did not decode reads as ended (see readRun): store it so.
    for (const r of read) if (r.unreadable) dirty.set(r.run.runId, endedNow(r.run, now));
    const writes: EffectWrites = { messages: [], profileUpdates: [], decisions: [] };

    for (const event of events) {
      for (let i = 0; i < runs.length; i++) {
        const run = runs[i]!;
        if (isEnded(run.status)) continue;
        const def = loaded.versions.get(`${run.journeyId}@${run.journeyVersion}`);
        if (!def || !runEventNames(def).includes(event.event)) continue;
        const r = await this.step(def, run, { kind: 'event', event }, person, now);
        if (!r.changed) continue;
        runs[i] = r.run;
        dirty.set(r.run.runId, r.run);
        collectEffects(workspaceId, def, r.effects, writes);
      }
      for (const j of loaded.current) {
        if (j.status !== 'active' || !entryEventNames(j.definition).includes(event.event)) continue;
        if (only && !only.includes(j.id)) continue;
        const runId = newId('run');
        const env = await person.env(j.definition, now, seededRandom(`${runId}:0`));
        const previousRuns = runs.filter((r) => r.journeyId === j.id);
        const r = tryEnter(j.definition, { runId, event, previousRuns }, env);
        if (r.kind !== 'entered') continue;
        runs.push(r.run);
        dirty.set(r.run.runId, r.run);
        collectEffects(workspaceId, j.definition, r.effects, writes);
      }
    }
    await this.persist(tx, workspaceId, profileId, [...dirty.values()], writes, now);
  }

  private async step(
    def: JourneyDefinition,
    run: RunState,
    input: AdvanceInput,
    person: PersonContext,
    now: number,
  ) {
    const env = await person.env(def, now, seededRandom(`${run.runId}:${run.stepCount}`));
    return advance(def, run, input, env);
  }

  private async persist(
    tx: Tx,
    workspaceId: string,
    profileId: string,
    runs: RunState[],
    writes: EffectWrites,
    now: number,
  ): Promise<void> {
    if (runs.length > 0) {
      await saveRuns(
        tx,
        runs.map((r) => toRow(workspaceId, r)),
      );
      if (this.onRunsSaved) {
        const { versions } = await this.loaded(tx, workspaceId);
        const known = runs.flatMap((run) => {
          const definition = versions.get(`${run.journeyId}@${run.journeyVersion}`);
          return definition ? [{ run, definition }] : [];
        });
        if (known.length > 0) await this.onRunsSaved(tx, workspaceId, known);
      }
    }
    for (const d of writes.decisions) await this.decide?.(tx, workspaceId, d);
    if (writes.messages.length > 0) await enqueueMessages(tx, writes.messages, now);
    if (writes.profileUpdates.length > 0) {
      const { logged, facts } = await appendDerivedEvents(
        tx,
        this.store.kind,
        workspaceId,
        profileId,
        writes.profileUpdates,
        now,
      );
      if (facts && this.reevaluate) {
        await this.reevaluate.run(
          tx,
          [{ workspaceId, profileId, facts, events: logged, merged: [], created: false }],
          now,
        );
      }
    }
  }

  /** Fires due date triggers and offers catalog changes; resolves true if there was work. */
  async runTriggers(): Promise<boolean> {
    const now = this.clock.now();
    const dates = await runDueDates(this.store, this, now);
    const catalog = await runCatalogChanges(this.store, this, now);
    return dates || catalog;
  }

  /** (Re)computes every person's date-trigger schedule, e.g. after a journey changed. */
  scheduleAll(workspaceId: string): Promise<number> {
    return scheduleAllDates(this.store, this, workspaceId, this.clock.now());
  }

  /** Wakes runs whose timer is due; resolves true if there were any. */
  async runDueTimers(limit = 200): Promise<boolean> {
    return withRetriedTransaction(this.store, async (tx) => {
      const now = this.clock.now();
      const due = await tx
        .selectFrom('journey_runs')
        .selectAll()
        .where('wake_at', '<=', now)
        .orderBy('wake_at')
        .limit(limit)
        .modifyEnd(skipLocked(this.store))
        .execute();
      if (due.length === 0) return false;
      const byPerson = groupBy(due, (r) => r.profile_id);
      const facts = await liveFactsOf(tx, [...byPerson.keys()]);
      // The journeys of each workspace are looked up once per batch, not per person.
      const loadedBy = new Map<string, Loaded>();
      for (const [profileId, rows] of byPerson) {
        const workspaceId = rows[0]!.workspace_id;
        let loaded = loadedBy.get(workspaceId);
        if (!loaded) loadedBy.set(workspaceId, (loaded = await this.loaded(tx, workspaceId)));
        const known = facts.get(profileId);
        const person =
          known &&
          new PersonContext(tx, workspaceId, profileId, known, this.models, this.conditions);
        const dirty: RunState[] = [];
        const writes: EffectWrites = { messages: [], profileUpdates: [], decisions: [] };
        for (const row of rows) {
          const { run, unreadable } = readRun(row);
          if (unreadable) {
            // Ended as it reads (see readRun), so the timer never claims it again.
            dirty.push(endedNow(run, now));
            continue;
          }
          const version = `${run.journeyId}@${run.journeyVersion}`;
          const def = loaded.versions.get(version);
          const journey = loaded.current.find((j) => j.id === run.journeyId);
          if (!def && loaded.unreadable.has(version)) {
            // Its version's definition does not decode: hold the run, as a paused
            // journey's, until the row is repaired (it was reported on loading).
            await holdRun(tx, run.runId, now);
            continue;
          }
          if (!def || !person) {
            // The person was merged away or the journey vanished: end the run visibly.
            dirty.push({
              ...run,
              status: 'exited',
              endReason: def ? 'profile merged' : 'journey removed',
              endedAt: now,
              wakeAt: null,
              updatedAt: now,
            });
            continue;
          }
          if (journey?.status === 'paused') {
            await holdRun(tx, run.runId, now);
            continue;
          }
          const r = await this.step(def, run, { kind: 'timer' }, person, now);
          if (!r.changed && run.wakeAt !== null && run.wakeAt <= now) {
            // Nothing to do at this time: clear the timer so it is not claimed again.
            dirty.push({
              ...r.run,
              wakeAt: r.run.wakeAt !== null && r.run.wakeAt > now ? r.run.wakeAt : null,
            });
            continue;
          }
          dirty.push(r.run);
          collectEffects(workspaceId, def, r.effects, writes);
        }
        await this.persist(tx, workspaceId, profileId, dirty, writes, now);
      }
      return true;
    });
  }
}

/** Paused journeys (and unreadable versions) hold their runs: look again in a minute. */
async function holdRun(tx: Tx, runId: string, now: number): Promise<void> {
  await tx
    .updateTable('journey_runs')
    .set({ wake_at: now + 60_000 })
    .where('id', '=', runId)
    .execute();
}
