import { describe, expect, it } from 'vitest';
import { newTimeOrderedId } from './ids.js';

describe('newTimeOrderedId', () => {
  it('sorts by time as text, and differs within one millisecond', () => {
    const times = [0, 1, 35, 36, 1_700_000_000_000, 1_800_000_000_000, 4_000_000_000_000];
    const ids = times.map((t) => newTimeOrderedId('dec', t));
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => /^dec_[0-9a-z]{9}[A-Za-z0-9_-]{12}$/.test(id))).toBe(true);
    const same = new Set(Array.from({ length: 1000 }, () => newTimeOrderedId('dec', 42)));
    expect(same.size).toBe(1000);
  });
});
