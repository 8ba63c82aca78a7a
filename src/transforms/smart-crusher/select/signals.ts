/**
 * Signals that come from outside the array: the query (exact anchors it
 * names), the relevance scores the caller computed, and learned feedback
 * hints. Shared by the object and the scalar selections.
 */
import { entryOf, type RawDocument, type RawNode } from '../../../json/index.js';
import type { FeedbackHint } from '../../types.js';
import { valueKey, type ObjectTable } from './field-stats.js';
import { anchorMatches, singlingOutLimit } from './query-anchors.js';
import type { SelectionInput } from './types.js';

/** Items containing something the query names exactly (a UUID, an id number, a host, a quoted string). */
export function queryAnchorItems(input: SelectionInput): Set<number> {
  return anchorMatches(
    input.query,
    input.itemTexts.map((text) => text.toLowerCase()),
  );
}

/**
 * Items whose relevance reaches `relevance.relevance_threshold`, most relevant
 * first (ties: earlier first). Scores outside [0, 1] or missing count as 0.
 */
export function relevantItems(input: SelectionInput): number[] {
  const scores = input.relevance;
  if (scores === null) return [];
  const threshold = input.config.relevance.relevanceThreshold;
  const relevant: number[] = [];
  for (let i = 0; i < input.items.length; i++) {
    const score = scores[i] ?? 0;
    if (Number.isFinite(score) && score >= threshold && score > 0) relevant.push(i);
  }
  return relevant.sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
}

/** Items a hint points at: `kept` (always kept) and `broad` (values too common to single items out; kept while the budget allows). */
export interface HintedItems {
  readonly kept: Set<number>;
  readonly broad: number[];
}

/**
 * Items whose hinted field holds one of the hinted values. A hint's field is a
 * top-level key or a dotted path into nested objects (`attributes.status`);
 * values are compared as written (strings decoded, other values by literal).
 * A value held by more than a tenth of the items (`status: active`) does not
 * make them all critical: those items are preferred, not guaranteed.
 */
export function hintedItems(table: ObjectTable, hints: readonly FeedbackHint[]): HintedItems {
  const byValue = new Map<string, number[]>();
  hints.forEach((hint, h) => {
    if (hint.values.length === 0) return;
    const wanted = new Set(hint.values);
    const [head = '', ...rest] = hint.field.split('.');
    const column = table.columns.get(hint.field) ?? table.columns.get(head);
    const path = table.columns.has(hint.field) ? [] : rest;
    column?.forEach((node, index) => {
      const value = node === undefined ? undefined : follow(node, path);
      if (value === undefined || value.type === 'object' || value.type === 'array') return;
      const key = valueKey(table.doc, value);
      if (!wanted.has(key)) return;
      const slot = `${h}\u0000${key}`;
      const list = byValue.get(slot);
      if (list === undefined) byValue.set(slot, [index]);
      else list.push(index);
    });
  });
  return splitByReach(byValue, table.n);
}

/** Hints for arrays of scalars: an item equal to a hinted value (the field is not used). */
export function hintedScalars(doc: RawDocument, items: readonly RawNode[], hints: readonly FeedbackHint[]): HintedItems {
  const wanted = new Set(hints.flatMap((hint) => hint.values));
  const byValue = new Map<string, number[]>();
  items.forEach((item, index) => {
    if (item.type === 'object' || item.type === 'array') return;
    const key = valueKey(doc, item);
    if (!wanted.has(key)) return;
    const list = byValue.get(key);
    if (list === undefined) byValue.set(key, [index]);
    else list.push(index);
  });
  return splitByReach(byValue, items.length);
}

/** How many kept items a hint points at (guaranteed or preferred). */
export function countHinted(keep: readonly number[], hinted: HintedItems): number {
  const broad = new Set(hinted.broad);
  return keep.filter((index) => hinted.kept.has(index) || broad.has(index)).length;
}

function splitByReach(byValue: ReadonlyMap<string, readonly number[]>, n: number): HintedItems {
  const limit = singlingOutLimit(n);
  const kept = new Set<number>();
  const broad: number[] = [];
  for (const indices of byValue.values()) {
    if (indices.length <= limit) for (const index of indices) kept.add(index);
    else broad.push(...indices);
  }
  return { kept, broad: [...new Set(broad)].filter((index) => !kept.has(index)).sort((a, b) => a - b) };
}

function follow(node: RawNode, path: readonly string[]): RawNode | undefined {
  let current: RawNode | undefined = node;
  for (const key of path) current = current === undefined ? undefined : entryOf(current, key)?.value;
  return current;
}
