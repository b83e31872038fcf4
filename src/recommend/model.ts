import { z } from 'zod';
import { ValidationError, zodDetails, type ErrorDetail } from '../shared/index.js';
import type { AlsModel } from './als.js';
import type { CoOccurrenceModel } from './co-occurrence.js';
import type { ContentModel } from './content.js';
import type { EaseModel } from './ease.js';
import type { HistoryModel } from './history.js';
import {
  BoughtTogetherConfig,
  HistoryConfig,
  PersonalizedConfig,
  PopularConfig,
  SimilarConfig,
  TrendingConfig,
  ViewedTogetherConfig,
} from './model-config.js';
import type { PopularityModel } from './popularity.js';

/** A trained model: plain data (typed arrays inside), self-contained, serializable. */
export type Model =
  HistoryModel | PopularityModel | CoOccurrenceModel | EaseModel | AlsModel | ContentModel;
export type ModelKind = Model['kind'];

/** Models trained together from one snapshot of the interaction log. */
export interface ModelBundle {
  models: Model[];
  trainedAt: number;
  /** The latest interaction time in the training data (null when there was none). */
  trainedThrough: number | null;
}

const FORMAT = 'rapport.recommend.models';
const TYPED = {
  Float64Array,
  Float32Array,
  Int32Array,
} as const;
type TypedName = keyof typeof TYPED;

/**
 * Serializes a bundle to JSON. Typed arrays become `{"$typed": "Float32Array", "base64":
 * "..."}` (their little-endian bytes), so a 3,000-item EASE model with 200 neighbours
 * per item is ~8 MB of text rather than ~40 MB of decimal numbers.
 * @example
 * const text = serializeBundle(bundle);
 * const again = deserializeBundle(text); // validated; throws ValidationError if damaged
 */
export function serializeBundle(bundle: ModelBundle): string {
  return JSON.stringify({ format: FORMAT, formatVersion: 1, ...bundle }, (_key, value: unknown) => {
    for (const name of Object.keys(TYPED) as TypedName[]) {
      if (value instanceof TYPED[name]) {
        const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
        return { $typed: name, base64: bytes.toString('base64') };
      }
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
    return value;
  });
}

/** Parses and validates what `serializeBundle` wrote. */
export function deserializeBundle(text: string): ModelBundle {
  let raw: unknown;
  try {
    raw = JSON.parse(text, (_key, value: unknown) => revive(value));
  } catch (error) {
    throw new ValidationError('model bundle is not valid JSON', [
      { path: '', problem: error instanceof Error ? error.message : String(error) },
    ]);
  }
  const parsed = BundleSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError('model bundle is malformed', zodDetails(parsed.error));
  }
  return validateBundle(parsed.data);
}

/**
 * Checks a decoded bundle (typed arrays already revived) against the models' schemas and
 * the array shapes the types cannot state. The JSON and the binary encodings share it.
 * @throws ValidationError naming the field at fault.
 */
export function validateBundle(raw: unknown): ModelBundle {
  const parsed = BundleBody.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError('model bundle is malformed', zodDetails(parsed.error));
  }
  const { models, trainedAt, trainedThrough } = parsed.data;
  const bundle: ModelBundle = { models, trainedAt, trainedThrough };
  const problems = bundle.models.flatMap((m, i) => checkModel(m, `models.${i}`));
  if (problems.length > 0) throw new ValidationError('model bundle is inconsistent', problems);
  return bundle;
}

function revive(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const v = value as Record<string, unknown>;
  if (typeof v.$typed === 'string' && typeof v.base64 === 'string' && v.$typed in TYPED) {
    const bytes = Buffer.from(v.base64, 'base64');
    const Ctor = TYPED[v.$typed as TypedName];
    if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) return value;
    // Copy into a fresh, aligned buffer.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Ctor(copy.buffer);
  }
  if (typeof v.$number === 'string' && Object.keys(v).length === 1) return Number(v.$number);
  return value;
}

