import { expect } from 'vitest';
import { send, type TestApp } from '../helpers/app.js';

let n = 0;

/** Creates an offer through the API and checks it was created. */
export async function offer(t: TestApp, id: string, extra: Record<string, unknown> = {}) {
  const res = await send(t, 'POST', '/v1/offers', t.keys.admin, {
    id,
    name: `Offer ${id}`,
    kind: 'discount_code',
    content: { email: { title: `Title ${id}`, url: `https://shop.example.com/o/${id}` } },
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; version: number }>();
}

export async function placement(t: TestApp, name: string, extra: Record<string, unknown>) {
  const res = await send(t, 'POST', '/v1/placements', t.keys.admin, {
    name,
    policy: { kind: 'fixed' },
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ name: string; version: number }>();
}

export interface Decided {
  decisionId: string;
  offer: { id: string; code: string | null; kind: string } | null;
  propensity: number;
  policy: { kind: string; version: number };
  version: number;
  holdout: boolean;
  reasons: string[];
}

export async function decide(t: TestApp, body: Record<string, unknown>): Promise<Decided> {
  const res = await send(t, 'POST', '/v1/decide', t.keys.read, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Decided>();
}

/** Makes a known person (identify) and runs the pipeline. */
export async function person(t: TestApp, userId: string, traits: Record<string, unknown> = {}) {
  const res = await send(t, 'POST', '/v1/identify', t.keys.write, {
    userId,
    traits,
    messageId: `fx-${++n}`,
    timestamp: new Date(t.clock.now()).toISOString(),
  });
  expect(res.statusCode, res.body).toBe(200);
  await t.ctx.profiles.drain();
}

export async function track(
  t: TestApp,
  userId: string,
  event: string,
  properties: Record<string, unknown>,
) {
  const res = await send(t, 'POST', '/v1/track', t.keys.write, {
    userId,
    event,
    properties,
    messageId: `fx-${++n}`,
    timestamp: new Date(t.clock.now()).toISOString(),
  });
  expect(res.statusCode, res.body).toBe(200);
  await t.ctx.profiles.drain();
}
