/**
 * The raw element ranges of a JSON array: where each top-level element of
 * the array at a path starts and ends in the text. Elements are not parsed,
 * so a 64-bit integer or a string holding `,]` is cut out exactly as
 * written — what an array compressor needs to keep, drop or reorder items
 * without re-printing them.
 */
import { COMMA, LBRACKET, RBRACKET } from './chars.js';
import { locateValue } from './locate.js';
import { fail, skipValue, skipWs } from './scan.js';
import type { JsonPath, TextRange } from './types.js';

/**
 * The ranges of the elements of the array at `path` (the whole text by
 * default), in order; null when there is no value at `path` or it is not an
 * array. Like locating, this assumes JSON text and throws JsonEditError where
 * the array's structure is malformed.
 */
export function arrayElementRanges(text: string, path: JsonPath = []): TextRange[] | null {
  const array = locateValue(text, path);
  if (array === null || text.charCodeAt(array.start) !== LBRACKET) return null;
  const ranges: TextRange[] = [];
  let p = skipWs(text, array.start + 1);
  if (text.charCodeAt(p) === RBRACKET) return ranges;
  for (;;) {
    const end = skipValue(text, p);
    ranges.push({ start: p, end });
    const next = skipWs(text, end);
    const c = text.charCodeAt(next);
    if (c === RBRACKET) return ranges;
    if (c !== COMMA) fail(next, "expected ',' or ']'");
    p = skipWs(text, next + 1);
  }
}
