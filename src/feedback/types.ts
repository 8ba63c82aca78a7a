/**
 * What a compressor reads from TOIN: the learned hints. Declared here, where
 * they are computed, and re-exported by the transform contract
 * (src/transforms/types.ts), which lends a FeedbackReader to every transform.
 */

/**
 * A learned hint (`headroom toin`): for outputs of one tool and shape, items
 * whose `field` holds one of `values` were retrieved before, so a lossy
 * compressor should prefer keeping them.
 */
export interface FeedbackHint {
  /** A top-level key of the items (objects). */
  readonly field: string;
  /**
   * The values asked for, as text to compare for equality: a string's
   * decoded value, a number's literal as written (64-bit ids exact),
   * `true`/`false`. Nulls, objects and arrays are never hint values.
   */
  readonly values: readonly string[];
  /** 0..1; compressors apply only hints at or above `smart_crusher.toin_confidence_threshold`. */
  readonly confidence: number;
}

/** Read-only view of the local feedback store. Deterministic: the same store state gives the same hints. */
export interface FeedbackReader {
  /** Hints for outputs of `toolName` (null: unknown tool) whose items have `shape` (see `itemsShape` in src/feedback/shape.ts). */
  hintsFor(toolName: string | null, shape: string): readonly FeedbackHint[];
}
