/**
 * Selection for arrays of objects: analyse the fields, find the signals,
 * decide whether the array can be crushed and how, and assemble the keep set.
 */
import { anchorBudget, anchorWeights, selectAnchors } from './anchors.js';
import { changePoints } from './change-points.js';
import { isErrorItem, repeatedTexts } from './errors.js';
import { analyzeObjects, valueKey, type AnalyzeOptions, type ObjectTable } from './field-stats.js';
import { fieldAnomalies, isMeasurement, numericAnomalies, structuralOutliers } from './outliers.js';
import { crushability, detectPattern, messageField, objectStrategy } from './pattern.js';
import { assemble, relevantShare, type FlagName } from './prioritize.js';
import { template, valueWords } from './similarity.js';
import { countHinted, hintedItems, queryAnchorItems, relevantItems } from './signals.js';
import type { Selection, SelectionInput } from './types.js';
import { emptyCounts } from './types.js';

/** Shifts kept per field of a table (the strongest). */
const CHANGE_POINTS_PER_FIELD = 3;

export function selectObjects(input: SelectionInput, k: number, options?: AnalyzeOptions): Selection {
  const { doc, items, itemTexts, config } = input;
  const n = items.length;
  const table = analyzeObjects(doc, items, options);
  const errors = new Set<number>();
  const repeated = repeatedTexts(items);
  items.forEach((item, index) => {
    if (isErrorItem(doc, item, (text) => (repeated.get(text) ?? index) < index)) errors.add(index);
  });
  const anomalies = fieldAnomalies(table, config.varianceThreshold);
  const outliers = structuralOutliers(table);
  const shifts = config.preserveChangePoints ? seriesChangePoints(table, config.varianceThreshold) : new Set<number>();
  const queryAnchors = queryAnchorItems(input);
  const hinted = hintedItems(table, input.hints);
  const relevant = relevantItems(input);
  const pattern = detectPattern(table);
  const verdict = crushability(
    table,
    {
      errors: errors.size,
      anomalies: anomalies.size,
      outliers: outliers.size,
      changePoints: shifts.size,
      relevant: relevant.length,
      queryAnchors: queryAnchors.size,
      hinted: hinted.kept.size + hinted.broad.length,
    },
    config.uniquenessThreshold,
  );
  if (!verdict.crushable) return { keep: items.map((_, index) => index), strategy: 'skip', skipReason: verdict.reason, counts: emptyCounts() };
  const strategy = objectStrategy(pattern, table, shifts.size);
  const flags = new Map<FlagName, Set<number>>([
    ['errors', errors],
    ['anomalies', anomalies],
    ['outliers', outliers],
    ['changePoints', shifts],
    ['queryAnchors', queryAnchors],
    ['hinted', hinted.kept],
  ]);
  const anchors = selectAnchors({
    n,
    budget: anchorSlots(anchorBudget(config.anchor, k, n), k, relevantShare(relevant.length, k)),
    weights: anchorWeights(config.anchor, pattern, input.query),
    config: config.anchor,
    density: informationDensity(table, itemTexts),
    duplicateOf: (index, picked) => [...picked].some((other) => itemTexts[other] === itemTexts[index]),
  });
  const ranked = strategy === 'top_n' ? byScore(table) : strategy === 'cluster' ? clusterRepresentatives(table) : [];
  const preferred = [...hinted.broad, ...ranked];
  const { keep, counts } = assemble({
    n,
    k,
    texts: itemTexts,
    words: (index) => (items[index] === undefined ? new Set() : valueWords(doc, items[index])),
    flags,
    anchors,
    relevant,
    preferred,
    dedupIdentical: config.dedupIdenticalItems,
    similarityThreshold: config.similarityThreshold,
  });
  counts.hinted = countHinted(keep, hinted);
  return { keep, strategy, skipReason: null, counts };
}

/**
 * Positional anchors leave the relevant share its room within K: when K is
 * too small for both (3 large records: K = 3 = min_anchor_slots), the
 * anchors beyond the first and the last give way to the most relevant
 * items rather than pushing the selection past its budget.
 */
function anchorSlots(budget: number, k: number, relevant: number): number {
  return Math.min(budget, Math.max(FIRST_AND_LAST, k - relevant));
}

