import { createWriteStream, statSync, type WriteStream } from 'node:fs';
import type { Logger } from 'pino';
import { basename, dirname, join, resolve } from 'node:path';
import { upsertItems, type CatalogItemInput } from '../catalog/index.js';
import { normalizeEvent, type EventWriter, type NormalizedEvent } from '../ingest/index.js';
import type { ModelCache, ProfileProcessor } from '../profiles/index.js';
import { ValidationError, type Clock } from '../shared/index.js';
import { withTransaction, type Store } from '../store/index.js';
import { csvRowToEvent, derivedMessageId, rowToItem, type Mapping } from './mapping.js';
import { OnlineRetailPreset, type PresetOutput } from './presets/online-retail.js';
import { ImportLog, PROGRESS_EVERY } from './import-log.js';
import { createProgress } from './progress.js';
import { detectFormat, readRows } from './read-rows.js';
import { dayShift, eventTimeOf, latestEventTime, shifted } from './shift.js';

export type ImportKind = 'events' | 'profiles' | 'catalog';
export const PRESETS = ['online-retail'] as const;
export type Preset = (typeof PRESETS)[number];

export interface ImportOptions {
  kind: ImportKind;
  files: string[];
  workspaceId: string;
  format?: string | undefined;
  preset?: Preset | undefined;
  mapping: Mapping;
  /** Event type for CSV rows without a type column (events import). */
  type?: string | undefined;
  rejectsPath: string;
  /** Fold the imported events into profiles before returning (default true). */
  process?: boolean;
  progress?: NodeJS.WriteStream;
  /**
   * Move every event by whole days so the data's last day is today (the clock's): a
   * historical file then reads as recent activity, for RFM, journeys and windows.
   */
  shiftToNow?: boolean | undefined;
  /** Rows read (and events folded) between two `import.progress` log lines; 100,000. */
  logEvery?: number;
  /**
   * Leaves the data's last `days` days (UTC) out of the import and hands each of their
   * events, shifted and with its messageId, to `onEvent` in file order (`rapport demo`
   * replays them as live traffic). With `shiftToNow` the first held-back day becomes
   * today, so everything imported happened before today.
   */
  holdBack?: { days: number; onEvent: (event: Record<string, unknown>) => void } | undefined;
  /** Changes each event before it is checked (the demo gives its customers addresses). */
  amend?: ((event: Record<string, unknown>) => Record<string, unknown>) | undefined;
}

/**
 * The default rejects file: next to the first input, named for the file and the run's
 * time, so runs never overwrite each other's rejects and they stay by the data.
 *
 * @example defaultRejectsPath(['/d/orders.csv.gz'], Date.UTC(2026, 0, 2, 3, 4, 5))
 * // '/d/orders.20260102T030405Z.rejects.jsonl'
 */
export function defaultRejectsPath(files: readonly string[], now: number): string {
  const first = files[0] ?? 'import';
  const name = basename(first).replace(/\.(csv|jsonl|ndjson|json)(\.gz)?$/i, '');
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return join(dirname(resolve(first)), `${name}.${stamp}.rejects.jsonl`);
}

export interface ImportDeps {
  store: Store;
  writer: EventWriter;
  processor: ProfileProcessor;
  models: ModelCache;
  clock: Clock;
  /** Where `import.started`, `import.progress`, `import.finished` lines go (none if absent). */
  logger?: Logger;
}

export interface ImportSummary {
  rows: number;
  events: number;
  duplicates: number;
  items: { created: number; updated: number; unchanged: number };
  rejected: number;
  skipped: Record<string, number>;
  processed: number;
  /** Events still waiting for the profile stage: a running server processes them. */
  pending: number;
  /** Days every event was moved by --shift-to-now (0 without it). */
  shiftedDays: number;
  /** Events of the held-back days, handed to `holdBack.onEvent` instead of imported. */
  heldBack: number;
  rejectsPath: string | null;
  seconds: number;
}

const EVENT_CHUNK = 2000;
const DAY_MS = 86_400_000;
const ITEM_CHUNK = 1000;

/**
 * Imports CSV / JSON Lines files (gzip or not) into the event log or the catalog.
 * Events go through the same validation as the HTTP API; rows that fail are written with
 * their line number and reason to the rejects file while good rows import. Every row
 * gets a stable messageId, so importing a file twice stores nothing twice.
 */
