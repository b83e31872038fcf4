// The change feed that lets serving caches trust what they hold: a change recorded in a
// transaction reaches another process's subscribers at its next sync once it commits,
// never before, and never silently late.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../../src/store/change-feed.js';
import {
  openChangeFeed,
  recordChanges,
  withTransaction,
  type ChangeFeed,
  type Store,
} from '../../src/store/index.js';
import { openTestStore, reopenStore, STORE_KINDS, type TestStore } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 10, 1, 12);

describe.each(STORE_KINDS)('change feed (%s)', (kind) => {
  let writer: TestStore;
  let other: Store;
  let feed: ChangeFeed;
  let seen: (Change | null)[];
  let now: number;
  beforeEach(async () => {
    writer = await openTestStore(kind);
    other = reopenStore(writer);
    now = T0;
    feed = openChangeFeed(other, () => now);
    seen = [];
    feed.subscribe('consent', (c) => seen.push(c));
    // A fresh connection starts from a clean slate: whatever it announces then is not a change.
    await feed.sync();
    seen = [];
  });
  afterEach(async () => {
    await feed.close();
    await other.close();
    await writer.cleanup();
  });

  const change = (subject: string): Change => ({
    workspaceId: 'ws',
    topic: 'consent',
    subject,
  });

  it('delivers a committed change at the next sync, to the topic subscribed, in order', async () => {
    const keys: (Change | null)[] = [];
    feed.subscribe('key', (c) => keys.push(c));
    await withTransaction(writer.store, (tx) =>
      recordChanges(tx, [change('p1'), change('p2')], now),
    );
    await recordChanges(writer.store.db, [{ workspaceId: 'ws', topic: 'key', subject: 'k1' }], now);
    await feed.sync();
    expect(seen).toEqual([change('p1'), change('p2')]);
    expect(keys).toEqual([{ workspaceId: 'ws', topic: 'key', subject: 'k1' }]);
    // Nothing new: nothing dispatched again.
    await feed.sync();
    expect(seen).toHaveLength(2);
  });

  it('announces nothing for a transaction rolled back, and nothing before commit', async () => {
    await expect(
      withTransaction(writer.store, async (tx) => {
        await recordChanges(tx, [change('gone')], now);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await feed.sync();
    expect(seen).toEqual([]);
    if (kind === 'postgres') {
      // Uncommitted while this process syncs: not seen yet; seen at the first sync after.
      let release!: () => void;
      let recorded!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const inside = new Promise<void>((r) => (recorded = r));
      const tx = withTransaction(writer.store, async (t) => {
        await recordChanges(t, [change('late')], now);
        recorded();
        await held;
      });
      await inside;
      await feed.sync();
      expect(seen).toEqual([]);
      release();
      await tx;
      await feed.sync();
      expect(seen).toEqual([change('late')]);
    }
  });

  it('shares one round trip among syncs that overlap, and each still sees what committed before it', async () => {
    const syncs = Array.from({ length: 20 }, () => feed.sync());
    await recordChanges(writer.store.db, [change('during')], now);
    const after = feed.sync();
    await Promise.all([...syncs, after]);
    expect(seen).toContainEqual(change('during'));
  });

  if (kind === 'sqlite')
    it('drops everything when the rows it had not read yet were pruned (a long sleep)', async () => {
      await recordChanges(writer.store.db, [change('old')], now);
      // Another process prunes ten minutes later, before this one read the row.
      const pruner = openChangeFeed(writer.store, () => now);
      await recordChanges(writer.store.db, [change('old2')], now);
      now += 11 * 60_000;
      await pruner.sync();
      await pruner.close();
      await recordChanges(writer.store.db, [change('new')], now);
      await feed.sync();
      expect(seen).toEqual([null, change('new')]);
    });
});
