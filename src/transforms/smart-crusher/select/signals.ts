/**
 * Signals that come from outside the array: the query (exact anchors it
 * names), the relevance scores the caller computed, and learned feedback
 * hints. Shared by the object and the scalar selections.
 */
import { entryOf, type RawDocument, type RawNode } from '../../../json/index.js';
import type { FeedbackHint } from '../../types.js';
import { valueKey, type ObjectTable } from './field-stats.js';
import { anchorMatches, extractAnchors } from './query-anchors.js';
import type { SelectionInput } from './types.js';

/** Items containing something the query names exactly (a UUID, an id number, a host, a quoted string). */
export function queryAnchorItems(input: SelectionInput): Set<number> {
  const anchors = extractAnchors(input.query);
  if (anchors.literals.length === 0) return new Set();
  return anchorMatches(
    anchors,
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

/**
 * Items whose hinted field holds one of the hinted values. A hint's field is a
 * top-level key or a dotted path into nested objects (`attributes.status`);
 * values are compared as written (strings decoded, other values by literal).
 */
export function hintedItems(table: ObjectTable, hints: readonly FeedbackHint[]): Set<number> {
  const hinted = new Set<number>();
  for (const hint of hints) {
    if (hint.values.length === 0) continue;
    const wanted = new Set(hint.values);
    const [head = '', ...rest] = hint.field.split('.');
    const column = table.columns.get(hint.field) ?? table.columns.get(head);
    const path = table.columns.has(hint.field) ? [] : rest;
    column?.forEach((node, index) => {
      const value = node === undefined ? undefined : follow(node, path);
      if (value !== undefined && value.type !== 'object' && value.type !== 'array' && wanted.has(valueKey(table.doc, value))) hinted.add(index);
    });
  }
  return hinted;
}

/** Hints for arrays of scalars: an item equal to a hinted value (the field is not used). */
export function hintedScalars(doc: RawDocument, items: readonly RawNode[], hints: readonly FeedbackHint[]): Set<number> {
  const wanted = new Set(hints.flatMap((hint) => hint.values));
  const hinted = new Set<number>();
  items.forEach((item, index) => {
    if (item.type !== 'object' && item.type !== 'array' && wanted.has(valueKey(doc, item))) hinted.add(index);
  });
  return hinted;
}

function follow(node: RawNode, path: readonly string[]): RawNode | undefined {
  let current: RawNode | undefined = node;
  for (const key of path) current = current === undefined ? undefined : entryOf(current, key)?.value;
  return current;
}
