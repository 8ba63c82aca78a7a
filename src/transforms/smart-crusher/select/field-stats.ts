/**
 * Field statistics and type detection over an array of objects: for every
 * top-level field, its type, how repetitive it is, numeric and text summaries,
 * and what it looks like (an id, a timestamp, a score, an enum). The other
 * selection modules read these instead of re-walking the items.
 */
import { numberValue, rawText, type RawDocument, type RawNode } from '../../../json/index.js';

export type ValueType = 'number' | 'string' | 'boolean' | 'object' | 'array';
export type FieldKind = 'id' | 'timestamp' | 'score' | 'enum' | 'text' | 'number' | 'other';

export interface NumericStats {
  /** Finite values only. */
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Sample variance (n − 1); 0 for a single value. */
  readonly variance: number;
  /** Per item, NaN where the field is missing, null or not a finite number. */
  readonly values: Float64Array;
}

export interface TextStats {
  /** Mean length in characters of the string values. */
  readonly avgLength: number;
  /** The five most common values, most common first (ties: first seen first). */
  readonly topValues: readonly { readonly value: string; readonly count: number }[];
}

export interface FieldStats {
  readonly key: string;
  /** Items holding a non-null value for the field. */
  readonly present: number;
  /** Type of the first non-null value, or null when every value is null or missing. */
  readonly type: ValueType | null;
  /** Distinct values over all items (missing and null count as one value). */
  readonly uniqueCount: number;
  readonly uniqueRatio: number;
  readonly constant: boolean;
  readonly numeric: NumericStats | null;
  readonly text: TextStats | null;
  /** Items per value key (see `valueKey`); missing and null values are not counted. */
  readonly counts: ReadonlyMap<string, number>;
  readonly kind: FieldKind;
  /** 0 when not an id; otherwise how sure the detection is (0.7–0.95). */
  readonly idConfidence: number;
  /** 0 when not a score; otherwise 0.4–0.95. */
  readonly scoreConfidence: number;
  readonly timestamp: 'iso' | 'epoch_s' | 'epoch_ms' | null;
  /** Numeric values that rise by about one per item (row numbers, auto-increment ids). */
  readonly sequential: boolean;
}

/** The objects of an array laid out by field, with the statistics of each field. */
export interface ObjectTable {
  readonly doc: RawDocument;
  readonly n: number;
  /** Per field, the node each item holds (undefined: item lacks the field or is not an object). */
  readonly columns: ReadonlyMap<string, readonly (RawNode | undefined)[]>;
  /** Sorted by key, so every walk over the fields is deterministic. */
  readonly fields: readonly FieldStats[];
  readonly byKey: ReadonlyMap<string, FieldStats>;
  /** Distinct keys over all items (only the MAX_FIELDS most common have columns). */
  readonly distinctKeys: number;
}

/** The most fields analysed per array (the most common ones). */
export const MAX_FIELDS = 64;

/** A value's identity for counting and matching: the decoded string, or the literal text of anything else. */
export function valueKey(doc: RawDocument, node: RawNode): string {
  return node.type === 'string' ? node.value : rawText(doc, node);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?|$)/;
const ID_NAME = /(?:^|[_\-.])(?:id|uuid|guid|key|sha|hash)$|^(?:id|uuid|guid)$|Id$/;
const SCORE_NAME = /score|relevance|rank|similarity|confidence|probability/i;

/** A field named like an id or a reference to one (`id`, `user_id`, `eventId`, `sha`). */
export function isIdName(key: string): boolean {
  return ID_NAME.test(key);
}

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** How `analyzeObjects` reads values. */
export interface AnalyzeOptions {
  /**
   * A column whose every non-null value is a string holding a finite number
   * (Prometheus writes sample values as `"0.51"`) is a number column. Off for
   * records, whose string-typed numbers (zip codes, versions) are not meant
   * as measurements; on for tuples, where a producer's typing is the format's.
   */
  readonly numericStrings: boolean;
}

/** Builds the table of `items` (non-object items contribute no fields). */
export function analyzeObjects(doc: RawDocument, items: readonly RawNode[], options: AnalyzeOptions = { numericStrings: false }): ObjectTable {
  const n = items.length;
  // Keys are counted first so only the most common MAX_FIELDS get a column: an array whose keys are data
  // (one unique key per item) must not cost keys × items memory.
  const presence = new Map<string, number>();
  for (const item of items) if (item.type === 'object') for (const entry of item.entries) presence.set(entry.key, (presence.get(entry.key) ?? 0) + 1);
  const analysed = new Set(
    [...presence.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_FIELDS)
      .map(([key]) => key),
  );
  const columns = new Map<string, (RawNode | undefined)[]>();
  for (const key of analysed) columns.set(key, new Array<RawNode | undefined>(n).fill(undefined));
  items.forEach((item, index) => {
    if (item.type !== 'object') return;
    for (const entry of item.entries) {
      const column = columns.get(entry.key);
      if (column !== undefined) column[index] = entry.value;
    }
  });
  const fields = [...columns.keys()].sort().map((key) => fieldStats(doc, key, columns.get(key) ?? [], options));
  return { doc, n, columns, fields, byKey: new Map(fields.map((field) => [field.key, field])), distinctKeys: presence.size };
}

