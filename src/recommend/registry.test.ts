import { describe, expect, it } from 'vitest';
import { ModelRegistry } from './registry.js';
import type { Interaction } from './schemas.js';
import { DAY, T0, item, ix } from '../../test/factories/recommend.js';
import { trainModels } from './train.js';

const catalog = ['a', 'b', 'c'].map((id) => item(id));
const configs = [{ strategy: 'history' }, { strategy: 'popular', halfLifeDays: null }] as const;
// v1 data: a is most popular; v2 data: c is.
const v1Log: Interaction[] = [
  ix('x', 'a', T0 - 2 * DAY),
  ix('y', 'a', T0 - 2 * DAY),
  ix('z', 'b', T0 - 2 * DAY),
];
const v2Log: Interaction[] = [...v1Log, ...['p', 'q', 'r'].map((u) => ix(u, 'c', T0 - DAY))];
const top = (r: ModelRegistry, userId = 'me') =>
  r
    .recommend({ userId, strategy: 'popular', limit: 3, fill: false }, T0)
    .items.map((i) => i.itemId);

describe('ModelRegistry', () => {
  it('publishes, swaps atomically and rolls back', () => {
    const r = new ModelRegistry({ catalog });
    expect(r.current()).toBeNull();
    expect(() => r.recommend({}, T0)).toThrow(/no model version/);
    const v1 = r.publish(trainModels([...configs], v1Log, catalog, T0), T0, 'first');
    const first = r.current();
    expect(top(r)).toEqual(['a', 'b']);
    const v2 = r.publish(trainModels([...configs], v2Log, catalog, T0), T0);
    expect(r.current()).not.toBe(first);
    expect(r.currentVersion()).toBe(v2);
    expect(top(r)).toEqual(['c', 'a', 'b']);
    expect(r.rollback()).toBe(v1);
    expect(r.current()).toBe(first);
    expect(top(r)).toEqual(['a', 'b']);
    expect(r.versions().map((v) => [v.version, v.current, v.note])).toEqual([
      [v1, true, 'first'],
      [v2, false, undefined],
    ]);
    expect(r.rollback(v2)).toBe(v2);
    expect(() => r.rollback(99)).toThrow(/not kept/);
  });

  it('replays interactions observed since a version’s snapshot', () => {
    const r = new ModelRegistry({ catalog });
    r.publish(trainModels([...configs], v1Log, catalog, T0), T0);
    r.observe(ix('me', 'a', T0)); // I buy a: it leaves my list at once
    expect(top(r)).toEqual(['b']);
    // v2 was trained on a snapshot without my purchase: it is replayed on publish.
    r.publish(trainModels([...configs], v2Log, catalog, T0), T0);
    expect(top(r)).toEqual(['c', 'b']);
    r.observe(ix('me', 'c', T0));
    expect(top(r)).toEqual(['b']);
    // Rolling back to v1 applies what v1 missed while v2 served.
    r.rollback();
    expect(top(r)).toEqual(['b']);
  });

  it('keeps a bounded number of versions, never dropping the current one', () => {
    const r = new ModelRegistry({ catalog, keep: 2 });
    const versions = [1, 2, 3].map(() =>
      r.publish(trainModels([...configs], v1Log, catalog, T0), T0),
    );
    expect(r.versions().map((v) => v.version)).toEqual(versions.slice(1));
    r.rollback(versions[1]);
    r.publish(trainModels([...configs], v1Log, catalog, T0), T0);
    expect(r.versions().map((v) => v.version)).toEqual([versions[1], 4]);
  });

  it('rebuilds against a new catalog', () => {
    const r = new ModelRegistry({ catalog });
    r.publish(trainModels([...configs], v2Log, catalog, T0), T0);
    r.setCatalog([item('a'), item('b'), item('c', { inStock: false })]);
    expect(top(r)).toEqual(['a', 'b']);
  });
});
