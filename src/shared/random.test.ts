import { describe, expect, it } from 'vitest';
import { hash32, mulberry32, seededRandom } from './random.js';

// The sequences are stored behaviour: ALS starts and evaluation samples are drawn from
// mulberry32, and a journey split sends a person down the arm seededRandom(runId:step)
// picks. These values were taken from the generators before they moved here.
describe('seeded random numbers', () => {
  it('mulberry32 gives the same sequence for a seed', () => {
    const random = mulberry32(7);
    expect([random(), random(), random()]).toEqual([
      0.011704753153026104, 0.06195825757458806, 0.97690763277933,
    ]);
  });

  it('seededRandom hashes its seed with FNV-1a, then runs mulberry32', () => {
    expect(hash32('')).toBe(2166136261);
    expect(hash32('run_1:0')).toBe(3489567472);
    const random = seededRandom('run_1:0');
    expect([random(), random(), random()]).toEqual([
      0.8228620369918644, 0.5063943318091333, 0.4610955622047186,
    ]);
    const fromNumber = seededRandom(1);
    expect([fromNumber(), fromNumber()]).toEqual([0.8317172497045249, 0.12300889613106847]);
  });

  it('stays in [0, 1)', () => {
    const random = mulberry32(0xdeadbeef);
    for (let i = 0; i < 10_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});
