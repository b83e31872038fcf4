// The 50 segments of the segments benchmark, of mixed kinds: stated traits (text, numbers,
// lists, dates, birthdays), computed traits (orders, revenue, AOV, recency, lifecycle, RFM,
// affinities, CLV, sessions), event conditions (where / count / within, first / last,
// "has not done X within", page views), nesting, and references to other segments.
import type { SegmentDefinition } from '../src/segments/index.js';
import { DAY } from './_segments-data.js';

export interface SegmentSpec {
  /** Stable key, used by references (`ref`) and in the results. */
  key: string;
  name: string;
  definition: (ref: (key: string) => string, now: number) => SegmentDefinition;
}

type Def = SegmentDefinition;
const viewed = (where: Record<string, object>, count: object, within?: string): Def =>
  ({
    event: 'Product Viewed',
    ...(Object.keys(where).length > 0 ? { where } : {}),
    count,
    ...(within ? { within } : {}),
  }) as Def;
const did = (event: string, within: string): Def => ({ event, within });
const not = (d: Def): Def => ({ not: d });
const day = (ms: number) => new Date(Math.floor(ms / DAY) * DAY).toISOString().slice(0, 10);

/** The segment the latency probes flip: the example of the docs' first paragraph. */
export const PROBE_KEY = 'shoe_browsers';

