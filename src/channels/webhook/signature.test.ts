import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './signature.js';

const SECRET = 'whsec_test_secret';
const T = 1_767_225_600; // 2026-01-01T00:00:00Z
const NOW = T * 1000;
const BODY = '{"event":"cart_reminder","items":[{"id":"p1"}]}';

describe('signWebhook', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const expected = createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex');
    expect(signWebhook(SECRET, T, BODY)).toBe(`t=${T},v1=${expected}`);
  });

  it('carries one v1 per secret, in order, during a rotation', () => {
    const hmac = (s: string) => createHmac('sha256', s).update(`${T}.${BODY}`).digest('hex');
    expect(signWebhook(['new_secret', SECRET], T, BODY)).toBe(
      `t=${T},v1=${hmac('new_secret')},v1=${hmac(SECRET)}`,
    );
    expect(signWebhook([SECRET], T, BODY)).toBe(signWebhook(SECRET, T, BODY));
  });

  it('refuses a fractional timestamp or an empty secret', () => {
    expect(() => signWebhook(SECRET, 1.5, BODY)).toThrow(RangeError);
    expect(() => signWebhook('', T, BODY)).toThrow(RangeError);
    expect(() => signWebhook([], T, BODY)).toThrow(RangeError);
    expect(() => signWebhook([SECRET, ''], T, BODY)).toThrow(RangeError);
  });
});

describe('verifyWebhook', () => {
  const header = signWebhook(SECRET, T, BODY);

  it('accepts the header it signed, within the tolerance either way', () => {
    expect(verifyWebhook({ header, body: BODY, secrets: SECRET, now: NOW })).toEqual({
      kind: 'ok',
      timestamp: T,
    });
    expect(verifyWebhook({ header, body: BODY, secrets: SECRET, now: NOW + 300_000 }).kind).toBe(
      'ok',
    );
    expect(verifyWebhook({ header, body: BODY, secrets: SECRET, now: NOW - 300_000 }).kind).toBe(
      'ok',
    );
  });

  it('refuses an old or future timestamp', () => {
    expect(verifyWebhook({ header, body: BODY, secrets: SECRET, now: NOW + 301_000 })).toEqual({
      kind: 'refused',
      reason: 'expired',
    });
    expect(
      verifyWebhook({
        header,
        body: BODY,
        secrets: SECRET,
        now: NOW - 301_000,
        toleranceSeconds: 300,
      }),
    ).toEqual({ kind: 'refused', reason: 'expired' });
  });

  it('refuses another body, secret or timestamp', () => {
    expect(verifyWebhook({ header, body: `${BODY} `, secrets: SECRET, now: NOW })).toEqual({
      kind: 'refused',
      reason: 'mismatch',
    });
    expect(verifyWebhook({ header, body: BODY, secrets: 'other', now: NOW })).toEqual({
      kind: 'refused',
      reason: 'mismatch',
    });
    const moved = header.replace(`t=${T}`, `t=${T + 1}`);
    expect(verifyWebhook({ header: moved, body: BODY, secrets: SECRET, now: NOW })).toEqual({
      kind: 'refused',
      reason: 'mismatch',
    });
  });

  it('accepts any of several secrets or signatures (rotation) and ignores unknown schemes', () => {
    expect(
      verifyWebhook({ header, body: BODY, secrets: ['new_secret', SECRET], now: NOW }).kind ===
        'ok',
    ).toBe(true);
    const next = signWebhook('new_secret', T, BODY).split(',')[1];
    const both = `${header},${next},v0=abc`;
    expect(verifyWebhook({ header: both, body: BODY, secrets: 'new_secret', now: NOW }).kind).toBe(
      'ok',
    );
    const rotating = signWebhook(['new_secret', SECRET], T, BODY);
    for (const secret of ['new_secret', SECRET]) {
      expect(verifyWebhook({ header: rotating, body: BODY, secrets: secret, now: NOW }).kind).toBe(
        'ok',
      );
    }
    expect(verifyWebhook({ header: rotating, body: BODY, secrets: 'third', now: NOW })).toEqual({
      kind: 'refused',
      reason: 'mismatch',
    });
  });

  it.each([
    undefined,
    null,
    '',
    'v1=abc',
    `t=${T}`,
    `t=x,v1=${'a'.repeat(64)}`,
    `t=${T},v1=zz`,
    `t=${T},t=${T},v1=${'a'.repeat(64)}`,
    'garbage',
  ])('calls %j malformed', (value) => {
    expect(verifyWebhook({ header: value, body: BODY, secrets: SECRET, now: NOW })).toEqual({
      kind: 'refused',
      reason: 'malformed',
    });
  });

  it('rejects every body but the signed one (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(a !== b);
        const h = signWebhook(SECRET, T, a);
        expect(verifyWebhook({ header: h, body: a, secrets: SECRET, now: NOW }).kind).toBe('ok');
        expect(verifyWebhook({ header: h, body: b, secrets: SECRET, now: NOW }).kind).not.toBe(
          'ok',
        );
      }),
    );
  });
});