function fieldStats(doc: RawDocument, key: string, column: readonly (RawNode | undefined)[], options: AnalyzeOptions): FieldStats {
  const n = column.length;
  const counts = new Map<string, number>();
  let type: ValueType | null = null;
  let present = 0;
  let lengthSum = 0;
  let stringCount = 0;
  const values = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const node = column[i];
    if (node === undefined || node.type === 'null') continue;
    present++;
    type ??= node.type === 'opaque' ? 'object' : node.type;
    const k = valueKey(doc, node);
    counts.set(k, (counts.get(k) ?? 0) + 1);
    if (node.type === 'number') {
      const value = numberValue(doc, node);
      if (Number.isFinite(value)) values[i] = value;
    } else if (node.type === 'string') {
      lengthSum += node.value.length;
      stringCount++;
    }
  }
  if (options.numericStrings && type === 'string' && stringCount === present && readNumericStrings(column, values)) type = 'number';
  const uniqueCount = counts.size + (present < n ? 1 : 0);
  const uniqueRatio = n === 0 ? 0 : uniqueCount / n;
  const numeric = type === 'number' ? numericStats(values) : null;
  const text = type === 'string' && stringCount > 0 ? { avgLength: lengthSum / stringCount, topValues: topValues(counts) } : null;
  const sequential = numeric !== null && isSequential(values);
  const base = { key, present, type, uniqueCount, uniqueRatio, constant: uniqueCount === 1, numeric, text, counts, sequential };
  const timestamp = timestampKind(column, numeric);
  const idConfidence = timestamp === null ? idScore(base, column) : 0;
  const scoreConfidence = idConfidence === 0 && timestamp === null ? scoreScore(base) : 0;
  return { ...base, timestamp, idConfidence, scoreConfidence, kind: kindOf(base, idConfidence, scoreConfidence, timestamp) };
}

/** A JSON number literal (no hex, no blanks, no `Infinity`), as a string value may hold one. */
const NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Fills `values` from a column of strings when every non-null value is a
 * number literal with a finite value; otherwise leaves `values` untouched
 * and returns false (one `"NaN"` or `"n/a"` and the column stays text).
 */
function readNumericStrings(column: readonly (RawNode | undefined)[], values: Float64Array): boolean {
  const parsed = new Float64Array(values.length).fill(Number.NaN);
  for (let i = 0; i < column.length; i++) {
    const node = column[i];
    if (node === undefined || node.type === 'null') continue;
    if (node.type !== 'string' || !NUMBER_TEXT.test(node.value)) return false;
    const value = Number(node.value);
    if (!Number.isFinite(value)) return false;
    parsed[i] = value;
  }
  values.set(parsed);
  return true;
}

function topValues(counts: ReadonlyMap<string, number>): { value: string; count: number }[] {
  // Map iteration is first-seen order and sort is stable, so ties stay in first-seen order.
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count)
    .slice(0, 5);
}

/** Min, max, mean and sample variance of the finite values, or null when there are none. */
export function numericStats(values: Float64Array): NumericStats | null {
  const finite: number[] = [];
  for (const value of values) if (!Number.isNaN(value)) finite.push(value);
  if (finite.length === 0) return null;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const value of finite) {
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const mean = sum / finite.length;
  let squares = 0;
  for (const value of finite) squares += (value - mean) ** 2;
  const variance = finite.length > 1 ? squares / (finite.length - 1) : 0;
  if (!Number.isFinite(mean) || !Number.isFinite(variance)) return null;
  return { count: finite.length, min, max, mean, variance, values };
}

/** Rises by about one per item: sorted gaps mostly in [0.5, 2] and mostly in order as given. */
function isSequential(values: Float64Array): boolean {
  const finite = [...values].filter((value) => !Number.isNaN(value));
  if (finite.length < 5) return false;
  let inOrder = 0;
  for (let i = 1; i < finite.length; i++) if ((finite[i] ?? 0) >= (finite[i - 1] ?? 0)) inOrder++;
  if (inOrder / (finite.length - 1) <= 0.7) return false;
  const sorted = [...finite].sort((a, b) => a - b);
  let near = 0;
  let gapSum = 0;
  for (let i = 1; i < sorted.length; i++) {
    const gap = (sorted[i] ?? 0) - (sorted[i - 1] ?? 0);
    gapSum += gap;
    if (gap >= 0.5 && gap <= 2) near++;
  }
  const meanGap = gapSum / (sorted.length - 1);
  return meanGap >= 0.5 && meanGap <= 2 && near / (sorted.length - 1) > 0.8;
}

