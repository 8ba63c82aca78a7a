/**
 * The selection interface the SmartCrusher transform calls: which items of
 * one array to keep, and why. Everything here is pure and deterministic — the
 * same input gives the same `keep`, so an optimized prefix stays cached.
 */
import type { SmartCrusherConfig } from '../../../config/index.js';
import type { RawDocument, RawNode } from '../../../json/index.js';
import type { FeedbackHint } from '../../types.js';

export interface SelectionInput {
  readonly doc: RawDocument;
  /** The array's elements (nodes of `doc`). */
  readonly items: readonly RawNode[];
  /** Compact raw text of each item, index-aligned with `items`. */
  readonly itemTexts: readonly string[];
  /** The user's query plus the tool call's arguments, or null when there is none. */
  readonly query: string | null;
  /** Relevance of each item to the query in [0, 1] (from the relevance scorer), or null when not scored. */
  readonly relevance: readonly number[] | null;
  /** Learned feedback hints, already filtered by `toin_confidence_threshold` by the caller. */
  readonly hints: readonly FeedbackHint[];
  readonly config: SmartCrusherConfig;
  /** Multiplier on the adaptive item budget (1.0 neutral; >1 keeps more, <1 fewer). */
  readonly bias: number;
}

export type SelectionStrategy = 'none' | 'skip' | 'smart_sample' | 'top_n' | 'cluster' | 'time_series' | 'string' | 'number' | 'mixed';

/**
 * How many KEPT items each signal accounts for (an item flagged by two
 * signals counts in both). `anchors`: kept for their position; `fill`: kept
 * to fill the budget (the strategy's ranking — top scores, one line per log
 * template — then an even spread). `duplicates`: dropped items identical to a
 * kept one (their content is in the output already).
 */
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
  /** Indices of the items to keep, ascending and unique. */
  readonly keep: number[];
  /** `none`: every item kept (the array is within its budget); `skip`: not crushable, every item kept, see `skipReason`. */
  readonly strategy: SelectionStrategy;
  readonly skipReason: string | null;
  readonly counts: SelectionCounts;
}

export function emptyCounts(): SelectionCounts {
  return { errors: 0, anomalies: 0, outliers: 0, changePoints: 0, relevant: 0, queryAnchors: 0, hinted: 0, anchors: 0, fill: 0, duplicates: 0 };
}
