/**
 * Selection for arrays of strings, of numbers, and of mixed values. The
 * positional share is `first_fraction` of K from the start and
 * `last_fraction` of K from the end; flagged items (errors, anomalies, change
 * points, query anchors, hinted values) are always kept; relevant items and an
 * even fill take the rest of K.
 */
import { numberValue } from '../../../json/index.js';
import { changePoints } from './change-points.js';
import { isErrorItem } from './errors.js';
import { analyzeObjects } from './field-stats.js';
import { fieldAnomalies, numericAnomalies, structuralOutliers } from './outliers.js';
import { assemble, type FlagName } from './prioritize.js';
import { valueWords } from './similarity.js';
import { countHinted, hintedItems, hintedScalars, queryAnchorItems, relevantItems } from './signals.js';
import type { Selection, SelectionInput } from './types.js';
import { medianOf } from './median.js';

/** Shifts kept in one number array (the strongest). */
const MAX_SERIES_SHIFTS = 10;

export type ScalarKind = 'string' | 'number' | 'mixed';

export function selectScalars(input: SelectionInput, kind: ScalarKind, k: number): Selection {
  const { doc, items, config } = input;
  const n = items.length;
  const errors = new Set<number>();
  const anomalies = new Set<number>();
  const outliers = new Set<number>();
  const shifts = new Set<number>();
  items.forEach((item, index) => {
    if (isErrorItem(doc, item)) errors.add(index);
  });
  // Numbers: values far from the bulk. Strings: lengths far from the bulk (a stack trace among ids).
  const numbers = new Float64Array(n).fill(Number.NaN);
  const lengths = new Float64Array(n).fill(Number.NaN);
  items.forEach((item, index) => {
    if (item.type === 'number') numbers[index] = numberValue(doc, item);
    else if (item.type === 'string') lengths[index] = item.value.length;
  });
  const numberAnomalies = numericAnomalies(numbers, config.varianceThreshold);
  for (const index of numberAnomalies) anomalies.add(index);
  // A length anomaly must also differ from the typical length by half of it: 251 vs 254 characters is not news.
  const typical = medianLength(lengths);
  for (const index of numericAnomalies(lengths, config.varianceThreshold)) if (Math.abs((lengths[index] ?? 0) - typical) >= 0.5 * typical) anomalies.add(index);
  if (config.preserveChangePoints && kind === 'number') {
    // A lone spike is an anomaly, not a change of level: the series is read without the anomalies.
    const series = numbers.slice();
    for (const index of numberAnomalies) series[index] = Number.NaN;
    // One series: its shifts are its story, up to MAX_SERIES_SHIFTS of them, the strongest first.
    for (const index of changePoints(series, config.varianceThreshold, MAX_SERIES_SHIFTS)) {
      shifts.add(index);
      if (index > 0) shifts.add(index - 1);
    }
  }
  const hinted = hintedScalars(doc, items, input.hints);
  if (kind === 'mixed') {
    // The objects of a mixed array get the object signals among themselves.
    const objects = items.flatMap((item, index) => (item.type === 'object' ? [{ item, index }] : []));
    const objectIndices = objects.map((object) => object.index);
    if (objects.length > 0) {
      const table = analyzeObjects(
        doc,
        objects.map((object) => object.item),
      );
      for (const local of fieldAnomalies(table, config.varianceThreshold)) anomalies.add(objectIndices[local] ?? 0);
      for (const local of structuralOutliers(table)) outliers.add(objectIndices[local] ?? 0);
      const objectHints = hintedItems(table, input.hints);
      for (const local of objectHints.kept) hinted.kept.add(objectIndices[local] ?? 0);
      for (const local of objectHints.broad) hinted.broad.push(objectIndices[local] ?? 0);
    }
  }
  const flags = new Map<FlagName, Set<number>>([
    ['errors', errors],
    ['anomalies', anomalies],
    ['outliers', outliers],
    ['changePoints', shifts],
    ['queryAnchors', queryAnchorItems(input)],
    ['hinted', hinted.kept],
  ]);
  const { keep, counts } = assemble({
    n,
    k,
    texts: input.itemTexts,
    words: (index) => (items[index] === undefined ? new Set() : valueWords(doc, items[index])),
    flags,
    anchors: positionalAnchors(n, k, config.firstFraction, config.lastFraction),
    relevant: relevantItems(input),
    preferred: hinted.broad,
    // Equal numbers at different positions are different observations of a series, not duplicates.
    dedupIdentical: config.dedupIdenticalItems && kind !== 'number',
    similarityThreshold: config.similarityThreshold,
  });
  counts.hinted = countHinted(keep, hinted);
  return { keep, strategy: kind, skipReason: null, counts };
}

/** Python-style round half to even, so 4.5 → 4 and 2.5 → 2 as in the reference's K split. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (Math.abs(fraction - 0.5) > 1e-9) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The first `first_fraction`·K and last `last_fraction`·K indices (at least one each when the fraction is not 0). */
export function positionalAnchors(n: number, k: number, firstFraction: number, lastFraction: number): number[] {
  const first = firstFraction > 0 ? Math.min(Math.max(1, roundHalfEven(k * firstFraction)), k, n) : 0;
  const last = lastFraction > 0 ? Math.min(Math.max(1, roundHalfEven(k * lastFraction)), Math.max(0, k - first), n - first) : 0;
  const anchors: number[] = [];
  for (let i = 0; i < first; i++) anchors.push(i);
  for (let i = n - last; i < n; i++) anchors.push(i);
  return anchors;
}

function medianLength(lengths: Float64Array): number {
  return medianOf([...lengths].filter((length) => !Number.isNaN(length)).sort((a, b) => a - b));
}
