import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import {
  createApiKey,
  ensureDefaultWorkspace,
  listApiKeys,
  revokeApiKey,
} from '../../src/workspaces/index.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores.js';

// Without the row locks, PostgreSQL let both revocations through in about half of the
// rounds, leaving the workspace with no admin key.
describe.each(STORE_KINDS)('revoking admin keys at once (%s)', (kind) => {
  let s: TestStore;
  const clock = new ManualClock(Date.UTC(2026, 10, 1, 12));
  beforeAll(async () => {
    s = await openTestStore(kind);
    await ensureDefaultWorkspace(s.store.db, clock);
    await createApiKey(s.store.db, clock, { workspaceId: 'default', scope: 'admin' });
  });
  afterAll(() => s.cleanup());

  it('never revokes the last two working admin keys both', async () => {
    for (let round = 0; round < 20; round++) {
      await createApiKey(s.store.db, clock, { workspaceId: 'default', scope: 'admin' });
      const active = (await listApiKeys(s.store.db, clock, 'default')).filter(
        (k) => k.status === 'active',
      );
      expect(active).toHaveLength(2);
      const results = await Promise.all(
        active.map((k) => revokeApiKey(s.store, clock, 'default', k.id)),
      );
      expect(results.map((r) => r.kind).sort()).toEqual(['last_admin', 'revoked']);
    }
  });
});