/** The anchors no budget takes away: the first item and the last. */
const FIRST_AND_LAST = 2;

/**
 * Change points of every measurement field, each kept with the item before
 * it so both sides of the shift are visible. Ids, references, timestamps and
 * row numbers rise or jump by design and are not series; a two-valued field
 * switches rather than shifts (its rare value is a structural outlier). A
 * table is many series at once, so each field keeps its strongest few shifts.
 */
function seriesChangePoints(table: ObjectTable, varianceThreshold: number): Set<number> {
  const points = new Set<number>();
  for (const field of table.fields) {
    if (field.numeric === null || !isMeasurement(field) || field.counts.size <= 2 || field.present < 0.8 * table.n) continue;
    // A lone spike is an anomaly, not a change of level: the series is read without the anomalies.
    const series = field.numeric.values.slice();
    for (const index of numericAnomalies(series, varianceThreshold)) series[index] = Number.NaN;
    for (const index of changePoints(series, varianceThreshold, CHANGE_POINTS_PER_FIELD)) {
      points.add(index);
      if (index > 0) points.add(index - 1);
    }
  }
  return points;
}

/** Indices by the most confident score field, highest score first (stable). */
function byScore(table: ObjectTable): number[] {
  const field = [...table.fields].filter((candidate) => candidate.kind === 'score').sort((a, b) => b.scoreConfidence - a.scoreConfidence)[0];
  const values = field?.numeric?.values;
  if (values === undefined) return [];
  const indices = [...values.keys()].filter((index) => !Number.isNaN(values[index] ?? Number.NaN));
  return indices.sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0) || a - b);
}

/**
 * One item per message template (numbers blanked), rarest template first:
 * the unusual lines of a log say more than the thousandth "job started".
 */
function clusterRepresentatives(table: ObjectTable): number[] {
  const field = messageField(table.fields);
  const column = field === null ? undefined : table.columns.get(field.key);
  if (column === undefined) return [];
  const clusters = new Map<string, { first: number; size: number }>();
  column.forEach((node, index) => {
    if (node === undefined) return;
    const key = template(valueKey(table.doc, node).slice(0, 80));
    const cluster = clusters.get(key);
    if (cluster === undefined) clusters.set(key, { first: index, size: 1 });
    else cluster.size++;
  });
  return [...clusters.values()].sort((a, b) => a.size - b.size || a.first - b.first).map((cluster) => cluster.first);
}

/**
 * The information score of an item: 0.4 · how rare its values are in their
 * fields, 0.3 · its length relative to the others, 0.3 · how unusual its set
 * of fields is (rare fields it has, common fields it lacks).
 */
function informationDensity(table: ObjectTable, texts: readonly string[]): (index: number) => number {
  let minLength = Infinity;
  let maxLength = 0;
  for (const text of texts) {
    minLength = Math.min(minLength, text.length);
    maxLength = Math.max(maxLength, text.length);
  }
  const common = table.fields.filter((field) => field.present >= 0.8 * table.n);
  const rare = table.fields.filter((field) => field.present < 0.2 * table.n);
  return (index) => {
    let rarity = 0;
    let seen = 0;
    let rareHeld = 0;
    let commonMissing = 0;
    for (const field of table.fields) {
      const node = table.columns.get(field.key)?.[index];
      const present = node !== undefined && node.type !== 'null';
      if (present) {
        rarity += 1 - (field.counts.get(valueKey(table.doc, node)) ?? 0) / table.n;
        seen++;
      }
    }
    for (const field of rare) if (table.columns.get(field.key)?.[index] !== undefined) rareHeld++;
    for (const field of common) if (table.columns.get(field.key)?.[index] === undefined) commonMissing++;
    const length = texts[index]?.length ?? 0;
    const lengthScore = maxLength > minLength ? (length - minLength) / (maxLength - minLength) : 0.5;
    const structure = 0.5 * (rare.length > 0 ? rareHeld / rare.length : 0) + 0.5 * (common.length > 0 ? commonMissing / common.length : 0);
    return 0.4 * (seen > 0 ? rarity / seen : 0.5) + 0.3 * lengthScore + 0.3 * structure;
  };
}
