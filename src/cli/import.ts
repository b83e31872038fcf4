import { resolve } from 'node:path';
import {
  defaultRejectsPath,
  parseMappings,
  PRESETS,
  runImport,
  type ImportKind,
  type Preset,
} from '../importer/index.js';
import { ValidationError } from '../shared/index.js';
import { DEFAULT_WORKSPACE_ID } from '../workspaces/index.js';
import { openApp } from '../app/index.js';

interface ImportFlags {
  format?: string;
  preset?: string;
  map?: string[];
  type?: string;
  rejects?: string;
  data?: string;
  process?: boolean;
  shiftToNow?: boolean;
  json?: boolean;
}

export async function runImportCommand(
  kind: string,
  files: string[],
  flags: ImportFlags,
): Promise<void> {
  if (!['events', 'profiles', 'catalog'].includes(kind)) {
    throw new ValidationError(`Import what? "${kind}" is not events, profiles or catalog.`, [
      { path: 'KIND', problem: 'must be events, profiles or catalog' },
    ]);
  }
  if (flags.preset && !(PRESETS as readonly string[]).includes(flags.preset)) {
    throw new ValidationError(`Unknown preset "${flags.preset}"; presets: ${PRESETS.join(', ')}.`, [
      { path: '--preset', problem: 'unknown preset' },
    ]);
  }
  const mapping = parseMappings(flags.map ?? []);
  const app = await openApp({ data: flags.data });
  try {
    const summary = await runImport(
      {
        store: app.ctx.store,
        writer: app.ctx.writer,
        processor: app.ctx.profiles,
        logger: app.ctx.logger,
        models: app.ctx.models,
        clock: app.ctx.clock,
      },
      {
        kind: kind as ImportKind,
        files,
        workspaceId: DEFAULT_WORKSPACE_ID,
        format: flags.format,
        preset: flags.preset as Preset | undefined,
        mapping,
        type: flags.type,
        rejectsPath: flags.rejects
          ? resolve(flags.rejects)
          : defaultRejectsPath(files, app.ctx.clock.now()),
        process: flags.process !== false,
        shiftToNow: flags.shiftToNow === true,
      },
    );
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return;
    }
    const skipped = Object.entries(summary.skipped)
      .map(([why, n]) => `${n.toLocaleString('en')} rows (${why})`)
      .join(', ');
    process.stdout.write(
      [
        `Read ${summary.rows.toLocaleString('en')} rows in ${summary.seconds.toFixed(1)} s.`,
        `Events: ${summary.events.toLocaleString('en')} imported, ${summary.duplicates.toLocaleString('en')} already there.`,
        summary.shiftedDays
          ? `Times moved ${summary.shiftedDays.toLocaleString('en')} days forward: the data's last day is today.`
          : '',
        `Catalog: ${summary.items.created} created, ${summary.items.updated} updated, ${summary.items.unchanged} unchanged.`,
        `Rejected: ${summary.rejected.toLocaleString('en')}${summary.rejectsPath ? ` (see ${summary.rejectsPath})` : ''}.`,
        skipped ? `Skipped, not errors: ${skipped}.` : '',
        summary.processed
          ? `Profiles updated from ${summary.processed.toLocaleString('en')} events.`
          : '',
        summary.pending > 0
          ? `${summary.pending.toLocaleString('en')} events wait for the profile stage: a running \`rapport start\` on this store processes them.`
          : 'Every imported event is in the profiles; nothing is left for the server to process.',
      ]
        .filter(Boolean)
        .join('\n') + '\n',
    );
  } finally {
    await app.close();
  }
}
