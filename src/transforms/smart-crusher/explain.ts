/**
 * The words a crushed block's decision carries: how many items were kept of
 * how many, and why they were kept, e.g.
 * `lossy: kept 15/1000 (errors 3, anomalies 2, relevant 4, anchors 6)`.
 */
import type { SelectionCounts } from './select/index.js';

/** What was crushed in one block, summed over its arrays. */
export interface CrushTally {
  arrays: number;
  /** How many of them were objects used as maps. */
  maps: number;
  kept: number;
  total: number;
  counts: SelectionCounts;
}

/** The signals in the order they are named; only those that kept something are shown. */
const SIGNALS: readonly (readonly [keyof SelectionCounts, string])[] = [
  ['errors', 'errors'],
  ['anomalies', 'anomalies'],
  ['outliers', 'outliers'],
  ['changePoints', 'change points'],
  ['relevant', 'relevant'],
  ['queryAnchors', 'query matches'],
  ['hinted', 'learned'],
  ['anchors', 'anchors'],
  ['fill', 'fill'],
  ['duplicates', 'duplicates'],
];

export function emptyTally(): CrushTally {
  return {
    arrays: 0,
    maps: 0,
    kept: 0,
    total: 0,
    counts: { errors: 0, anomalies: 0, outliers: 0, changePoints: 0, relevant: 0, queryAnchors: 0, hinted: 0, anchors: 0, fill: 0, duplicates: 0 },
  };
}

export function addToTally(tally: CrushTally, kept: number, total: number, counts: SelectionCounts, map: boolean): void {
  tally.arrays++;
  if (map) tally.maps++;
  tally.kept += kept;
  tally.total += total;
  for (const [key] of SIGNALS) tally.counts[key] += counts[key];
}

/** `lossy: kept 15/1000 (errors 3, anchors 12)`; several arrays: `lossy: kept 30/2000 in 2 arrays (…)` (`collections` when maps are among them). */
export function lossyLabel(tally: CrushTally): string {
  const where = tally.arrays > 1 ? ` in ${tally.arrays} ${tally.maps > 0 ? 'collections' : 'arrays'}` : '';
  const why = SIGNALS.filter(([key]) => tally.counts[key] > 0).map(([key, words]) => `${words} ${tally.counts[key]}`);
  return `lossy: kept ${tally.kept}/${tally.total}${where}${why.length > 0 ? ` (${why.join(', ')})` : ''}`;
}
