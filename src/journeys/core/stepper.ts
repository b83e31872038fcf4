import { resolveTimeZone, Zone } from '../../shared/index.js';
import type { JourneyDefinition } from './definition.js';
import { durationMs } from './duration.js';
import type { Effect } from './effects.js';
import type { ConditionContext, JourneyEnv, JourneyProfile } from './env.js';
import type { JourneyEvent } from './journey-event.js';
import { WEEKDAYS, nextLocalTime, parseTimeOfDay } from './local-time.js';
import { renderJson, renderText, renderUrl } from './render.js';
import { splitPoint } from './holdout.js';
import { decisionIdOf } from './decision-id.js';
import { copyRun } from './run-copy.js';
import { HISTORY_LIMIT, type AwaitedEvent, type RunState, type RunStatus } from './run-state.js';
import { DEFAULT_FALLBACK, type DecideStep, type Step, type WaitStep } from './steps.js';

export interface AdvanceResult {
  run: RunState;
  effects: Effect[];
  /** False when the input did nothing (the shell need not write the run). */
  changed: boolean;
}

/**
 * Hard bound on steps in one call. Validation forbids cycles without a wait, so a valid
 * definition never needs more than one visit per step; the bound guards unvalidated input.
 */
export const MAX_STEPS_PER_ADVANCE = 1000;

/** One `advance` call's working copy of the run and the effects it produces. */
export class Stepper {
  private readonly draft: RunState;
  private readonly effects: Effect[] = [];
  private profile: JourneyProfile;

  constructor(
    private readonly def: JourneyDefinition,
    run: RunState,
    private readonly env: JourneyEnv,
  ) {
    this.draft = copyRun(run);
    this.draft.updatedAt = env.now;
    this.profile = env.profile;
  }

  result(): AdvanceResult {
    return { run: this.draft, effects: this.effects, changed: true };
  }

  find(id: string): Step | undefined {
    for (const step of this.def.steps) if (step.id === id) return step;
    return undefined;
  }

  visits(id: string): number {
    return this.draft.visits[id] ?? 0;
  }

  setItems(items: RunState['items']): void {
    this.draft.items = items;
  }

  log(stepId: string, visit: number, outcome: string): void {
    const h = this.draft.history;
    h.push({ stepId, visit, at: this.env.now, outcome });
    if (h.length > HISTORY_LIMIT) h.splice(0, h.length - HISTORY_LIMIT);
  }

  private context(event: JourneyEvent | null): ConditionContext {
    const r = this.draft;
    return {
      profile: this.profile,
      trigger: r.trigger,
      event,
      key: r.key,
      items: r.items,
      now: this.env.now,
      run: r,
    };
  }

  end(status: RunStatus, reason: string, stepId: string, goal?: JourneyEvent): void {
    const r = this.draft;
    r.status = status;
    r.stepId = stepId;
    r.endedAt = this.env.now;
    r.endReason = reason;
    r.wakeAt = null;
    r.awaiting = null;
    if (status === 'converted')
      this.effects.push({
        runId: r.runId,
        journeyId: r.journeyId,
        journeyVersion: r.journeyVersion,
        profileId: r.profileId,
        at: this.env.now,
        type: 'convert',
        stepId,
        event: goal!,
      });
    else if (status === 'completed')
      this.effects.push({
        runId: r.runId,
        journeyId: r.journeyId,
        journeyVersion: r.journeyVersion,
        profileId: r.profileId,
        at: this.env.now,
        type: 'complete',
        stepId,
        reason,
      });
    else
      this.effects.push({
        runId: r.runId,
        journeyId: r.journeyId,
        journeyVersion: r.journeyVersion,
        profileId: r.profileId,
        at: this.env.now,
        type: 'exit',
        stepId,
        reason,
      });
  }

  /** Executes steps from `id` until the run parks on a wait or ends. */
  runFrom(id: string, event: JourneyEvent | null): void {
    const r = this.draft;
    r.status = 'active';
    r.wakeAt = null;
    r.awaiting = null;
    for (let n = 0; ; n++) {
      if (n >= MAX_STEPS_PER_ADVANCE) return this.end('exited', 'step_limit', id);
      const step = this.find(id);
      if (!step) return this.end('exited', 'unknown_step', id);
      const visit = this.visits(id) + 1;
      r.visits[id] = visit;
      r.stepCount += 1;
      r.stepId = id;
      const next = this.execute(step, visit, event);
      if (next === null) return;
      id = next;
    }
  }

