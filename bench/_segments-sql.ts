// The reference of the segments benchmark: each segment as one plain SQL query over the
// same store (joins and aggregates over `events`, JSON read with json_extract on SQLite
// and ->/#>> on PostgreSQL), producing its member set at a fixed `now`. Stated traits come
// from a side table built from the identify events (last writer wins per key, as the
// profile does), order facts from one built from the Order Completed events.
//
// The translation is written from the rule language's documented meaning
// (docs/segments.md), not from Rapport's evaluator, so agreement between the two is a
// real check. It covers what the benchmark's data holds (clean types: no numeric strings,
// no Feb 29 birthdays, unique order ids); conditions that plain SQL cannot reasonably
// express throw `Unsupported` with the reason, and those segments are left out.
import type { SegmentDefinition } from '../src/segments/index.js';
import type { StoreKind } from '../src/store/index.js';
import { DAY, WORKSPACE } from './_segments-data.js';

export class Unsupported extends Error {}

const COMPUTED_UNSUPPORTED: Record<string, string> = {
  lifecycle:
    "lifecycle: each person's median gap between purchase days against workspace-fitted defaults",
  rfm: 'RFM: quintile boundaries fitted over the whole workspace by the profile model',
  affinities: 'affinities: time-decayed weights (2^(-age/half-life)) ranked per person',
  clv_12m: 'CLV: BG/NBD and Gamma-Gamma model fits',
  p_alive: 'p_alive: BG/NBD model fit',
  expected_orders_12m: 'expected orders: BG/NBD model fit',
  sessions_last_30d: 'sessions: sessionization (30-minute gaps) over every non-passive event',
};

/** SQL that builds the side tables the queries read; time it with the queries. */
export function sideTables(kind: StoreKind, now: number): string[] {
  const pg = kind === 'postgres';
  const traits = pg
    ? `SELECT e.profile_id, j.key, jsonb_typeof(j.value) AS jtype, j.value #>> '{}' AS val,
         row_number() OVER (PARTITION BY e.profile_id, j.key
                            ORDER BY e.timestamp DESC, e.message_id COLLATE "C" DESC) AS rn
       FROM events e, jsonb_each(e.raw::jsonb -> 'traits') j`
    : `SELECT e.profile_id, j.key, j.type AS jtype, j.value AS val,
         row_number() OVER (PARTITION BY e.profile_id, j.key
                            ORDER BY e.timestamp DESC, e.message_id DESC) AS rn
       FROM events e, json_each(e.raw, '$.traits') j`;
  const revenue = pg
    ? `(e.raw::json -> 'properties' ->> 'revenue')::float8`
    : `json_extract(e.raw, '$.properties.revenue')`;
  return [
    `DROP TABLE IF EXISTS ref_traits`,
    `DROP TABLE IF EXISTS ref_orders`,
    `DROP TABLE IF EXISTS ref_computed`,
    // The latest value of each stated trait (a null is an unset).
    `CREATE TABLE ref_traits AS SELECT profile_id, key, jtype, val FROM (${traits}
       WHERE e.workspace_id = '${WORKSPACE}' AND e.type = 'identify' AND e.profile_id <> '') t
     WHERE rn = 1`,
    `CREATE INDEX ref_traits_key ON ref_traits (key, profile_id)`,
    `CREATE TABLE ref_orders AS
     SELECT e.profile_id, count(*) AS n, sum(${revenue}) AS revenue, count(${revenue}) AS priced,
            min(e.timestamp) AS first_at, max(e.timestamp) AS last_at
     FROM events e
     WHERE e.workspace_id = '${WORKSPACE}' AND e.type = 'track' AND e.event = 'Order Completed'
       AND e.profile_id <> ''
     GROUP BY e.profile_id`,
    `CREATE TABLE ref_computed AS
     SELECT p.id AS profile_id, coalesce(o.n, 0) AS order_count, coalesce(o.revenue, 0) AS revenue,
            CASE WHEN o.priced > 0 THEN o.revenue * 1.0 / o.priced END AS aov,
            o.first_at AS first_order_at, o.last_at AS last_order_at,
            CASE WHEN o.last_at IS NULL THEN NULL WHEN o.last_at > ${now} THEN 0
                 ELSE (${now} - o.last_at) / ${DAY} END AS days_since_last_order
     FROM profiles p LEFT JOIN ref_orders o ON o.profile_id = p.id
     WHERE p.workspace_id = '${WORKSPACE}' AND p.merged_into IS NULL`,
    `CREATE INDEX ref_computed_id ON ref_computed (profile_id)`,
  ];
}

