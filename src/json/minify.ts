/**
 * Minifying JSON text (validating): removes the whitespace between tokens and
 * keeps every other character as written — string contents and escapes,
 * number literals, key order, duplicate keys.
 *
 * Works on the text's code units in a typed array (UTF-8 bytes, or UTF-16
 * units when the text has lone surrogates that UTF-8 cannot carry, or when
 * the caller needs offsets in the text), copying everything but insignificant
 * whitespace forward in place, then decodes once. Indexing a typed array is
 * several times faster than charCodeAt, and this avoids building the result
 * from millions of small slices. Every check below also rejects `undefined`
 * (a read past the end).
 */
// Local copies of chars.ts: in the hot loops below, an imported binding is a slower load than a module constant.
const BACKSLASH = 0x5c;
const BOM = 0xfeff;
const COLON = 0x3a;
const COMMA = 0x2c;
const CR = 0x0d;
const DOT = 0x2e;
const LBRACE = 0x7b;
const LBRACKET = 0x5b;
const LF = 0x0a;
const LOWER_B = 0x62;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const MINUS = 0x2d;
const NINE = 0x39;
const ONE = 0x31;
const PLUS = 0x2b;
const QUOTE = 0x22;
const RBRACE = 0x7d;
const RBRACKET = 0x5d;
const SLASH = 0x2f;
const SPACE = 0x20;
const TAB = 0x09;
const UPPER_E = 0x45;
const ZERO = 0x30;

type Units = Uint8Array | Uint16Array;

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isHex(c: number): boolean {
  const lower = c | 0x20;
  return (c >= ZERO && c <= NINE) || (lower >= 0x61 && lower <= LOWER_F);
}

function unit(units: Units, i: number): number {
  return units[i] as number;
}

function skipWsUnits(units: Units, p: number): number {
  for (;;) {
    const c = unit(units, p);
    if (c === SPACE || c === LF || c === CR || c === TAB) p++;
    else return p;
  }
}

/**
 * Validates the string whose opening quote is at `r` and copies it to `w`
 * (w <= r). Returns the position after its closing quote, or -1.
 */
function copyString(units: Units, r: number, w: number): number {
  units[w++] = QUOTE;
  r++;
  for (;;) {
    let c = unit(units, r);
    if (w === r) {
      while (c >= SPACE && c !== QUOTE && c !== BACKSLASH) c = unit(units, ++r);
      w = r;
    } else {
      while (c >= SPACE && c !== QUOTE && c !== BACKSLASH) {
        units[w++] = c;
        c = unit(units, ++r);
      }
    }
    if (c === QUOTE) {
      units[w] = QUOTE;
      return r + 1;
    }
    if (c !== BACKSLASH) return -1; // a control character, or the end of the text
    const e = unit(units, r + 1);
    let length: number;
    if (e === LOWER_U) {
      if (!isHex(unit(units, r + 2)) || !isHex(unit(units, r + 3)) || !isHex(unit(units, r + 4)) || !isHex(unit(units, r + 5))) return -1;
      length = 6;
    } else if (e === QUOTE || e === BACKSLASH || e === SLASH || e === LOWER_B || e === LOWER_F || e === LOWER_N || e === LOWER_R || e === LOWER_T) {
      length = 2;
    } else {
      return -1;
    }
    for (const end = r + length; r < end;) units[w++] = unit(units, r++);
  }
}

/** Validates the number starting at `p`; returns its end, or -1. */
function scanNumber(units: Units, p: number): number {
  if (unit(units, p) === MINUS) p++;
  let c = unit(units, p);
  if (c === ZERO) p++;
  else if (c >= ONE && c <= NINE) while (isDigit(unit(units, ++p)));
  else return -1;
  if (unit(units, p) === DOT) {
    if (!isDigit(unit(units, ++p))) return -1;
    while (isDigit(unit(units, ++p)));
  }
  c = unit(units, p);
  if (c === LOWER_E || c === UPPER_E) {
    c = unit(units, ++p);
    if (c === PLUS || c === MINUS) c = unit(units, ++p);
    if (!isDigit(c)) return -1;
    while (isDigit(unit(units, ++p)));
  }
  return p;
}

/** The end of the literal `word` if it is at `p`, else -1. */
function scanWord(units: Units, p: number, word: string): number {
  for (let k = 0; k < word.length; k++) if (unit(units, p + k) !== word.charCodeAt(k)) return -1;
  return p + word.length;
}

