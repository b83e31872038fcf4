/** One estimate with its 95% interval, as the experiment report gives it. */
export interface Interval {
  label: string;
  value: number | null;
  ci: [number | null, number | null] | null;
}

const W = 640;
const ROW = 34;
const LEFT = 170;
const RIGHT = 20;

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

/**
 * Lifts with their 95% intervals on one axis through 0 (a forest plot), as SVG: an
 * interval that lies right of 0 says the arm helps. The numbers are in the table beside
 * it for screen readers; the chart is one labelled image.
 */
export function IntervalChart({ rows, label }: { rows: Interval[]; label: string }) {
  const drawn = rows.filter((r) => r.value !== null);
  if (drawn.length === 0)
    return <p className="muted">No lift to draw yet: no control conversions.</p>;
  const xs = drawn.flatMap((r) => [r.value!, r.ci?.[0] ?? r.value!, r.ci?.[1] ?? r.value!, 0]);
  let lo = Math.min(...xs);
  let hi = Math.max(...xs);
  const pad = (hi - lo) * 0.1 || 0.1;
  lo -= pad;
  hi += pad;
  const x = (v: number) => LEFT + ((v - lo) / (hi - lo)) * (W - LEFT - RIGHT);
  const height = drawn.length * ROW + 30;
  return (
    <svg
      className="chart interval-chart"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${W} ${height}`}
      width={W}
      height={height}
    >
      <line x1={x(0)} x2={x(0)} y1={4} y2={height - 22} stroke="#98a1b0" strokeDasharray="4 3" />
      <text x={x(0)} y={height - 6} textAnchor="middle" fontSize="12" fill="#5c6575">
        0
      </text>
      <text x={x(lo)} y={height - 6} fontSize="12" fill="#5c6575">
        {pct(lo)}
      </text>
      <text x={x(hi)} y={height - 6} textAnchor="end" fontSize="12" fill="#5c6575">
        {pct(hi)}
      </text>
      {drawn.map((r, i) => {
        const y = 20 + i * ROW;
        const a = r.ci?.[0] ?? null;
        const b = r.ci?.[1] ?? null;
        const above = a !== null && a > 0;
        const below = b !== null && b < 0;
        const color = above ? '#1b7f3b' : below ? '#a4161a' : '#2457a6';
        return (
          <g key={r.label}>
            <text x={4} y={y + 4} fontSize="13" fill="#1d2330">
              {r.label}
            </text>
            {a !== null && b !== null ? (
              <line x1={x(a)} x2={x(b)} y1={y} y2={y} stroke={color} strokeWidth={3} />
            ) : null}
            <circle cx={x(r.value!)} cy={y} r={5} fill={color} />
          </g>
        );
      })}
    </svg>
  );
}
