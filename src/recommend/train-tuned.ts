import { buildFeedbackTable } from './feedback.js';
import type { ModelBundle } from './model.js';
import {
  defaultModelConfigs,
  ModelConfig,
  type ModelConfigInput,
  type PersonalizedConfig,
} from './model-config.js';
import type { CatalogItemInput, Interaction } from './schemas.js';
import { checkInteractions, parseCatalog, trainModels } from './train.js';
import { resolveAlgorithm, tunePersonalized, withParams, type TuneOptions } from './tune.js';
import type { TuningReport } from './tuning-report.js';

export interface TunedBundle {
  bundle: ModelBundle;
  /** How the personalized model's parameters were chosen (null: not tuned). */
  tuning: TuningReport | null;
}

/**
 * `trainModels` with the first `personalized` model's parameters chosen on a validation
 * tail of the same interactions (see `tunePersonalized`); the chosen ones are then
 * trained on all of them. `tune: false` trains the configs as given.
 * @example
 * const { bundle, tuning } = trainTuned(undefined, interactions, catalog, now, {});
 */
export function trainTuned(
  configs: readonly ModelConfigInput[] | undefined,
  interactions: readonly Interaction[],
  catalog: readonly CatalogItemInput[],
  now: number,
  tune: TuneOptions | false,
): TunedBundle {
  const list = [...(configs ?? defaultModelConfigs())];
  const at = list.findIndex((c) => c.strategy === 'personalized');
  const parsed = at >= 0 ? ModelConfig.safeParse(list[at]) : null;
  if (tune === false || !parsed?.success || parsed.data.strategy !== 'personalized') {
    return { bundle: trainModels(list, interactions, catalog, now), tuning: null };
  }
  const tuned = tuneConfig(parsed.data, interactions, catalog, now, tune);
  list[at] = tuned.config;
  return { bundle: trainModels(list, interactions, catalog, now), tuning: tuned.tuning };
}

/**
 * A personalized config with its parameters chosen on a validation tail of
 * `interactions` (see `tunePersonalized`), and the report of how.
 * @throws ValidationError for a bad catalog or interaction, as `trainModels`.
 * @example
 * const { config, tuning } = tuneConfig(PersonalizedConfig.parse({ strategy: 'personalized' }), rows, catalog, now, {});
 */
export function tuneConfig(
  config: PersonalizedConfig,
  interactions: readonly Interaction[],
  catalog: readonly CatalogItemInput[],
  now: number,
  options: TuneOptions,
): { config: PersonalizedConfig; tuning: TuningReport } {
  checkInteractions(interactions);
  const items = parseCatalog(catalog);
  const algorithm = resolveAlgorithm(config, buildFeedbackTable(interactions), now);
  const tuning = tunePersonalized(config, interactions, items, algorithm, options);
  return { config: withParams(config, tuning.chosen), tuning };
}
