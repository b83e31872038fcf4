import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { decodeJson, ValidationError } from '../shared/index.js';

/** The file that makes a folder a demo folder, and holds where the demo stands. */
export const DEMO_FILE = 'demo.json';

export const DemoState = z.object({
  demo: z.literal('rapport'),
  version: z.literal(1),
  /** `preparing` until the import, training and journeys are done; a re-run redoes it. */
  stage: z.enum(['preparing', 'ready']),
  createdAt: z.string(),
  /** Days the data was moved forward (`--shift-to-now`). */
  shiftedDays: z.number().int(),
  /** The admin key the demo made, when RAPPORT_ADMIN_KEY was not set. */
  adminKey: z.string().nullable(),
  /** The write key the replay sends with. */
  writeKey: z.string(),
  replay: z.object({
    /** Start of the held-back days (epoch ms, shifted): the replay's time zero. */
    from: z.number(),
    /** Events held back, and how many of them were replayed. */
    total: z.number().int().min(0),
    sent: z.number().int().min(0),
  }),
});
export type DemoState = z.infer<typeof DemoState>;

export type DemoFolder = { kind: 'new' } | { kind: 'existing'; state: DemoState };

function badFolder(dir: string, problem: string): ValidationError {
  return new ValidationError(`--data ${dir}: ${problem}.`, [{ path: '--data', problem }]);
}

/**
 * What is at the demo's folder: nothing (or an empty folder) to fill, or a demo folder to
 * resume. Anything else is refused, so the demo never writes into someone's data.
 */
export function inspectDemoFolder(dir: string): DemoFolder {
  if (!existsSync(dir)) return { kind: 'new' };
  if (!statSync(dir).isDirectory()) throw badFolder(dir, 'is a file, not a folder');
  const entries = readdirSync(dir);
  if (entries.length === 0) return { kind: 'new' };
  if (!entries.includes(DEMO_FILE)) {
    throw badFolder(
      dir,
      `is not empty and is not a demo folder (it has no ${DEMO_FILE}); the demo writes only into a new or empty folder, or resumes its own: pick another --data`,
    );
  }
  const decoded = decodeJson(DemoState, readFileSync(join(dir, DEMO_FILE), 'utf8'));
  if (decoded.kind !== 'ok') {
    throw badFolder(
      dir,
      `${DEMO_FILE} is unreadable (${decoded.problem}); remove the folder to start a new demo`,
    );
  }
  return { kind: 'existing', state: decoded.value };
}

/** Writes the state whole (temporary file, then rename), readable by its owner only: it holds keys. */
export function saveDemoState(dir: string, state: DemoState): void {
  const file = join(dir, DEMO_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