const f64 = z.instanceof(Float64Array);
const f32 = z.instanceof(Float32Array);
const i32 = z.instanceof(Int32Array);
const meta = {
  name: z.string().min(1),
  trainedAt: z.number(),
  trainedThrough: z.number().nullable(),
  itemIds: z.array(z.string()),
};
const ModelSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('history'),
    strategy: z.literal('history'),
    config: HistoryConfig,
    ...meta,
    userIds: z.array(z.string()),
    userPtr: i32,
    item: i32,
    lastView: f64,
    lastCart: f64,
    lastPurchase: f64,
    count: i32,
    quantity: f64,
  }),
  z.object({
    kind: z.literal('popularity'),
    strategy: z.enum(['popular', 'trending']),
    config: z.union([PopularConfig, TrendingConfig]),
    ...meta,
    refTime: z.number(),
    scores: f64,
  }),
  z.object({
    kind: z.literal('co_occurrence'),
    strategy: z.enum(['bought_together', 'viewed_together']),
    config: z.union([BoughtTogetherConfig, ViewedTogetherConfig]),
    ...meta,
    baskets: z.number().nonnegative(),
    itemCounts: f64,
    rowPtr: i32,
    cols: i32,
    counts: f32,
    openSessions: z.array(
      z.object({
        userId: z.string(),
        startAt: z.number(),
        lastAt: z.number(),
        items: z.array(z.int().nonnegative()),
      }),
    ),
  }),
  z.object({
    kind: z.literal('ease'),
    strategy: z.literal('personalized'),
    config: PersonalizedConfig,
    ...meta,
    rowPtr: i32,
    cols: i32,
    weights: f32,
  }),
  z.object({
    kind: z.literal('als'),
    strategy: z.literal('personalized'),
    config: PersonalizedConfig,
    ...meta,
    factors: z.int().positive(),
    itemFactors: f32,
    gram: f64,
  }),
  z.object({
    kind: z.literal('content'),
    strategy: z.literal('similar'),
    config: SimilarConfig,
    ...meta,
    vocabulary: z.array(z.string()),
    idf: f64,
    vecPtr: i32,
    vecTerms: i32,
    vecWeights: f32,
    rowPtr: i32,
    cols: i32,
    sims: f32,
  }),
]);

const BundleBody = z.object({
  models: z.array(ModelSchema),
  trainedAt: z.number(),
  trainedThrough: z.number().nullable(),
});
const BundleSchema = BundleBody.extend({
  format: z.literal(FORMAT),
  formatVersion: z.literal(1),
});

/** Checks the array shapes that the types cannot: CSR pointers and index ranges. */
export function checkModel(m: Model, path: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const n = m.itemIds.length;
  const csr = (rows: number, ptr: Int32Array, idx: Int32Array, bound: number, what: string) => {
    if (ptr.length !== rows + 1 || ptr[0] !== 0 || ptr[rows] !== idx.length) {
      problems.push({ path: `${path}.${what}`, problem: `row pointers do not match ${rows} rows` });
      return;
    }
    for (let r = 0; r < rows; r++) {
      if (ptr[r + 1]! < ptr[r]!) {
        problems.push({ path: `${path}.${what}`, problem: `row ${r} has a negative length` });
        return;
      }
    }
    for (const v of idx) {
      if (v < 0 || v >= bound) {
        problems.push({
          path: `${path}.${what}`,
          problem: `index ${v} is outside 0..${bound - 1}`,
        });
        return;
      }
    }
  };
  const len = (arr: { length: number }, want: number, what: string) => {
    if (arr.length !== want) {
      problems.push({
        path: `${path}.${what}`,
        problem: `has ${arr.length} entries, expected ${want}`,
      });
    }
  };
  switch (m.kind) {
    case 'history':
      csr(m.userIds.length, m.userPtr, m.item, n, 'item');
      for (const a of ['lastView', 'lastCart', 'lastPurchase', 'count', 'quantity'] as const) {
        len(m[a], m.item.length, a);
      }
      break;
    case 'popularity':
      len(m.scores, n, 'scores');
      break;
    case 'co_occurrence':
      len(m.itemCounts, n, 'itemCounts');
      csr(n, m.rowPtr, m.cols, n, 'cols');
      len(m.counts, m.cols.length, 'counts');
      m.openSessions.forEach((s, i) => {
        if (s.items.some((x) => x >= n)) {
          problems.push({ path: `${path}.openSessions.${i}`, problem: 'item index out of range' });
        }
      });
      break;
    case 'ease':
      csr(n, m.rowPtr, m.cols, n, 'cols');
      len(m.weights, m.cols.length, 'weights');
      break;
    case 'als':
      len(m.itemFactors, n * m.factors, 'itemFactors');
      len(m.gram, m.factors * m.factors, 'gram');
      break;
    case 'content':
      len(m.idf, m.vocabulary.length, 'idf');
      csr(n, m.vecPtr, m.vecTerms, m.vocabulary.length, 'vecTerms');
      len(m.vecWeights, m.vecTerms.length, 'vecWeights');
      csr(n, m.rowPtr, m.cols, n, 'cols');
      len(m.sims, m.cols.length, 'sims');
      break;
  }
  return problems;
}
