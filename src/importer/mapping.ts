import { createHash } from 'node:crypto';
import { CatalogItemInput } from '../catalog/index.js';
import { ValidationError, zodDetails } from '../shared/index.js';

/** `--map target=column` pairs: where each CSV column goes in the event or item. */
export type Mapping = Map<string, string>;

const EVENT_TARGETS = new Set([
  'type',
  'userId',
  'anonymousId',
  'event',
  'name',
  'timestamp',
  'messageId',
  'previousId',
  'groupId',
]);
const NESTED = /^(properties|traits|context)\.[^.].*$/;

export function parseMappings(pairs: readonly string[]): Mapping {
  const map: Mapping = new Map();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const target = pair.slice(0, eq).trim();
    const column = pair.slice(eq + 1).trim();
    if (eq <= 0 || !column) {
      throw new ValidationError(`--map "${pair}" must look like target=column.`, [
        { path: '--map', problem: `"${pair}" is not target=column` },
      ]);
    }
    map.set(target, column);
  }
  return map;
}

/** Default columns, tried in order, for each top-level event field. */
const DEFAULT_COLUMNS: Record<string, string[]> = {
  type: ['type'],
  userId: ['userId', 'user_id', 'customer_id', 'CustomerID'],
  anonymousId: ['anonymousId', 'anonymous_id'],
  event: ['event', 'event_name'],
  name: ['name'],
  timestamp: ['timestamp', 'time', 'created_at'],
  messageId: ['messageId', 'message_id'],
  previousId: ['previousId', 'previous_id'],
  groupId: ['groupId', 'group_id'],
};

/** A CSV cell's text; anything else (a missing column) is empty. */
const cellText = (v: unknown): string => (typeof v === 'string' ? v : '');

/** CSV cells are text; numbers and booleans that look exactly so become values. */
export function cellValue(text: string): string | number | boolean | null {
  const t = text.trim();
  if (t === '') return null;
  if (/^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(t)) return Number(t);
  if (t === 'true') return true;
  if (t === 'false') return false;
  return text;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, ...rest] = path.split('.');
  if (!head) return;
  if (rest.length === 0) {
    Object.defineProperty(target, head, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return;
  }
  let child = Object.hasOwn(target, head) ? target[head] : undefined;
  if (typeof child !== 'object' || child === null) {
    child = {};
    Object.defineProperty(target, head, {
      value: child,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  setPath(child as Record<string, unknown>, rest.join('.'), value);
}

/**
 * Builds a Segment event from a CSV row: mapped or conventionally named columns fill the
 * top-level fields; every other column goes to `properties` (or `traits` for identify).
 */
export function csvRowToEvent(
  record: Record<string, unknown>,
  mapping: Mapping,
  defaultType: string,
): Record<string, unknown> {
  for (const target of mapping.keys()) {
    if (!EVENT_TARGETS.has(target) && !NESTED.test(target)) {
      throw new ValidationError(`--map target "${target}" is not an event field.`, [
        { path: '--map', problem: `unknown target "${target}"` },
      ]);
    }
  }
  const used = new Set<string>();
  const event: Record<string, unknown> = {};
  const columns = Object.keys(record);
  for (const field of EVENT_TARGETS) {
    const column = mapping.get(field) ?? DEFAULT_COLUMNS[field]?.find((c) => columns.includes(c));
    if (!column || !columns.includes(column)) continue;
    used.add(column);
    const text = cellText(record[column]).trim();
    if (text !== '') event[field] = text;
  }
  event.type ??= defaultType;
  const bag = event.type === 'identify' || event.type === 'group' ? 'traits' : 'properties';
  for (const [target, column] of mapping) {
    if (!NESTED.test(target) || !columns.includes(column)) continue;
    used.add(column);
    const v = cellValue(cellText(record[column]));
    if (v !== null) setPath(event, target, v);
  }
  for (const column of columns) {
    if (used.has(column)) continue;
    const v = cellValue(cellText(record[column]));
    if (v !== null) setPath(event, `${bag}.${column}`, v);
  }
  return event;
}

/** A stable messageId for a row that has none, so re-importing a file adds nothing. */
export function derivedMessageId(kind: string, text: string): string {
  return `import:${kind}:${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
}

export type ItemResult =
  { kind: 'ok'; item: CatalogItemInput } | { kind: 'invalid'; reason: string };

const LIST_SPLIT = /\s*\|\s*/;

/** A catalog row: `categories` and `tags` split on `|`; `attributes.X` columns nest. */
export function rowToItem(record: Record<string, unknown>, fromCsv: boolean): ItemResult {
  let candidate: Record<string, unknown> = record;
  if (fromCsv) {
    candidate = {};
    for (const [column, rawValue] of Object.entries(record)) {
      const text = cellText(rawValue);
      if (text.trim() === '') continue;
      if (column === 'categories' || column === 'tags') {
        candidate[column] = text.split(LIST_SPLIT).filter(Boolean);
      } else if (
        column === 'id' ||
        column === 'title' ||
        column === 'brand' ||
        column === 'currency' ||
        column === 'url' ||
        column === 'image'
      ) {
        candidate[column] = text.trim();
      } else if (column === 'price' || column === 'stock') {
        candidate[column] = Number(text);
      } else if (column === 'in_stock') {
        candidate[column] = /^(true|1|yes)$/i.test(text.trim())
          ? true
          : /^(false|0|no)$/i.test(text.trim())
            ? false
            : text;
      } else if (column.startsWith('attributes.')) {
        setPath(candidate, column, cellValue(text));
      }
    }
  }
  const parsed = CatalogItemInput.safeParse(candidate);
  if (parsed.success) return { kind: 'ok', item: parsed.data };
  return {
    kind: 'invalid',
    reason: zodDetails(parsed.error)
      .map((d) => `${d.path || 'row'}: ${d.problem}`)
      .join('; '),
  };
}