export async function runImport(deps: ImportDeps, options: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const log = new ImportLog(
    deps.logger,
    options.workspaceId,
    options.kind,
    options.logEvery ?? PROGRESS_EVERY,
  );
  let rows = 0;
  try {
    const summary = await importFiles(deps, options, started, log, (n) => (rows = n));
    log.finished(summary);
    return summary;
  } catch (error) {
    log.failed(error, rows, Date.now() - started);
    throw error;
  }
}

async function importFiles(
  deps: ImportDeps,
  options: ImportOptions,
  started: number,
  log: ImportLog,
  onRows: (rows: number) => void,
): Promise<ImportSummary> {
  const formats = options.files.map((f) => detectFormat(f, options.format));
  if (options.preset && formats.some((f) => f !== 'csv')) {
    throw new ValidationError('The online-retail preset reads the CSV files.', [
      { path: '--preset', problem: 'needs .csv or .csv.gz files' },
    ]);
  }
  const summary: ImportSummary = {
    rows: 0,
    events: 0,
    duplicates: 0,
    items: { created: 0, updated: 0, unchanged: 0 },
    rejected: 0,
    skipped: {},
    processed: 0,
    pending: 0,
    shiftedDays: 0,
    heldBack: 0,
    rejectsPath: null,
    seconds: 0,
  };
  let rejects: WriteStream | null = null;
  const reject = (file: string, line: number, reason: string, text: string) => {
    summary.rejected++;
    rejects ??= createWriteStream(options.rejectsPath);
    summary.rejectsPath = options.rejectsPath;
    rejects.write(`${JSON.stringify({ file, line, reason, row: text })}\n`);
  };

  const wantsEvents = options.kind !== 'catalog';
  const wantsItems = options.kind !== 'profiles';
  let shift = 0;
  // Events at or after this (shifted) time are held back; never without `holdBack`.
  let holdFrom = Infinity;
  if ((options.shiftToNow || options.holdBack) && wantsEvents) {
    const latest = await latestEventTime(options.files, formats, {
      preset: options.preset !== undefined,
      mapping: options.mapping,
      type: options.kind === 'profiles' ? 'identify' : (options.type ?? 'track'),
    });
    if (latest !== null) {
      const days = options.holdBack?.days ?? 0;
      const cutoff = (Math.floor(latest / DAY_MS) - days + 1) * DAY_MS;
      if (options.shiftToNow)
        shift = dayShift(options.holdBack ? cutoff : latest, deps.clock.now());
      if (options.holdBack) holdFrom = cutoff + shift;
    }
    summary.shiftedDays = Math.round(shift / DAY_MS);
  }
  const totalBytes = options.files.reduce((s, f) => s + sizeOf(f), 0);
  log.started(options.files, totalBytes, options.preset);
  const bar = createProgress(`import ${options.kind}`, totalBytes, {
    unit: ' B',
    ...(options.progress ? { stream: options.progress } : {}),
  });
  let bytes = 0;

  let pendingEvents: { event: NormalizedEvent; file: string }[] = [];
  let pendingItems: CatalogItemInput[] = [];
  const flushEvents = async () => {
    if (pendingEvents.length === 0) return;
    const batch = pendingEvents.map((p) => p.event);
    pendingEvents = [];
    const fresh = await deps.writer.write(batch);
    summary.events += fresh.length;
    summary.duplicates += batch.length - fresh.length;
  };
  const flushItems = async () => {
    if (pendingItems.length === 0) return;
    const items = pendingItems;
    pendingItems = [];
    const r = await withTransaction(deps.store, (tx) =>
      upsertItems(tx, options.workspaceId, items, deps.clock.now()),
    );
    summary.items.created += r.created;
    summary.items.updated += r.updated;
    summary.items.unchanged += r.unchanged;
  };
  const addEvent = async (
    file: string,
    line: number,
    value: Record<string, unknown>,
    text: string,
  ) => {
    value = shifted(value, shift);
    if (value.messageId === undefined || value.messageId === null || value.messageId === '') {
      value = { ...value, messageId: derivedMessageId(options.kind, text) };
    }
    if (options.amend) value = options.amend(value);
    if (options.holdBack && (eventTimeOf(value) ?? -Infinity) >= holdFrom) {
      summary.heldBack++;
      options.holdBack.onEvent(value);
      return;
    }
    const raw = JSON.stringify(value);
    const result = normalizeEvent({
      workspaceId: options.workspaceId,
      value,
      raw,
      receivedAt: deps.clock.now(),
    });
    if (result.kind === 'invalid') {
      reject(
        file,
        line,
        result.details.map((d) => `${d.path || 'event'}: ${d.problem}`).join('; '),
        text,
      );
      return;
    }
    pendingEvents.push({ event: result.event, file });
    if (pendingEvents.length >= EVENT_CHUNK) await flushEvents();
  };
  const addItem = async (item: CatalogItemInput) => {
    pendingItems.push(item);
    if (pendingItems.length >= ITEM_CHUNK) await flushItems();
  };

  // One preset for all the files: a basket may straddle two of them.
  const preset = options.preset === 'online-retail' ? new OnlineRetailPreset() : null;
  let file = options.files[0]!;
  const handlePreset = async (outputs: PresetOutput[], text: string) => {
    for (const o of outputs) {
      if (o.kind === 'bad') reject(file, o.line, o.reason, text);
      else if (o.kind === 'skip') summary.skipped[o.reason] = (summary.skipped[o.reason] ?? 0) + 1;
      else if (o.kind === 'item') {
        if (wantsItems) await addItem(o.item);
      } else if (wantsEvents) {
        const isProfile = o.event.type === 'identify';
        if (options.kind === 'events' || isProfile) {
          await addEvent(file, o.line, o.event, JSON.stringify(o.event));
        }
      }
    }
  };
  for (let i = 0; i < options.files.length; i++) {
    file = options.files[i]!;
    const format = formats[i]!;
    for await (const row of readRows(file, format, (n) => {
      bytes += n;
    })) {
      summary.rows++;
      onRows(summary.rows);
      if (summary.rows % 5000 === 0)
        bar.update(bytes, { rows: summary.rows, rejected: summary.rejected });
      log.progress('read', summary.rows, summary.rows - 1, () => ({
        bytes,
        events: summary.events,
        rejected: summary.rejected,
      }));
      if (row.kind === 'bad') {
        reject(file, row.line, row.reason, row.text);
        continue;
      }
      if (preset) {
        await handlePreset(preset.push(row.record, row.line), row.text);
      } else if (options.kind === 'catalog') {
        const r = rowToItem(row.record, format === 'csv');
        if (r.kind === 'ok') await addItem(r.item);
        else reject(file, row.line, r.reason, row.text);
      } else {
        const defaultType = options.kind === 'profiles' ? 'identify' : (options.type ?? 'track');
        let value: Record<string, unknown>;
        try {
          value =
            format === 'csv'
              ? csvRowToEvent(row.record, options.mapping, defaultType)
              : { type: defaultType, ...row.record };
        } catch (error) {
          if (error instanceof ValidationError) throw error;
          reject(file, row.line, (error as Error).message, row.text);
          continue;
        }
        if (options.kind === 'profiles' && value.type !== 'identify') {
          reject(
            file,
            row.line,
            `type: a profiles import takes identify rows, not "${String(value.type)}"`,
            row.text,
          );
          continue;
        }
        await addEvent(file, row.line, value, row.text);
      }
    }
  }
  if (preset) await handlePreset(preset.flush(), '');
  await flushEvents();
  await flushItems();
  bar.update(totalBytes, { rows: summary.rows, rejected: summary.rejected });
  bar.stop();
  if (rejects) await new Promise<void>((r) => (rejects as WriteStream).end(r));

  if (options.process !== false && wantsEvents) {
    const pending = await deps.processor.pendingCount();
    if (pending > 0) {
      const p = createProgress('build profiles', pending, {
        unit: ' events',
        ...(options.progress ? { stream: options.progress } : {}),
      });
      let done = 0;
      summary.processed = await deps.processor.drain((r) => {
        log.progress('profiles', done + r.events, done, () => ({ pending }));
        done += r.events;
        p.update(done);
      });
      p.stop();
    }
    await deps.models.refresh(options.workspaceId);
  }
  if (wantsEvents) summary.pending = await deps.processor.pendingCount();
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    throw new ValidationError(`Cannot read ${file}: no such file.`, [
      { path: 'FILE', problem: 'not found' },
    ]);
  }
}
