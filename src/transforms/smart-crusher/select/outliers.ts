/**
 * Items that stand out from the rest of their array: structural outliers (a
 * field almost no other item has, a rare value of a field every item has)
 * and numeric anomalies (a value far from the bulk of its field).
 */
import type { FieldStats, ObjectTable } from './field-stats.js';
import { isIdName, valueKey } from './field-stats.js';
import { medianOf } from './median.js';

/**
 * A field present (non-null) in fewer than this share of the items (or in a
 * single item) marks those items as outliers. The same 1 in 20 as a rare
 * value: a field 12 of 160 package versions carry (`readme`) is a variant of
 * the schema, a population of its own, not an exception like `is_needle`.
 */
export const RARE_FIELD_SHARE = 0.05;
/** More distinct rare fields than this and rare fields say nothing (every item has its own keys). */
const MAX_RARE_FIELDS = 20;
/** A field present in at least this share of the items is "common": its rare values mark outliers. */
const COMMON_FIELD_SHARE = 0.8;
/** A value of a common enum field held by fewer than this share of the items is rare. */
export const RARE_VALUE_SHARE = 0.05;
/** A value held by more items than this is a category of its own, not an exception (111 video tracks among 2,240). */
const MAX_RARE_ITEMS = 50;
/** The common values (those covering 80% of the items) must be few for the rest to count as rare. */
const MAX_COMMON_VALUES = 5;
/**
 * Status-like fields (levels, states, kinds) have few values; a long-tailed
 * category (24 music genres) has many rare values and none of them is news.
 */
const MAX_STATUS_VALUES = 10;

/** Items holding a rare field, or a rare value of a common low-cardinality field. Needs ≥ 5 items. */
export function structuralOutliers(table: ObjectTable): Set<number> {
  const outliers = new Set<number>();
  const { n } = table;
  if (n < 5) return outliers;
  // Many different rare keys mean the keys are data (a map per item), not a schema with exceptions.
  const isRare = (field: FieldStats): boolean => field.present > 0 && (field.present < RARE_FIELD_SHARE * n || field.present === 1);
  const rareFields = table.fields.filter(isRare).length;
  const schemaLike = table.distinctKeys <= table.fields.length && rareFields <= MAX_RARE_FIELDS;
  for (const field of table.fields) {
    const column = table.columns.get(field.key);
    if (column === undefined) continue;
    if (isRare(field)) {
      if (!schemaLike) continue;
      column.forEach((node, index) => {
        if (node !== undefined && node.type !== 'null') outliers.add(index);
      });
      continue;
    }
    const rare = rareValues(field, n);
    if (rare.size === 0) continue;
    column.forEach((node, index) => {
      if (node !== undefined && rare.has(valueKey(table.doc, node))) outliers.add(index);
    });
  }
  return outliers;
}

/**
 * The rare values of a common status-like field (at most 10 values): outside
 * the fewest most frequent values that cover 80% of the items, and — rarest
 * first — together held by under RARE_VALUE_SHARE of the items and at most
 * MAX_RARE_ITEMS. Five evenly
 * used categories have no outliers; 35 ERROR/CRITICAL lines among 1,000
 * INFO/DEBUG/WARNING lines are outliers.
 */
