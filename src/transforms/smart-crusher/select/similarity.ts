/**
 * How alike two items are, for two jobs:
 *  - near-duplicate suppression (`similarity_threshold`): two items are
 *    near-duplicates when the Jaccard similarity of their word sets (the
 *    lower-cased words of their values) is at least the threshold. Only
 *    the optional picks (anchors, fill) are suppressed this way, so the budget
 *    goes to items that say something new; critical items are never dropped
 *    for looking like another.
 *  - counting distinct items for the adaptive budget: items that differ
 *    only in their numbers count once.
 */

import { rawText, type RawDocument, type RawNode } from '../../../json/index.js';

const WORD = /[\p{L}\p{N}_]+/gu;
/** How deep value words are collected (the similarity of two items is decided by their visible values). */
const MAX_DEPTH = 6;

/**
 * The distinct lower-cased words of the item's values — strings, numbers,
 * booleans; never its keys, which every item of a listing shares and which
 * would make any two rows look alike.
 */
export function valueWords(doc: RawDocument, node: RawNode): Set<string> {
  const words = new Set<string>();
  const visit = (value: RawNode, depth: number): void => {
    if (value.type === 'object') {
      if (depth < MAX_DEPTH) for (const entry of value.entries) visit(entry.value, depth + 1);
    } else if (value.type === 'array') {
      if (depth < MAX_DEPTH) for (const item of value.items) visit(item, depth + 1);
    } else {
      const text = value.type === 'string' ? value.value : rawText(doc, value);
      for (const word of text.toLowerCase().match(WORD) ?? []) words.add(word);
    }
  };
  visit(node, 0);
  return words;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const word of small) if (large.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Keeps the word sets of chosen items and answers "is this candidate too close to one of them?". */
export class NearDuplicateGuard {
  private readonly chosen: ReadonlySet<string>[] = [];
  private readonly sets = new Map<number, ReadonlySet<string>>();

  constructor(
    private readonly wordsOf: (index: number) => ReadonlySet<string>,
    private readonly threshold: number,
  ) {}

  private setOf(index: number): ReadonlySet<string> {
    let set = this.sets.get(index);
    if (set === undefined) {
      set = this.wordsOf(index);
      this.sets.set(index, set);
    }
    return set;
  }

  add(index: number): void {
    this.chosen.push(this.setOf(index));
  }

  /** True when `index` is at least `threshold` similar to an item already added. A threshold above 1 disables the check. */
  isNearDuplicate(index: number): boolean {
    if (this.threshold > 1) return false;
    const set = this.setOf(index);
    return this.chosen.some((other) => jaccard(set, other) >= this.threshold);
  }
}

/**
 * An item's shape once its numbers are blanked: two log lines that differ only
 * in a duration, a user number or a timestamp share a template.
 */
export function template(text: string): string {
  return text.toLowerCase().replace(/\d+(?:\.\d+)?/g, '0');
}

/**
 * How many distinct templates the items have — the budget's measure of how
 * much variety there is. Linear: one normalisation and one map lookup per item.
 */
export function countDistinct(texts: readonly string[]): number {
  const seen = new Set<string>();
  // The first 256 characters tell items apart; templating whole multi-kilobyte items would cost more than it tells.
  for (const text of texts) seen.add(template(text.length > 256 ? text.slice(0, 256) : text));
  return seen.size;
}