/** Where the value lies in the input, and (when asked for) aligned offsets; filled in by `compact`. */
interface CompactMap {
  /** Record a checkpoint at most every this many units of input (0: none). */
  every: number;
  /** Flat pairs: offset in the input, offset in the output. */
  points: number[];
  lastPoint: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * skipWsUnits inside the value, noting a checkpoint just past a run (where
 * the input at `q` and the output at `w` are at the same place). A separate
 * function, so that minifying without a map pays nothing for it.
 */
function skipMapped(units: Units, p: number, w: number, map: CompactMap): number {
  const q = skipWsUnits(units, p);
  if (map.every > 0 && q > p && q - map.lastPoint >= map.every) {
    map.points.push(q, w);
    map.lastPoint = q;
  }
  return q;
}

/**
 * Removes insignificant whitespace from the JSON in `units`, in place.
 * Returns the length of the result, or -1 if it is not exactly one JSON value.
 * With `map`, records where the value starts and ends, and a checkpoint just
 * past whitespace runs inside the value (there, input and output are at the
 * same place, outside any string).
 */
function compact(units: Units, map: CompactMap | null): number {
  const n = units.length;
  const stack: number[] = [];
  let r = skipWsUnits(units, 0);
  let w = 0;
  let keyNext = false;
  if (map !== null) map.valueStart = r;
  for (;;) {
    if (keyNext) {
      keyNext = false;
      if (unit(units, r) !== QUOTE) return -1;
      const end = copyString(units, r, w);
      if (end < 0) return -1;
      w += end - r;
      r = map === null ? skipWsUnits(units, end) : skipMapped(units, end, w, map);
      if (unit(units, r) !== COLON) return -1;
      units[w++] = COLON;
      r = map === null ? skipWsUnits(units, r + 1) : skipMapped(units, r + 1, w, map);
    }
    // A value starts at r.
    const c = unit(units, r);
    let end: number;
    if (c === QUOTE) {
      end = copyString(units, r, w);
      if (end < 0) return -1;
      w += end - r;
      r = end;
    } else if (c === LBRACE || c === LBRACKET) {
      units[w++] = c;
      r = map === null ? skipWsUnits(units, r + 1) : skipMapped(units, r + 1, w, map);
      const close = c === LBRACE ? RBRACE : RBRACKET;
      if (unit(units, r) !== close) {
        stack.push(c);
        keyNext = c === LBRACE;
        continue;
      }
      units[w++] = close;
      r++;
    } else {
      if (c === MINUS || isDigit(c)) end = scanNumber(units, r);
      else if (c === LOWER_T) end = scanWord(units, r, 'true');
      else if (c === LOWER_F) end = scanWord(units, r, 'false');
      else if (c === LOWER_N) end = scanWord(units, r, 'null');
      else return -1;
      if (end < 0) return -1;
      while (r < end) units[w++] = unit(units, r++);
    }
    // A value ended at r: close containers until one continues.
    for (;;) {
      if (stack.length === 0) {
        if (map !== null) map.valueEnd = r;
        return skipWsUnits(units, r) === n ? w : -1;
      }
      r = map === null ? skipWsUnits(units, r) : skipMapped(units, r, w, map);
      const top = stack[stack.length - 1] as number;
      const d = unit(units, r);
      if (d === COMMA) {
        units[w++] = COMMA;
        r = map === null ? skipWsUnits(units, r + 1) : skipMapped(units, r + 1, w, map);
        keyNext = top === LBRACE;
        break;
      }
      if (d !== (top === LBRACE ? RBRACE : RBRACKET)) return -1;
      stack.pop();
      units[w++] = d;
      r++;
    }
  }
}

const stringIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

/**
 * Removes insignificant whitespace (outside strings), keeping every other
 * character as written: string contents and escapes, number literals, key
 * order, duplicate keys. Returns null unless `text` is exactly one valid JSON
 * value (surrounded by optional whitespace) — as strict as JSON.parse, so a
 * leading BOM is rejected too. Returns `text` itself when there is nothing to
 * remove.
 */
export function minifyJson(text: string): string | null {
  if (stringIsWellFormed !== undefined && stringIsWellFormed.call(text)) {
    const bytes = Buffer.from(text, 'utf8');
    const length = compact(bytes, null);
    if (length < 0) return null;
    return length === bytes.length ? text : bytes.toString('utf8', 0, length);
  }
  // Lone surrogates (legal inside JSON strings) do not survive UTF-8: work on UTF-16 units.
  return minifyUtf16(text, null);
}

function minifyUtf16(text: string, map: CompactMap | null): string | null {
  const units = new Uint16Array(text.length);
  const bytes = Buffer.from(units.buffer, units.byteOffset, units.byteLength);
  bytes.write(text, 'utf16le');
  const length = compact(units, map);
  if (length < 0) return null;
  return length === units.length ? text : bytes.toString('utf16le', 0, length * 2);
}

/** A place where the text and its minified form line up: [offset in the text, offset in the minified text]. */
export type Checkpoint = [number, number];

export interface MappedMinify {
  /** The same string minifyJson returns. */
  compact: string;
  /** Where the value starts and ends in the text (without the whitespace around it). */
  start: number;
  end: number;
  /**
   * Ascending; one just past a whitespace run inside the value, at least
   * `every` characters after the previous one. Slicing both texts between two
   * checkpoints gives the same stretch of JSON, as sent and minified.
   */
  checkpoints: Checkpoint[];
}

/**
 * `minifyJson` that also maps the result back onto the text (UTF-16 offsets),
 * for callers that measure a long document piece by piece. Null when `text`
 * is not exactly one JSON value.
 */
export function minifyJsonMapped(text: string, every: number): MappedMinify | null {
  const map: CompactMap = { every, points: [], lastPoint: -Infinity, valueStart: 0, valueEnd: 0 };
  const compact = minifyUtf16(text, map);
  if (compact === null) return null;
  const checkpoints: Checkpoint[] = [];
  for (let k = 0; k < map.points.length; k += 2) checkpoints.push([map.points[k] as number, map.points[k + 1] as number]);
  return { compact, start: map.valueStart, end: map.valueEnd, checkpoints };
}

function isSpace(c: number): boolean {
  return c === SPACE || (c >= TAB && c <= CR) || c === BOM || c === 0xa0;
}

/** Cheap pre-check: the first non-space character is `{` or `[` and the last is `}` or `]`. */
export function isJsonContainerText(text: string): boolean {
  let i = 0;
  let j = text.length - 1;
  while (i < j && isSpace(text.charCodeAt(i))) i++;
  while (j > i && isSpace(text.charCodeAt(j))) j--;
  if (i >= j) return false;
  const first = text.charCodeAt(i);
  const last = text.charCodeAt(j);
  return (first === LBRACE || first === LBRACKET) && (last === RBRACE || last === RBRACKET);
}