function rareValues(field: FieldStats, n: number): Set<string> {
  const rare = new Set<string>();
  if (field.present < COMMON_FIELD_SHARE * n || field.kind === 'id' || field.kind === 'timestamp' || field.kind === 'text') return rare;
  const distinct = field.counts.size;
  if (distinct < 2 || distinct > MAX_STATUS_VALUES) return rare;
  const sorted = [...field.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const target = Math.ceil(COMMON_FIELD_SHARE * field.present);
  let covered = 0;
  let common = 0;
  for (const [, count] of sorted) {
    if (covered >= target) break;
    covered += count;
    common++;
  }
  if (common > MAX_COMMON_VALUES) return rare;
  // Rarest first, while all the rare items together stay rare.
  let flagged = 0;
  for (const [value, count] of sorted.slice(common).reverse()) {
    // A value held by a single item is always rare (1 of 20 is 5%, but still the odd one out).
    const limit = Math.max(1, Math.min(RARE_VALUE_SHARE * n, MAX_RARE_ITEMS));
    if ((count > 1 && count >= RARE_VALUE_SHARE * n) || flagged + count > limit) break;
    flagged += count;
    rare.add(value);
  }
  return rare;
}

/**
 * The σ multiple beyond which a value is an anomaly: `varianceThreshold`, raised
 * for large samples to Chauvenet's bound — the distance a normal sample of
 * `count` values exceeds by chance less than half a time. Without it, 2σ flags
 * ~5% of any 1,000 ordinary readings (45 "anomalies" that are just noise).
 */
export function anomalyThreshold(varianceThreshold: number, count: number): number {
  return Math.max(varianceThreshold, chauvenetZ(count));
}

/** z with count · P(|Z| > z) = 0.5 for a standard normal Z (0 for fewer than 2 values). */
export function chauvenetZ(count: number): number {
  if (count < 2) return 0;
  const tail = 0.5 / count;
  let low = 0;
  let high = 40;
  for (let step = 0; step < 60; step++) {
    const mid = (low + high) / 2;
    if (erfc(mid / Math.SQRT2) > tail) low = mid;
    else high = mid;
  }
  return low;
}

/** Complementary error function (Numerical Recipes' erfcc, relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Anomalies are few: at most 3, or 1% of the values, never more than 20; more flagged values are a population of their own… */
const FEW_ANOMALIES = 3;
const FEW_ANOMALY_SHARE = 0.01;
const MAX_FEW_ANOMALIES = 20;
/** …of which only this most extreme share counts as anomalous. */
const TAIL_KEPT_SHARE = 0.005;

/**
 * Indices whose value lies further than `anomalyThreshold` σ from the field's
 * median. σ is the robust one (from the median absolute deviation) so the
 * anomalies themselves do not widen the band that should catch them; when
 * more than half the values are equal it falls back to the sample σ.
 * Anomalies are few: when the robust band flags more than max(3, 1%) (at most 20) of the
 * values they form a group of their own (a level shift, a second population),
 * and the classical mean ± σ decides instead; if even that flags too many, the
 * field is heavy-tailed and only its most extreme 0.5% (at most 20) count.
 */
export function numericAnomalies(values: Float64Array, varianceThreshold: number): number[] {
  const finite: number[] = [];
  for (const value of values) if (!Number.isNaN(value)) finite.push(value);
  if (finite.length < 3) return [];
  const sorted = [...finite].sort((a, b) => a - b);
  const median = medianOf(sorted);
  const mean = finite.reduce((sum, value) => sum + value, 0) / finite.length;
  const sampleSigma = Math.sqrt(finite.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (finite.length - 1));
  const robustSigma = 1.4826 * medianOf(sorted.map((value) => Math.abs(value - median)).sort((a, b) => a - b));
  const factor = anomalyThreshold(varianceThreshold, finite.length);
  const beyond = (center: number, sigma: number): number[] => {
    if (!(sigma > 0) || !Number.isFinite(sigma)) return [];
    const found: number[] = [];
    values.forEach((value, index) => {
      if (!Number.isNaN(value) && Math.abs(value - center) > factor * sigma) found.push(index);
    });
    return found;
  };
  const robust = beyond(median, robustSigma > 0 ? robustSigma : sampleSigma);
  const few = Math.min(MAX_FEW_ANOMALIES, Math.max(FEW_ANOMALIES, FEW_ANOMALY_SHARE * finite.length));
  if (robust.length <= few) return robust;
  // So many "anomalies" are a second mode (the series changed level), not anomalies: judge by the classical σ instead.
  const classical = beyond(mean, sampleSigma);
  if (classical.length <= few) return classical;
  // Still many: a heavy tail (file sizes, durations) or a second population. Its most extreme values stand out.
  const extreme = Math.min(MAX_FEW_ANOMALIES, Math.max(1, Math.ceil(TAIL_KEPT_SHARE * finite.length)));
  return classical
    .sort((a, b) => Math.abs((values[b] ?? 0) - mean) - Math.abs((values[a] ?? 0) - mean) || a - b)
    .slice(0, extreme)
    .sort((a, b) => a - b);
}

/** A numeric field that measures something: not an id or a reference to one (`customerId`), a timestamp, a row number or a 0/1 flag. */
export function isMeasurement(field: FieldStats): boolean {
  const numeric = field.numeric;
  if (numeric === null || field.kind === 'id' || field.kind === 'timestamp' || field.sequential || isIdName(field.key)) return false;
  return !(numeric.min >= 0 && numeric.max <= 1 && field.counts.size <= 2);
}

/** Numeric anomalies over every measurement field. */
export function fieldAnomalies(table: ObjectTable, varianceThreshold: number): Set<number> {
  const anomalies = new Set<number>();
  for (const field of table.fields) {
    if (field.numeric === null || !isMeasurement(field)) continue;
    for (const index of numericAnomalies(field.numeric.values, varianceThreshold)) anomalies.add(index);
  }
  return anomalies;
}
