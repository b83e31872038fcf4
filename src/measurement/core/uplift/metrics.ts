// How well a ranking by predicted uplift finds the persuadable, scored on people whose
// outcome the model never saw. Sort by predicted uplift, best first, and walk down:
//   Qini curve    Q(t) = Y_T(t) − Y_C(t) · N_T(t) / N_C(t)   (extra outcomes so far)
//   uplift curve  U(t) = (Y_T(t)/N_T(t) − Y_C(t)/N_C(t)) · (N_T(t) + N_C(t))
// with N the people and Y the outcome summed over the treated (T) and control (C) among
// the first t. A random ranking traces the straight line to the end point. The Qini
// coefficient and AUUC are the area between a curve and that line, divided by the same
// area for the perfect ranking (treated responders first, control responders last):
// 1 is perfect, 0 no better than random, negative worse (as scikit-uplift scores them).

export interface ScoredPerson {
  readonly uplift: number;
  readonly treated: boolean;
  readonly outcome: number;
}

type Curve = 'qini' | 'uplift';

/** Curve points after each group of tied scores, starting from (0, 0). */
function curve(sorted: readonly ScoredPerson[], kind: Curve, score: (p: ScoredPerson) => number) {
  const xs = [0];
  const ys = [0];
  let nt = 0;
  let nc = 0;
  let yt = 0;
  let yc = 0;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i]!;
    if (p.treated) {
      nt++;
      yt += p.outcome;
    } else {
      nc++;
      yc += p.outcome;
    }
    const next = sorted[i + 1];
    if (next && score(next) === score(p)) continue;
    let y: number;
    if (kind === 'qini') y = nc > 0 ? yt - (yc * nt) / nc : yt;
    else y = ((nt > 0 ? yt / nt : 0) - (nc > 0 ? yc / nc : 0)) * (nt + nc);
    xs.push(i + 1);
    ys.push(y);
  }
  return { xs, ys };
}

/** Area between a curve and the straight line from (0, 0) to its end. */
function areaOverRandom(xs: readonly number[], ys: readonly number[]): number {
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += ((ys[i]! + ys[i - 1]!) / 2) * (xs[i]! - xs[i - 1]!);
  const end = xs[xs.length - 1]!;
  return area - (ys[ys.length - 1]! * end) / 2;
}

function normalisedArea(people: readonly ScoredPerson[], kind: Curve): number {
  const byModel = [...people].sort((a, b) => b.uplift - a.uplift);
  const model = curve(byModel, kind, (p) => p.uplift);
  const perfectScore = (p: ScoredPerson) => (p.treated ? p.outcome : -p.outcome);
  const byPerfect = [...people].sort((a, b) => perfectScore(b) - perfectScore(a));
  const perfect = curve(byPerfect, kind, perfectScore);
  const best = areaOverRandom(perfect.xs, perfect.ys);
  return best !== 0 ? areaOverRandom(model.xs, model.ys) / best : 0;
}

export function qiniCoefficient(people: readonly ScoredPerson[]): number {
  return normalisedArea(people, 'qini');
}

export function auuc(people: readonly ScoredPerson[]): number {
  return normalisedArea(people, 'uplift');
}

/**
 * Mean outcome of the treated minus that of the control among the top `share` of people
 * by predicted uplift (the "overall" cut of scikit-uplift): what targeting only them buys.
 * Null when the cut holds no one from one of the arms.
 */
export function upliftAt(people: readonly ScoredPerson[], share: number): number | null {
  const sorted = [...people].sort((a, b) => b.uplift - a.uplift);
  const top = sorted.slice(0, Math.ceil(sorted.length * share));
  let nt = 0;
  let nc = 0;
  let yt = 0;
  let yc = 0;
  for (const p of top) {
    if (p.treated) {
      nt++;
      yt += p.outcome;
    } else {
      nc++;
      yc += p.outcome;
    }
  }
  return nt > 0 && nc > 0 ? yt / nt - yc / nc : null;
}
