/**
 * What the decoder takes for an encoding, shared with the encoder so that it
 * can refuse a document holding a string the decoder would misread.
 */
import { MARKER_PATTERN } from '../../ccr/markers.js';

const MARKER_LINE = new RegExp(`^${MARKER_PATTERN.source}$`);

/** Whether `text` is exactly one selection marker (a line after a table's rows). */
export function isMarkerLine(text: string): boolean {
  return MARKER_LINE.test(text);
}

/** Every layout's first line starts `[<rows>]{` or `[<rows>] `. */
const TABLE_START = /^\[\d+\][{ ]/;

/** Whether `text` starts like a table (the decoder then tries to read it as one). */
export function looksLikeTable(text: string): boolean {
  return TABLE_START.test(text);
}

/**
 * Whether a string value may hold JSON the walk goes into: it starts with
 * `{`, `[` or `"` (a JSON string literal, which is what a top-level array
 * of JSON-in-a-string becomes once encoded). Whether it parses is for the
 * caller to find out.
 */
export function holdsJson(value: string): boolean {
  const c = value.charCodeAt(0);
  return c === 0x7b || c === 0x5b || c === 0x22;
}
