import { buildFeedbackTable } from './feedback.js';
import type { ModelBundle } from './model.js';
import { defaultModelConfigs, ModelConfig, type ModelConfigInput } from './model-config.js';
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
  checkInteractions(interactions);
  const items = parseCatalog(catalog);
  const config = parsed.data;
  const algorithm = resolveAlgorithm(config, buildFeedbackTable(interactions), now);
  const tuning = tunePersonalized(config, interactions, items, algorithm, tune);
  list[at] = withParams(config, tuning.chosen);
  return { bundle: trainModels(list, interactions, catalog, now), tuning };
}