const SPECS: SegmentSpec[] = [
  // First, so that every --segments count includes the segment the probes flip.
  {
    key: PROBE_KEY,
    name: 'Shoe browsers, not buyers',
    definition: () => ({
      all: [
        viewed({ 'properties.category': { eq: 'shoes' } }, { gte: 2 }, 'P7D'),
        not(did('Order Completed', 'P7D')),
      ],
    }),
  },
  // Stated traits.
  { key: 'plan_pro', name: 'Pro plan', definition: () => ({ trait: 'plan', eq: 'pro' }) },
  {
    key: 'plan_big',
    name: 'Team or enterprise plan',
    definition: () => ({ trait: 'plan', in: ['team', 'enterprise'] }),
  },
  {
    key: 'outside_us_gb',
    name: 'Outside the US and GB',
    definition: () => ({ trait: 'country', not_in: ['US', 'GB'] }),
  },
  { key: 'young', name: 'Aged 18-29', definition: () => ({ trait: 'age', between: [18, 29] }) },
  { key: 'has_email', name: 'Has an e-mail', definition: () => ({ trait: 'email', exists: true }) },
  { key: 'runners', name: 'Runners', definition: () => ({ trait: 'tags', contains: 'runner' }) },
  {
    key: 'recent_signups',
    name: 'Signed up in the last 14 days',
    definition: () => ({ trait: 'signup_at', within_last: 'P14D' }),
  },
  {
    key: 'birthday_week',
    name: 'Birthday within a week',
    definition: () => ({ trait: 'birthday', anniversary_within: 7 }),
  },
  {
    key: 'paying_fr',
    name: 'Paying customers in France',
    definition: () => ({
      all: [
        { trait: 'plan', neq: 'free' },
        { trait: 'country', eq: 'FR' },
      ],
    }),
  },
  // Computed traits.
  {
    key: 'repeat_buyers',
    name: '3+ orders',
    definition: () => ({ computed: 'order_count', gte: 3 }),
  },
  {
    key: 'revenue_300',
    name: 'Revenue over 300',
    definition: () => ({ computed: 'revenue', gt: 300 }),
  },
  { key: 'big_baskets', name: 'AOV 150+', definition: () => ({ computed: 'aov', gte: 150 }) },
  {
    key: 'no_order_30d',
    name: 'Last order over 30 days ago',
    definition: () => ({ computed: 'days_since_last_order', gt: 30 }),
  },
  {
    key: 'new_customers',
    name: 'First order in the last 30 days',
    definition: () => ({ computed: 'first_order_at', within_last: 'P30D' }),
  },
  {
    key: 'carted_never_bought',
    name: 'Added to cart, never bought',
    definition: () => ({
      all: [{ computed: 'order_count', eq: 0 }, did('Product Added', 'P14D')],
    }),
  },
  {
    key: 'lifecycle_at_risk',
    name: 'Lifecycle: at risk',
    definition: () => ({ computed: 'lifecycle', eq: 'at_risk' }),
  },
  {
    key: 'lifecycle_engaged',
    name: 'Lifecycle: new or active',
    definition: () => ({ computed: 'lifecycle', in: ['new', 'active'] }),
  },
  {
    key: 'rfm_recent',
    name: 'RFM recency 5',
    definition: () => ({ computed: 'rfm.code', starts_with: '5' }),
  },
  {
    key: 'rfm_frequent_recent',
    name: 'RFM recent and frequent',
    definition: () => ({
      all: [
        { computed: 'rfm.recency', between: [4, 5] },
        { computed: 'rfm.frequency', gte: 3 },
      ],
    }),
  },
  {
    key: 'shoe_affinity',
    name: 'Top category: shoes',
    definition: () => ({ computed: 'affinities.category.0.value', eq: 'shoes' }),
  },
  {
    key: 'clv_100',
    name: 'Predicted CLV over 100',
    definition: () => ({ computed: 'clv_12m', gt: 100 }),
  },
  {
    key: 'sessions_30d',
    name: '3+ sessions in 30 days',
    definition: () => ({ computed: 'sessions_last_30d', gte: 3 }),
  },
  // Event conditions.
  {
    key: 'bag_lovers',
    name: 'Viewed bags 3+ times in 30 days',
    definition: () => viewed({ 'properties.category': { eq: 'bags' } }, { gte: 3 }, 'P30D'),
  },
  {
    key: 'premium_browsers',
    name: 'Viewed a 100+ product this week',
    definition: () => viewed({ 'properties.price': { gte: 100 } }, { gte: 1 }, 'P7D'),
  },
  {
    key: 'cart_abandoners',
    name: 'Cart abandoners (3 days)',
    definition: () => ({
      all: [did('Product Added', 'P3D'), not(did('Order Completed', 'P3D'))],
    }),
  },
  {
    key: 'no_order_60d',
    name: 'No order for 60 days',
    definition: () => not(did('Order Completed', 'P60D')),
  },
  {
    key: 'lapsed_buyers',
    name: 'Bought, but not for 30 days',
    definition: () => ({ event: 'Order Completed', last: { more_than_ago: 'P30D' } }),
  },
  {
    key: 'first_order_14d',
    name: 'First order in the last 14 days',
    definition: () => ({ event: 'Order Completed', first: { within_last: 'P14D' } }),
  },
  {
    key: 'orders_2_5',
    name: 'Ordered 2 to 5 times',
    definition: () => ({ event: 'Order Completed', count: { between: [2, 5] } }),
  },
  {
    key: 'pricing_14d',
    name: 'Viewed pricing in 14 days',
    definition: () => ({ event: 'Pricing', where: { type: { eq: 'page' } }, within: 'P14D' }),
  },
  {
    key: 'never_pricing',
    name: 'Never viewed pricing',
    definition: () => ({ event: 'Pricing', where: { type: { eq: 'page' } }, count: { eq: 0 } }),
  },
  {
    key: 'brand_fans',
    name: 'Viewed Acme or Nimbus twice in 14 days',
    definition: () =>
      viewed({ 'properties.brand': { in: ['Acme', 'Nimbus'] } }, { gte: 2 }, 'P14D'),
  },
  {
    key: 'checkout_no_order',
    name: 'Checkout this week, no order today',
    definition: () => ({
      all: [did('Checkout Started', 'P7D'), not(did('Order Completed', 'P1D'))],
    }),
  },
  {
    key: 'email_engaged',
    name: 'Opened an e-mail in 30 days',
    definition: () => did('Email Opened', 'P30D'),
  },
  {
    key: 'cheap_outerwear',
    name: 'Viewed cheap coats or hats in 21 days',
    definition: () =>
      viewed(
        { 'properties.category': { in: ['coats', 'hats'] }, 'properties.price': { lt: 50 } },
        { gte: 1 },
        'P21D',
      ),
  },
  {
    key: 'heavy_browsers',
    name: '10+ product views ever',
    definition: () => viewed({}, { gte: 10 }),
  },
  {
    key: 'big_orders_60d',
    name: 'An order of 200+ in 60 days',
    definition: () => ({
      event: 'Order Completed',
      where: { 'properties.revenue': { gte: 200 } },
      within: 'P60D',
    }),
  },
  {
    key: 'home_today',
    name: 'On the home page in the last day',
    definition: () => ({ event: 'Home', last: { within_last: 'P1D' } }),
  },
  {
    key: 'cart_viewers',
    name: 'Viewed the cart twice this week',
    definition: () => ({ event: 'Cart Viewed', count: { gte: 2 }, within: 'P7D' }),
  },
  {
    key: 'early_shoe_viewers',
    name: 'First viewed shoes over a month ago',
    definition: (_ref, now) => ({
      event: 'Product Viewed',
      where: { 'properties.category': { eq: 'shoes' } },
      first: { before: day(now - 30 * DAY) },
    }),
  },
  // Nesting.
  {
    key: 'vip',
    name: 'Enterprise or revenue over 1000',
    definition: () => ({
      any: [
        { trait: 'plan', eq: 'enterprise' },
        { computed: 'revenue', gt: 1000 },
      ],
    }),
  },
  {
    key: 'fr_be_browsers',
    name: 'FR/BE paying shoe or bag browsers',
    definition: () => ({
      all: [
        { trait: 'country', in: ['FR', 'BE'] },
        {
          any: [
            viewed({ 'properties.category': { eq: 'shoes' } }, { gte: 1 }, 'P30D'),
            viewed({ 'properties.category': { eq: 'bags' } }, { gte: 1 }, 'P30D'),
          ],
        },
        not({ trait: 'plan', eq: 'free' }),
      ],
    }),
  },
  {
    key: 'unreachable_idle',
    name: 'No e-mail and no view this week',
    definition: () =>
      not({ any: [{ trait: 'email', exists: true }, viewed({}, { gte: 1 }, 'P7D')] }),
  },
  {
    key: 'parents_socks',
    name: 'Parents 30+ who viewed socks',
    definition: () => ({
      all: [
        { trait: 'age', gte: 30 },
        { trait: 'tags', contains: 'parent' },
        viewed({ 'properties.category': { eq: 'socks' } }, { gte: 1 }, 'P60D'),
      ],
    }),
  },
  {
    key: 'hesitant',
    name: 'Hesitant shoppers',
    definition: () => ({
      any: [
        { all: [did('Product Added', 'P7D'), { computed: 'order_count', eq: 0 }] },
        { all: [did('Checkout Started', 'P7D'), not(did('Order Completed', 'P7D'))] },
      ],
    }),
  },
  // References to other segments.
  {
    key: 'paying_shoe_browsers',
    name: 'Paying shoe browsers',
    definition: (ref) => ({
      all: [{ segment: ref(PROBE_KEY) }, { trait: 'plan', in: ['pro', 'team'] }],
    }),
  },
  {
    key: 'recoverable',
    name: 'Cart or checkout abandoners',
    definition: (ref) => ({
      any: [{ segment: ref('cart_abandoners') }, { segment: ref('checkout_no_order') }],
    }),
  },
  {
    key: 'active_repeat',
    name: 'Repeat buyers active in 60 days',
    definition: (ref) => ({
      all: [{ segment: ref('repeat_buyers') }, not({ segment: ref('no_order_60d') })],
    }),
  },
  {
    key: 'paying_shoe_browsers_ok',
    name: 'Paying shoe browsers, not at risk',
    definition: (ref) => ({
      all: [{ segment: ref('paying_shoe_browsers') }, not({ segment: ref('lifecycle_at_risk') })],
    }),
  },
];

/** The first `n` segments (at most 50); references only point at earlier ones. */
export function segmentSpecs(n: number): SegmentSpec[] {
  if (!Number.isInteger(n) || n < 1 || n > SPECS.length) {
    throw new Error(`--segments must be a whole number from 1 to ${SPECS.length}, not ${n}`);
  }
  return SPECS.slice(0, n);
}
