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
export interface JourneyTemplate {
  id: string;
  name: string;
  description: string;
  params: z.ZodType;
  /** Builds the definition from parameters already parsed by `params`. */
  build: (params: never) => JourneyDefinition;
}

const template = <S extends z.ZodType>(
  id: string,
  name: string,
  description: string,
  params: S,
  build: (p: z.input<S>) => JourneyDefinition,
): JourneyTemplate => ({ id, name, description, params, build });

/** Every template, in the order a marketer meets them. */
export const JOURNEY_TEMPLATES: readonly JourneyTemplate[] = [
  template(
    'welcome_series',
    'Welcome series',
    'A short series of messages after sign-up; a first order converts.',
    WelcomeSeriesParams,
    welcomeSeries,
  ),
  template(
    'browse_abandonment',
    'Browse abandonment',
    'Remind of a viewed product not added to a cart.',
    BrowseAbandonmentParams,
    browseAbandonment,
  ),
  template(
    'cart_abandonment',
    'Cart abandonment',
    'Remind of a cart not ordered within a delay, with its products; one run per cart.',
    CartAbandonmentParams,
    cartAbandonment,
  ),
  template(
    'post_purchase',
    'Post-purchase',
    'Thanks, then a review request, then complementary products.',
    PostPurchaseParams,
    postPurchase,
  ),
  template(
    'replenishment',
    'Replenishment',
    'Remind to reorder when a purchase should be running out.',
    ReplenishmentParams,
    replenishment,
  ),
  template(
    'birthday',
    'Birthday',
    'A greeting on a date trait (birthday, sign-up anniversary) at a local time.',
    BirthdayParams,
    birthday,
  ),
  template(
    'win_back',
    'Win-back',
    'On entering a lapsed segment: a reminder, then an incentive.',
    WinBackParams,
    winBack,
  ),
  template(
    'price_drop',
    'Price drop',
    'Alert people interested in an item that its price dropped.',
    PriceDropParams,
    priceDrop,
  ),
  template(
    'back_in_stock',
    'Back in stock',
    'Alert people interested in an item that it is available again.',
    BackInStockParams,
    backInStock,
  ),
];

export interface TemplateListing {
  id: string;
  name: string;
  description: string;
  /** JSON Schema of the parameters (as accepted: defaults are optional). */
  params: Record<string, unknown>;
}

/** The templates for `GET /v1/journey-templates`. */
export function listTemplates(): TemplateListing[] {
  return JOURNEY_TEMPLATES.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    params: z.toJSONSchema(t.params, { io: 'input', unrepresentable: 'any' }),
  }));
}

/**
 * Builds a journey from `{ template, params }`: unknown template ids and bad parameters
 * come back as details with paths under `template` / `params`.
 *
 * @example buildFromTemplate('cart_abandonment', { delay: 'PT3S', channel: 'webhook', webhookUrl: 'http://127.0.0.1:9/hook' })
 */
export function buildFromTemplate(
  id: string,
  params: unknown,
): { kind: 'ok'; value: JourneyDefinition } | { kind: 'invalid'; details: ErrorDetail[] } {
  const t = JOURNEY_TEMPLATES.find((x) => x.id === id);
  if (!t) {
    return {
      kind: 'invalid',
      details: [
        {
          path: 'template',
          problem: `unknown template "${id}"; one of ${JOURNEY_TEMPLATES.map((x) => x.id).join(', ')}`,
        },
      ],
    };
  }
  const parsed = t.params.safeParse(params ?? {});
  if (!parsed.success) return { kind: 'invalid', details: zodDetails(parsed.error, ['params']) };
  // Templates are built from their own input type; parsing again inside is idempotent.
  const def = t.build((params ?? {}) as never);
  // A template must always produce a valid journey; check anyway, it is cheap.
  return validateJourney(def);
}
