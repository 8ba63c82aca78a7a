/**
 * Change points in a numeric series: positions where the mean of the next
 * window differs from the mean of the previous window by more than
 * `variance_threshold` σ — a level shift, a spike that lasts, a metric falling
 * off a cliff.
 *
 * σ is the noise of the series, estimated from its first differences (robust:
 * the shifts themselves are a handful of large differences and do not move
 * the median). The reference uses the σ of the whole series, which a clean
 * step inflates to half its height, so a 2σ threshold never fires on the very
 * step it is meant to find. For long series the bar is raised so noise alone
 * is not expected to cross it (Chauvenet's bound on the window difference).
 * Values in no particular order are not a series and have no change points.
 */
import { chauvenetZ } from './outliers.js';
import { medianOf } from './median.js';

const WINDOW = 5;
const MIN_AUTOCORRELATION = 0.5;

/**
 * Indices `i` (the first value after the shift) for the series `values`
 * (NaN = no value; skipped). Needs at least two windows of values. Each shift
 * is reported once, at the position where the two windows differ most; with
 * more than `limit` shifts, the `limit` strongest.
 */
export function changePoints(values: ArrayLike<number>, varianceThreshold: number, limit = Infinity): number[] {
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
  const sigma = noiseSigma(series);
  if (!Number.isFinite(sigma) || !isSeries(series)) return [];
  // The difference of two 5-value means has σ·√(2/5) of noise.
  const threshold = Math.max(varianceThreshold, chauvenetZ(count) * Math.sqrt(2 / WINDOW)) * sigma;
  // Prefix sums make every window mean O(1), so 10,000-value series stay linear.
  const prefix = new Float64Array(count + 1);
  for (let i = 0; i < count; i++) prefix[i + 1] = (prefix[i] ?? 0) + (series[i] ?? 0);
  const windowMean = (from: number): number => ((prefix[from + WINDOW] ?? 0) - (prefix[from] ?? 0)) / WINDOW;
  // Around a shift the gap exceeds the threshold for several positions in a row;
  // the shift itself is where the gap peaks.
  const found: number[] = [];
  const gaps = new Map<number, number>();
  let best = -1;
  let bestGap = 0;
  const flush = (): void => {
    if (best >= 0 && (found.length === 0 || best - (found[found.length - 1] ?? 0) > WINDOW)) {
      found.push(best);
      gaps.set(best, bestGap);
    }
    best = -1;
    bestGap = 0;
  };
  for (let i = WINDOW; i <= count - WINDOW; i++) {
    const gap = Math.abs(windowMean(i) - windowMean(i - WINDOW));
    if (gap > threshold && gap > 0) {
      if (gap > bestGap) {
        best = i;
        bestGap = gap;
      }
    } else flush();
  }
  flush();
  // A series switching back and forth all the time keeps only its strongest shifts.
  const kept =
    found.length <= limit
      ? found
      : [...found]
          .sort((a, b) => (gaps.get(b) ?? 0) - (gaps.get(a) ?? 0) || a - b)
          .slice(0, limit)
          .sort((a, b) => a - b);
  return kept.map((i) => positions[i] ?? i);
}

/**
 * σ of the point-to-point noise: 1.4826 · MAD of the first differences / √2;
 * when more than half the differences are equal (a repeating or constant
 * series) the sample σ of the differences / √2 instead (0 only for a
 * piecewise-constant series, where any step is a change).
 */
function noiseSigma(series: readonly number[]): number {
  const diffs: number[] = [];
  for (let i = 1; i < series.length; i++) diffs.push((series[i] ?? 0) - (series[i - 1] ?? 0));
  const sorted = [...diffs].sort((a, b) => a - b);
  const median = medianOf(sorted);
  const mad = medianOf(sorted.map((diff) => Math.abs(diff - median)).sort((a, b) => a - b));
  if (mad > 0) return (1.4826 * mad) / Math.SQRT2;
  const mean = diffs.reduce((sum, diff) => sum + diff, 0) / diffs.length;
  return Math.sqrt(diffs.reduce((sum, diff) => sum + (diff - mean) ** 2, 0) / Math.max(1, diffs.length - 1)) / Math.SQRT2;
}

/**
 * Whether the values form a series: neighbouring values resemble each other
 * (lag-1 autocorrelation at least 0.5), as readings over time or a level that
 * holds for a while do. Values in no particular order — file sizes of rows
 * sorted by date — have none, and their jumps are not changes of level.
 */
function isSeries(series: readonly number[]): boolean {
  const mean = series.reduce((sum, value) => sum + value, 0) / series.length;
  let lagged = 0;
  let total = 0;
  for (let i = 0; i < series.length; i++) {
    const deviation = (series[i] ?? 0) - mean;
    total += deviation * deviation;
    if (i > 0) lagged += deviation * ((series[i - 1] ?? 0) - mean);
  }
  return total > 0 && lagged / total >= MIN_AUTOCORRELATION;
}
