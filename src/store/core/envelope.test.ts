import { describe, expect, it } from 'vitest';
import {
  blindIndex,
  KeyMismatchError,
  masterKeyId,
  open,
  parseMasterKey,
  seal,
  sealedKeyId,
  unwrapKey,
  wrapKey,
} from './envelope.js';

const kek = Buffer.alloc(32, 9);
const other = Buffer.alloc(32, 8);
const dek = { id: 'dek_a', key: Buffer.alloc(32, 3) };

describe('envelope encryption core', () => {
  it('seals with a fresh nonce each time and opens back, naming its key', () => {
    const a = seal(dek, 'ada@example.com');
    const b = seal(dek, 'ada@example.com');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^enc:v1:dek_a:[\w-]{16}:[\w-]+$/);
    expect(a).not.toContain('ada');
    expect(sealedKeyId(a)).toBe('dek_a');
    expect(open(dek, a)).toBe('ada@example.com');
    expect(open(dek, seal(dek, ''))).toBe('');
    expect(open(dek, seal(dek, 'é ✓ \u0000'))).toBe('é ✓ \u0000');
  });

  it('refuses tampered text, another key and a cut value', () => {
    const s = seal(dek, '{"email":"ada@example.com"}');
    const flipped = `${s.slice(0, -3)}${s.at(-3) === 'A' ? 'B' : 'A'}${s.slice(-2)}`;
    expect(() => open(dek, flipped)).toThrow(KeyMismatchError);
    expect(() => open({ id: 'dek_a', key: Buffer.alloc(32, 4) }, s)).toThrow(
      /does not authenticate/,
    );
    expect(() => open(dek, s.slice(0, 30))).toThrow(KeyMismatchError);
    // The key id is authenticated too: a value relabelled to another key does not open.
    expect(() => open({ id: 'dek_b', key: dek.key }, s.replace('dek_a', 'dek_b'))).toThrow(
      KeyMismatchError,
    );
  });

  it('wraps data keys under the master key and unwraps with whichever master key wrapped them', () => {
    const wrapped = wrapKey(kek, 'dek_a', dek.key);
    expect(wrapped.startsWith(`kw:v1:${masterKeyId(kek)}:`)).toBe(true);
    expect(unwrapKey([other, kek], 'dek_a', wrapped).equals(dek.key)).toBe(true);
    expect(() => unwrapKey([other], 'dek_a', wrapped)).toThrow(/not configured/);
    expect(() => unwrapKey([kek], 'dek_b', wrapped)).toThrow(KeyMismatchError);
  });

  it('gives equal blind indexes for equal values of a kind, and different ones otherwise', () => {
    const ix = Buffer.alloc(32, 5);
    const a = blindIndex(ix, 'email', 'ada@example.com');
    expect(a).toBe(blindIndex(ix, 'email', 'ada@example.com'));
    expect(a).toMatch(/^bi1:[\w-]{43}$/);
    expect(a).not.toBe(blindIndex(ix, 'phone', 'ada@example.com'));
    expect(a).not.toBe(blindIndex(ix, 'email', 'bob@example.com'));
    expect(a).not.toBe(blindIndex(Buffer.alloc(32, 6), 'email', 'ada@example.com'));
  });

  it('reads master keys as base64 or hex and says what it expects otherwise', () => {
    const b64 = Buffer.alloc(32, 1).toString('base64');
    expect(parseMasterKey(b64)).toEqual({ key: Buffer.alloc(32, 1) });
    expect(parseMasterKey(` ${Buffer.alloc(32, 1).toString('hex')}\n`)).toEqual({
      key: Buffer.alloc(32, 1),
    });
    expect(parseMasterKey(Buffer.alloc(32, 1).toString('base64url'))).toEqual({
      key: Buffer.alloc(32, 1),
    });
    for (const bad of ['', 'short', Buffer.alloc(16).toString('base64'), 'z'.repeat(64)])
      expect(parseMasterKey(bad)).toEqual({
        problem: expect.stringMatching(/^must be 32 random bytes as base64 .* or hex/),
      });
  });
});