/** ISO date-times in most sampled string values, or numbers whose minimum is a plausible epoch. */
function timestampKind(column: readonly (RawNode | undefined)[], numeric: NumericStats | null): FieldStats['timestamp'] {
  if (numeric !== null) {
    if (numeric.min >= 1e9 && numeric.max <= 2e9) return 'epoch_s';
    if (numeric.min >= 1e12 && numeric.max <= 2e12) return 'epoch_ms';
    return null;
  }
  let sampled = 0;
  let dated = 0;
  for (const node of column) {
    if (node === undefined || node.type === 'null') continue;
    sampled++;
    if (node.type === 'string' && ISO_DATETIME.test(node.value)) dated++;
    if (sampled === 10) break;
  }
  return sampled > 0 && dated / sampled > 0.5 ? 'iso' : null;
}

type BaseStats = Pick<FieldStats, 'key' | 'type' | 'uniqueRatio' | 'numeric' | 'text' | 'sequential' | 'present'>;

/** How sure we are that the field identifies items (0 = not an id). Free text is never an id. */
function idScore(stats: BaseStats, column: readonly (RawNode | undefined)[]): number {
  if (stats.uniqueRatio < 0.9 || stats.present === 0) return 0;
  const named = ID_NAME.test(stats.key);
  if (stats.type === 'string') {
    const sample = column.filter((node): node is RawNode & { type: 'string'; value: string } => node?.type === 'string').slice(0, 20);
    if (sample.filter((node) => isUuid(node.value)).length > 0.8 * sample.length) return 0.95;
    const wordy = sample.some((node) => /\s/.test(node.value) || node.value.length > 64);
    if (wordy) return 0;
    if (stats.uniqueRatio > 0.95) return named ? 0.9 : 0.8;
    return named ? 0.7 : 0;
  }
  if (stats.type === 'number' && stats.numeric !== null) {
    if (stats.sequential && stats.uniqueRatio > 0.95) return 0.9;
    if (named && stats.uniqueRatio > 0.95) return 0.85;
    // Unique small numbers are measurements (latencies, counts), not ids: an unnamed numeric id must be
    // unique integers of six or more digits (database keys, snowflake ids).
    const keyLike = [...stats.numeric.values].every((value) => Number.isNaN(value) || (Number.isInteger(value) && Math.abs(value) >= 100_000));
    return keyLike && stats.uniqueRatio > 0.98 ? 0.7 : 0;
  }
  return 0;
}

/** The reference's score detection: a bounded numeric range, sorted descending, fractional values; a score-like name helps. */
function scoreScore(stats: BaseStats): number {
  const numeric = stats.numeric;
  if (numeric === null || stats.sequential) return 0;
  const { min, max } = numeric;
  let confidence: number;
  if (min >= 0 && max <= 1) confidence = 0.4;
  else if (min >= -1 && max <= 1) confidence = 0.35;
  else if (min >= 0 && max <= 10) confidence = 0.3;
  else if (min >= 0 && max <= 100) confidence = 0.25;
  else return 0;
  const finite = [...numeric.values].filter((value) => !Number.isNaN(value));
  if (finite.length >= 5) {
    let descending = 0;
    for (let i = 1; i < finite.length; i++) if ((finite[i] ?? 0) <= (finite[i - 1] ?? 0)) descending++;
    if (descending / (finite.length - 1) > 0.7) confidence += 0.3;
  }
  const head = finite.slice(0, 20);
  if (head.filter((value) => !Number.isInteger(value)).length > 0.3 * head.length) confidence += 0.1;
  if (SCORE_NAME.test(stats.key)) confidence += 0.2;
  return confidence >= 0.4 ? Math.min(confidence, 0.95) : 0;
}

function kindOf(stats: BaseStats & Pick<FieldStats, 'counts'>, idConfidence: number, scoreConfidence: number, timestamp: FieldStats['timestamp']): FieldKind {
  if (timestamp !== null) return 'timestamp';
  if (idConfidence >= 0.7) return 'id';
  if (scoreConfidence > 0) return 'score';
  const distinct = stats.counts.size;
  const shortValues = stats.text === null || stats.text.avgLength <= 40;
  if ((stats.type === 'string' || stats.type === 'boolean' || stats.type === 'number') && distinct >= 2 && distinct <= 50 && stats.uniqueRatio <= 0.5 && shortValues) return 'enum';
  if (stats.type === 'string') return 'text';
  if (stats.type === 'number') return 'number';
  return 'other';
}
