/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965, with the standard coefficients of
 * Lagarias et al. 1998), restarted from the best point until a restart no longer improves:
 * plain Nelder–Mead can stall on a collapsed simplex, and a restart costs little. The
 * objective may return Infinity (or NaN) to reject a point outright.
 */
export interface MinimizeResult {
  x: number[];
  value: number;
  evaluations: number;
  converged: boolean;
}

export interface MinimizeOptions {
  /** Initial step along each axis. */
  step?: number;
  /** Stop when the simplex values differ by less than this (absolute). */
  ftol?: number;
  /** Stop when every vertex is this close to the best, per coordinate. */
  xtol?: number;
  maxEvaluations?: number;
  restarts?: number;
}

function simplexRun(
  f: (x: number[]) => number,
  start: number[],
  step: number,
  ftol: number,
  xtol: number,
  budget: number,
): MinimizeResult {
  const n = start.length;
  const safe = (x: number[]) => {
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  let evaluations = 0;
  const evalAt = (x: number[]) => {
    evaluations++;
    return safe(x);
  };
  const pts: number[][] = [start];
  for (let i = 0; i < n; i++) pts.push(start.map((v, j) => (j === i ? v + step : v)));
  const vals = pts.map(evalAt);
  const order = () => {
    const idx = pts.map((_, i) => i).sort((i, j) => vals[i]! - vals[j]!);
    const p = idx.map((i) => pts[i]!);
    const v = idx.map((i) => vals[i]!);
    pts.splice(0, pts.length, ...p);
    vals.splice(0, vals.length, ...v);
  };
  const along = (centroid: number[], worst: number[], t: number) =>
    centroid.map((c, j) => c + t * (worst[j]! - c));
  let converged = false;
  while (evaluations < budget) {
    order();
    const spread = vals[n]! - vals[0]!;
    const size = Math.max(
      ...pts.slice(1).map((p) => Math.max(...p.map((v, j) => Math.abs(v - pts[0]![j]!)))),
    );
    if (Number.isFinite(vals[0]!) && spread <= ftol && size <= xtol) {
      converged = true;
      break;
    }
    const centroid = Array.from(
      { length: n },
      (_, j) => pts.slice(0, n).reduce((s, p) => s + p[j]!, 0) / n,
    );
    const worst = pts[n]!;
    const xr = along(centroid, worst, -1);
    const fr = evalAt(xr);
    if (fr < vals[0]!) {
      const xe = along(centroid, worst, -2);
      const fe = evalAt(xe);
      [pts[n], vals[n]] = fe < fr ? [xe, fe] : [xr, fr];
    } else if (fr < vals[n - 1]!) {
      [pts[n], vals[n]] = [xr, fr];
    } else {
      const outside = fr < vals[n]!;
      const xc = along(centroid, worst, outside ? -0.5 : 0.5);
      const fc = evalAt(xc);
      if (fc < (outside ? fr : vals[n]!)) {
        [pts[n], vals[n]] = [xc, fc];
      } else {
        for (let i = 1; i <= n; i++) {
          const shrunk = pts[i]!.map((v, j) => pts[0]![j]! + 0.5 * (v - pts[0]![j]!));
          pts[i] = shrunk;
          vals[i] = evalAt(shrunk);
        }
      }
    }
  }
  order();
  return { x: pts[0]!, value: vals[0]!, evaluations, converged };
}

/** Minimises `f` from `start`. Deterministic: no randomness, same input → same result. */
export function minimize(
  f: (x: number[]) => number,
  start: number[],
  options: MinimizeOptions = {},
): MinimizeResult {
  const { step = 0.5, ftol = 1e-10, xtol = 1e-7, maxEvaluations = 6000, restarts = 4 } = options;
  let best = simplexRun(f, start, step, ftol, xtol, maxEvaluations);
  let evaluations = best.evaluations;
  for (let r = 0; r < restarts && evaluations < maxEvaluations; r++) {
    const again = simplexRun(f, best.x, step / 4, ftol, xtol, maxEvaluations - evaluations);
    evaluations += again.evaluations;
    const improved = again.value < best.value - ftol;
    if (again.value <= best.value) best = again;
    if (!improved) break;
  }
  return { ...best, evaluations };
}
