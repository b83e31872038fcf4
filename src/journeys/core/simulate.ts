import { advance } from './advance.js';
import { dateTriggerEvent, nextDateTriggerAt } from './date-trigger.js';
import type { JourneyDefinition } from './definition.js';
import type { Effect } from './effects.js';
import { tryEnter } from './enter.js';
import type { ConditionContext, JourneyEnv, JourneyProfile } from './env.js';
import type { JourneyEvent } from './journey-event.js';
import { seededRandom } from '../../shared/index.js';
import { isEnded, type RunState } from './run-state.js';
import type { Condition } from './triggers.js';

export interface SimulatedPerson {
  profile: JourneyProfile;
  /** The person's events, sorted by timestamp ascending. */
  events: readonly JourneyEvent[];
}

export interface SimulateOptions {
  /** Epoch ms: events before are skipped. */
  from: number;
  /** Epoch ms: the virtual clock stops here; runs still waiting are counted as waiting. */
  to: number;
  /** Seeds each person's random generator (with their id), so results are replayable. */
  seed: number | string;
  /**
   * Evaluates branch and entry conditions. `ctx.profile.id` and `ctx.now` (virtual time)
   * let it look at the person's history up to that moment. Default: every condition is
   * false.
   */
  evaluateCondition?: (condition: Condition, ctx: ConditionContext) => boolean;
  /** Catalog events (price drops, restocks), offered to every person as triggers. */
  catalogEvents?: readonly JourneyEvent[];
  /** Sees every effect as it is produced, e.g. to preview the messages that would go out. */
  onEffect?: (effect: Effect) => void;
}

export interface StepCounts {
  /** Visits of the step (a run looping through it counts each time). */
  entered: number;
  /** Distinct people who reached the step. */
  people: number;
  /** Runs parked on this step at `to`. */
  waiting: number;
  completed: number;
  exited: number;
  converted: number;
}

export interface StepReach {
  /** Virtual time of the first and last visit. */
  first: number | null;
  last: number | null;
  /** Visits per UTC day (`YYYY-MM-DD`). */
  byDay: Record<string, number>;
  /** Median time from entering the journey to reaching the step. */
  medianAfterEntryMs: number | null;
}

export interface GroupCounts {
  people: number;
  runs: number;
  waiting: number;
  completed: number;
  exited: number;
  converted: number;
  /** Sends and webhook calls that would go out. */
  messages: number;
  /** Sends and webhook calls held back (holdout). */
  suppressed: number;
  /** converted / runs, 0 when no runs. */
  conversionRate: number;
}

export interface SimulationResult {
  from: number;
  to: number;
  people: number;
  runs: number;
  steps: Record<string, StepCounts>;
  reach: Record<string, StepReach>;
  treated: GroupCounts;
  holdout: GroupCounts;
  /** Effects by type over all runs (nothing is sent). */
  effects: Record<Effect['type'], number>;
}

const emptyGroup = (): GroupCounts => ({
  people: 0,
  runs: 0,
  waiting: 0,
  completed: 0,
  exited: 0,
  converted: 0,
  messages: 0,
  suppressed: 0,
  conversionRate: 0,
});

/**
 * Replays historical events through a journey with a virtual clock and counts where the
 * runs go, sending nothing. Each person is replayed on their own: their events in order,
 * with the timers of their runs firing in time order between them (a timer due at the
 * same millisecond as an event fires first). Events go to the person's unfinished runs
 * first, then may start a new run (`tryEnter`). Date triggers fire from the profile's
 * traits; catalog events are offered to everyone. The journey's status is ignored: the
 * point is to preview a draft.
 *
 * @example
 * const r = simulate(def, people, { from, to, seed: 1, evaluateCondition });
 * r.steps.send_reminder.entered; r.treated.conversionRate; r.holdout.conversionRate;
 */
