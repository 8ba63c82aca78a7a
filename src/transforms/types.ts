/**
 * The contract every compressor implements.
 *
 * A transform sees one block at a time (only blocks the pipeline has not
 * protected) and answers with new text or a reason to leave it. It never sees
 * or edits JSON structure: the pipeline puts accepted text back into the
 * block's slot, records the diff entry, and keeps the original when the new
 * text does not save tokens (DESIGN rule 3). A transform must be a pure
 * function of its input and options — no clocks, no randomness — so the same
 * request always optimizes to the same bytes (rule 5).
 */
import type { BlockKind, PartFlags } from '../formats/types.js';

export interface TransformBlock {
  /** Position of the block in the request's block list. */
  readonly index: number;
  /** Position of the block's message in the request. */
  readonly messageIndex: number;
  readonly kind: BlockKind;
  /** Current text: the original, or what an earlier transform made of it. */
  readonly text: string;
  /** Tokens of `text`. */
  readonly tokens: number;
  readonly flags: Readonly<PartFlags>;
}

/** A span a lossy transform removes; the pipeline stores it and hands back the marker to put in its place. */
export interface OffloadedSpan {
  original: string;
  /** What was removed, in the words of the marker: `rows`, `lines`, `hunks`… */
  unit: string;
  count: number;
  /** Which ones, where that is short: `rows 16-100`. */
  detail?: string;
}

export interface TransformContext {
  /** Tokens of a text, with the request's tokenizer. */
  count(text: string): number;
  /**
   * Whether spans may be removed behind a retrieval marker. False under
   * `--lossless-only`, with CCR disabled, or where the request has no place
   * for the retrieval tool; a transform must then not remove anything.
   */
  readonly canOffload: boolean;
  /** Stores `span` for retrieval and returns the marker text to write in its place. Throws when `canOffload` is false. */
  offload(span: OffloadedSpan): string;
}

/** New text for a block; `label` names what was done, e.g. `json-compact`, `json 120→16 rows`. */
export interface Rewrite {
  text: string;
  label: string;
}

/** Why a transform left a block alone, e.g. `not-json`; shown as `skipped:<reason>`. */
export interface Decline {
  skip: string;
}

export interface Transform {
  /** Stable name, used in reports, timing keys and diff artifacts. */
  readonly name: string;
  /** True when the transform never removes information; only these run under `--lossless-only`. */
  readonly lossless: boolean;
  apply(block: TransformBlock, context: TransformContext): Rewrite | Decline;
}

export function isRewrite(outcome: Rewrite | Decline): outcome is Rewrite {
  return 'text' in outcome;
}
