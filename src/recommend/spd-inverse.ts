/**
 * Dense symmetric positive-definite algebra on row-major Float64Arrays, for EASE's
 * item-item inverse and ALS's small normal equations.
 *
 * The inverse goes through the Cholesky factor (LAPACK's potrf + potri route):
 * G = L Lᵀ, W = L⁻ᵀ, G⁻¹ = W Wᵀ. Each step costs n³/6 multiply-adds and is written as
 * dot products over contiguous rows, blocked 4×2 or 2×4 so that every value loaded
 * from memory feeds several accumulators; that keeps plain JavaScript near its scalar
 * peak (~2 GFLOP/s here) without BLAS. Cholesky of an SPD matrix needs no pivoting and
 * is backward stable (Higham, *Accuracy and Stability of Numerical Algorithms*, §10.1).
 */

export class NotPositiveDefiniteError extends Error {
  constructor(readonly row: number) {
    super(`matrix is not positive definite (pivot ${row} ≤ 0); increase the regularization`);
    this.name = 'NotPositiveDefiniteError';
  }
}

/**
 * Overwrites the lower triangle (with diagonal) of `a` with L such that A = L Lᵀ. The
 * strict upper triangle is left untouched and never read.
 * @throws NotPositiveDefiniteError when a pivot is not positive.
 */
export function choleskyInPlace(a: Float64Array, n: number): void {
  let i0 = 0;
  for (; i0 + 4 <= n; i0 += 4) {
    const r0 = i0 * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    // Columns left of the block, two at a time: column j+1 needs L[i][j] first.
    for (let j = 0; j < i0; j += 2) {
      const ra = j * n;
      const rb = ra + n;
      let s0 = a[r0 + j]!;
      let s1 = a[r1 + j]!;
      let s2 = a[r2 + j]!;
      let s3 = a[r3 + j]!;
      let t0 = a[r0 + j + 1]!;
      let t1 = a[r1 + j + 1]!;
      let t2 = a[r2 + j + 1]!;
      let t3 = a[r3 + j + 1]!;
      for (let k = 0; k < j; k++) {
        const la = a[ra + k]!;
        const lb = a[rb + k]!;
        const x0 = a[r0 + k]!;
        const x1 = a[r1 + k]!;
        const x2 = a[r2 + k]!;
        const x3 = a[r3 + k]!;
        s0 -= x0 * la;
        s1 -= x1 * la;
        s2 -= x2 * la;
        s3 -= x3 * la;
        t0 -= x0 * lb;
        t1 -= x1 * lb;
        t2 -= x2 * lb;
        t3 -= x3 * lb;
      }
      const djj = a[ra + j]!;
      const lbj = a[rb + j]!;
      const dbb = a[rb + j + 1]!;
      s0 /= djj;
      s1 /= djj;
      s2 /= djj;
      s3 /= djj;
      a[r0 + j] = s0;
      a[r1 + j] = s1;
      a[r2 + j] = s2;
      a[r3 + j] = s3;
      a[r0 + j + 1] = (t0 - s0 * lbj) / dbb;
      a[r1 + j + 1] = (t1 - s1 * lbj) / dbb;
      a[r2 + j + 1] = (t2 - s2 * lbj) / dbb;
      a[r3 + j + 1] = (t3 - s3 * lbj) / dbb;
    }
    for (let i = i0; i < i0 + 4; i++) choleskyRowTail(a, n, i, i0);
  }
  for (; i0 < n; i0++) choleskyRowTail(a, n, i0, 0);
}

/** Computes L[i][from..i] by plain dot products (block edges and the diagonal). */
function choleskyRowTail(a: Float64Array, n: number, i: number, from: number): void {
  const ri = i * n;
  for (let j = from; j <= i; j++) {
    const rj = j * n;
    let s = a[ri + j]!;
    for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
    if (j === i) {
      if (!(s > 0)) throw new NotPositiveDefiniteError(i);
      a[ri + i] = Math.sqrt(s);
    } else {
      a[ri + j] = s / a[rj + j]!;
    }
  }
}

/**
 * Given L (lower triangle of `l`), returns W = L⁻ᵀ as a new row-major array: row j of W
 * is column j of L⁻¹, found by forward substitution L w = e_j, so W is upper triangular
 * with explicit zeros below the diagonal.
 */
