import type { ComputedTraits } from '../profiles/index.js';

const MAX_FEATURES = 64;
const NUMERIC: readonly (keyof ComputedTraits)[] = [
  'order_count',
  'revenue',
  'aov',
  'days_since_last_order',
  'sessions_last_30d',
  'p_alive',
  'clv_12m',
  'expected_orders_12m',
];

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The named numeric features a contextual policy may read and the decision log keeps:
 * computed traits (orders, revenue, RFM scores, lifecycle and device as flags, the top
 * category affinities), the hour (as given in the context, else UTC) and the context's
 * own numbers and strings (`ctx.<key>` and `ctx.<key>=<value>` flags). A policy names the
 * ones it uses; a name that is absent reads as 0.
 */
export function buildFeatures(
  computed: ComputedTraits | null,
  context: Readonly<Record<string, unknown>>,
  now: number,
): Record<string, number> {
  const f: Record<string, number> = {};
  const hour = finite(context.hour) ? context.hour : new Date(now).getUTCHours();
  f.hour = hour;
  f.hour_sin = Math.sin((2 * Math.PI * hour) / 24);
  f.hour_cos = Math.cos((2 * Math.PI * hour) / 24);
  if (computed) {
    for (const k of NUMERIC) {
      const v = computed[k];
      if (finite(v)) f[k] = v;
    }
    if (computed.rfm) {
      f.rfm_recency = computed.rfm.recency;
      f.rfm_frequency = computed.rfm.frequency;
      f.rfm_monetary = computed.rfm.monetary;
    }
    f[`lifecycle=${computed.lifecycle}`] = 1;
    if (computed.device?.type) f[`device=${computed.device.type}`] = 1;
    for (const a of computed.affinities.category.slice(0, 5))
      f[`affinity.category=${a.value}`] = a.score;
  }
  for (const [k, v] of Object.entries(context)) {
    if (Object.keys(f).length >= MAX_FEATURES) break;
    if (finite(v)) f[`ctx.${k}`] = v;
    else if (typeof v === 'string' && v.length <= 100) f[`ctx.${k}=${v}`] = 1;
    else if (typeof v === 'boolean') f[`ctx.${k}`] = v ? 1 : 0;
  }
  if (typeof context.device === 'string') f[`device=${context.device}`] = 1;
  return f;
}
