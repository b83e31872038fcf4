// The two regressions the uplift models are built from, small enough to own: ridge
// least squares and L2-penalised logistic regression by Newton's method. Designs here
// have tens of columns and up to a few hundred thousand rows, so forming XᵀWX and
// solving by Cholesky is both the simplest and the fastest way.

/** A design matrix: one row per person, the first column the constant 1. */
export type Design = readonly (readonly number[])[];

/** Fitted coefficients, one per design column. */
export type Coefficients = readonly number[];

/** Solve A x = b for symmetric positive definite A (Cholesky); A and b are not changed. */
export function solveSpd(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        // A column that is constant (or a copy of another) leaves a zero pivot: the ridge
        // term prevents it; this guard keeps a rounding error from becoming NaN.
        l[i]![i] = Math.sqrt(Math.max(sum, 1e-12));
      } else l[i]![j] = sum / l[j]![j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i]![k]! * y[k]!;
    y[i] = sum / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k]![i]! * x[k]!;
    x[i] = sum / l[i]![i]!;
  }
  return x;
}

export function dot(row: readonly number[], beta: Coefficients): number {
  let s = 0;
  for (let j = 0; j < row.length; j++) s += row[j]! * beta[j]!;
  return s;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** The normal equations of a weighted problem, the intercept left unpenalised. */
function normalEquations(
  x: Design,
  weightOf: (i: number) => number,
  targetOf: (i: number) => number,
  l2: number,
): { a: number[][]; b: number[] } {
  const d = x[0]?.length ?? 0;
  const a = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const b = new Array<number>(d).fill(0);
  for (let i = 0; i < x.length; i++) {
    const row = x[i]!;
    const w = weightOf(i);
    if (w === 0) continue;
    const t = targetOf(i);
    for (let j = 0; j < d; j++) {
      const wj = w * row[j]!;
      if (wj === 0) continue;
      b[j]! += wj * t;
      const aj = a[j]!;
      for (let k = 0; k <= j; k++) aj[k]! += wj * row[k]!;
    }
  }
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < j; k++) a[k]![j] = a[j]![k]!;
    if (j > 0) a[j]![j]! += l2;
  }
  return { a, b };
}

/** Ridge least squares: minimise Σ wᵢ(yᵢ − xᵢβ)² + l2·|β without intercept|². */
export function fitRidge(
  x: Design,
  y: readonly number[],
  options: { l2?: number; weights?: readonly number[] } = {},
): Coefficients {
  const { a, b } = normalEquations(
    x,
    (i) => options.weights?.[i] ?? 1,
    (i) => y[i]!,
    options.l2 ?? 1,
  );
  return solveSpd(a, b);
}

/**
 * Logistic regression with an L2 penalty, by iteratively reweighted least squares
 * (Newton's method): converges in a handful of steps on these designs.
 */
export function fitLogistic(
  x: Design,
  y: readonly number[],
  options: { l2?: number; weights?: readonly number[]; maxIterations?: number } = {},
): Coefficients {
  const d = x[0]?.length ?? 0;
  const l2 = options.l2 ?? 1;
  let beta = new Array<number>(d).fill(0);
  const p = new Array<number>(x.length).fill(0);
  for (let iteration = 0; iteration < (options.maxIterations ?? 25); iteration++) {
    for (let i = 0; i < x.length; i++) p[i] = sigmoid(dot(x[i]!, beta));
    // Newton step: (XᵀWX + λI) β' = XᵀW z, with z the working response.
    const { a, b } = normalEquations(
      x,
      (i) => (options.weights?.[i] ?? 1) * Math.max(p[i]! * (1 - p[i]!), 1e-9),
      (i) => dot(x[i]!, beta) + (y[i]! - p[i]!) / Math.max(p[i]! * (1 - p[i]!), 1e-9),
      l2,
    );
    const next = solveSpd(a, b);
    let change = 0;
    for (let j = 0; j < d; j++) change = Math.max(change, Math.abs(next[j]! - beta[j]!));
    beta = next;
    if (change < 1e-8) break;
  }
  return beta;
}

export function predictLogistic(beta: Coefficients, row: readonly number[]): number {
  return sigmoid(dot(row, beta));
}
