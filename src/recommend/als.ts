import type { WeightedTable } from './ease.js';
import { selectItems } from './ease.js';
import type { AlsParams, PersonalizedConfig } from './model-config.js';
import { mulberry32 } from '../shared/index.js';
import { solveSpd } from './spd-inverse.js';

/**
 * Implicit ALS (Hu, Koren & Volinsky, "Collaborative Filtering for Implicit Feedback
 * Datasets", ICDM 2008): preference p_ui = 1 for every observed pair with confidence
 * c_ui = 1 + α·x_ui, squared loss over all pairs plus λ‖·‖². Each half-step solves one
 * f×f system per person (or item) with a few warm-started conjugate-gradient steps
 * (Takács, Pilászy & Tikk, RecSys 2011), so an epoch costs O(nnz·f·steps + (U+I)·f²)
 * and never forms the dense n×n matrix: this is the model for catalogs too large for
 * EASE. Only item factors are kept: a person's vector is folded in at request time
 * from their current history (one exact f×f solve), so new interactions count at once.
 */
export interface AlsModel {
  kind: 'als';
  name: string;
  strategy: 'personalized';
  config: PersonalizedConfig;
  trainedAt: number;
  trainedThrough: number | null;
  itemIds: string[];
  factors: number;
  itemFactors: Float32Array;
  /** YᵀY, reused by every fold-in. */
  gram: Float64Array;
}

interface Sparse {
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
}

/** Gram matrix MᵀM of a row-major rows×f matrix. */
export function gramOf(m: Float64Array | Float32Array, rows: number, f: number): Float64Array {
  const g = new Float64Array(f * f);
  for (let r = 0; r < rows; r++) {
    const o = r * f;
    for (let a = 0; a < f; a++) {
      const va = m[o + a]!;
      if (va === 0) continue;
      const ga = a * f;
      for (let b = a; b < f; b++) g[ga + b]! += va * m[o + b]!;
    }
  }
  for (let a = 0; a < f; a++) for (let b = 0; b < a; b++) g[a * f + b] = g[b * f + a]!;
  return g;
}

/**
 * Runs `steps` of conjugate gradient on (YᵀY + λI + Σ_i (c_i − 1) y_i y_iᵀ) x = Σ_i c_i y_i,
 * starting from x (updated in place). `rows` are this person's (or item's) partners.
 */
function cgSolve(
  x: Float64Array,
  xo: number,
  y: Float64Array,
  yty: Float64Array,
  f: number,
  rows: Sparse,
  r0: number,
  params: AlsParams,
  steps: number,
  scratch: { r: Float64Array; p: Float64Array; ap: Float64Array },
): void {
  const { r, p, ap } = scratch;
  const { alpha, regularization: lambda } = params;
  const apply = (v: Float64Array, vo: number, out: Float64Array) => {
    for (let a = 0; a < f; a++) {
      let s = lambda * v[vo + a]!;
      const ga = a * f;
      for (let b = 0; b < f; b++) s += yty[ga + b]! * v[vo + b]!;
      out[a] = s;
    }
    for (let q = rows.ptr[r0]!; q < rows.ptr[r0 + 1]!; q++) {
      const yo = rows.idx[q]! * f;
      const c1 = alpha * rows.val[q]!;
      let dot = 0;
      for (let a = 0; a < f; a++) dot += y[yo + a]! * v[vo + a]!;
      dot *= c1;
      for (let a = 0; a < f; a++) out[a]! += dot * y[yo + a]!;
    }
  };
  // r = b − A x, with b = Σ c_i y_i.
  apply(x, xo, ap);
  r.fill(0);
  for (let q = rows.ptr[r0]!; q < rows.ptr[r0 + 1]!; q++) {
    const yo = rows.idx[q]! * f;
    const c = 1 + alpha * rows.val[q]!;
    for (let a = 0; a < f; a++) r[a]! += c * y[yo + a]!;
  }
  let rs = 0;
  for (let a = 0; a < f; a++) {
    r[a] = r[a]! - ap[a]!;
    p[a] = r[a]!;
    rs += r[a]! * r[a]!;
  }
  for (let s = 0; s < steps && rs > 1e-20; s++) {
    apply(p, 0, ap);
    let pap = 0;
    for (let a = 0; a < f; a++) pap += p[a]! * ap[a]!;
    const step = rs / pap;
    let rsNew = 0;
    for (let a = 0; a < f; a++) {
      x[xo + a]! += step * p[a]!;
      r[a]! -= step * ap[a]!;
      rsNew += r[a]! * r[a]!;
    }
    const beta = rsNew / rs;
    for (let a = 0; a < f; a++) p[a] = r[a]! + beta * p[a]!;
    rs = rsNew;
  }
}

