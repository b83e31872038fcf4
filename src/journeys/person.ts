import {
  deriveTraits,
  eventsOfPeople,
  type ModelCache,
  type ProfileFacts,
} from '../profiles/index.js';
import { indexEvents, memberSegmentIds, type SubjectEvent } from '../segments/index.js';
import type { Tx } from '../store/index.js';
import { ConditionCache, evaluator } from './conditions.js';
import {
  interestCondition,
  type Condition,
  type JourneyDefinition,
  type JourneyEnv,
  type JourneyProfile,
} from './core/index.js';

/** Every condition a definition holds: the trigger's and each branch case's. */
export function conditionsOf(def: JourneyDefinition): Condition[] {
  const out: Condition[] = [];
  if (def.trigger.condition !== undefined) out.push(def.trigger.condition);
  // A catalog trigger checks interest in the item with a condition of its own; the item
  // differs per event but the event names it reads do not.
  if (def.trigger.type === 'catalog') out.push(interestCondition(def.trigger, ''));
  for (const s of def.steps) {
    if (s.type === 'branch') for (const c of s.cases) out.push(c.condition);
  }
  return out;
}

/**
 * One person as journeys see them during a step: profile fields, memberships and the
 * events their conditions read, loaded once per person per batch.
 */
export class PersonContext {
  private profile: JourneyProfile | null = null;
  private segments: Set<string> | null = null;
  private events = new Map<string, SubjectEvent[]>();
  private loadedNames = new Set<string>();

  constructor(
    private readonly tx: Tx,
    readonly workspaceId: string,
    readonly profileId: string,
    private facts: ProfileFacts,
    private readonly models: ModelCache,
    private readonly conditions: ConditionCache,
  ) {}

  /** After a profile update the traits must be derived again. */
  refresh(facts: ProfileFacts): void {
    this.facts = facts;
    this.profile = null;
  }

  async env(def: JourneyDefinition, now: number, random: () => number): Promise<JourneyEnv> {
    if (!this.profile) {
      // Deriving every computed trait costs ~0.1 ms; most steps (waits, sends without
      // conditions) never look, so the profile derives on first read.
      const model = await this.models.get(this.workspaceId, this.tx);
      const facts = this.facts;
      let derived: JourneyProfile | null = null;
      const get = (): JourneyProfile => {
        if (!derived) {
          const { traits, timezone, ...computed } = deriveTraits(facts, now, model);
          derived = { id: this.profileId, traits, computed: { ...computed, timezone }, timezone };
        }
        return derived;
      };
      const id = this.profileId;
      this.profile = {
        id,
        get traits() {
          return get().traits;
        },
        get computed() {
          return get().computed;
        },
        get timezone() {
          return get().timezone;
        },
      };
    }
    const conds = conditionsOf(def);
    if (conds.length > 0) await this.loadFor(conds);
    const profile = this.profile;
    const events = [...this.events.values()].flat();
    const segments = this.segments ?? new Set<string>();
    const base = {
      get traits() {
        return profile.traits;
      },
      get computed() {
        return profile.computed;
      },
      events,
      eventsByName: indexEvents(events),
      segments,
    };
    return { now, random, profile, evaluateCondition: evaluator(this.conditions, base) };
  }

  private async loadFor(conds: Condition[]): Promise<void> {
    this.segments ??= await memberSegmentIds(this.tx, this.workspaceId, this.profileId);
    const names = new Set<string>();
    for (const c of conds) for (const n of this.conditions.get(c).events) names.add(n);
    const missing = [...names].filter((n) => !this.loadedNames.has(n));
    if (missing.length === 0) return;
    const logged =
      (await eventsOfPeople(this.tx, [this.profileId], { names: missing })).get(this.profileId) ??
      [];
    for (const n of missing) {
      this.loadedNames.add(n);
      this.events.set(n, []);
    }
    for (const e of logged) {
      this.events.get(e.event!)!.push({
        type: e.type,
        event: e.event,
        timestamp: e.timestamp,
        properties: e.properties,
        context: e.context,
      });
    }
  }
}