export function simulate(
  def: JourneyDefinition,
  people: readonly SimulatedPerson[],
  options: SimulateOptions,
): SimulationResult {
  const evaluateCondition = options.evaluateCondition ?? (() => false);
  const steps: Record<string, StepCounts> = {};
  const reachAcc = new Map<
    string,
    { first: number; last: number; byDay: Record<string, number>; delays: number[] }
  >();
  for (const s of def.steps) {
    steps[s.id] = { entered: 0, people: 0, waiting: 0, completed: 0, exited: 0, converted: 0 };
  }
  const effects: Record<Effect['type'], number> = {
    send: 0,
    webhook: 0,
    suppressed: 0,
    update_profile: 0,
    decide: 0,
    schedule: 0,
    convert: 0,
    exit: 0,
    complete: 0,
  };
  const groups = { treated: emptyGroup(), holdout: emptyGroup() };
  let totalRuns = 0;

  for (const person of people) {
    const runs = simulatePerson(def, person, options, evaluateCondition, (run, e) => {
      for (const effect of e) {
        effects[effect.type] += 1;
        options.onEffect?.(effect);
      }
      const g = run.holdout ? groups.holdout : groups.treated;
      for (const effect of e) {
        if (effect.type === 'send' || effect.type === 'webhook') g.messages += 1;
        else if (effect.type === 'suppressed') g.suppressed += 1;
      }
    });
    const reached = new Set<string>();
    const inGroup = { treated: false, holdout: false };
    for (const run of runs) {
      totalRuns += 1;
      const g = run.holdout ? groups.holdout : groups.treated;
      inGroup[run.holdout ? 'holdout' : 'treated'] = true;
      g.runs += 1;
      const counts = steps[run.stepId];
      if (run.status === 'waiting') {
        g.waiting += 1;
        if (counts) counts.waiting += 1;
      } else if (
        run.status === 'completed' ||
        run.status === 'exited' ||
        run.status === 'converted'
      ) {
        g[run.status] += 1;
        if (counts) counts[run.status] += 1;
      }
      for (const [stepId, n] of Object.entries(run.visits)) {
        const c = steps[stepId];
        if (!c) continue;
        c.entered += n;
        if (!reached.has(stepId)) {
          reached.add(stepId);
          c.people += 1;
        }
      }
      // History keeps the last HISTORY_LIMIT entries: enough for reach times of journeys
      // without long loops; visits above stay exact.
      const seen = new Set<string>();
      for (const h of run.history) {
        const key = `${h.stepId}#${h.visit}`;
        if (seen.has(key)) continue;
        seen.add(key);
        let acc = reachAcc.get(h.stepId);
        if (!acc) {
          acc = { first: h.at, last: h.at, byDay: {}, delays: [] };
          reachAcc.set(h.stepId, acc);
        }
        acc.first = Math.min(acc.first, h.at);
        acc.last = Math.max(acc.last, h.at);
        const day = new Date(h.at).toISOString().slice(0, 10);
        acc.byDay[day] = (acc.byDay[day] ?? 0) + 1;
        acc.delays.push(h.at - run.enteredAt);
      }
    }
    if (inGroup.treated) groups.treated.people += 1;
    if (inGroup.holdout) groups.holdout.people += 1;
  }

  for (const g of [groups.treated, groups.holdout]) {
    g.conversionRate = g.runs === 0 ? 0 : g.converted / g.runs;
  }
  const reach: Record<string, StepReach> = {};
  for (const s of def.steps) {
    const acc = reachAcc.get(s.id);
    reach[s.id] = acc
      ? {
          first: acc.first,
          last: acc.last,
          byDay: acc.byDay,
          medianAfterEntryMs: median(acc.delays),
        }
      : { first: null, last: null, byDay: {}, medianAfterEntryMs: null };
  }
  return {
    from: options.from,
    to: options.to,
    people: people.length,
    runs: totalRuns,
    steps,
    reach,
    treated: groups.treated,
    holdout: groups.holdout,
    effects,
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The person's timeline within [from, to]: events, catalog events, date-trigger firings. */
function timeline(
  def: JourneyDefinition,
  person: SimulatedPerson,
  o: SimulateOptions,
): JourneyEvent[] {
  const within = (e: JourneyEvent) => e.timestamp >= o.from && e.timestamp <= o.to;
  const extra: JourneyEvent[] = [...(o.catalogEvents ?? []).filter(within)];
  const t = def.trigger;
  if (t.type === 'date') {
    const zone = person.profile.timezone ?? def.timezone;
    // Strictly after `cursor`, so start a millisecond early to include a firing at `from`.
    let cursor = o.from - 1;
    for (let i = 0; i < 100; i++) {
      const at = nextDateTriggerAt(t, person.profile.traits, zone, cursor);
      if (at === null || at > o.to) break;
      extra.push(dateTriggerEvent(t, person.profile.traits, zone, at));
      cursor = at;
    }
  }
  const own = person.events.filter(within);
  if (extra.length === 0) return own;
  // A stable sort keeps the person's own order for equal timestamps.
  return [...own, ...extra].sort((a, b) => a.timestamp - b.timestamp);
}

function simulatePerson(
  def: JourneyDefinition,
  person: SimulatedPerson,
  o: SimulateOptions,
  evaluateCondition: SimulateOptions['evaluateCondition'] & {},
  onEffects: (run: RunState, effects: Effect[]) => void,
): RunState[] {
  const random = seededRandom(`${o.seed}:${person.profile.id}`);
  let profile = person.profile;
  const env = (now: number): JourneyEnv => ({ now, random, profile, evaluateCondition });
  const runs: RunState[] = [];
  const apply = (index: number, run: RunState, effects: Effect[]) => {
    runs[index] = run;
    onEffects(run, effects);
    for (const e of effects) {
      if (e.type !== 'update_profile') continue;
      const traits = Object.fromEntries(
        Object.entries({ ...profile.traits, ...e.set }).filter(([k]) => !e.unset.includes(k)),
      );
      profile = { ...profile, traits };
    }
  };
  const events = timeline(def, person, o);
  let next = 0;
  for (;;) {
    let timerRun = -1;
    let timerAt = Infinity;
    for (let i = 0; i < runs.length; i++) {
      const r = runs[i]!;
      if (r.status === 'waiting' && r.wakeAt !== null && r.wakeAt < timerAt) {
        timerAt = r.wakeAt;
        timerRun = i;
      }
    }
    const event = events[next];
    const eventAt = event?.timestamp ?? Infinity;
    if (timerRun >= 0 && timerAt <= eventAt && timerAt <= o.to) {
      const r = advance(def, runs[timerRun]!, { kind: 'timer' }, env(timerAt));
      apply(timerRun, r.run, r.effects);
      continue;
    }
    if (!event) break;
    next += 1;
    const now = event.timestamp;
    for (let i = 0; i < runs.length; i++) {
      if (isEnded(runs[i]!.status)) continue;
      const r = advance(def, runs[i]!, { kind: 'event', event }, env(now));
      if (r.changed) apply(i, r.run, r.effects);
    }
    const entered = tryEnter(
      def,
      { runId: `${person.profile.id}:${runs.length + 1}`, event, previousRuns: runs },
      env(now),
    );
    if (entered.kind === 'entered') apply(runs.length, entered.run, entered.effects);
  }
  return runs;
}