  /** Runs one step; returns the next step id, or null when the run parked or ended. */
  private execute(step: Step, visit: number, event: JourneyEvent | null): string | null {
    const r = this.draft;
    const now = this.env.now;
    switch (step.type) {
      case 'wait': {
        const wakeAt = this.wakeAt(step);
        if (!step.event && wakeAt <= now) {
          this.log(step.id, visit, 'passed');
          return step.next as string;
        }
        r.status = 'waiting';
        r.wakeAt = wakeAt;
        if (step.event) {
          const awaiting: AwaitedEvent = { event: step.event.event, key: r.key };
          if (step.event.where) awaiting.where = step.event.where;
          if (step.event.key !== undefined) awaiting.keyPath = step.event.key;
          r.awaiting = awaiting;
        } else {
          r.awaiting = null;
        }
        this.log(step.id, visit, 'waiting');
        this.effects.push({
          runId: r.runId,
          journeyId: r.journeyId,
          journeyVersion: r.journeyVersion,
          profileId: r.profileId,
          at: this.env.now,
          type: 'schedule',
          stepId: step.id,
          wakeAt,
        });
        return null;
      }
      case 'branch': {
        const ctx = this.context(event);
        for (let i = 0; i < step.cases.length; i++) {
          const c = step.cases[i]!;
          if (this.env.evaluateCondition(c.condition, ctx)) {
            this.log(step.id, visit, `case:${i}`);
            return c.next;
          }
        }
        this.log(step.id, visit, 'default');
        return step.default;
      }
      case 'split': {
        const total = step.arms.reduce((sum, a) => sum + a.weight, 0);
        // By the person, not by chance: an experiment's arm is stable (docs/measurement.md).
        let x = splitPoint(r.journeyId, step.id, r.profileId) * total;
        let chosen = step.arms.length - 1;
        for (let i = 0; i < step.arms.length; i++) {
          x -= step.arms[i]!.weight;
          if (x < 0) {
            chosen = i;
            break;
          }
        }
        this.log(step.id, visit, `arm:${chosen}`);
        return step.arms[chosen]!.next;
      }
      case 'send': {
        const idempotencyKey = `${r.runId}:${step.id}:${visit}`;
        if (r.holdout) {
          this.effects.push({
            runId: r.runId,
            journeyId: r.journeyId,
            journeyVersion: r.journeyVersion,
            profileId: r.profileId,
            at: this.env.now,
            type: 'suppressed',
            idempotencyKey,
            stepId: step.id,
            visit,
            action: 'send',
            reason: 'holdout',
            channel: step.channel,
          });
          this.log(step.id, visit, 'held_out');
        } else {
          this.effects.push({
            runId: r.runId,
            journeyId: r.journeyId,
            journeyVersion: r.journeyVersion,
            profileId: r.profileId,
            at: this.env.now,
            type: 'send',
            idempotencyKey,
            stepId: step.id,
            visit,
            channel: step.channel,
            channels:
              step.channel === 'preferred' ? [...(step.fallback ?? DEFAULT_FALLBACK)] : null,
            message: step.message,
            topic: step.topic ?? null,
            priority: step.priority,
            url: step.url ?? null,
            timing: step.timing ?? null,
            payload: r.decisions
              ? { key: r.key, trigger: r.trigger, items: r.items, decisions: r.decisions }
              : { key: r.key, trigger: r.trigger, items: r.items },
          });
          this.log(step.id, visit, 'sent');
        }
        return step.next;
      }
      case 'update_profile': {
        const set = step.set ?? {};
        const unset = step.unset ?? [];
        this.effects.push({
          runId: r.runId,
          journeyId: r.journeyId,
          journeyVersion: r.journeyVersion,
          profileId: r.profileId,
          at: this.env.now,
          type: 'update_profile',
          idempotencyKey: `${r.runId}:${step.id}:${visit}`,
          stepId: step.id,
          visit,
          set,
          unset,
        });
        // Later branches in this same call see the update the shell is about to apply.
        const traits = Object.fromEntries(
          Object.entries({ ...this.profile.traits, ...set }).filter(([k]) => !unset.includes(k)),
        );
        this.profile = { ...this.profile, traits };
        this.log(step.id, visit, 'updated');
        return step.next;
      }
      case 'webhook': {
        const idempotencyKey = `${r.runId}:${step.id}:${visit}`;
        if (r.holdout) {
          this.effects.push({
            runId: r.runId,
            journeyId: r.journeyId,
            journeyVersion: r.journeyVersion,
            profileId: r.profileId,
            at: this.env.now,
            type: 'suppressed',
            idempotencyKey,
            stepId: step.id,
            visit,
            action: 'webhook',
            reason: 'holdout',
            channel: null,
          });
          this.log(step.id, visit, 'held_out');
          return step.next;
        }
        const scope = {
          profile: {
            id: this.profile.id,
            traits: this.profile.traits,
            computed: this.profile.computed,
          },
          trigger: r.trigger,
          event,
          items: r.items,
          key: r.key,
          journey: { id: r.journeyId, version: r.journeyVersion },
          run: { id: r.runId, enteredAt: r.enteredAt },
        };
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(step.headers ?? {})) headers[k] = renderText(v, scope);
        const body =
          step.method === 'GET' || step.method === 'DELETE'
            ? undefined
            : step.body === undefined
              ? {
                  profile: scope.profile,
                  trigger: r.trigger,
                  items: r.items,
                  key: r.key,
                  journey: scope.journey,
                  stepId: step.id,
                }
              : renderJson(step.body, scope);
        this.effects.push({
          runId: r.runId,
          journeyId: r.journeyId,
          journeyVersion: r.journeyVersion,
          profileId: r.profileId,
          at: this.env.now,
          type: 'webhook',
          idempotencyKey,
          stepId: step.id,
          visit,
          url: renderUrl(step.url, scope),
          method: step.method,
          headers,
          body,
        });
        this.log(step.id, visit, 'called');
        return step.next;
      }
      case 'decide':
        return this.decide(step, visit);
      case 'exit':
        this.log(step.id, visit, 'exit');
        this.end('completed', step.reason ?? 'exit_step', step.id);
        return null;
    }
  }

  /**
   * A decide step: the decision's id (from the step visit) goes on the run now, and the
   * shell logs the decision under it; a held-out run decides nothing, as it sends nothing.
   */
  private decide(step: DecideStep, visit: number): string {
    const r = this.draft;
    if (r.holdout) {
      this.log(step.id, visit, 'held_out');
      return step.next;
    }
    const decisionId = decisionIdOf(r.runId, step.id, visit);
    r.decisions = { ...r.decisions, [step.placement]: decisionId };
    this.effects.push({
      runId: r.runId,
      journeyId: r.journeyId,
      journeyVersion: r.journeyVersion,
      profileId: r.profileId,
      at: this.env.now,
      type: 'decide',
      idempotencyKey: `${r.runId}:${step.id}:${visit}`,
      stepId: step.id,
      visit,
      placement: step.placement,
      decisionId,
      context: step.context ?? {},
    });
    this.log(step.id, visit, 'decided');
    return step.next;
  }

  /** When a wait step started now ends (an event wait: its timeout). */
  private wakeAt(step: WaitStep): number {
    const now = this.env.now;
    if (step.duration !== undefined) return now + durationMs(step.duration);
    if (step.event) return now + durationMs(step.timeout!);
    const until = step.until!;
    const tz = resolveTimeZone(this.profile.timezone, this.def.timezone);
    if (until.time !== undefined) {
      // Strictly after now: a run that loops back to this wait at 09:00 sharp waits for
      // the next 09:00 instead of passing through again.
      return nextLocalTime(now + 1, tz, {
        ...parseTimeOfDay(until.time),
        weekdays: until.weekdays,
      });
    }
    // Weekdays only: go on at once on an allowed day, else at the next one's midnight.
    const today = new Zone(tz).local(now).weekday;
    if (until.weekdays!.includes(WEEKDAYS[today]!)) return now;
    return nextLocalTime(now, tz, { hour: 0, minute: 0, weekdays: until.weekdays });
  }
}