export function lowerInverseTransposed(l: Float64Array, n: number): Float64Array {
  const w = new Float64Array(n * n);
  let j0 = 0;
  for (; j0 + 4 <= n; j0 += 4) {
    const w0 = j0 * n;
    const w1 = w0 + n;
    const w2 = w1 + n;
    const w3 = w2 + n;
    // The 4×4 diagonal block by plain substitution.
    for (let c = 0; c < 4; c++) substituteColumn(l, w, n, j0 + c, j0 + 4);
    // Below it, two rows at a time: row i+1 needs w[i] of every column first.
    let i = j0 + 4;
    for (; i + 2 <= n; i += 2) {
      const ra = i * n;
      const rb = ra + n;
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let k = j0; k < i; k++) {
        const la = l[ra + k]!;
        const lb = l[rb + k]!;
        const x0 = w[w0 + k]!;
        const x1 = w[w1 + k]!;
        const x2 = w[w2 + k]!;
        const x3 = w[w3 + k]!;
        a0 += la * x0;
        a1 += la * x1;
        a2 += la * x2;
        a3 += la * x3;
        b0 += lb * x0;
        b1 += lb * x1;
        b2 += lb * x2;
        b3 += lb * x3;
      }
      const dii = l[ra + i]!;
      const v0 = -a0 / dii;
      const v1 = -a1 / dii;
      const v2 = -a2 / dii;
      const v3 = -a3 / dii;
      w[w0 + i] = v0;
      w[w1 + i] = v1;
      w[w2 + i] = v2;
      w[w3 + i] = v3;
      const lbi = l[rb + i]!;
      const dbb = l[rb + i + 1]!;
      w[w0 + i + 1] = -(b0 + lbi * v0) / dbb;
      w[w1 + i + 1] = -(b1 + lbi * v1) / dbb;
      w[w2 + i + 1] = -(b2 + lbi * v2) / dbb;
      w[w3 + i + 1] = -(b3 + lbi * v3) / dbb;
    }
    for (; i < n; i++) {
      for (let c = 0; c < 4; c++) substituteEntry(l, w, n, j0 + c, i);
    }
  }
  for (; j0 < n; j0++) substituteColumn(l, w, n, j0, n);
  return w;
}

/** Fills w[j][j..to-1] by forward substitution. */
function substituteColumn(l: Float64Array, w: Float64Array, n: number, j: number, to: number) {
  w[j * n + j] = 1 / l[j * n + j]!;
  for (let i = j + 1; i < to; i++) substituteEntry(l, w, n, j, i);
}

function substituteEntry(l: Float64Array, w: Float64Array, n: number, j: number, i: number) {
  const ri = i * n;
  const rw = j * n;
  let s = 0;
  for (let k = j; k < i; k++) s += l[ri + k]! * w[rw + k]!;
  w[rw + i] = -s / l[ri + i]!;
}

/**
 * Writes P = W Wᵀ into `out` (full symmetric), where W is upper triangular with zeros
 * below the diagonal, so P[i][j] = Σ_{k ≥ max(i,j)} W[i][k] W[j][k].
 */
export function upperTimesTranspose(w: Float64Array, n: number, out: Float64Array): void {
  let i0 = 0;
  for (; i0 + 4 <= n; i0 += 4) {
    const r0 = i0 * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    let j = i0;
    for (; j + 2 <= n; j += 2) {
      const ra = j * n;
      const rb = ra + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let t0 = 0;
      let t1 = 0;
      let t2 = 0;
      let t3 = 0;
      // Rows are zero left of their diagonal, so starting at j is exact for all six.
      for (let k = j; k < n; k++) {
        const a = w[ra + k]!;
        const b = w[rb + k]!;
        const x0 = w[r0 + k]!;
        const x1 = w[r1 + k]!;
        const x2 = w[r2 + k]!;
        const x3 = w[r3 + k]!;
        s0 += x0 * a;
        s1 += x1 * a;
        s2 += x2 * a;
        s3 += x3 * a;
        t0 += x0 * b;
        t1 += x1 * b;
        t2 += x2 * b;
        t3 += x3 * b;
      }
      out[r0 + j] = out[ra + i0] = s0;
      out[r1 + j] = out[ra + i0 + 1] = s1;
      out[r2 + j] = out[ra + i0 + 2] = s2;
      out[r3 + j] = out[ra + i0 + 3] = s3;
      out[r0 + j + 1] = out[rb + i0] = t0;
      out[r1 + j + 1] = out[rb + i0 + 1] = t1;
      out[r2 + j + 1] = out[rb + i0 + 2] = t2;
      out[r3 + j + 1] = out[rb + i0 + 3] = t3;
    }
    for (; j < n; j++) for (let i = i0; i < i0 + 4; i++) productEntry(w, n, i, j, out);
  }
  for (; i0 < n; i0++) for (let j = i0; j < n; j++) productEntry(w, n, i0, j, out);
}

function productEntry(w: Float64Array, n: number, i: number, j: number, out: Float64Array) {
  const ri = i * n;
  const rj = j * n;
  let s = 0;
  for (let k = Math.max(i, j); k < n; k++) s += w[ri + k]! * w[rj + k]!;
  out[ri + j] = s;
  out[rj + i] = s;
}

/**
 * Inverts a symmetric positive-definite n×n matrix. `a` is consumed: on return it holds
 * the inverse (full, symmetric). Peak memory is two n×n arrays.
 * @throws NotPositiveDefiniteError when `a` is not positive definite.
 * @example
 * const inv = spdInverseInPlace(Float64Array.of(4, 2, 2, 3), 2); // [0.375, -0.25, -0.25, 0.5]
 */
export function spdInverseInPlace(a: Float64Array, n: number): Float64Array {
  choleskyInPlace(a, n);
  const w = lowerInverseTransposed(a, n);
  upperTimesTranspose(w, n, a);
  return a;
}

/**
 * Solves A x = b for a small SPD A (both copied, inputs untouched). Used for ALS's f×f
 * normal equations.
 */
export function solveSpd(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = a.slice();
  choleskyInPlace(l, n);
  const x = b.slice();
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}
