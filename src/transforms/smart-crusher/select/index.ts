/**
 * TEMPORARY (replaced at merge by the SELECT helper).
 *
 * A stand-in for the item selection the SELECT helper writes in parallel,
 * with the agreed interface (see /work/briefs10/design.md) so the crusher can
 * be built and tested against it: it keeps the first `max_items_after_crush`
 * items, every item whose text mentions "error", and every item a feedback
 * hint names. The lead deletes this file when merging the real one.
 */
import type { SmartCrusherConfig } from '../../../config/headroom-config.js';
import type { RawDocument, RawNode } from '../../../json/index.js';
import type { FeedbackHint } from '../../types.js';

export interface SelectionInput {
  doc: RawDocument;
  items: readonly RawNode[];
  /** Compact raw text per item. */
  itemTexts: readonly string[];
  /** The user's query plus the producing call's arguments, or null. */
  query: string | null;
  /** Per item, from the relevance scorer; null without one. */
  relevance: readonly number[] | null;
  /** Already filtered by confidence. */
  hints: readonly FeedbackHint[];
  config: SmartCrusherConfig;
  bias: number;
}

export interface SelectionCounts {
  errors: number;
  anomalies: number;
  outliers: number;
  changePoints: number;
  relevant: number;
  queryAnchors: number;
  hinted: number;
  anchors: number;
  fill: number;
  duplicates: number;
}

export interface Selection {
  /** Ascending indices. */
  keep: number[];
  strategy: 'none' | 'skip' | 'smart_sample' | 'top_n' | 'cluster' | 'time_series' | 'string' | 'number' | 'mixed';
  skipReason: string | null;
  counts: SelectionCounts;
}

export function emptyCounts(): SelectionCounts {
  return { errors: 0, anomalies: 0, outliers: 0, changePoints: 0, relevant: 0, queryAnchors: 0, hinted: 0, anchors: 0, fill: 0, duplicates: 0 };
}

export function selectItems(input: SelectionInput): Selection {
  const { items, itemTexts, hints, config } = input;
  const counts = emptyCounts();
  const limit = config.maxItemsAfterCrush;
  if (items.length <= limit) return { keep: items.map((_, index) => index), strategy: 'none', skipReason: null, counts };
  const keep: number[] = [];
  for (const [index, text] of itemTexts.entries()) {
    if (index < limit) {
      keep.push(index);
      counts.anchors++;
    } else if (text.toLowerCase().includes('error')) {
      keep.push(index);
      counts.errors++;
    } else if (isHinted(items[index] as RawNode, hints)) {
      keep.push(index);
      counts.hinted++;
    }
  }
  return { keep, strategy: 'smart_sample', skipReason: null, counts };
}

function isHinted(item: RawNode, hints: readonly FeedbackHint[]): boolean {
  if (item.type !== 'object') return false;
  return hints.some((hint) => item.entries.some((entry) => entry.key === hint.field && entry.value.type === 'string' && hint.values.includes(entry.value.value)));
}
