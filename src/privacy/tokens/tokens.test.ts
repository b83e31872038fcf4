import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConsentTokenClaims } from './consent-token.js';
import { signToken, verifyToken } from './consent-token.js';
import { peekPayload, signPayload, verifyPayload } from './signed-payload.js';

const SECRET = 'test-secret-0123456789abcdef';
const NOW = Date.UTC(2026, 5, 1);
const claims: ConsentTokenClaims = {
  workspaceId: 'ws_1',
  profileId: 'prof_1',
  purpose: 'unsubscribe',
  exp: NOW + 86_400_000,
  channel: 'email',
  topic: 'offers',
};

describe('signToken / verifyToken', () => {
  it('round-trips the claims', () => {
    const token = signToken(claims, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyToken(token, SECRET, { now: NOW, purpose: 'unsubscribe' })).toEqual({
      kind: 'ok',
      claims,
    });
  });

  it('is deterministic: the same claims give the same token', () => {
    expect(signToken(claims, SECRET)).toBe(signToken({ ...claims }, SECRET));
  });

  it('rejects it at and after exp, with the claims for a fresh link', () => {
    const token = signToken(claims, SECRET);
    expect(verifyToken(token, SECRET, { now: claims.exp - 1 }).kind).toBe('ok');
    expect(verifyToken(token, SECRET, { now: claims.exp })).toEqual({
      kind: 'refused',
      reason: 'expired',
      claims,
    });
  });

  it('rejects another purpose', () => {
    const token = signToken({ ...claims, purpose: 'preferences' }, SECRET);
    expect(verifyToken(token, SECRET, { now: NOW, purpose: 'unsubscribe' })).toEqual({
      kind: 'refused',
      reason: 'wrong_purpose',
    });
  });

  it('rejects another secret and accepts a retired one during a rotation', () => {
    const token = signToken(claims, SECRET);
    const other = 'another-secret-0123456789abcdef';
    expect(verifyToken(token, other, { now: NOW })).toEqual({
      kind: 'refused',
      reason: 'bad_signature',
    });
    expect(verifyToken(token, [other, SECRET], { now: NOW }).kind).toBe('ok');
  });

  it('rejects a payload edited to another person', () => {
    const token = signToken(claims, SECRET);
    const [, sig] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ ...claims, profileId: 'prof_2' })).toString('base64url')}.${sig}`;
    expect(verifyToken(forged, SECRET, { now: NOW })).toEqual({
      kind: 'refused',
      reason: 'bad_signature',
    });
  });

  it('rejects any single-character change (property)', () => {
    const token = signToken(claims, SECRET);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(...alphabet.split('')), (i, ch) => {
        fc.pre(token[i] !== ch);
        const changed = token.slice(0, i) + ch + token.slice(i + 1);
        expect(verifyToken(changed, SECRET, { now: NOW }).kind).toBe('refused');
      }),
      { numRuns: 300 },
    );
  });

  it.each(['', '.', 'abc', 'a.b.c', `${'a'.repeat(5000)}.x`, 'eyJ9.!!!', 'a b.c'])(
    'calls %j malformed without throwing',
    (text) => {
      expect(verifyToken(text, SECRET, { now: NOW })).toEqual({
        kind: 'refused',
        reason: 'malformed',
      });
    },
  );

  it('calls a well-signed payload of the wrong shape malformed', () => {
    const token = signPayload('consent', { profileId: 'p' }, SECRET);
    expect(verifyToken(token, SECRET, { now: NOW })).toEqual({
      kind: 'refused',
      reason: 'malformed',
    });
  });

  it('refuses to sign bad claims or with a short secret', () => {
    expect(() => signToken({ ...claims, topic: 'Not A Topic' }, SECRET)).toThrow();
    expect(() => signToken(claims, 'short')).toThrow(/at least 16 characters/);
  });
});

describe('signPayload / verifyPayload', () => {
  it('keeps domains apart under one secret', () => {
    const token = signPayload('click', { u: 'https://example.com' }, SECRET);
    expect(verifyPayload('click', token, SECRET)).toEqual({
      kind: 'ok',
      payload: { u: 'https://example.com' },
    });
    expect(verifyPayload('consent', token, SECRET)).toEqual({
      kind: 'refused',
      reason: 'bad_signature',
    });
  });

  it('accepts only the canonical spelling of the signature', () => {
    const token = signPayload('x', { a: 1 }, SECRET);
    const last = token.at(-1)!;
    // The last base64url character of 32 bytes carries 2 padding bits: flipping them
    // decodes to the same bytes.
    const idx = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(last);
    const alias = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[idx ^ 1]!;
    expect(verifyPayload('x', token.slice(0, -1) + alias, SECRET)).toEqual({
      kind: 'refused',
      reason: 'malformed',
    });
  });
});

describe('peekPayload', () => {
  it('reads the payload of a token whatever its signature', () => {
    const token = signPayload('click', { m: 'msg_1' }, SECRET);
    expect(peekPayload(token)).toEqual({ m: 'msg_1' });
    expect(peekPayload(`${token.split('.')[0]!}.forged`)).toEqual({ m: 'msg_1' });
  });

  it('gives undefined, never throws, for what does not decode', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const body = Buffer.from(text).toString('base64url');
        const peeked = peekPayload(`${body}.sig`);
        expect(peeked === undefined || JSON.stringify(peeked) !== undefined).toBe(true);
      }),
    );
    expect(peekPayload('no-dot')).toBeUndefined();
    expect(peekPayload(`${Buffer.from('{"m":').toString('base64url')}.sig`)).toBeUndefined();
    expect(peekPayload('x'.repeat(5000) + '.sig')).toBeUndefined();
  });
});
