/**
 * `selectItems`: which items of one JSON array SmartCrusher keeps. Pure and
 * deterministic (no clocks, no randomness): the same input always gives the
 * same selection.
 */
import { adaptiveK } from './adaptive-k.js';
import { selectObjects } from './select-objects.js';
import { selectScalars } from './select-scalars.js';
import { tupleRecords } from './tuples.js';
import type { Selection, SelectionInput, SelectionStrategy } from './types.js';
import { emptyCounts } from './types.js';

export type { Selection, SelectionCounts, SelectionInput, SelectionStrategy } from './types.js';
export { emptyCounts } from './types.js';

type ArrayKind = 'object' | 'string' | 'number' | 'mixed' | 'boolean' | 'nested';

export function selectItems(input: SelectionInput): Selection {
  const { items, config } = input;
  const n = items.length;
  const all = (strategy: SelectionStrategy, skipReason: string | null): Selection => ({ keep: items.map((_, index) => index), strategy, skipReason, counts: emptyCounts() });
  if (n === 0 || n < config.minItemsToAnalyze) return all('none', null);
  const kind = arrayKind(input);
  // Booleans carry no ranking signal.
  if (kind === 'boolean') return all('skip', 'boolean_array');
  if (kind === 'nested') {
    // Rows (tuples) are analysed as records keyed by position; other arrays of arrays are crushed (if at all) one level down.
    const tuples = tupleRecords(items);
    if ('skip' in tuples) return all('skip', tuples.skip);
    const rows = { ...input, items: tuples.records };
    const k = adaptiveK(input.doc, rows.items, input.itemTexts, input.bias, config.maxItemsAfterCrush);
    return n <= k ? all('none', null) : selectObjects(rows, k, { numericStrings: true });
  }
  const k = adaptiveK(input.doc, items, input.itemTexts, input.bias, config.maxItemsAfterCrush);
  if (n <= k) return all('none', null);
  return kind === 'object' ? selectObjects(input, k) : selectScalars(input, kind, k);
}

function arrayKind(input: SelectionInput): ArrayKind {
  const types = new Set(input.items.map((item) => (item.type === 'opaque' ? 'object' : item.type)));
  if (types.size === 1) {
    const [only] = types;
    if (only === 'object' || only === 'string' || only === 'number') return only;
    if (only === 'boolean') return 'boolean';
    if (only === 'array') return 'nested';
  }
  return 'mixed';
}
