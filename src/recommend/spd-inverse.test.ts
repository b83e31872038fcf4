import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NotPositiveDefiniteError,
  choleskyInPlace,
  solveSpd,
  spdInverseInPlace,
} from './spd-inverse.js';
import { mulberry32 } from '../shared/index.js';

/** A straightforward Gauss-Jordan inverse with partial pivoting: the reference. */
function gaussJordanInverse(a: Float64Array, n: number): Float64Array {
  const m = a.slice();
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[p * n + c]!)) p = r;
    for (let k = 0; k < n; k++) {
      [m[c * n + k], m[p * n + k]] = [m[p * n + k]!, m[c * n + k]!];
      [inv[c * n + k], inv[p * n + k]] = [inv[p * n + k]!, inv[c * n + k]!];
    }
    const d = m[c * n + c]!;
    for (let k = 0; k < n; k++) {
      m[c * n + k]! /= d;
      inv[c * n + k]! /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c]!;
      for (let k = 0; k < n; k++) {
        m[r * n + k]! -= f * m[c * n + k]!;
        inv[r * n + k]! -= f * inv[c * n + k]!;
      }
    }
  }
  return inv;
}

/** A random SPD matrix MᵀM + δI. */
function randomSpd(n: number, seed: number, delta = 0.5): Float64Array {
  const rng = mulberry32(seed);
  const m = Float64Array.from({ length: n * n }, () => rng() * 2 - 1);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += m[k * n + i]! * m[k * n + j]!;
      a[i * n + j] = s + (i === j ? delta : 0);
    }
  }
  return a;
}

describe('choleskyInPlace', () => {
  it('factors the textbook 3×3 example exactly', () => {
    // A = L Lᵀ with L = [[2,0,0],[6,1,0],[-8,5,3]].
    const a = Float64Array.of(4, 12, -16, 12, 37, -43, -16, -43, 98);
    choleskyInPlace(a, 3);
    expect([a[0], a[3], a[4], a[6], a[7], a[8]]).toEqual([2, 6, 1, -8, 5, 3]);
  });

  it('rejects a matrix that is not positive definite, naming the pivot', () => {
    const a = Float64Array.of(1, 2, 2, 1); // eigenvalues 3 and −1
    expect(() => choleskyInPlace(a, 2)).toThrow(NotPositiveDefiniteError);
    expect(() => choleskyInPlace(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/pivot 1/);
  });
});

describe('spdInverseInPlace', () => {
  it('inverts a 2×2 by hand', () => {
    // [[4,2],[2,3]]⁻¹ = [[3,-2],[-2,4]] / 8
    const inv = spdInverseInPlace(Float64Array.of(4, 2, 2, 3), 2);
    expect([...inv].map((v) => v * 8)).toEqual([3, -2, -2, 4].map((v) => expect.closeTo(v, 12)));
  });

  // Sizes on and around the 4×2 / 2×4 block edges.
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 37])(
    'matches Gauss-Jordan for a random %i×%i SPD matrix',
    (n) => {
      const a = randomSpd(n, n);
      const expected = gaussJordanInverse(a, n);
      const got = spdInverseInPlace(a.slice(), n);
      for (let i = 0; i < n * n; i++) expect(got[i]).toBeCloseTo(expected[i]!, 9);
    },
  );

  it('returns a symmetric matrix whose product with A is the identity (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.integer(), (n, seed) => {
        const a = randomSpd(n, seed, 1);
        const p = spdInverseInPlace(a.slice(), n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            expect(p[i * n + j]).toBe(p[j * n + i]);
            let s = 0;
            for (let k = 0; k < n; k++) s += a[i * n + k]! * p[k * n + j]!;
            expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-8);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('solveSpd', () => {
  it('solves a small system by hand and leaves its inputs untouched', () => {
    const a = Float64Array.of(4, 2, 2, 3);
    const b = Float64Array.of(2, 1);
    // x = A⁻¹ b = [[3,-2],[-2,4]]/8 · [2,1] = [4, 0]/8
    const x = solveSpd(a, b, 2);
    expect(x[0]).toBeCloseTo(0.5, 12);
    expect(x[1]).toBeCloseTo(0, 12);
    expect([...a]).toEqual([4, 2, 2, 3]);
    expect([...b]).toEqual([2, 1]);
  });
});
