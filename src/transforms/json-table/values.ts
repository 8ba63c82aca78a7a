/**
 * A JSON value after the encoder's walk: its compact text (nested arrays
 * already re-laid-out where that paid) plus what the table layouts read —
 * an object's entries, a string's value. Built from the raw tree, so every
 * literal is the input's own bytes.
 */
export type Encoded = (
  | { readonly kind: 'object'; readonly text: string; readonly entries: readonly EncodedEntry[] }
  | { readonly kind: 'string'; readonly text: string; readonly value: string }
  | { readonly kind: 'other'; readonly text: string }
) & {
  /** `text` is the input's own span: nothing inside changed and it was already compact. */
  readonly asWritten: boolean;
};

export interface EncodedEntry {
  readonly key: string;
  /** The key's literal as written, quotes included. */
  readonly literal: string;
  readonly value: Encoded;
}
