/**
 * Change points in a numeric series: positions where the mean of the next
 * window differs from the mean of the previous window by more than
 * `variance_threshold` standard deviations of the whole series — a level
 * shift, a spike that lasts, a metric falling off a cliff.
 */

const WINDOW = 5;

/**
 * Indices `i` (the first value after the shift) for the series `values`
 * (NaN = no value; skipped). Needs at least two windows of values. Each shift
 * is reported once, at the position where the two windows differ most.
 */
export function changePoints(values: ArrayLike<number>, varianceThreshold: number): number[] {
  const positions: number[] = [];
  const series: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? Number.NaN;
    if (!Number.isNaN(value)) {
      positions.push(i);
      series.push(value);
    }
  }
  const count = series.length;
  if (count < 2 * WINDOW) return [];
  const mean = series.reduce((sum, value) => sum + value, 0) / count;
  const sigma = Math.sqrt(series.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (count - 1));
  if (!(sigma > 0) || !Number.isFinite(sigma)) return [];
  const threshold = varianceThreshold * sigma;
  // Prefix sums make every window mean O(1), so 10,000-value series stay linear.
  const prefix = new Float64Array(count + 1);
  for (let i = 0; i < count; i++) prefix[i + 1] = (prefix[i] ?? 0) + (series[i] ?? 0);
  const windowMean = (from: number): number => ((prefix[from + WINDOW] ?? 0) - (prefix[from] ?? 0)) / WINDOW;
  // Around a shift the gap exceeds the threshold for several positions in a row;
  // the shift itself is where the gap peaks.
  const found: number[] = [];
  let best = -1;
  let bestGap = 0;
  const flush = (): void => {
    if (best >= 0 && (found.length === 0 || best - (found[found.length - 1] ?? 0) > WINDOW)) found.push(best);
    best = -1;
    bestGap = 0;
  };
  for (let i = WINDOW; i <= count - WINDOW; i++) {
    const gap = Math.abs(windowMean(i) - windowMean(i - WINDOW));
    if (gap > threshold) {
      if (gap > bestGap) {
        best = i;
        bestGap = gap;
      }
    } else flush();
  }
  flush();
  return found.map((i) => positions[i] ?? i);
}
