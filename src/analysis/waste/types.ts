/**
 * Waste signals: tokens a request spends that could be saved without losing
 * information. Keys match the reference's `WasteSignals.to_dict()` so reports
 * line up with its docs; every value is a count of real tokens that a
 * concrete rewrite would save (not of the tokens that merely look suspicious).
 */
import type { BlockKind, PartFlags } from '../../formats/types.js';

export const WASTE_KEYS = ['json_bloat', 'html_noise', 'base64', 'whitespace', 'dynamic_date', 'repetition', 'reread', 'reread_compressed'] as const;
export type WasteKey = (typeof WASTE_KEYS)[number];

/** `reread_compressed` is a subset of `reread`, so totals leave it out. */
export const WASTE_TOTAL_KEYS: readonly WasteKey[] = WASTE_KEYS.filter((key) => key !== 'reread_compressed');

export type WasteCounts = Record<WasteKey, number>;

export function emptyWaste(): WasteCounts {
  return {
    json_bloat: 0,
    html_noise: 0,
    base64: 0,
    whitespace: 0,
    dynamic_date: 0,
    repetition: 0,
    reread: 0,
    reread_compressed: 0,
  };
}

export function wasteTotal(counts: WasteCounts): number {
  let total = 0;
  for (const key of WASTE_TOTAL_KEYS) total += counts[key];
  return total;
}

/** Counts tokens with the request's tokenizer (memoized and guarded by the caller). */
export type CountTokens = (text: string) => number;

/** One detected instance of waste inside one text. */
export interface TextWasteFinding {
  key: WasteKey;
  /** Tokens that the rewrite named in `detail` would save; always > 0. */
  tokens: number;
  /** Short human-readable explanation, e.g. `pretty-printed JSON: 1,204 → 811 tokens compact`. */
  detail: string;
  /** How many separate spans the finding covers (e.g. 3 volatile values), when more than one. */
  instances?: number;
}

/** The view of a block that the cross-block detectors need. */
export interface WasteBlock {
  kind: BlockKind;
  contentHash: string;
  /** Tokens of the block including its framing (the block's tokens_est). */
  tokens: number;
  /** Index of the block's message in the request. */
  sourceIndex: number;
  text: string;
  flags: PartFlags;
}
