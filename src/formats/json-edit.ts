/**
 * Edits JSON *text* in place.
 *
 * Write-back must leave every byte it does not mean to change exactly as it
 * was: key order, whitespace, unknown fields, duplicate keys and number
 * literals (a 64-bit id such as 9007199254740993 would not survive
 * JSON.parse → JSON.stringify). So nothing here parses into values and
 * re-serializes: a single linear scan finds where values are in the text, and
 * edits are spliced into the original string.
 *
 * The scan walks only the containers that a requested path enters; every
 * other value is skipped without building anything (strings with indexOf plus
 * backslash counting, containers by bracket depth). Nesting is tracked with an
 * explicit stack, so deep input cannot overflow the call stack.
 *
 * Locating assumes the text is JSON (it came from JSON.parse-able records); it
 * does not validate the parts it skips, and throws JsonEditError when the
 * structure it walks is malformed. `minifyJson` is the exception: it validates
 * everything, exactly as strictly as JSON.parse.
 */
import type { JsonPath } from './types.js';

/** UTF-16 offsets into the text; `end` is exclusive. Covers exactly the value's literal. */
export interface TextRange {
  start: number;
  end: number;
}

export type JsonEdit =
  /** Replace the value at `path` with the JSON text `raw`. */
  | { op: 'replace'; path: JsonPath; raw: string }
  /** `path` must be an array: add `raw` as its last element. */
  | { op: 'append'; path: JsonPath; raw: string }
  /** `path` must be an object: replace the (last) value of `key`, or add `"key":raw` as its last member. */
  | { op: 'set'; path: JsonPath; key: string; raw: string };

export class JsonEditError extends Error {
  override name = 'JsonEditError';
}

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const ONE = 0x31;
const NINE = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const LOWER_B = 0x62;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const BOM = 0xfeff;

// ---------------------------------------------------------------------------
// Low-level skipping (no validation beyond what finding the end requires)

function fail(position: number, message: string): never {
  throw new JsonEditError(`malformed JSON at offset ${position}: ${message}`);
}

/** First position at or after `p` that is not JSON whitespace. */
function skipWs(text: string, p: number): number {
  for (;;) {
    const c = text.charCodeAt(p);
    if (c === SPACE || c === LF || c === CR || c === TAB) p++;
    else return p;
  }
}

