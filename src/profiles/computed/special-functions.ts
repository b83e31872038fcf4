/**
 * The special functions the purchase models need, written for the parameter ranges they
 * meet (positive shapes, 0 ≤ z < 1) with the numerical hazards noted where they bite.
 */

// Lanczos approximation, g = 7, n = 9 (Numerical Recipes 3rd ed. §6.1; Godfrey's
// coefficients): relative error below 1e-15 for x ≥ 0.5.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (reflection below 0.5 keeps tiny arguments accurate). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const y = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The Stirling series of ln Γ(z) beyond (z−½)ln z − z + ½ln 2π; error < 1e-12 for z ≥ 10. */
const stirlingTail = (z: number): number => {
  const z2 = z * z;
  return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * z2)) / z2) / z2) / z;
};

/**
 * ln Γ(x) − ln Γ(x + d) for x ≥ 10 without subtracting two huge numbers: by Stirling,
 * −(x − ½)·log1p(d/x) − d·ln(x + d) + d + tail(x) − tail(x + d).
 */
function lnGammaRatio(x: number, d: number): number {
  return (
    -(x - 0.5) * Math.log1p(d / x) - d * Math.log(x + d) + d + stirlingTail(x) - stirlingTail(x + d)
  );
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). When one argument is large, ln Γ(b) and
 * ln Γ(a + b) are huge and nearly equal (b = 1e9: ~2e10, so 1e-6 lost to cancellation);
 * their difference is then taken from the Stirling series directly.
 */
export function lnBeta(a: number, b: number): number {
  const [small, big] = a <= b ? [a, b] : [b, a];
  if (big >= 10) return lnGamma(small) + lnGammaRatio(big, small);
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/** ln(e^x + e^y) without overflow. */
export function logAddExp(x: number, y: number): number {
  if (x === -Infinity) return y;
  if (y === -Infinity) return x;
  return x > y ? x + Math.log1p(Math.exp(y - x)) : y + Math.log1p(Math.exp(x - y));
}

/**
 * Gauss's hypergeometric ₂F₁(a, b; c; z) by its power series, for a, b, c > 0 and
 * 0 ≤ z < 1. Every term is then positive, so summation has no cancellation; the series
 * converges geometrically with ratio → z, and stops when the geometric bound on the tail is
 * below 1e-15 of the sum. Returns NaN when `maxTerms` is not enough (z very close to 1):
 * callers then use the integral form.
 */
export function hyp2f1(a: number, b: number, c: number, z: number, maxTerms = 20_000): number {
  if (!(a > 0 && b > 0 && c > 0 && z >= 0 && z < 1)) return Number.NaN;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < maxTerms; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (!Number.isFinite(sum)) return Number.NaN;
    if (ratio < 1 && (term * ratio) / (1 - ratio) <= 1e-15 * sum) return sum;
  }
  return Number.NaN;
}

/**
 * ∫₀¹ f(x) dx by tanh-sinh (double exponential) quadrature, which converges fast even with
 * integrable endpoint singularities such as x^(a−1) for a < 1 (Takahasi & Mori 1974).
 * `f` receives x and 1 − x, both computed without cancellation, so integrands can use
 * ln(1 − x) accurately near 1. Halves the step until two levels agree to `tol`.
 */
export function integrateUnit(f: (x: number, oneMinusX: number) => number, tol = 1e-11): number {
  const tMax = 6; // x and 1 − x reach ~1e-275: tails of x^-0.95 singularities are < 1e-12
  const point = (t: number): number => {
    const u = (Math.PI / 2) * Math.sinh(t);
    const x = 1 / (1 + Math.exp(-2 * u));
    const xc = 1 / (1 + Math.exp(2 * u));
    if (x === 0 || xc === 0) return 0;
    const w = Math.PI * Math.cosh(t) * x * xc;
    const v = f(x, xc);
    return Number.isFinite(v) ? w * v : 0;
  };
  let h = 0.5;
  let sum = point(0);
  for (let t = h; t <= tMax; t += h) sum += point(t) + point(-t);
  let estimate = sum * h;
  for (let level = 0; level < 8; level++) {
    h /= 2;
    for (let t = h; t <= tMax; t += 2 * h) sum += point(t) + point(-t);
    const next = sum * h;
    if (Math.abs(next - estimate) <= tol * Math.abs(next)) return next;
    estimate = next;
  }
  return estimate;
}
