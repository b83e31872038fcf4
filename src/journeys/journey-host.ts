import type { ProfileFacts } from '../profiles/index.js';
import type { Tx } from '../store/index.js';
import type { JourneyDefinition, JourneyEvent } from './core/index.js';
import type { LoadedJourney } from './journey-repo.js';

/** A workspace's journeys as the stage serves them, with the event names they listen to. */
export interface Loaded {
  current: LoadedJourney[];
  versions: Map<string, JourneyDefinition>;
  entryNames: Set<string>;
  runNames: Set<string>;
  /** `journeyId@version` of versions whose stored definition did not decode -> problem. */
  unreadable: Map<string, string>;
}

/**
 * What the date and catalog triggers need from the journeys stage: its cached journeys
 * and the one way events reach a person's runs. Declared apart so the triggers depend on
 * this, not on the stage that calls them.
 */
export interface JourneyHost {
  loaded(tx: Tx, workspaceId: string): Promise<Loaded>;
  handlePerson(
    tx: Tx,
    loaded: Loaded,
    workspaceId: string,
    profileId: string,
    facts: ProfileFacts,
    events: readonly JourneyEvent[],
    now: number,
    only?: readonly string[],
  ): Promise<void>;
}