/** `text[p]` is an opening quote; returns the position just after the closing quote. */
function skipString(text: string, p: number): number {
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
function skipRest(text: string, p: number, depth: number): number {
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
function skipValue(text: string, p: number): number {
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

// ---------------------------------------------------------------------------
// The path trie and the scan

/**
 * One node per distinct path prefix. The scan stores what it finds on the
 * nodes; a node is on the walk stack at most once at a time (paths are
 * unique), so its walk state can live on it too.
 */
class PathNode {
  keys: Map<string, PathNode> | null = null;
  indices: Map<number, PathNode> | null = null;
  maxIndex = -1;
  /** Walk this container even if no path goes deeper (an append/set target needs its layout). */
  layout = false;
  entered = false;
  // Walk state.
  isObject = false;
  index = 0;
  // Results: the value's range, and for walked containers where the last child is.
  start = -1;
  end = -1;
  count = 0;
  /** Just after the `[`, `{` or `,` that precedes the last child. */
  lastSepEnd = -1;
  /** Start of the last child: its key for an object, its value for an array. */
  lastChildStart = -1;
  lastKeyEnd = -1;
  lastValueStart = -1;
  lastValueEnd = -1;
}

function nodeFor(root: PathNode, path: JsonPath): PathNode {
  let node = root;
  for (const segment of path) {
    let child: PathNode | undefined;
    if (typeof segment === 'number') {
      node.indices ??= new Map();
      child = node.indices.get(segment);
      if (!child) {
        child = new PathNode();
        node.indices.set(segment, child);
        if (Number.isInteger(segment) && segment > node.maxIndex) node.maxIndex = segment;
      }
    } else {
      node.keys ??= new Map();
      child = node.keys.get(segment);
      if (!child) {
        child = new PathNode();
        node.keys.set(segment, child);
      }
    }
    node = child;
  }
  return node;
}

/** Forgets what an earlier occurrence of a duplicate key found (the last occurrence wins). */
function reset(node: PathNode): void {
  const pending = [node];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    next.entered = false;
    next.start = next.end = -1;
    next.count = 0;
    next.lastSepEnd = next.lastChildStart = next.lastKeyEnd = next.lastValueStart = next.lastValueEnd = -1;
    if (next.keys) for (const child of next.keys.values()) pending.push(child);
    if (next.indices) for (const child of next.indices.values()) pending.push(child);
  }
}

function enter(child: PathNode | undefined): PathNode | null {
  if (child === undefined) return null;
  if (child.entered) reset(child);
  child.entered = true;
  return child;
}

function keyChild(keys: Map<string, PathNode>, text: string, start: number, end: number): PathNode | undefined {
  let key = text.slice(start + 1, end - 1);
  if (key.indexOf('\\') >= 0) {
    try {
      key = JSON.parse(text.slice(start, end)) as string;
    } catch {
      fail(start, 'invalid escape in key');
    }
  }
  return keys.get(key);
}

/** Reads `"key" :` at `p` inside `parent`; returns the child node for the key, if any path goes there. */
function beginMember(text: string, parent: PathNode, p: number): PathNode | null {
  if (text.charCodeAt(p) !== QUOTE) fail(p, 'expected a key');
  const keyEnd = skipString(text, p);
  const colon = skipWs(text, keyEnd);
  if (text.charCodeAt(colon) !== COLON) fail(colon, "expected ':'");
  parent.lastChildStart = p;
  parent.lastKeyEnd = keyEnd;
  parent.lastValueStart = skipWs(text, colon + 1);
  return parent.keys === null ? null : enter(keyChild(parent.keys, text, p, keyEnd));
}

function walks(node: PathNode): boolean {
  return node.keys !== null || node.indices !== null || node.layout;
}

/** One pass over the first JSON value in `text`, filling in the nodes of the trie under `root`. */
function scan(text: string, root: PathNode): void {
  let pos = skipWs(text, text.charCodeAt(0) === BOM ? 1 : 0);
  const stack: PathNode[] = [];
  let node: PathNode | null = root;
  root.entered = true;
  let end: number;
  for (;;) {
    // A value starts at `pos`; `node` is its trie node, or null when no path enters it.
    const c = text.charCodeAt(pos);
    if (node !== null && (c === LBRACE || c === LBRACKET) && walks(node)) {
      const isObject = c === LBRACE;
      node.start = pos;
      node.isObject = isObject;
      const first = skipWs(text, pos + 1);
      if (text.charCodeAt(first) === (isObject ? RBRACE : RBRACKET)) {
        end = first + 1;
        node.end = end;
      } else if (!node.layout && (isObject ? node.keys === null : node.maxIndex < 0)) {
        end = skipRest(text, pos + 1, 1);
        node.end = end;
      } else {
        stack.push(node);
        node.count = 1;
        node.index = 0;
        node.lastSepEnd = pos + 1;
        if (isObject) {
          const parent = node;
          node = beginMember(text, parent, first);
          pos = parent.lastValueStart;
        } else {
          node.lastChildStart = first;
          node = node.indices === null ? null : enter(node.indices.get(0));
          pos = first;
        }
        continue;
      }
    } else {
      end = skipValue(text, pos);
      if (node !== null) {
        node.start = pos;
        node.end = end;
      }
    }
    // A value ended at `end`: continue its container (closing as many as end here).
    for (;;) {
      const parent = stack[stack.length - 1];
      if (parent === undefined) return;
      parent.lastValueEnd = end;
      const p = skipWs(text, end);
      const d = text.charCodeAt(p);
      if (d === COMMA) {
        const next = skipWs(text, p + 1);
        if (parent.isObject) {
          parent.count++;
          parent.lastSepEnd = p + 1;
          node = beginMember(text, parent, next);
          pos = parent.lastValueStart;
          break;
        }
        parent.index++;
        if (!parent.layout && parent.index > parent.maxIndex) {
          // No path goes into the remaining elements.
          end = skipRest(text, p + 1, 1);
          parent.end = end;
          stack.pop();
          continue;
        }
        parent.count++;
        parent.lastSepEnd = p + 1;
        parent.lastChildStart = next;
        node = parent.indices === null ? null : enter(parent.indices.get(parent.index));
        pos = next;
        break;
      }
      if (d !== (parent.isObject ? RBRACE : RBRACKET)) fail(p, parent.isObject ? "expected ',' or '}'" : "expected ',' or ']'");
      end = p + 1;
      parent.end = end;
      stack.pop();
    }
  }
}

// ---------------------------------------------------------------------------
// Locating

/** Where the value at `path` is in `text`, or null when it is absent. Duplicate keys: the last one wins. */
export function locateValue(text: string, path: JsonPath): TextRange | null {
  return locateValues(text, [path])[0] ?? null;
}

/** `locateValue` for many paths, in one pass over the text. */
export function locateValues(text: string, paths: readonly JsonPath[]): (TextRange | null)[] {
  if (paths.length === 0) return [];
  const root = new PathNode();
  const nodes = paths.map((path) => nodeFor(root, path));
  scan(text, root);
  return nodes.map((node) => (node.start >= 0 ? { start: node.start, end: node.end } : null));
}

// ---------------------------------------------------------------------------
// Editing

interface Splice {
  start: number;
  end: number;
  text: string;
  order: number;
}

function describePath(path: JsonPath): string {
  return JSON.stringify(path);
}

/**
 * Applies edits to the text of one JSON value. Every edit is resolved against
 * the original text (one scan for all of them), then spliced in; everything
 * else is left byte for byte. Several appends/new keys on the same container
 * are added in the order given. Throws JsonEditError when a path does not
 * exist or is the wrong kind of container, or when two edits overlap (one
 * inside a value another replaces, or the same key set twice).
 */
export function applyJsonEdits(text: string, edits: readonly JsonEdit[]): string {
  if (edits.length === 0) return text;
  const root = new PathNode();
  const resolved = edits.map((edit) => {
    if (edit.raw.trim() === '') throw new JsonEditError(`empty raw JSON for ${edit.op} at ${describePath(edit.path)}`);
    const node = nodeFor(root, edit.path);
    if (edit.op !== 'replace') node.layout = true;
    const member = edit.op === 'set' ? nodeFor(node, [edit.key]) : null;
    return { edit, node, member };
  });
  scan(text, root);

  const splices: Splice[] = [];
  const inserted = new Map<PathNode, number>();
  const newKeys = new Map<PathNode, Set<string>>();
  const insert = (node: PathNode, member: string, order: number): void => {
    const before = inserted.get(node) ?? 0;
    inserted.set(node, before + 1);
    if (node.count === 0) {
      splices.push({ start: node.start + 1, end: node.start + 1, text: before > 0 ? `,${member}` : member, order });
    } else {
      // After the last child, with the same whitespace the last child had before it.
      const separator = text.slice(node.lastSepEnd, node.lastChildStart);
      splices.push({ start: node.lastValueEnd, end: node.lastValueEnd, text: `,${separator}${member}`, order });
    }
  };

  resolved.forEach(({ edit, node, member }, order) => {
    if (node.start < 0) throw new JsonEditError(`${edit.op}: no value at ${describePath(edit.path)}`);
    if (edit.op === 'replace') {
      splices.push({ start: node.start, end: node.end, text: edit.raw, order });
      return;
    }
    const open = text.charCodeAt(node.start);
    if (edit.op === 'append') {
      if (open !== LBRACKET) throw new JsonEditError(`append: the value at ${describePath(edit.path)} is not an array`);
      insert(node, edit.raw, order);
      return;
    }
    if (open !== LBRACE) throw new JsonEditError(`set: the value at ${describePath(edit.path)} is not an object`);
    if (member !== null && member.start >= 0) {
      splices.push({ start: member.start, end: member.end, text: edit.raw, order });
      return;
    }
    let keys = newKeys.get(node);
    if (!keys) newKeys.set(node, (keys = new Set()));
    if (keys.has(edit.key)) throw new JsonEditError(`set: key ${JSON.stringify(edit.key)} set twice at ${describePath(edit.path)}`);
    keys.add(edit.key);
    const colon = node.count === 0 ? ':' : text.slice(node.lastKeyEnd, node.lastValueStart);
    insert(node, `${JSON.stringify(edit.key)}${colon}${edit.raw}`, order);
  });

  splices.sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  const out: string[] = [];
  let cursor = 0;
  let previous: Splice | null = null;
  for (const splice of splices) {
    if (previous !== null && splice.start < cursor) {
      const a = edits[previous.order] as JsonEdit;
      const b = edits[splice.order] as JsonEdit;
      throw new JsonEditError(`overlapping edits: ${a.op} at ${describePath(a.path)} and ${b.op} at ${describePath(b.path)}`);
    }
    out.push(text.slice(cursor, splice.start), splice.text);
    cursor = splice.end;
    previous = splice;
  }
  out.push(text.slice(cursor));
  return out.join('');
}

// ---------------------------------------------------------------------------
// Minifying (validating)
//
// Works on the text's code units in a typed array (UTF-8 bytes, or UTF-16
// units when the text has lone surrogates that UTF-8 cannot carry), copying
// everything but insignificant whitespace forward in place, then decodes once.
// Indexing a typed array is several times faster than charCodeAt, and this
// avoids building the result from millions of small slices. Every check below
// also rejects `undefined` (a read past the end).

type Units = Uint8Array | Uint16Array;

function unit(units: Units, i: number): number {
  return units[i] as number;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isHex(c: number): boolean {
  const lower = c | 0x20;
  return (c >= ZERO && c <= NINE) || (lower >= 0x61 && lower <= LOWER_F);
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
    for (const end = r + length; r < end; ) units[w++] = unit(units, r++);
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

/**
 * Removes insignificant whitespace from the JSON in `units`, in place.
 * Returns the length of the result, or -1 if it is not exactly one JSON value.
 */
function compact(units: Units): number {
  const n = units.length;
  const stack: number[] = [];
  let r = skipWsUnits(units, 0);
  let w = 0;
  let keyNext = false;
  for (;;) {
    if (keyNext) {
      keyNext = false;
      if (unit(units, r) !== QUOTE) return -1;
      const end = copyString(units, r, w);
      if (end < 0) return -1;
      w += end - r;
      r = skipWsUnits(units, end);
      if (unit(units, r) !== COLON) return -1;
      units[w++] = COLON;
      r = skipWsUnits(units, r + 1);
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
      r = skipWsUnits(units, r + 1);
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
      r = skipWsUnits(units, r);
      const top = stack.length === 0 ? 0 : (stack[stack.length - 1] as number);
      if (top === 0) return r === n ? w : -1;
      const d = unit(units, r);
      if (d === COMMA) {
        units[w++] = COMMA;
        r = skipWsUnits(units, r + 1);
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
    const length = compact(bytes);
    if (length < 0) return null;
    return length === bytes.length ? text : bytes.toString('utf8', 0, length);
  }
  // Lone surrogates (legal inside JSON strings) do not survive UTF-8: work on UTF-16 units.
  const units = new Uint16Array(text.length);
  const bytes = Buffer.from(units.buffer, units.byteOffset, units.byteLength);
  bytes.write(text, 'utf16le');
  const length = compact(units);
  if (length < 0) return null;
  return length === units.length ? text : bytes.toString('utf16le', 0, length * 2);
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
