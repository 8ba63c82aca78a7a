/** The median of ascending-sorted numbers (the mean of the middle two for an even count); 0 for none. */
export function medianOf(sorted: readonly number[]): number {
  const half = sorted.length >> 1;
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[half] ?? 0) : ((sorted[half - 1] ?? 0) + (sorted[half] ?? 0)) / 2;
}
