import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A bar-less line chart of one series over time (seconds since the epoch), drawn by
 * uPlot. The numbers are also in a table for screen readers (see its callers).
 */
export function TimeChart({
  label,
  times,
  values,
  width = 720,
}: {
  label: string;
  times: number[];
  values: number[];
  width?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const plot = new uPlot(
      {
        width: Math.min(width, el.clientWidth || width),
        height: 220,
        series: [{}, { label, stroke: '#2457a6', fill: 'rgba(36,87,166,0.12)', width: 2 }],
        axes: [{}, { label }],
        legend: { show: false },
        cursor: { show: true },
      },
      [times, values],
      el,
    );
    return () => plot.destroy();
  }, [label, times, values, width]);
  return <div ref={box} className="chart" role="img" aria-label={label} />;
}