const ALL = `SELECT id AS profile_id FROM profiles WHERE workspace_id = '${WORKSPACE}' AND merged_into IS NULL`;
const text = (s: string) => `'${s.replaceAll("'", "''")}'`;
const durationDays = (d: string) => {
  const m = /^P(\d+)D$/.exec(d);
  if (!m) throw new Unsupported(`duration ${d} (the reference reads whole days only)`);
  return Number(m[1]) * DAY;
};
const dateMs = (iso: string) => {
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(ms))
    throw new Unsupported(`date ${iso} (the reference reads calendar dates only)`);
  return ms;
};

const TRUE = '(1 = 1)';
const FALSE = '(1 = 0)';

/** A value as SQL sees it: predicates on its type and expressions reading it as each type. */
interface Val {
  isString: string;
  isNumber: string;
  /** Present and not null. */
  exists: string;
  /** The value when it is a string / a number / a date (epoch ms), else NULL. */
  str: string;
  num: string;
  ms: string;
  /** Whether it is a list holding the string `t` (an SQL literal). */
  listHas: (t: string) => string;
}

/** Translates segment definitions into SQL for one store at one `now`. */
export class SqlTranslator {
  private n = 0;
  private readonly pg: boolean;
  constructor(
    kind: StoreKind,
    private readonly now: number,
    private readonly lookup: (segmentId: string) => SegmentDefinition,
  ) {
    this.pg = kind === 'postgres';
  }

  /** A JSON value: its type name (json_type / jsonb_typeof) and its SQL value. */
  private json(jtype: string, val: string): Val {
    const isString = this.pg ? `${jtype} = 'string'` : `${jtype} = 'text'`;
    const isNumber = this.pg ? `${jtype} = 'number'` : `${jtype} IN ('integer', 'real')`;
    // CASE, not AND: PostgreSQL may evaluate a cast before the type test beside it.
    const str = `(CASE WHEN ${isString} THEN ${val} END)`;
    return {
      isString,
      isNumber,
      exists: `${jtype} <> 'null'`,
      str,
      num: `(CASE WHEN ${isNumber} THEN ${this.pg ? `(${val})::float8` : val} END)`,
      ms: this.pg
        ? `(extract(epoch from ${str}::timestamptz) * 1000)::bigint`
        : `CAST(round(unixepoch(${str}, 'subsec') * 1000) AS INTEGER)`,
      listHas: (t) =>
        this.pg
          ? `(CASE WHEN ${jtype} = 'array' THEN (${val})::jsonb ? ${t} END)`
          : `(${jtype} = 'array' AND EXISTS (SELECT 1 FROM json_each(${val}) x WHERE x.type = 'text' AND x.value = ${t}))`,
    };
  }

  /** A number or time column (NULL when absent): computed traits, first/last times. */
  private number(col: string): Val {
    return {
      isString: FALSE,
      isNumber: `${col} IS NOT NULL`,
      exists: `${col} IS NOT NULL`,
      str: 'NULL',
      num: col,
      ms: col,
      listHas: () => FALSE,
    };
  }

  /** A text column: an event's type or name. */
  private textColumn(col: string): Val {
    return {
      isString: TRUE,
      isNumber: FALSE,
      exists: TRUE,
      str: col,
      num: 'NULL',
      ms: 'NULL',
      listHas: () => FALSE,
    };
  }

  private wrap = (q: string) => `SELECT profile_id FROM (${q}) AS q${++this.n}`;