/** Trains implicit ALS over the items with support ≥ minSupport. */
export function trainAls(
  config: PersonalizedConfig,
  w: WeightedTable,
  now: number,
  trainedThrough: number | null,
): AlsModel {
  const { itemIds, toModel } = selectItems(w, config.minSupport, Number.MAX_SAFE_INTEGER);
  const params = config.als;
  const f = params.factors;
  const nItems = itemIds.length;
  const { table, strength } = w;
  const nUsers = table.userIds.length;

  // User-major and item-major copies of the kept entries.
  const byUser: Sparse = {
    ptr: new Int32Array(nUsers + 1),
    idx: new Int32Array(0),
    val: new Float64Array(0),
  };
  const ui: number[] = [];
  const uv: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    for (let r = table.userPtr[u]!; r < table.userPtr[u + 1]!; r++) {
      const m = toModel[table.item[r]!]!;
      if (m < 0 || strength[r]! <= 0) continue;
      ui.push(m);
      uv.push(strength[r]!);
    }
    byUser.ptr[u + 1] = ui.length;
  }
  byUser.idx = Int32Array.from(ui);
  byUser.val = Float64Array.from(uv);
  const byItem = transpose(byUser, nUsers, nItems);

  const rng = mulberry32(params.seed);
  const init = (rows: number) => {
    const m = new Float64Array(rows * f);
    for (let i = 0; i < m.length; i++) m[i] = (rng() - 0.5) * 0.02;
    return m;
  };
  const users = init(nUsers);
  const items = init(nItems);
  const scratch = { r: new Float64Array(f), p: new Float64Array(f), ap: new Float64Array(f) };
  for (let it = 0; it < params.iterations; it++) {
    const yty = gramOf(items, nItems, f);
    for (let u = 0; u < nUsers; u++) {
      cgSolve(users, u * f, items, yty, f, byUser, u, params, params.cgSteps, scratch);
    }
    const xtx = gramOf(users, nUsers, f);
    for (let i = 0; i < nItems; i++) {
      cgSolve(items, i * f, users, xtx, f, byItem, i, params, params.cgSteps, scratch);
    }
  }
  const itemFactors = Float32Array.from(items);
  return {
    kind: 'als',
    name: config.name ?? 'personalized',
    strategy: 'personalized',
    config,
    trainedAt: now,
    trainedThrough,
    itemIds,
    factors: f,
    itemFactors,
    gram: gramOf(itemFactors, nItems, f),
  };
}

/**
 * A person's factor vector from their weighted history (model item index, strength):
 * the exact ALS user step, (YᵀY + λI + Σ α x_i y_i y_iᵀ) u = Σ (1 + α x_i) y_i.
 * O(m f² + f³).
 */
export function foldIn(
  model: AlsModel,
  history: readonly { item: number; x: number }[],
): Float64Array {
  const f = model.factors;
  const { alpha, regularization } = model.config.als;
  const y = model.itemFactors;
  const a = model.gram.slice();
  const b = new Float64Array(f);
  for (let d = 0; d < f; d++) a[d * f + d]! += regularization;
  for (const { item, x } of history) {
    const yo = item * f;
    const c1 = alpha * x;
    for (let p = 0; p < f; p++) {
      const vp = y[yo + p]!;
      b[p]! += (1 + c1) * vp;
      const row = p * f;
      const cp = c1 * vp;
      for (let q = 0; q < f; q++) a[row + q]! += cp * y[yo + q]!;
    }
  }
  return solveSpd(a, b, f);
}

function transpose(s: Sparse, rows: number, cols: number): Sparse {
  const ptr = new Int32Array(cols + 1);
  for (const c of s.idx) ptr[c + 1]!++;
  for (let c = 0; c < cols; c++) ptr[c + 1]! += ptr[c]!;
  const fill = ptr.slice(0, cols);
  const idx = new Int32Array(s.idx.length);
  const val = new Float64Array(s.idx.length);
  for (let r = 0; r < rows; r++) {
    for (let q = s.ptr[r]!; q < s.ptr[r + 1]!; q++) {
      const at = fill[s.idx[q]!]!++;
      idx[at] = r;
      val[at] = s.val[q]!;
    }
  }
  return { ptr, idx, val };
}
