import { z } from 'zod';
import { decodeJson } from '../shared/index.js';

const Listed = z.object({
  journeys: z.array(z.object({ id: z.string(), recipe: z.string().nullable() })),
});
const Created = z.object({ id: z.string() });

function decoded<S extends z.ZodType>(what: string, schema: S, text: string): z.output<S> {
  const d = decodeJson(schema, text);
  if (d.kind !== 'ok') throw new Error(`${what} answered what the demo cannot read: ${d.problem}`);
  return d.value;
}

/** The shop's name, its sender and the ready-made journeys the demo turns on. */
export const DEMO_SHOP = {
  name: 'Online Retail (demo)',
  from: 'shop@example.com',
} as const;

/**
 * The ready-made journeys the demo activates, all on e-mail: each order of the replay
 * starts a post-purchase series and a replenishment cycle (a reorder converts it), and
 * people who fall overdue enter the win-back.
 */
export const DEMO_JOURNEYS: readonly { recipe: string; params: Record<string, unknown> }[] = [
  { recipe: 'post_purchase', params: { channel: 'email', holdoutPercent: 10 } },
  { recipe: 'replenishment', params: { channel: 'email', cycle: 'P30D', holdoutPercent: 10 } },
  {
    recipe: 'win_back',
    params: { channel: 'email', segmentId: 'lifecycle_at_risk', holdoutPercent: 10 },
  },
];

const SegmentList = z.object({
  segments: z.array(z.object({ id: z.string(), ready: z.boolean() })),
});

/**
 * Waits until the server has filled every segment from the profiles (its back-fill loop,
 * `ready` in GET /v1/segments); journeys go on after, so that nobody enters one for a
 * membership that was only being computed.
 */
export async function segmentsFilled(url: string, adminKey: string): Promise<void> {
  for (;;) {
    const r = await fetch(`${url}/v1/segments`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`GET /v1/segments answered ${r.status}: ${text.slice(0, 300)}`);
    const { segments } = decoded('GET /v1/segments', SegmentList, text);
    if (segments.every((s) => s.ready)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Sets the shop up through its own admin API, as a person would: the sender and brand
 * (PUT /v1/admin/settings), then each journey from its recipe, active. A journey of
 * the recipe that exists already (a demo resumed after an interruption) is activated
 * instead. Returns the journeys' ids.
 */
export async function setUpShop(url: string, adminKey: string): Promise<string[]> {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, text: await response.text() };
  };
  const check = (what: string, r: { status: number; text: string }) => {
    if (r.status >= 300) throw new Error(`${what} answered ${r.status}: ${r.text.slice(0, 500)}`);
  };
  check(
    'PUT /v1/admin/settings',
    await call('PUT', '/v1/admin/settings', {
      email: { from: DEMO_SHOP.from, fromName: DEMO_SHOP.name },
      brand: { name: DEMO_SHOP.name, locale: 'en-GB', currency: 'GBP' },
    }),
  );
  // A resumed preparation finds the journeys it made before by their recipe.
  const listed = await call('GET', '/v1/journeys');
  check('GET /v1/journeys', listed);
  const existing = new Map(
    decoded('GET /v1/journeys', Listed, listed.text).journeys.map((j) => [j.recipe, j.id]),
  );
  const ids: string[] = [];
  for (const journey of DEMO_JOURNEYS) {
    const id = existing.get(journey.recipe);
    if (id !== undefined) {
      check(`POST /v1/journeys/${id}/activate`, await call('POST', `/v1/journeys/${id}/activate`));
      ids.push(id);
      continue;
    }
    const created = await call('POST', '/v1/journeys', { ...journey, activate: true });
    check(`POST /v1/journeys (${journey.recipe})`, created);
    ids.push(decoded('POST /v1/journeys', Created, created.text).id);
  }
  return ids;
}
