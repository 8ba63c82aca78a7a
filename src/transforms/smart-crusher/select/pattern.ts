/**
 * What kind of array this is (time series, logs, search results, generic),
 * whether it can be crushed at all, and which selection strategy fits.
 *
 * "Don't crush what you can't rank": a list of distinct entities (users,
 * products) with nothing that marks some as more important than others is
 * left whole — any sample would be an arbitrary cut.
 */
import type { DataPattern } from './anchors.js';
import type { FieldStats, ObjectTable } from './field-stats.js';
import type { SelectionStrategy } from './types.js';

const SEVERITY_NAME = /^(level|severity|log_?level|levelname|priority)$/i;
const MESSAGE_NAME = /message|msg|text|line|log/i;

export function detectPattern(table: ObjectTable): DataPattern {
  const { fields } = table;
  // Readings in time order; a table that merely has a date column (rows in any order) is not a series.
  const temporal = fields.some((field) => field.timestamp !== null && isOrdered(table, field));
  const measured = fields.some((field) => field.numeric !== null && field.kind !== 'id' && field.kind !== 'timestamp' && !field.sequential && field.numeric.variance > 0);
  if (temporal && measured && !isLogLike(fields)) return 'time_series';
  if (isLogLike(fields)) return 'logs';
  if (fields.some((field) => field.scoreConfidence >= 0.5)) return 'search_results';
  return 'generic';
}

/** At least 80% of adjacent values in one direction (either way: newest-first listings are series too). */
function isOrdered(table: ObjectTable, field: FieldStats): boolean {
  const column = table.columns.get(field.key) ?? [];
  const keys: (string | number)[] = [];
  column.forEach((node, index) => {
    if (node?.type === 'string') keys.push(node.value);
    else if (node?.type === 'number') keys.push(field.numeric?.values[index] ?? Number.NaN);
  });
  let rising = 0;
  let falling = 0;
  for (let i = 1; i < keys.length; i++) {
    const a = keys[i - 1] ?? 0;
    const b = keys[i] ?? 0;
    if (b >= a) rising++;
    if (b <= a) falling++;
  }
  return keys.length > 1 && Math.max(rising, falling) >= 0.8 * (keys.length - 1);
}

/** A message-like text field and a level-like field beside it. */
function isLogLike(fields: readonly FieldStats[]): boolean {
  const message = messageField(fields);
  if (message === null) return false;
  return fields.some(
    (field) => field !== message && field.type === 'string' && field.counts.size >= 2 && field.counts.size <= 10 && (field.uniqueRatio < 0.1 || SEVERITY_NAME.test(field.key)),
  );
}

/** The field holding free-text messages: unique-ish strings longer than 20 characters (a name like `message` preferred). */
export function messageField(fields: readonly FieldStats[]): FieldStats | null {
  const candidates = fields.filter((field) => field.text !== null && field.text.avgLength > 20 && field.uniqueRatio > 0.3 && field.kind !== 'id' && field.kind !== 'timestamp');
  return candidates.find((field) => MESSAGE_NAME.test(field.key)) ?? candidates.sort((a, b) => b.uniqueRatio - a.uniqueRatio)[0] ?? null;
}

export interface Signals {
  readonly errors: number;
  readonly anomalies: number;
  readonly outliers: number;
  readonly changePoints: number;
  readonly relevant: number;
  readonly queryAnchors: number;
  readonly hinted: number;
}

export interface Crushability {
  readonly crushable: boolean;
  readonly reason: string;
}

/**
 * The reference's decision table, with more signals counted as "something to
 * rank by" (query relevance, query anchors, learned hints, a score field,
 * records in time order):
 * repetitive content (non-id values below `uniqueness_threshold` distinct) can
 * be sampled; distinct entities need a signal.
 */
export function crushability(table: ObjectTable, signals: Signals, uniquenessThreshold: number): Crushability {
  const idField = [...table.fields].filter((field) => field.kind === 'id').sort((a, b) => b.idConfidence - a.idConfidence)[0] ?? null;
  const content = table.fields.filter((field) => field !== idField && field.kind !== 'timestamp' && (field.type === 'string' || field.type === 'number' || field.type === 'boolean'));
  const mean = (list: readonly FieldStats[]): number => (list.length === 0 ? 0 : list.reduce((sum, field) => sum + field.uniqueRatio, 0) / list.length);
  const stringUniqueness = mean(content.filter((field) => field.type === 'string'));
  const numericUniqueness = mean(content.filter((field) => field.type === 'number'));
  const contentUniqueness = Math.max(stringUniqueness, numericUniqueness);
  const maxUniqueness = Math.max(stringUniqueness, idField?.uniqueRatio ?? 0);
  const hasScore = table.fields.some((field) => field.kind === 'score');
  // Records in time order can be ranked by time: the earliest and the latest are the natural keeps.
  const timeOrdered = table.fields.some((field) => field.timestamp !== null && isOrdered(table, field));
  const signalled = hasScore || timeOrdered || Object.values(signals).some((count) => count > 0);
  if (contentUniqueness < uniquenessThreshold && idField !== null) return { crushable: true, reason: 'repetitive_content_with_ids' };
  if (maxUniqueness < 0.3) return { crushable: true, reason: 'low_uniqueness_safe_to_sample' };
  if (maxUniqueness > 0.8) return signalled ? { crushable: true, reason: 'unique_entities_with_signal' } : { crushable: false, reason: 'unique_entities_no_signal' };
  return signalled ? { crushable: true, reason: 'medium_uniqueness_with_signal' } : { crushable: false, reason: 'medium_uniqueness_no_signal' };
}

export function objectStrategy(pattern: DataPattern, table: ObjectTable, changePoints: number): SelectionStrategy {
  if (pattern === 'time_series' && changePoints > 0) return 'time_series';
  if (pattern === 'logs' && messageField(table.fields) !== null) return 'cluster';
  if (pattern === 'search_results') return 'top_n';
  return 'smart_sample';
}
