/**
 * The cell and key syntax the tabular encodings share, written and read
 * here so the encoder and the decoder cannot drift apart.
 *
 * A cell is one JSON value on one line:
 * - a number, `true`, `false` or `null`: its literal exactly as written;
 * - an object or array: its compact JSON;
 * - a string: bare (`error, retry` is not bare; `eu-west-1` is) when reading
 *   it back bare gives the same literal, otherwise its JSON literal as
 *   written (`"1.50"`, `""`, `" padded"`, `"a,b"`, `"caf\u00e9"`);
 * - nothing (an empty cell): the key is missing from that row (not null).
 *
 * A key is bare when it is made of characters with no role in the layout,
 * otherwise its JSON literal as written. A bare key never contains `.`, so
 * `meta.az` is the flattened column `az` of the object under `meta`.
 */
import { skipString, skipValue } from '../../json/scan.js';

/** A bare cell that reads as one of these is that literal, not a string. */
const LITERAL_CELL = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;
/** Characters a bare string may not hold: they delimit cells, rows or JSON cells. */
const NOT_BARE_STRING = /[,"{}\u0000-\u001f\u007f]/;
/** A bare key: no layout character (`,` `.` `=` braces, quotes, backslash) and no whitespace. */
const BARE_KEY = /^[^\s,.={}"\\\u0000-\u001f\u007f]+$/;

/** Whether `value` (a string's decoded value whose literal is canonical) can be written without quotes. */
function bareString(value: string): boolean {
  if (value.length === 0 || NOT_BARE_STRING.test(value) || LITERAL_CELL.test(value)) return false;
  // `[` starts a JSON array cell or a marker line; surrounding whitespace would not survive a reader's trim.
  return value.charCodeAt(0) !== 0x5b && value.trim() === value;
}

/**
 * The cell for a string whose literal (as written) is `literal` and decoded
 * value `value`: bare when reading it back bare gives the same literal.
 */
export function stringCell(value: string, literal: string): string {
  if (!bareString(value)) return literal;
  // Without a backslash the literal is the value in quotes; JSON.stringify would escape only a lone surrogate.
  const canonical = literal.includes('\\') || /[\ud800-\udfff]/.test(value) ? JSON.stringify(value) === literal : true;
  return canonical ? value : literal;
}

/** The header form of a key whose literal (as written) is `literal`. */
export function keyText(key: string, literal: string): string {
  return BARE_KEY.test(key) && JSON.stringify(key) === literal ? key : literal;
}

/** Where a cell starting at `p` in `line` ends: at a `,`, the end of the line, or `stop`. */
export function cellEnd(line: string, p: number, stop = ','): number {
  const c = line.charCodeAt(p);
  if (c === 0x22 || c === 0x7b || c === 0x5b) return skipValue(line, p);
  let q = p;
  while (q < line.length && line[q] !== ',' && line[q] !== stop) q++;
  return q;
}

/** The JSON text of the cell `line[start, end)`, or null for an empty (missing) cell. */
export function cellJson(line: string, start: number, end: number): string | null {
  if (start === end) return null;
  const c = line.charCodeAt(start);
  const cell = line.slice(start, end);
  if (c === 0x22 || c === 0x7b || c === 0x5b || LITERAL_CELL.test(cell)) return cell;
  return JSON.stringify(cell);
}

/** A key read at `p` of `text`: its JSON literal and where it ends. Throws when there is none. */
export function readKey(text: string, p: number): { literal: string; key: string; end: number } {
  if (text.charCodeAt(p) === 0x22) {
    const end = skipString(text, p);
    const literal = text.slice(p, end);
    return { literal, key: JSON.parse(literal) as string, end };
  }
  let q = p;
  while (q < text.length && !/[\s,.={}"\\]/.test(text[q] as string)) q++;
  if (q === p) throw new TableSyntaxError(`expected a key at column ${p + 1}`);
  const key = text.slice(p, q);
  return { literal: JSON.stringify(key), key, end: q };
}

/** A table text that does not read back as the encoding says. */
export class TableSyntaxError extends Error {}
