/** Nearest-rank percentiles of a list of milliseconds, rounded to 0.1 ms. */
export function percentiles(values: number[]): Record<string, number | null> {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length === 0
      ? null
      : Number(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!.toFixed(1));
  return {
    samples: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted.length ? Number(sorted[sorted.length - 1]!.toFixed(1)) : null,
  };
}
