import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { OpenedApp } from '../app/index.js';
import { runImport } from '../importer/index.js';
import { CorruptDataError, decodeJson } from '../shared/index.js';
import { DEFAULT_WORKSPACE_ID } from '../workspaces/index.js';
import { demoContact, HOLD_BACK_DAYS } from './demo-data.js';

type App = OpenedApp['ctx'];

/** The held-back events, one JSON a line, in the order they happened. */
export const REPLAY_FILE = 'replay.jsonl';
const DAY_MS = 86_400_000;
const ReplayLine = z.record(z.string(), z.unknown());

export interface Imported {
  shiftedDays: number;
  /** Start of the held-back days (shifted): today, at midnight UTC. */
  from: number;
  heldBack: number;
  events: number;
  seconds: number;
}

/**
 * Imports the shop through `rapport import`'s own path (the online-retail preset,
 * `--shift-to-now`, profiles built and the workspace model fitted before it returns),
 * with two demo twists: the last weeks are held back into `replay.jsonl` instead of
 * imported, and every customer gets a made-up address. The built-in segments are made
 * after it, by the server as it starts, and filled by its back-fill loop: evaluated
 * with every batch of the year instead, they made building profiles about twice as slow,
 * each customer walking through a year of lifecycle changes nobody will see.
 */
export async function importShop(app: App, files: string[], dir: string): Promise<Imported> {
  const held: string[] = [];
  const summary = await runImport(
    {
      store: app.store,
      writer: app.writer,
      processor: app.profiles,
      models: app.models,
      clock: app.clock,
    },
    {
      kind: 'events',
      files,
      workspaceId: DEFAULT_WORKSPACE_ID,
      preset: 'online-retail',
      mapping: new Map(),
      rejectsPath: join(dir, 'import.rejects.jsonl'),
      shiftToNow: true,
      holdBack: { days: HOLD_BACK_DAYS, onEvent: (e) => held.push(JSON.stringify(e)) },
      amend: demoContact,
    },
  );
  writeFileSync(join(dir, REPLAY_FILE), held.map((line) => `${line}\n`).join(''));
  return {
    shiftedDays: summary.shiftedDays,
    from: Math.floor(app.clock.now() / DAY_MS) * DAY_MS,
    heldBack: summary.heldBack,
    events: summary.events,
    seconds: summary.seconds,
  };
}

/** The held-back events written by {@link importShop}. */
export function readReplay(dir: string): Record<string, unknown>[] {
  return readFileSync(join(dir, REPLAY_FILE), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line, i) => {
      const decoded = decodeJson(ReplayLine, line);
      if (decoded.kind === 'ok') return decoded.value;
      throw new CorruptDataError(
        `${REPLAY_FILE} line ${i + 1} is unreadable (${decoded.problem}); remove the demo folder to start over.`,
      );
    });
}

/**
 * Resolves once the server's first recommendation training is published (its loop trains
 * at start, from the imported log), with the seconds it waited; gives up after `limitMs`
 * (the loop keeps trying).
 */
export async function firstTraining(app: App, limitMs = 600_000): Promise<number> {
  const started = Date.now();
  while (!app.recommendations.registry(DEFAULT_WORKSPACE_ID) && Date.now() - started < limitMs) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return (Date.now() - started) / 1000;
}
