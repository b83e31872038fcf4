import { z } from 'zod';
import type { ErrorDetail } from '../../../shared/index.js';
import { zodDetails } from '../../../shared/index.js';
import type { JourneyDefinition } from '../definition.js';
import { validateJourney } from '../validate.js';
import { birthday, BirthdayParams } from './birthday.js';
import { browseAbandonment, BrowseAbandonmentParams } from './browse-abandonment.js';
import { cartAbandonment, CartAbandonmentParams } from './cart-abandonment.js';
import { backInStock, BackInStockParams, priceDrop, PriceDropParams } from './catalog-alerts.js';
import { postPurchase, PostPurchaseParams } from './post-purchase.js';
import { replenishment, ReplenishmentParams } from './replenishment.js';
import { welcomeSeries, WelcomeSeriesParams } from './welcome-series.js';
import { winBack, WinBackParams } from './win-back.js';

export { birthday, BirthdayParams } from './birthday.js';
export { browseAbandonment, BrowseAbandonmentParams } from './browse-abandonment.js';
export { cartAbandonment, CartAbandonmentParams } from './cart-abandonment.js';
export { backInStock, BackInStockParams, priceDrop, PriceDropParams } from './catalog-alerts.js';
export { postPurchase, PostPurchaseParams } from './post-purchase.js';
export { replenishment, ReplenishmentParams } from './replenishment.js';
export { welcomeSeries, WelcomeSeriesParams } from './welcome-series.js';
export { winBack, WinBackParams } from './win-back.js';

/** A ready-made journey: its parameters' schema and the function building it. */
export interface JourneyRecipe {
  id: string;
  name: string;
  description: string;
  params: z.ZodType;
  /** Builds the definition from parameters already parsed by `params`. */
  build: (params: never) => JourneyDefinition;
}

const recipe = <S extends z.ZodType>(
  id: string,
  name: string,
  description: string,
  params: S,
  build: (p: z.input<S>) => JourneyDefinition,
): JourneyRecipe => ({ id, name, description, params, build });

/** Every recipe, in the order a marketer meets them. */
export const JOURNEY_RECIPES: readonly JourneyRecipe[] = [
  recipe(
    'welcome_series',
    'Welcome series',
    'A short series of messages after sign-up; a first order converts.',
    WelcomeSeriesParams,
    welcomeSeries,
  ),
  recipe(
    'browse_abandonment',
    'Browse abandonment',
    'Remind of a viewed product not added to a cart.',
    BrowseAbandonmentParams,
    browseAbandonment,
  ),
  recipe(
    'cart_abandonment',
    'Cart abandonment',
    'Remind of a cart not ordered within a delay, with its products; one run per cart.',
    CartAbandonmentParams,
    cartAbandonment,
  ),
  recipe(
    'post_purchase',
    'Post-purchase',
    'Thanks, then a review request, then complementary products.',
    PostPurchaseParams,
    postPurchase,
  ),
  recipe(
    'replenishment',
    'Replenishment',
    'Remind to reorder when a purchase should be running out.',
    ReplenishmentParams,
    replenishment,
  ),
  recipe(
    'birthday',
    'Birthday',
    'A greeting on a date trait (birthday, sign-up anniversary) at a local time.',
    BirthdayParams,
    birthday,
  ),
  recipe(
    'win_back',
    'Win-back',
    'On entering a lapsed segment: a reminder, then an incentive.',
    WinBackParams,
    winBack,
  ),
  recipe(
    'price_drop',
    'Price drop',
    'Alert people interested in an item that its price dropped.',
    PriceDropParams,
    priceDrop,
  ),
  recipe(
    'back_in_stock',
    'Back in stock',
    'Alert people interested in an item that it is available again.',
    BackInStockParams,
    backInStock,
  ),
];

export interface RecipeListing {
  id: string;
  name: string;
  description: string;
  /** JSON Schema of the parameters (as accepted: defaults are optional). */
  params: Record<string, unknown>;
}

/** The recipes for `GET /v1/journey-recipes`. */
export function listRecipes(): RecipeListing[] {
  return JOURNEY_RECIPES.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    params: z.toJSONSchema(t.params, { io: 'input', unrepresentable: 'any' }),
  }));
}

/**
 * Builds a journey from `{ recipe, params }`: unknown recipe ids and bad parameters
 * come back as details with paths under `recipe` / `params`.
 *
 * @example buildFromRecipe('cart_abandonment', { delay: 'PT3S', channel: 'webhook', webhookUrl: 'http://127.0.0.1:9/hook' })
 */
export function buildFromRecipe(
  id: string,
  params: unknown,
): { kind: 'ok'; value: JourneyDefinition } | { kind: 'invalid'; details: ErrorDetail[] } {
  const t = JOURNEY_RECIPES.find((x) => x.id === id);
  if (!t) {
    return {
      kind: 'invalid',
      details: [
        {
          path: 'recipe',
          problem: `unknown recipe "${id}"; one of ${JOURNEY_RECIPES.map((x) => x.id).join(', ')}`,
        },
      ],
    };
  }
  const parsed = t.params.safeParse(params ?? {});
  if (!parsed.success) return { kind: 'invalid', details: zodDetails(parsed.error, ['params']) };
  // Recipes are built from their own input type; parsing again inside is idempotent.
  const def = t.build((params ?? {}) as never);
  // A recipe must always produce a valid journey; check anyway, it is cheap.
  return validateJourney(def);
}
