import { describe, expect, it } from 'vitest';
import { Keyring, type KeyRow, type KeyTable } from '../../src/store/encryption/keyring.js';

/** An in-memory key table with the same insert-if-absent rule as the stores'. */
function memoryTable(): KeyTable & { rows: KeyRow[] } {
  const rows: KeyRow[] = [];
  return {
    rows,
    all: () =>
      Promise.resolve(
        [...rows].sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id)),
      ),
    one: (id) => Promise.resolve(rows.find((r) => r.id === id)),
    insert: (r) => {
      if (!rows.some((x) => x.id === r.id)) rows.push({ ...r });
      return Promise.resolve();
    },
    rewrap: (id, wrapped) => {
      rows.find((r) => r.id === id)!.wrapped = wrapped;
      return Promise.resolve();
    },
  };
}

const masters = { current: Buffer.alloc(32, 1), previous: [] };

describe('keyring', () => {
  it('gives two processes starting at once on a new database the same blind index', async () => {
    const table = memoryTable();
    const [a, b] = await Promise.all([
      Keyring.open(masters, table, 1),
      Keyring.open(masters, table, 1),
    ]);
    expect(table.rows.filter((r) => r.purpose === 'index')).toHaveLength(1);
    expect(a.blindIndex('email', 'ada@example.com')).toBe(b.blindIndex('email', 'ada@example.com'));
    // Each may have made a data key; both seal under one and open what the other sealed.
    expect(b.open(a.seal('x'), 'col')).toBe('x');
    expect(a.open(b.seal('y'), 'col')).toBe('y');
  });

  it('seals under a data key made after it started once it loads it, and opens older ones', async () => {
    const table = memoryTable();
    const a = await Keyring.open(masters, table, 1);
    const b = await Keyring.open(masters, table, 1);
    const old = a.seal('before');
    const id = await a.create('data', 2);
    const fresh = a.seal('after');
    expect(fresh.startsWith(`enc:v1:${id}:`)).toBe(true);
    expect(b.knows(id)).toBe(false);
    await b.load(id);
    expect(b.open(fresh, 'col')).toBe('after');
    expect(b.open(old, 'col')).toBe('before');
    await b.refresh();
    expect(b.currentKeyId).toBe(id);
  });
});
