import type { Interaction, InteractionKind } from './schemas.js';

/** The columns of an interactions CSV; the first three are required. */
export const CSV_COLUMNS = ['user_id', 'item_id', 'timestamp', 'event_type', 'quantity'] as const;

/** Where each known column sits in a row. */
export interface CsvHeader {
  user: number;
  item: number;
  timestamp: number;
  kind: number;
  quantity: number;
  width: number;
}

/** A rejected row: its 1-based line number in the file and why. */
export interface RowProblem {
  line: number;
  problem: string;
}

export type HeaderResult = { kind: 'ok'; header: CsvHeader } | { kind: 'invalid'; problem: string };

/** Maps header names to positions; unknown extra columns are ignored. */
export function parseHeader(fields: readonly string[]): HeaderResult {
  const names = fields.map((f) =>
    f
      .trim()
      .replace(/^\uFEFF/, '')
      .toLowerCase(),
  );
  const at = (name: string) => names.indexOf(name);
  const missing = ['user_id', 'item_id', 'timestamp'].filter((c) => at(c) < 0);
  if (missing.length > 0) {
    return {
      kind: 'invalid',
      problem: `header lacks ${missing.join(', ')} (expected user_id,item_id,timestamp[,event_type][,quantity], got ${fields.join(',')})`,
    };
  }
  const dup = CSV_COLUMNS.find((c) => names.filter((n) => n === c).length > 1);
  if (dup) return { kind: 'invalid', problem: `header repeats column ${dup}` };
  return {
    kind: 'ok',
    header: {
      user: at('user_id'),
      item: at('item_id'),
      timestamp: at('timestamp'),
      kind: at('event_type'),
      quantity: at('quantity'),
      width: fields.length,
    },
  };
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const SECONDS = /^\d+(\.\d+)?$/;
/** Epoch seconds above this (year 5138) are almost surely milliseconds. */
const MAX_SECONDS = 1e11;

export type TimestampResult = { kind: 'ok'; ms: number } | { kind: 'invalid'; problem: string };

/**
 * Epoch seconds (integer or decimal) or ISO 8601 (`2011-09-01`, `2011-09-01T08:26`,
 * `2011-09-01 08:26:00Z`, `...+01:00`). A date-time without a zone is taken as UTC.
 * Calendar fields are range-checked, so `2011-02-30` is rejected rather than rolled over.
 */
export function parseTimestamp(text: string): TimestampResult {
  const s = text.trim();
  if (SECONDS.test(s)) {
    const v = Number(s);
    if (v > MAX_SECONDS) {
      return {
        kind: 'invalid',
        problem: `timestamp ${s} looks like epoch milliseconds; use seconds`,
      };
    }
    return { kind: 'ok', ms: Math.round(v * 1000) };
  }
  const m = ISO.exec(s);
  if (!m) {
    return {
      kind: 'invalid',
      problem: `timestamp "${text}" is neither epoch seconds nor ISO 8601`,
    };
  }
  const [y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m.slice(1);
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(sec);
  const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysIn ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return { kind: 'invalid', problem: `timestamp "${text}" is not a real date and time` };
  }
  let ms =
    Date.UTC(year, month - 1, day, hour, minute, second) + Math.round(Number(`0${frac}`) * 1000);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
    if (offset > 18 * 60)
      return { kind: 'invalid', problem: `timestamp "${text}" has a bad offset` };
    ms -= sign * offset * 60_000;
  }
  return { kind: 'ok', ms };
}

const KINDS = new Set<string>(['view', 'cart', 'purchase']);

export type RowResult =
  { kind: 'ok'; interaction: Interaction } | { kind: 'invalid'; problem: string };

/** Turns one CSV record into an interaction, or says what is wrong with it. */
export function parseRow(fields: readonly string[], header: CsvHeader): RowResult {
  const bad = (problem: string): RowResult => ({ kind: 'invalid', problem });
  if (fields.length !== header.width) {
    return bad(`has ${fields.length} fields, the header has ${header.width}`);
  }
  const userId = fields[header.user]!.trim();
  const itemId = fields[header.item]!.trim();
  if (userId === '') return bad('user_id is empty');
  if (itemId === '') return bad('item_id is empty');
  const ts = parseTimestamp(fields[header.timestamp]!);
  if (ts.kind === 'invalid') return bad(ts.problem);
  let kind: InteractionKind = 'purchase';
  if (header.kind >= 0) {
    const k = fields[header.kind]!.trim().toLowerCase();
    if (k !== '') {
      if (!KINDS.has(k)) return bad(`event_type "${k}" is not view, cart or purchase`);
      kind = k as InteractionKind;
    }
  }
  const interaction: Interaction = { userId, itemId, timestamp: ts.ms, kind };
  if (header.quantity >= 0) {
    const q = fields[header.quantity]!.trim();
    if (q !== '') {
      const v = Number(q);
      if (!Number.isFinite(v) || v <= 0) return bad(`quantity "${q}" is not a positive number`);
      interaction.quantity = v;
    }
  }
  return { kind: 'ok', interaction };
}
