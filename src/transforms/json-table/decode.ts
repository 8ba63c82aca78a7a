/**
 * The inverse of the tabular encodings: `decodeTables(text)` gives back the
 * JSON the encoder was given — a top-level table text becomes the array it
 * encoded; in a JSON document, every string holding a table becomes that
 * array again, and every string holding JSON whose arrays were encoded gets
 * that JSON back. Literals are copied from the text, so numbers and strings
 * come back exactly as they were written (bare strings as their canonical
 * JSON literal, which is what the encoder requires of them). The result is
 * compact where the encoder changed something and untouched elsewhere.
 */
import { parseRawJson, type RawDocument, type RawNode } from '../../json/tree.js';
import { holdsJson, isMarkerLine, looksLikeTable } from './recognize.js';
import { cellEnd, cellJson, readKey, TableSyntaxError } from './syntax.js';

export { TableSyntaxError } from './syntax.js';

const HEADER = /^\[(\d+)\](.*)$/;
const SHAPES = /^ in \d+ shapes$/;

interface ColumnSpec {
  /** Key literals from the row object down to the cell. */
  readonly path: readonly string[];
  /** JSON of the value stated once in the header, or null. */
  readonly constant: string | null;
}

/**
 * The JSON text `text` encodes: a table text, or JSON whose strings may hold
 * tables. Throws TableSyntaxError when `text` is neither.
 */
export function decodeTables(text: string): string {
  const doc = parseRawJson(text);
  if (doc !== null) return decodeDocument(doc);
  const array = readTable(text);
  if (array === null) throw new TableSyntaxError('not JSON and not a headroom table');
  return decodeTables(array);
}

/** `doc` with every string that holds an encoding replaced by what it encodes. */
function decodeDocument(doc: RawDocument): string {
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (node: RawNode): void => {
    if (node.type === 'object') for (const entry of node.entries) visit(entry.value);
    else if (node.type === 'array') for (const item of node.items) visit(item);
    else if (node.type === 'string') {
      const replacement = decodeString(node.value);
      if (replacement !== null) edits.push({ start: node.start, end: node.end, text: replacement });
    }
  };
  visit(doc.root);
  if (edits.length === 0) return doc.text;
  let out = '';
  let copied = 0;
  for (const edit of edits) {
    out += doc.text.slice(copied, edit.start) + edit.text;
    copied = edit.end;
  }
  return out + doc.text.slice(copied);
}

/** What a string value stands for when the encoder wrote it (JSON text), or null to keep it. */
function decodeString(value: string): string | null {
  if (looksLikeTable(value)) {
    const array = readTable(value);
    if (array !== null) return decodeTables(array);
  }
  if (!holdsJson(value)) return null;
  const inner = parseRawJson(value);
  if (inner === null) return null;
  const decoded = decodeDocument(inner);
  return decoded === value ? null : JSON.stringify(decoded);
}

/** Whether `decodeTables` reads `text` (a string value, or a whole text) as a table. */
export function readsAsTable(text: string): boolean {
  return readTable(text) !== null;
}

/** The JSON array a table text encodes, or null when `text` is not one. */
function readTable(text: string): string | null {
  if (!looksLikeTable(text)) return null;
  try {
    const array = parseTable(text.split('\n'));
    JSON.parse(array);
    return array;
  } catch {
    return null;
  }
}

function parseTable(lines: readonly string[]): string {
  const header = HEADER.exec(lines[0] ?? '');
  if (!header) throw new TableSyntaxError('no table header');
  const count = Number(header[1]);
  const layout = header[2] ?? '';
  let next = 1;
  let rowJson: (line: string) => string;
  if (layout === ' key=value') rowJson = keyValueRow;
  else if (layout.startsWith('{')) {
    const columns = readColumns(layout, 0);
    rowJson = (line) => tableRow(columns, line, 0, null);
  } else if (layout.startsWith(' by ') || SHAPES.test(layout)) {
    // By a discriminator key, whose value leads each row; or by shape, each row led by its bucket's number.
    const selector = layout.startsWith(' by ') ? readKey(layout, 4) : null;
    if (selector !== null && selector.end !== layout.length) throw new TableSyntaxError('bad bucket header');
    const buckets = new Map<string, readonly ColumnSpec[]>();
    for (; next < lines.length; next++) {
      const line = lines[next] as string;
      const end = cellEnd(line, 0, '{');
      if (line[end] !== '{') break;
      const value = cellJson(line, 0, end);
      if (value === null) throw new TableSyntaxError('bucket without a value');
      buckets.set(value, readColumns(line, end));
    }
    rowJson = (line) => {
      const end = cellEnd(line, 0);
      const value = cellJson(line, 0, end);
      const columns = value === null ? undefined : buckets.get(value);
      if (columns === undefined || value === null) throw new TableSyntaxError('row of an unknown bucket');
      return tableRow(columns, line, end === line.length ? end : end + 1, selector === null ? null : { literal: selector.literal, value });
    };
  } else throw new TableSyntaxError('unknown layout');
  if (lines.length < next + count) throw new TableSyntaxError('fewer rows than the header says');
  const items: string[] = [];
  for (let r = 0; r < count; r++) items.push(rowJson(lines[next + r] as string));
  // The header counts the rows, so line breaks added after the last line (a copy, a file's final newline) are not data.
  let end = lines.length;
  while (end > next + count && lines[end - 1] === '') end--;
  for (const line of lines.slice(next + count, end)) {
    if (!isMarkerLine(line)) throw new TableSyntaxError('a line after the rows that is not a marker');
    items.push(JSON.stringify(line));
  }
  return `[${items.join(',')}]`;
}

