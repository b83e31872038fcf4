import { describe, expect, it } from 'vitest';
import { money } from './money.js';

describe('money', () => {
  it.each([
    [49, 'EUR', undefined, '€49.00'],
    [3.5, 'gbp', undefined, '£3.50'],
    ['12.5', 'USD', undefined, '$12.50'],
    [49, 'EUR', 'de-DE', '49,00\u00a0€'],
    [1234.5, 'JPY', 'en-US', '¥1,235'],
    [49, 'XX', undefined, '49.00 XX'],
    [49, undefined, undefined, '49.00'],
    [49, 'EUR', 'not a locale!', '49.00 EUR'],
    ['ask us', 'EUR', undefined, 'ask us'],
    [null, 'EUR', undefined, ''],
    [{ a: 1 }, 'EUR', undefined, ''],
    [Number.NaN, 'EUR', undefined, ''],
  ])('%j %j %j → %j', (value, currency, locale, shown) => {
    expect(money(value, currency, locale)).toBe(shown);
  });
});
