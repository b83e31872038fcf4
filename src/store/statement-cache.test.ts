import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  const db = new BetterSqlite3(':memory:');
  afterEach(() => db.exec('DROP TABLE IF EXISTS t'));

  it('reuses a prepared statement for the same SQL and keeps answering with new parameters', () => {
    const cached = withStatementCache(db, 2);
    db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
    db.exec("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
    const sql = 'SELECT v FROM t WHERE k = ?';
    const first = cached.prepare(sql);
    expect(cached.prepare(sql)).toBe(first);
    expect(first.all([1])).toEqual([{ v: 'a' }]);
    expect(cached.prepare(sql).all([2])).toEqual([{ v: 'b' }]);
  });

  it('drops the least recently used statement beyond its size', () => {
    const cached = withStatementCache(db, 2);
    const a = cached.prepare('SELECT 1');
    const b = cached.prepare('SELECT 2');
    expect(cached.prepare('SELECT 1')).toBe(a); // a is now the most recent
    cached.prepare('SELECT 3'); // evicts b
    expect(cached.prepare('SELECT 1')).toBe(a);
    expect(cached.prepare('SELECT 2')).not.toBe(b);
  });

  it('keeps working after the schema changes under a cached statement', () => {
    const cached = withStatementCache(db);
    db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
    db.exec("INSERT INTO t VALUES (1, 'a')");
    const sql = 'SELECT k, v FROM t';
    expect(cached.prepare(sql).all([])).toEqual([{ k: 1, v: 'a' }]);
    db.exec('ALTER TABLE t ADD COLUMN w TEXT');
    db.exec("UPDATE t SET v = 'z'");
    expect(cached.prepare(sql).all([])).toEqual([{ k: 1, v: 'z' }]);
  });
});