/** The column list `{a,b.c,d=1}` starting at `text[open]`, which must run to the end of `text`. */
function readColumns(text: string, open: number): ColumnSpec[] {
  const columns: ColumnSpec[] = [];
  let p = open + 1;
  if (text[p] === '}' && p === text.length - 1) return columns;
  for (;;) {
    const path: string[] = [];
    let key = readKey(text, p);
    path.push(key.literal);
    p = key.end;
    while (text[p] === '.') {
      key = readKey(text, p + 1);
      path.push(key.literal);
      p = key.end;
    }
    let constant: string | null = null;
    if (text[p] === '=') {
      const end = cellEnd(text, p + 1, '}');
      constant = cellJson(text, p + 1, end);
      if (constant === null) throw new TableSyntaxError('empty constant');
      p = end;
    }
    columns.push({ path, constant });
    if (text[p] === '}') {
      if (p !== text.length - 1) throw new TableSyntaxError('text after the column list');
      return columns;
    }
    if (text[p] !== ',') throw new TableSyntaxError('expected , or } in the column list');
    p++;
  }
}

/** One object of a table row; `selector` fills the bucket's discriminator column. */
function tableRow(columns: readonly ColumnSpec[], line: string, start: number, selector: { literal: string; value: string } | null): string {
  const values: { path: readonly string[]; json: string }[] = [];
  let p = start;
  let exhausted = start >= line.length;
  for (const column of columns) {
    let json: string | null;
    if (column.constant !== null) json = column.constant;
    else if (selector !== null && column.path.length === 1 && column.path[0] === selector.literal) json = selector.value;
    else if (exhausted) json = null;
    else {
      const end = cellEnd(line, p);
      json = cellJson(line, p, end);
      if (end < line.length && line[end] !== ',') throw new TableSyntaxError('expected , after a cell');
      p = end + 1;
      exhausted = end >= line.length;
    }
    if (json !== null) values.push({ path: column.path, json });
  }
  if (!exhausted) throw new TableSyntaxError('more cells than columns');
  return objectJson(values);
}

/** A JSON object from leaf values in column order; a leaf's path names the objects it sits in. */
function objectJson(values: readonly { path: readonly string[]; json: string }[]): string {
  let out = '{';
  const open: string[] = [];
  const started: boolean[] = [false];
  for (const { path, json } of values) {
    let shared = 0;
    while (shared < open.length && shared < path.length - 1 && open[shared] === path[shared]) shared++;
    while (open.length > shared) {
      out += '}';
      open.pop();
      started.pop();
    }
    for (let depth = shared; depth < path.length - 1; depth++) {
      out += `${started[started.length - 1] ? ',' : ''}${path[depth]}:{`;
      started[started.length - 1] = true;
      open.push(path[depth] as string);
      started.push(false);
    }
    out += `${started[started.length - 1] ? ',' : ''}${path[path.length - 1]}:${json}`;
    started[started.length - 1] = true;
  }
  return `${out}${'}'.repeat(open.length)}}`;
}

function keyValueRow(line: string): string {
  const pairs: string[] = [];
  let p = 0;
  while (p < line.length) {
    const key = readKey(line, p);
    if (line[key.end] !== '=') throw new TableSyntaxError('expected = after a key');
    const end = cellEnd(line, key.end + 1);
    const json = cellJson(line, key.end + 1, end);
    if (json === null) throw new TableSyntaxError('empty value');
    pairs.push(`${key.literal}:${json}`);
    if (end < line.length && line[end] !== ',') throw new TableSyntaxError('expected , after a value');
    p = end + 1;
    if (end === line.length - 1) throw new TableSyntaxError('trailing ,');
  }
  return `{${pairs.join(',')}}`;
}
