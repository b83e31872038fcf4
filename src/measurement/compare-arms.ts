import {
  compareProportions,
  compareRevenue,
  cuped,
  sampleRatioMismatch,
  sequentialProportions,
  type BinaryArm,
} from './core/stats/index.js';
import { seededRandom } from '../shared/index.js';

const DAY = 86_400_000;
/** Daily looks of the sequential test, at most this many (the latest ones). */
const MAX_LOOKS = 366;

/** One assigned person as a report sees them. */
export interface Unit {
  arm: string;
  assignedAt: number;
  /** When they first converted within their attribution window; null if they did not. */
  convertedAt: number | null;
  /** Revenue of their conversion events within the window. */
  revenue: number;
  /** Revenue of conversion events in the 30 days before first exposure (CUPED's covariate). */
  preRevenue: number;
}

const round = (x: number | null, digits = 6) =>
  x === null || !Number.isFinite(x) ? null : Number(x.toFixed(digits));
const pair = (ci: readonly [number, number] | null) =>
  ci ? ([round(ci[0]), round(ci[1])] as [number | null, number | null]) : null;

function armSummary(arm: string, units: readonly Unit[]) {
  const conversions = units.filter((u) => u.convertedAt !== null).length;
  const revenue = units.reduce((s, u) => s + u.revenue, 0);
  return {
    arm,
    people: units.length,
    conversions,
    conversionRate: units.length > 0 ? round(conversions / units.length) : null,
    revenue: round(revenue, 2),
    revenuePerPerson: units.length > 0 ? round(revenue / units.length) : null,
  };
}

/** Cumulative counts at the end of each day since the first exposure, up to `now`. */
function dailyLooks(treated: readonly Unit[], control: readonly Unit[], now: number) {
  const all = [...treated, ...control];
  if (all.length === 0) return [];
  const first = Math.min(...all.map((u) => u.assignedAt));
  const days = Math.max(1, Math.ceil((now - first) / DAY));
  const looks: { treated: BinaryArm; control: BinaryArm }[] = [];
  const count = (units: readonly Unit[], end: number): BinaryArm => {
    let n = 0;
    let conversions = 0;
    for (const u of units) {
      if (u.assignedAt > end) continue;
      n++;
      if (u.convertedAt !== null && u.convertedAt <= end) conversions++;
    }
    return { n, conversions };
  };
  for (let d = Math.max(1, days - MAX_LOOKS + 1); d <= days; d++) {
    const end = Math.min(now, first + d * DAY);
    looks.push({ treated: count(treated, end), control: count(control, end) });
  }
  return looks;
}

/**
 * One arm against the control: lift of the conversion rate with delta-method and Fieller
 * intervals, the absolute difference, the z-test, revenue per person by bootstrap, CUPED
 * on conversion with pre-period revenue, and the always-valid (mSPRT) p-value over daily
 * looks.
 */
export function compareArm(
  treated: readonly Unit[],
  control: readonly Unit[],
  now: number,
  seed: string,
) {
  const conv = (units: readonly Unit[]): BinaryArm => ({
    n: units.length,
    conversions: units.filter((u) => u.convertedAt !== null).length,
  });
  const p = compareProportions(conv(treated), conv(control));
  const money = (units: readonly Unit[]) => units.map((u) => u.revenue);
  const r =
    treated.length > 1 && control.length > 1
      ? compareRevenue(money(treated), money(control), { random: seededRandom(seed) })
      : null;
  const cupedUnits = (units: readonly Unit[]) =>
    units.map((u) => ({ outcome: u.convertedAt === null ? 0 : 1, covariate: u.preRevenue }));
  const c =
    treated.length > 1 && control.length > 1
      ? cuped(cupedUnits(treated), cupedUnits(control))
      : null;
  const s = sequentialProportions(dailyLooks(treated, control, now));
  return {
    conversion: {
      lift: {
        value: round(p.lift.value),
        ci: pair(p.lift.delta),
        fieller: pair(p.lift.fieller),
      },
      difference: { value: round(p.difference.value), ci: pair(p.difference.ci) },
      pValue: round(p.pValue),
    },
    revenuePerPerson: r
      ? {
          difference: { value: round(r.difference.value), ci: pair(r.difference.ci) },
          lift: { value: round(r.lift.value), ci: pair(r.lift.ci) },
          pValue: round(r.pValue),
        }
      : null,
    cuped: c
      ? {
          covariate: 'revenue in the 30 days before first exposure',
          difference: { value: round(c.difference.value), ci: pair(c.difference.ci) },
          lift: { value: round(c.lift.value), ci: pair(c.lift.delta) },
          varianceReduction: round(c.varianceReduction),
          pValue: round(c.pValue),
        }
      : null,
    sequential: {
      looks: s.looks.length,
      pValue: round(s.pValue),
      ci: pair(s.ci),
      significant: s.significant,
    },
  };
}

/**
 * The whole report from assigned people: per arm counts and rates, each arm against the
 * control, and the sample-ratio check of the counts against the arms' weights.
 */
export function compareArms(
  arms: readonly { name: string; weight: number }[],
  controlArm: string,
  units: readonly Unit[],
  now: number,
  seed: string,
) {
  const byArm = new Map<string, Unit[]>(arms.map((a) => [a.name, []]));
  for (const u of units) {
    const list = byArm.get(u.arm);
    if (list) list.push(u);
    else byArm.set(u.arm, [u]);
  }
  const control = byArm.get(controlArm) ?? [];
  const weighted = arms.filter((a) => a.weight > 0);
  const counts = weighted.map((a) => byArm.get(a.name)?.length ?? 0);
  const srm =
    weighted.length >= 2 && counts.some((n) => n > 0)
      ? sampleRatioMismatch(
          counts,
          weighted.map((a) => a.weight),
        )
      : null;
  return {
    arms: [...byArm].map(([arm, list]) => armSummary(arm, list)),
    comparisons: [...byArm]
      .filter(([arm]) => arm !== controlArm)
      .map(([arm, list]) => ({
        arm,
        against: controlArm,
        ...compareArm(list, control, now, `${seed}:${arm}`),
      })),
    srm: srm
      ? {
          expectedShares: weighted.map((a) => ({ arm: a.name, weight: a.weight })),
          observed: counts,
          chiSquare: round(srm.chiSquare),
          pValue: round(srm.pValue),
          threshold: srm.threshold,
          mismatch: srm.mismatch,
        }
      : null,
  };
}
