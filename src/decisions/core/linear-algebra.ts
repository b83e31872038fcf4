// Small dense linear algebra for the contextual policies and the ridge reward model:
// matrices are d x d with d the number of features plus one, so plain arrays suffice.

/** A symmetric positive definite matrix, row-major, d * d numbers. */
export type SquareMatrix = readonly number[];

/** Lower-triangular Cholesky factor L (row-major) with A = L L^T; null when A is not SPD. */
export function cholesky(a: SquareMatrix, d: number): number[] | null {
  const l = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * d + k]! * l[j * d + k]!;
      if (i === j) {
        if (!(sum > 0)) return null;
        l[i * d + i] = Math.sqrt(sum);
      } else {
        l[i * d + j] = sum / l[j * d + j]!;
      }
    }
  }
  return l;
}

/** y with L y = b (forward substitution). */
export function forwardSolve(l: readonly number[], b: readonly number[], d: number): number[] {
  const y = new Array<number>(d).fill(0);
  for (let i = 0; i < d; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * d + k]! * y[k]!;
    y[i] = sum / l[i * d + i]!;
  }
  return y;
}

/** x with L^T x = y (back substitution). */
export function backSolve(l: readonly number[], y: readonly number[], d: number): number[] {
  const x = new Array<number>(d).fill(0);
  for (let i = d - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < d; k++) sum -= l[k * d + i]! * x[k]!;
    x[i] = sum / l[i * d + i]!;
  }
  return x;
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * The ridge solution of (lambda I + XX) theta = xr, and for a query x both theta.x and
 * x^T (lambda I + XX)^-1 x, the posterior variance factor the linear policies need.
 */
export interface RidgeSolution {
  theta: number[];
  /** Cholesky factor of lambda I + XX. */
  factor: number[];
}

export function ridgeSolve(
  xx: readonly number[],
  xr: readonly number[],
  lambda: number,
  d: number,
): RidgeSolution {
  const a = xx.slice();
  for (let i = 0; i < d; i++) a[i * d + i] = a[i * d + i]! + lambda;
  // lambda > 0 and XX positive semi-definite make A SPD; rounding on huge counts can
  // break that, and a larger ridge is the safe answer.
  let factor = cholesky(a, d);
  let bump = lambda;
  while (!factor) {
    bump *= 10;
    for (let i = 0; i < d; i++) a[i * d + i] = a[i * d + i]! + bump;
    factor = cholesky(a, d);
  }
  const theta = backSolve(factor, forwardSolve(factor, xr, d), d);
  return { theta, factor };
}

/** x^T A^-1 x from A's Cholesky factor: |L^-1 x|^2. */
export function inverseQuadratic(
  factor: readonly number[],
  x: readonly number[],
  d: number,
): number {
  const w = forwardSolve(factor, x, d);
  return dot(w, w);
}
