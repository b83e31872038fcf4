import { ValidationError, zodDetails, type ErrorDetail } from '../shared/index.js';
import { trainAls } from './als.js';
import { trainCoOccurrence } from './co-occurrence.js';
import { trainContent } from './content.js';
import { selectItems, trainEase, weighTable } from './ease.js';
import { buildFeedbackTable, type FeedbackTable } from './feedback.js';
import { trainHistory } from './history.js';
import type { Model, ModelBundle } from './model.js';
import {
  defaultModelConfigs,
  ModelConfig,
  type ModelConfigInput,
  type PersonalizedConfig,
} from './model-config.js';
import { trainPopularity } from './popularity.js';
import {
  CatalogItem,
  INTERACTION_KINDS,
  type CatalogItemInput,
  type Interaction,
} from './schemas.js';

/** Shared, lazily built inputs so that training several models aggregates once. */
class TrainingData {
  private tableCache: FeedbackTable | undefined;
  constructor(
    readonly interactions: readonly Interaction[],
    readonly catalog: readonly CatalogItem[],
  ) {}
  table(): FeedbackTable {
    return (this.tableCache ??= buildFeedbackTable(this.interactions));
  }
  trainedThrough(): number | null {
    let t = -Infinity;
    for (const x of this.interactions) if (x.timestamp > t) t = x.timestamp;
    return t === -Infinity ? null : t;
  }
}

/**
 * Trains one model. Pure: the result depends only on the arguments (`now` is the
 * reference time for time decay). Configs and catalog items are validated; interactions
 * get a cheap structural check (they usually come from the already-validated event log).
 * @throws ValidationError naming the offending field or row.
 * @example
 * const model = train({ strategy: 'personalized' }, interactions, catalog, Date.now());
 */
export function train(
  config: ModelConfigInput,
  interactions: readonly Interaction[],
  catalog: readonly CatalogItemInput[],
  now: number,
): Model {
  const parsed = parseConfig(config, 'config');
  checkInteractions(interactions);
  return trainParsed(parsed, new TrainingData(interactions, parseCatalog(catalog)), now);
}

/**
 * Trains a bundle of models from one snapshot (default: every strategy with default
 * parameters). Model names must be unique.
 * @example
 * const bundle = trainModels(defaultModelConfigs(), interactions, catalog, now);
 * const recommender = new Recommender({ catalog, bundle });
 */
export function trainModels(
  configs: readonly ModelConfigInput[] | undefined,
  interactions: readonly Interaction[],
  catalog: readonly CatalogItemInput[],
  now: number,
): ModelBundle {
  const parsed = (configs ?? defaultModelConfigs()).map((c, i) => parseConfig(c, `configs.${i}`));
  const names = new Set<string>();
  parsed.forEach((c, i) => {
    const name = c.name ?? c.strategy;
    if (names.has(name)) {
      throw new ValidationError(`two models are named "${name}"`, [
        { path: `configs.${i}.name`, problem: `duplicate model name "${name}"` },
      ]);
    }
    names.add(name);
  });
  checkInteractions(interactions);
  const data = new TrainingData(interactions, parseCatalog(catalog));
  return {
    models: parsed.map((c) => trainParsed(c, data, now)),
    trainedAt: now,
    trainedThrough: data.trainedThrough(),
  };
}

function trainParsed(config: ModelConfig, data: TrainingData, now: number): Model {
  switch (config.strategy) {
    case 'history':
      return trainHistory(config, data.interactions, now, data.table());
    case 'popular':
    case 'trending':
      return trainPopularity(config, data.interactions, now);
    case 'bought_together':
    case 'viewed_together':
      return trainCoOccurrence(config, data.interactions, now);
    case 'personalized':
      return trainPersonalized(config, data, now);
    case 'similar':
      return trainContent(config, data.catalog, now);
  }
}

/** EASE when the supported items fit `maxEaseItems` (or `algorithm: 'ease'`), else ALS. */
function trainPersonalized(config: PersonalizedConfig, data: TrainingData, now: number): Model {
  const weighted = weighTable(data.table(), config, now);
  const through = data.trainedThrough();
  if (config.algorithm === 'ease') return trainEase(config, weighted, now, through);
  if (config.algorithm === 'als') return trainAls(config, weighted, now, through);
  const n = selectItems(weighted, config.minSupport, Number.MAX_SAFE_INTEGER).itemIds.length;
  return n <= config.maxEaseItems
    ? trainEase(config, weighted, now, through)
    : trainAls(config, weighted, now, through);
}

function parseConfig(config: ModelConfigInput, path: string): ModelConfig {
  const parsed = ModelConfig.safeParse(config);
  if (!parsed.success) {
    const details = zodDetails(parsed.error, [path]);
    throw new ValidationError(
      `invalid model config: ${details[0]!.path}: ${details[0]!.problem}`,
      details,
    );
  }
  return parsed.data;
}

/** Validates catalog items; every problem is reported with its `catalog.<i>.<field>` path. */
export function parseCatalog(catalog: readonly CatalogItemInput[]): CatalogItem[] {
  const out: CatalogItem[] = [];
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  catalog.forEach((item, i) => {
    const parsed = CatalogItem.safeParse(item);
    if (!parsed.success) {
      problems.push(...zodDetails(parsed.error, ['catalog', i]));
      return;
    }
    if (seen.has(parsed.data.id)) {
      problems.push({ path: `catalog.${i}.id`, problem: `duplicate item id "${parsed.data.id}"` });
      return;
    }
    seen.add(parsed.data.id);
    out.push(parsed.data);
  });
  if (problems.length > 0) {
    throw new ValidationError(
      `invalid catalog: ${problems[0]!.path}: ${problems[0]!.problem}`,
      problems,
    );
  }
  return out;
}

/** O(N) structural check; stops at the first bad interaction. */
export function checkInteractions(interactions: readonly Interaction[]): void {
  const kinds = new Set<string>(INTERACTION_KINDS);
  for (let i = 0; i < interactions.length; i++) {
    const x = interactions[i]!;
    const bad = (field: string, problem: string) =>
      new ValidationError(`invalid interaction ${i}: ${field} ${problem}`, [
        { path: `interactions.${i}.${field}`, problem },
      ]);
    if (typeof x.userId !== 'string' || x.userId === '')
      throw bad('userId', 'must be a non-empty string');
    if (typeof x.itemId !== 'string' || x.itemId === '')
      throw bad('itemId', 'must be a non-empty string');
    if (typeof x.timestamp !== 'number' || !Number.isFinite(x.timestamp)) {
      throw bad('timestamp', 'must be a finite number of epoch milliseconds');
    }
    if (!kinds.has(x.kind)) throw bad('kind', 'must be one of view, cart, purchase');
    if (x.quantity !== undefined && !(Number.isFinite(x.quantity) && x.quantity > 0)) {
      throw bad('quantity', 'must be a positive number');
    }
  }
}
