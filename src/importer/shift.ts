import type { Mapping } from './mapping.js';
import { csvRowToEvent } from './mapping.js';
import { OnlineRetailPreset } from './presets/online-retail.js';
import { readRows, type FileFormat } from './read-rows.js';

const DAY_MS = 86_400_000;

/**
 * How far `--shift-to-now` moves every event: whole days, so the data's last day (UTC)
 * becomes today's and times of day and gaps between events stay as they were.
 *
 * @example dayShift(Date.UTC(2011, 11, 9, 12, 50), Date.UTC(2026, 0, 2, 8)) // days from 2011-12-09 to 2026-01-02
 */
export function dayShift(lastEventAt: number, now: number): number {
  return (Math.floor(now / DAY_MS) - Math.floor(lastEventAt / DAY_MS)) * DAY_MS;
}

/** An event's time as the import reads it, or null when it has none (then it is "now"). */
export function eventTimeOf(value: Record<string, unknown>): number | null {
  const ts = value.timestamp;
  if (typeof ts !== 'string' && typeof ts !== 'number') return null;
  const at = typeof ts === 'number' ? ts : Date.parse(ts);
  return Number.isFinite(at) ? at : null;
}

/** `value` with its timestamp moved by `shift` ms; events without a time are left alone. */
export function shifted(value: Record<string, unknown>, shift: number): Record<string, unknown> {
  const at = eventTimeOf(value);
  if (at === null || shift === 0) return value;
  return { ...value, timestamp: new Date(at + shift).toISOString() };
}

/**
 * The latest event time in the files, read the way the import will read them (a first
 * pass, for `--shift-to-now`); null when no row has a time.
 */
export async function latestEventTime(
  files: readonly string[],
  formats: readonly FileFormat[],
  options: { preset: boolean; mapping: Mapping; type: string },
): Promise<number | null> {
  let latest: number | null = null;
  const see = (value: Record<string, unknown>) => {
    const at = eventTimeOf(value);
    if (at !== null && (latest === null || at > latest)) latest = at;
  };
  const preset = options.preset ? new OnlineRetailPreset() : null;
  const seeOutputs = (outputs: ReturnType<OnlineRetailPreset['push']>) => {
    for (const o of outputs) if (o.kind === 'event') see(o.event);
  };
  for (let i = 0; i < files.length; i++) {
    for await (const row of readRows(files[i]!, formats[i]!, () => undefined)) {
      if (row.kind === 'bad') continue;
      if (preset) seeOutputs(preset.push(row.record, row.line));
      else if (formats[i] === 'csv') {
        try {
          see(csvRowToEvent(row.record, options.mapping, options.type));
        } catch {
          // A row the import will reject has no say in the shift.
        }
      } else see(row.record);
    }
  }
  if (preset) seeOutputs(preset.flush());
  return latest;
}
