type Pair = [number | null, number | null] | null;
interface Est {
  value: number | null;
  ci: Pair;
}

/** `GET /v1/experiments/{id}/report` and `GET /v1/reports/program` (docs/measurement.md). */
export interface Report {
  experiment: {
    id: string;
    kind: string;
    subjectId: string;
    name: string;
    controlArm: string;
    conversionEvent: string;
    attributionWindow: string;
  };
  at: string;
  arms: {
    arm: string;
    people: number;
    conversions: number;
    conversionRate: number | null;
    revenue: number | null;
    revenuePerPerson: number | null;
  }[];
  comparisons: {
    arm: string;
    against: string;
    conversion: { lift: Est & { fieller: Pair }; difference: Est; pValue: number | null };
    revenuePerPerson: { difference: Est; lift: Est; pValue: number | null } | null;
    cuped: {
      covariate: string;
      difference: Est;
      lift: Est;
      varianceReduction: number | null;
      pValue: number | null;
    } | null;
    sequential: { looks: number; pValue: number | null; ci: Pair; significant: boolean };
  }[];
  srm: { chiSquare: number | null; pValue: number | null; mismatch: boolean } | null;
}

export interface Maturity {
  level: 'One>>All' | 'One>>Many' | 'One>>Few' | 'One>>One';
  evidence: { messages: number; people: number; controlledExperiments: number };
  nextStep: string;
}

/** "+12.3%" for a lift of 0.123; an em dash when there is none. */
export function liftText(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;
}

export function intervalText(ci: Pair): string {
  if (!ci || ci[0] === null || ci[1] === null) return '—';
  return `${liftText(ci[0])} to ${liftText(ci[1])}`;
}

export function pText(p: number | null | undefined): string {
  if (p === null || p === undefined) return '—';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}