  /** The SQL predicate of one operator on a value. */
  private test(op: string, operand: unknown, v: Val): string {
    const now = this.now;
    const eqOf = (x: unknown) => {
      if (typeof x === 'string') return `${v.str} = ${text(x)}`;
      if (typeof x === 'number') return `${v.num} = ${x}`;
      throw new Unsupported(`boolean operand ${String(x)}`);
    };
    const anyOf = (xs: unknown[]) => `(${xs.map(eqOf).join(' OR ')})`;
    const scalar = `(${v.isString} OR ${v.isNumber})`;
    switch (op) {
      case 'eq':
        return eqOf(operand);
      case 'neq':
        return `(${scalar} AND NOT ${eqOf(operand)})`;
      case 'in':
        return anyOf(operand as unknown[]);
      case 'not_in':
        return `(${scalar} AND NOT ${anyOf(operand as unknown[])})`;
      case 'contains': {
        const t = text(String(operand));
        const inText = this.pg ? `strpos(${v.str}, ${t}) > 0` : `instr(${v.str}, ${t}) > 0`;
        return `(${inText} OR ${v.listHas(t)})`;
      }
      case 'starts_with': {
        const p = operand as string;
        return `substr(${v.str}, 1, ${p.length}) = ${text(p)}`;
      }
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte': {
        const sign = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[op];
        return `${v.num} ${sign} ${operand as number}`;
      }
      case 'between': {
        const [lo, hi] = operand as [unknown, unknown];
        if (typeof lo === 'number') return `${v.num} BETWEEN ${lo} AND ${hi as number}`;
        return `${v.ms} BETWEEN ${dateMs(lo as string)} AND ${dateMs(hi as string)}`;
      }
      case 'exists':
        return v.exists;
      case 'before':
        return `${v.ms} < ${dateMs(operand as string)}`;
      case 'after':
        return `${v.ms} > ${dateMs(operand as string)}`;
      case 'within_last':
        return `(${v.ms} <= ${now} AND ${now} < ${v.ms} + ${durationDays(operand as string)})`;
      case 'more_than_ago':
        return `${v.ms} + ${durationDays(operand as string)} <= ${now}`;
      case 'anniversary_within':
        return this.anniversary(v, operand as number);
      default:
        throw new Unsupported(`operator ${op}`);
    }
  }

  /** A YYYY-MM-DD date whose anniversary (after its own year) is within `days` days. */
  private anniversary(v: Val, days: number): string {
    const year = new Date(this.now).getUTCFullYear();
    const s = v.str;
    const parts = [year - 1, year, year + 1].map((y) => {
      const at = this.pg
        ? `(extract(epoch from ('${y}' || substr(${s}, 5, 6))::date::timestamp) * 1000)::bigint`
        : `(unixepoch('${y}' || substr(${s}, 5, 6)) * 1000)`;
      return `(CAST(substr(${s}, 1, 4) AS INTEGER) < ${y} AND ${at} - ${days * DAY} <= ${this.now} AND ${this.now} < ${at} + ${DAY})`;
    });
    return `(length(${s}) = 10 AND (${parts.join(' OR ')}))`;
  }

  /** The operator of a condition and its operand (the one key besides `skip`). */
  private static only(node: Record<string, unknown>, skip?: string): [string, unknown] {
    return Object.entries(node).find(([k]) => k !== skip)!;
  }

  private trait(node: Record<string, unknown>): string {
    const key = node.trait as string;
    if (key.includes('.')) throw new Unsupported(`nested trait path ${key}`);
    const [op, operand] = SqlTranslator.only(node, 'trait');
    if (op === 'not_exists') {
      const present = `SELECT profile_id FROM ref_traits WHERE key = ${text(key)} AND jtype <> 'null'`;
      return `${this.wrap(ALL)} EXCEPT ${this.wrap(present)}`;
    }
    const pred = this.test(op, operand, this.json('jtype', 'val'));
    return `SELECT profile_id FROM ref_traits WHERE key = ${text(key)} AND ${pred}`;
  }

  private computed(node: Record<string, unknown>): string {
    const path = node.computed as string;
    const reason = COMPUTED_UNSUPPORTED[path.split('.')[0]!];
    if (reason) throw new Unsupported(reason);
    if (!COMPUTED_COLUMNS.includes(path)) throw new Unsupported(`computed trait ${path}`);
    const [op, operand] = SqlTranslator.only(node, 'computed');
    const pred =
      op === 'not_exists' ? `${path} IS NULL` : this.test(op, operand, this.number(path));
    return `SELECT profile_id FROM ref_computed WHERE ${pred}`;
  }

  private event(node: Record<string, unknown>): string {
    const preds = [
      `e.workspace_id = '${WORKSPACE}'`,
      `e.event = ${text(node.event as string)}`,
      `e.profile_id <> ''`,
      `e.timestamp <= ${this.now}`,
    ];
    if (typeof node.within === 'string')
      preds.push(`e.timestamp > ${this.now - durationDays(node.within)}`);
    const where = (node.where ?? {}) as Record<string, Record<string, unknown>>;
    for (const [path, t] of Object.entries(where)) {
      const [op, operand] = SqlTranslator.only(t);
      preds.push(this.test(op, operand, this.path(path)));
    }
    const [countOp, countOperand] = SqlTranslator.only(
      (node.count ?? { gte: 1 }) as Record<string, unknown>,
    );
    const count = (n: string) => this.test(countOp, countOperand, this.number(n));
    const agg = `SELECT e.profile_id, count(*) AS n, min(e.timestamp) AS f, max(e.timestamp) AS l
      FROM events e WHERE ${preds.join(' AND ')} GROUP BY e.profile_id`;
    const times: string[] = [];
    for (const [key, col] of [
      ['first', 'c.f'],
      ['last', 'c.l'],
    ] as const) {
      const t = node[key] as Record<string, unknown> | undefined;
      if (t) times.push(this.test(...SqlTranslator.only(t), this.number(col)));
    }
    // A count that passes at zero also selects people with no matching event at all.
    if (times.length > 0 || !passesAtZero(countOp, countOperand)) {
      return `SELECT c.profile_id FROM (${agg}) c WHERE ${[count('c.n'), ...times].join(' AND ')}`;
    }
    return `SELECT a.profile_id FROM (${ALL}) a LEFT JOIN (${agg}) c ON c.profile_id = a.profile_id
      WHERE ${count('coalesce(c.n, 0)')}`;
  }

  /** A `where` path: a column, or a JSON path into the raw event. */
  private path(path: string): Val {
    if (path === 'type' || path === 'event') return this.textColumn(`e.${path}`);
    const parts = path.split('.');
    if (parts[0] !== 'properties' && parts[0] !== 'context')
      throw new Unsupported(`where path ${path}`);
    if (this.pg) {
      const p = `'{${parts.join(',')}}'`;
      return this.json(`json_typeof(e.raw::json #> ${p})`, `(e.raw::json #>> ${p})`);
    }
    const p = `'$.${parts.join('.')}'`;
    return this.json(`json_type(e.raw, ${p})`, `json_extract(e.raw, ${p})`);
  }

  /** The member query of a definition: one SELECT of profile_id. */
  translate(def: SegmentDefinition): string {
    const node = def as unknown as Record<string, unknown>;
    if ('trait' in node) return this.trait(node);
    if ('computed' in node) return this.computed(node);
    if ('event' in node) return this.event(node);
    if ('segment' in node) return this.translate(this.lookup(node.segment as string));
    if ('not' in node) {
      return `${this.wrap(ALL)} EXCEPT ${this.wrap(this.translate(node.not as SegmentDefinition))}`;
    }
    if ('any' in node) {
      return (node.any as SegmentDefinition[])
        .map((d) => this.wrap(this.translate(d)))
        .join(' UNION ');
    }
    const parts = node.all as SegmentDefinition[];
    const isNot = (d: SegmentDefinition) => 'not' in (d as object);
    const pos = parts.filter((d) => !isNot(d)).map((d) => this.wrap(this.translate(d)));
    const neg = parts
      .filter(isNot)
      .map((d) => this.wrap(this.translate((d as { not: SegmentDefinition }).not)));
    // Intersections first, then differences: SQLite applies compound operators left to
    // right and PostgreSQL binds INTERSECT tighter, so this order means the same in both.
    return [(pos.length ? pos : [this.wrap(ALL)]).join(' INTERSECT '), ...neg].join(' EXCEPT ');
  }
}

const COMPUTED_COLUMNS = [
  'order_count',
  'revenue',
  'aov',
  'first_order_at',
  'last_order_at',
  'days_since_last_order',
];

function passesAtZero(op: string, operand: unknown): boolean {
  switch (op) {
    case 'eq':
      return operand === 0;
    case 'neq':
      return operand !== 0;
    case 'gt':
      return false;
    case 'gte':
      return (operand as number) <= 0;
    case 'lt':
      return (operand as number) > 0;
    case 'lte':
      return true;
    case 'between':
      return (operand as number[])[0]! <= 0;
    default:
      throw new Unsupported(`count operator ${op}`);
  }
}
