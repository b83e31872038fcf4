import { describe, expect, it } from 'vitest';
import { durationMs } from './duration.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('durationMs', () => {
  it.each([
    ['PT16H', 16 * HOUR],
    ['P7D', 7 * DAY],
    ['P1W', 7 * DAY],
    ['P1DT12H', 36 * HOUR],
    ['PT30M', 30 * MIN],
    ['PT45S', 45_000],
    ['P1M', null],
    ['P1Y', null],
    ['P', null],
    ['PT', null],
    ['P1DT', null],
    ['PT0S', null],
    ['16h', null],
  ])('%s', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });
});
