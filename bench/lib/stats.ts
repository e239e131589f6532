// Pure number helpers for the benchmark figures.

/** The p-th percentile (0–100) by the nearest-rank method: always one of the measured values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be within 0..100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** a / b, or undefined when b is not a positive number (a ceiling that could not be measured). */
export function ratio(a: number, b: number): number | undefined {
  return b > 0 && Number.isFinite(b) ? a / b : undefined;
}

/** Events per second over a duration in milliseconds. */
export function perSecond(count: number, durationMs: number): number {
  return durationMs > 0 ? (count * 1000) / durationMs : 0;
}
