/**
 * The lossless scanning primitives: find where values are in JSON text
 * without building them. Numbers are never converted and keys never
 * decoded, so 64-bit integers and duplicate keys survive anything built on
 * these.
 *
 * They assume the text is JSON (it came from JSON.parse-able records, or was
 * validated): they do not check the parts they skip, and throw JsonEditError
 * only where the structure they need to walk is malformed. Strings are
 * skipped with indexOf plus backslash counting and containers by bracket
 * depth, so nothing here recurses.
 */
import { JsonEditError } from './errors.js';

// Local copies of chars.ts constants: in hot loops an imported binding is a slower load than a module constant.
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const CR = 0x0d;
const LBRACE = 0x7b;
const LBRACKET = 0x5b;
const LF = 0x0a;
const QUOTE = 0x22;
const RBRACE = 0x7d;
const RBRACKET = 0x5d;
const SPACE = 0x20;
const TAB = 0x09;

/** isJsonSpace, local for the same reason. */
function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

export function fail(position: number, message: string): never {
  throw new JsonEditError(`malformed JSON at offset ${position}: ${message}`);
}

/** First position at or after `p` that is not JSON whitespace. */
export function skipWs(text: string, p: number): number {
  for (;;) {
    const c = text.charCodeAt(p);
    if (c === SPACE || c === LF || c === CR || c === TAB) p++;
    else return p;
  }
}

/** `text[p]` is an opening quote; returns the position just after the closing quote. */
export function skipString(text: string, p: number): number {
  let from = p + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) fail(p, 'unterminated string');
    if (text.charCodeAt(q - 1) !== BACKSLASH) return q + 1;
    // Odd number of backslashes before the quote: it is escaped.
    let k = q - 2;
    while (text.charCodeAt(k) === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/**
 * Skips the rest of a container whose opening bracket(s) were already read:
 * `depth` brackets are open at `p`. Returns the position after the bracket
 * that closes the outermost one.
 */
export function skipRest(text: string, p: number, depth: number): number {
  const n = text.length;
  for (;;) {
    if (p >= n) fail(p, 'unterminated container');
    const c = text.charCodeAt(p);
    if (c === QUOTE) {
      p = skipString(text, p);
      continue;
    }
    if (c === LBRACE || c === LBRACKET) depth++;
    else if ((c === RBRACE || c === RBRACKET) && --depth === 0) return p + 1;
    p++;
  }
}

/** Returns the end of the value starting at `p`. */
export function skipValue(text: string, p: number): number {
  const c = text.charCodeAt(p);
  if (c === QUOTE) return skipString(text, p);
  if (c === LBRACE || c === LBRACKET) return skipRest(text, p + 1, 1);
  // A number or literal: runs up to the next delimiter.
  let q = p;
  for (;;) {
    const d = text.charCodeAt(q);
    if (d !== d || d === COMMA || d === RBRACE || d === RBRACKET || d === SPACE || d === LF || d === CR || d === TAB) break;
    if (d === QUOTE || d === LBRACE || d === LBRACKET || d === COLON) fail(q, 'unexpected character');
    q++;
  }
  if (q === p) fail(p, 'expected a value');
  return q;
}

/**
 * Where the bracketed value starting at `start` ends (just past its closing
 * bracket), found by bracket depth alone, or -1. Unlike skipRest this never
 * throws: it is for finding JSON inside arbitrary text, where a candidate
 * that does not close is common. A string holding a raw line break ends the
 * candidate (-1): JSON strings cannot.
 *
 * With `prettyPrinted`, the value is expected to be laid out one member per
 * line: every line inside it must be indented or start with a closing
 * bracket, and the first line that is neither ends the search early (-1).
 * That keeps a search over a long text linear even where brackets never
 * balance. Bracket kinds are not matched; validate the span afterwards.
 */
export function containerEnd(text: string, start: number, prettyPrinted: boolean): number {
  let depth = 0;
  let index = start;
  const length = text.length;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      index = lineStringEnd(text, index);
      if (index < 0) return -1;
      continue;
    }
    if (code === LBRACE || code === LBRACKET) depth++;
    else if (code === RBRACE || code === RBRACKET) {
      depth--;
      if (depth === 0) return index + 1;
      if (depth < 0) return -1;
    } else if (isSpace(code)) {
      let lastBreak = -1;
      for (; index < length && isSpace(text.charCodeAt(index)); index++) {
        if (text.charCodeAt(index) === LF) lastBreak = index;
      }
      const next = text.charCodeAt(index);
      if (prettyPrinted && lastBreak === index - 1 && next !== RBRACE && next !== RBRACKET) return -1;
      continue;
    }
    index++;
  }
  return -1;
}

/** Index just past the closing quote of the string opening at `start`; -1 if a line (or the text) ends first. */
function lineStringEnd(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === BACKSLASH) index += 2;
    else if (code === QUOTE) return index + 1;
    else if (code === LF) return -1;
    else index++;
  }
  return -1;
}
