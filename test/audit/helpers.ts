import { expect } from 'vitest';
import { send, type TestApp } from '../helpers/app.js';

export interface Entry {
  id: number;
  at: string;
  keyId: string | null;
  action: string;
  target: { kind: string; id: string };
  before: unknown;
  after: unknown;
  requestId: string | null;
  route: string | null;
}

/** Every entry of the default workspace, newest first, through the API. */
export async function entries(t: TestApp, query = ''): Promise<Entry[]> {
  const res = await send(t, 'GET', `/v1/admin/audit?limit=500${query}`, t.keys.admin);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ entries: Entry[] }>().entries;
}

/** The whole audit table as text, every column of every row: for secrets that must not be there. */
export async function tableText(t: TestApp): Promise<string> {
  const rows = await t.testStore.store.db.selectFrom('audit_log').selectAll().execute();
  return JSON.stringify(rows);
}

/** The id of the key `key` (as the test app made it), from the key listing. */
export async function keyIdOf(t: TestApp, key: string): Promise<string> {
  const res = await send(t, 'GET', '/v1/admin/keys', t.keys.admin);
  const keys = res.json<{ keys: { id: string; prefix: string }[] }>().keys;
  const found = keys.find((k) => key.startsWith(k.prefix));
  if (!found) throw new Error(`no key with the prefix of ${key.slice(0, 12)}`);
  return found.id;
}
