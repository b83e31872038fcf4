import type { Tx } from '../store/index.js';
import type { ProfileFacts } from './computed/index.js';
import type { LoggedEvent } from './stored-event.js';

/** What one batch changed about one person, as the stages after the profile stage see it. */
export interface ProfileChange {
  readonly workspaceId: string;
  readonly profileId: string;
  readonly facts: ProfileFacts;
  /** This batch's events of the person, in log order, and what earlier stages derived. */
  readonly events: readonly LoggedEvent[];
  /** Profiles folded into this one in this batch. */
  readonly merged: readonly string[];
  /** The profile was created by this batch: every condition is new for it. */
  readonly created: boolean;
}

/**
 * A stage of the pipeline after the profile stage. It runs inside the batch's
 * transaction, so what it writes commits atomically with the profile change that caused
 * it, and returns the changes as the next stage should see them: the same objects when it
 * derived nothing, new ones (never edited in place) when it did, e.g. the segments stage
 * adds the Segment Entered/Exited events it appended and the facts they changed.
 */
export interface PipelineStage {
  /** For logs and errors: `segments`, `journeys`, `consent`. */
  readonly name: string;
  run(tx: Tx, changes: readonly ProfileChange[], now: number): Promise<readonly ProfileChange[]>;
}

/**
 * Runs once after a batch's transaction has committed, with what the last stage returned:
 * for in-memory state, which an attempt that rolls back or is retried must not touch.
 */
export type CommittedHook = (changes: readonly ProfileChange[]) => void;

/** Runs the stages in order, each on what the one before returned. */
export async function runStages(
  tx: Tx,
  stages: readonly PipelineStage[],
  changes: readonly ProfileChange[],
  now: number,
): Promise<readonly ProfileChange[]> {
  let current = changes;
  for (const stage of stages) current = await stage.run(tx, current, now);
  return current;
}
