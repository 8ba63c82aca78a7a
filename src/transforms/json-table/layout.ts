/**
 * The candidate layouts of one array of objects: a table (a header of
 * columns, one row of cells per object), buckets (one table header per value
 * of a discriminator field, rows still in their original order) and
 * key=value rows. Each is a lazy sequence of lines, so the encoder can count
 * tokens row by row and stop a candidate as soon as it is beaten.
 *
 * Text shapes (cells and keys: syntax.ts):
 *
 *   [3]{id,meta.tier,meta.az,status=ok}      table: `meta.*` flattened, `status` the same in every row
 *   1,free,a
 *   2,pro,b
 *   3                                         (row 3 has no `meta`: empty cells are missing keys, trailing ones left off)
 *
 *   [4] by type                               buckets: one header per value, each row led by its value
 *   click{ts,type,x,y}
 *   error{ts,type,code}
 *   click,2024-05-01T10:00:00Z,10,20
 *   error,2024-05-01T10:00:07Z,500
 *
 *   [3] in 2 shapes                           buckets without a discriminator: one header per key list
 *   1{id,user_id,amount}
 *   2{id,metric,value}
 *   1,1,1825,-949.98
 *   2,2,cpu,0.5
 *   1,3,1425,180.99
 *
 *   [2] key=value                             key=value rows: any objects, keys in their own order
 *   id=1,name=a
 *   name=b,tags=["x"]
 *
 * A table keeps each object's key order: columns follow the order keys
 * first appear in, and an array where two objects order shared keys
 * differently gets no table (key=value rows keep any order).
 */
import type { Encoded, EncodedEntry } from './values.js';
import { keyText, stringCell } from './syntax.js';

export interface LayoutSettings {
  /** Share of rows a key must be in to be a core field. */
  readonly coreFieldFraction: number;
  /** Core keys / all keys below this: the rows are heterogeneous, try buckets. */
  readonly heterogeneousCoreRatio: number;
  /** Most inner keys of an object column flattened into `a.b` columns; 0 turns flattening off. */
  readonly maxFlattenInnerKeys: number;
  readonly minBuckets: number;
  readonly maxBuckets: number;
  /** State a column that is the same in every row once, in the header. */
  readonly factorOutConstants: boolean;
}

export type LayoutKind = 'table' | 'buckets' | 'kv';

export interface Layout {
  readonly kind: LayoutKind;
  /** The discriminator key of a bucket layout. */
  readonly discriminator: string | null;
  lines(): Iterable<string>;
}

/** The objects of an array, each as its entries; and the marker strings after them. */
export interface ArrayRows {
  readonly rows: readonly (readonly EncodedEntry[])[];
  /** Trailing selection-marker strings, verbatim. */
  readonly markers: readonly string[];
}

/** Nesting deeper than this is not flattened: the cell keeps the object's JSON. */
const MAX_FLATTEN_DEPTH = 4;
/** The reference's bound: a discriminator with more distinct values than this share of rows is an id, not a kind. */
const MAX_DISCRIMINATOR_SHARE = 0.7;
/** Below this share of filled cells a table is mostly commas: key=value rows are worth counting. */
const SPARSE_FILL = 0.6;

export function cellOf(value: Encoded): string {
  return value.kind === 'string' ? stringCell(value.value, value.text) : value.text;
}

interface Column {
  readonly header: string;
  /** Per row: the cell, or undefined when the row lacks the key. */
  readonly cells: readonly (string | undefined)[];
  /** The cell every row holds, when stated once in the header. */
  readonly constant: string | null;
  /** The discriminator column of a bucket: its value leads each row. */
  readonly selector: boolean;
}

/** Key order for a table: the order keys first appear in, or null when two rows disagree (or a row repeats a key). */
function columnOrder(rows: readonly (readonly EncodedEntry[])[]): EncodedEntry[] | null {
  const order: EncodedEntry[] = [];
  const index = new Map<string, number>();
  const reindex = (): void => {
    index.clear();
    order.forEach((entry, i) => index.set(entry.key, i));
  };
  // The last row each key was seen in: a second sighting in the same row is a repeated key.
  const seenIn = new Map<string, number>();
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as readonly EncodedEntry[];
    let previous = -1;
    for (let i = 0; i < row.length; i++) {
      const entry = row[i] as EncodedEntry;
      if (seenIn.get(entry.key) === r) return null;
      seenIn.set(entry.key, r);
      const at = index.get(entry.key);
      if (at === undefined) {
        // As late as the row allows: just before the row's next key already placed, else last.
        let next = order.length;
        for (let j = i + 1; j < row.length; j++) {
          const placed = index.get((row[j] as EncodedEntry).key);
          if (placed !== undefined) {
            next = placed;
            break;
          }
        }
        if (next <= previous) return null;
        order.splice(next, 0, entry);
        reindex();
        previous = next;
      } else if (at <= previous || order[at]?.literal !== entry.literal) {
        return null;
      } else previous = at;
    }
  }
  return order;
}

/** The entries of an object value if every present value is an object with the same 1..max keys in the same order. */
function uniformInnerKeys(values: readonly (Encoded | undefined)[], max: number): readonly EncodedEntry[] | null {
  let shape: readonly EncodedEntry[] | null = null;
  for (const value of values) {
    if (value === undefined) continue;
    if (value.kind !== 'object') return null;
    if (shape === null) {
      if (value.entries.length === 0 || value.entries.length > max) return null;
      if (new Set(value.entries.map((entry) => entry.key)).size !== value.entries.length) return null;
      shape = value.entries;
    } else if (value.entries.length !== shape.length || value.entries.some((entry, i) => entry.literal !== shape?.[i]?.literal)) return null;
  }
  return shape;
}

function columnsFor(header: string, values: readonly (Encoded | undefined)[], settings: LayoutSettings, depth: number, columns: Column[], selectorKey: string | null): void {
  const inner = depth < MAX_FLATTEN_DEPTH && selectorKey === null ? uniformInnerKeys(values, settings.maxFlattenInnerKeys) : null;
  if (inner !== null) {
    inner.forEach((entry, i) => {
      const sub = values.map((value) => (value?.kind === 'object' ? value.entries[i]?.value : undefined));
      columnsFor(`${header}.${keyText(entry.key, entry.literal)}`, sub, settings, depth + 1, columns, null);
    });
    return;
  }
  const cells = values.map((value) => (value === undefined ? undefined : cellOf(value)));
  const selector = selectorKey !== null;
  let constant: string | null = null;
  if (!selector && settings.factorOutConstants && cells.length >= 2) {
    const first = cells[0];
    if (first !== undefined && cells.every((cell) => cell === first)) constant = first;
  }
  columns.push({ header, cells, constant, selector });
}

/** The columns of a table over `rows`, or null when no key order fits every row. */
function tableColumns(rows: readonly (readonly EncodedEntry[])[], settings: LayoutSettings, selectorKey: string | null): Column[] | null {
  const order = columnOrder(rows);
  if (order === null) return null;
  // Every row lists its keys in column order (columnOrder checked), so one pointer per row finds its cells.
  // Filled, not holey: every() and map() skip holes, and a missing cell must count.
  const values = order.map(() => new Array<Encoded | undefined>(rows.length).fill(undefined));
  rows.forEach((row, r) => {
    let next = 0;
    order.forEach((entry, c) => {
      const candidate = row[next];
      if (candidate !== undefined && candidate.key === entry.key) {
        (values[c] as (Encoded | undefined)[])[r] = candidate.value;
        next++;
      }
    });
  });
  const columns: Column[] = [];
  order.forEach((entry, c) => {
    columnsFor(keyText(entry.key, entry.literal), values[c] as (Encoded | undefined)[], settings, 0, columns, entry.key === selectorKey ? entry.key : null);
  });
  return columns;
}

function schema(columns: readonly Column[]): string {
  return `{${columns.map((column) => (column.constant === null ? column.header : `${column.header}=${column.constant}`)).join(',')}}`;
}

/** Row `r`'s cells of the columns not stated in the header, with trailing missing cells left off. */
function rowCells(columns: readonly Column[], r: number): string {
  let line = '';
  let pending = '';
  let first = true;
  for (const column of columns) {
    if (column.constant !== null || column.selector) continue;
    const cell = column.cells[r];
    if (!first) pending += ',';
    first = false;
    if (cell !== undefined) {
      // Separators before a cell are written only once a cell follows them.
      line += pending + cell;
      pending = '';
    }
  }
  return line;
}

function tableLayout(array: ArrayRows, settings: LayoutSettings): { layout: Layout; fill: number } | null {
  const columns = tableColumns(array.rows, settings, null);
  if (columns === null) return null;
  const open = columns.filter((column) => column.constant === null);
  const filled = open.reduce((sum, column) => sum + column.cells.filter((cell) => cell !== undefined).length, 0);
  const fill = open.length === 0 ? 1 : filled / (open.length * array.rows.length);
  const layout: Layout = {
    kind: 'table',
    discriminator: null,
    *lines() {
      yield `[${array.rows.length}]${schema(columns)}`;
      for (let r = 0; r < array.rows.length; r++) yield rowCells(columns, r);
      yield* array.markers;
    },
  };
  return { layout, fill };
}

/** Keys in at least `coreFieldFraction` of rows, over all keys; 1 when there are no keys. */
export function coreRatio(rows: readonly (readonly EncodedEntry[])[], coreFieldFraction: number): number {
  const frequency = keyFrequencies(rows);
  if (frequency.size === 0) return 1;
  const threshold = Math.ceil(rows.length * coreFieldFraction);
  let core = 0;
  for (const count of frequency.values()) if (count >= threshold) core++;
  return core / frequency.size;
}

function keyFrequencies(rows: readonly (readonly EncodedEntry[])[]): Map<string, number> {
  const frequency = new Map<string, number>();
  const seenIn = new Map<string, number>();
  rows.forEach((row, r) => {
    for (const { key } of row) {
      if (seenIn.get(key) === r) continue;
      seenIn.set(key, r);
      frequency.set(key, (frequency.get(key) ?? 0) + 1);
    }
  });
  return frequency;
}

/**
 * The field to bucket heterogeneous rows by: in every row, always a string,
 * with minBuckets..maxBuckets distinct values (and not nearly one per row);
 * the most distinct values wins, then the first key alphabetically.
 */
export function discriminatorOf(rows: readonly (readonly EncodedEntry[])[], settings: LayoutSettings): string | null {
  let best: { key: string; distinct: number } | null = null;
  const keys = [...keyFrequencies(rows)].filter(([, count]) => count === rows.length).map(([key]) => key);
  for (const key of keys.sort()) {
    const values = new Set<string>();
    let strings = true;
    for (const row of rows) {
      const value = row.find((entry) => entry.key === key)?.value;
      if (value?.kind !== 'string') {
        strings = false;
        break;
      }
      values.add(value.text);
      if (values.size > settings.maxBuckets) break;
    }
    const distinct = values.size;
    if (!strings || distinct < settings.minBuckets || distinct > settings.maxBuckets || distinct > MAX_DISCRIMINATOR_SHARE * rows.length) continue;
    if (best === null || distinct > best.distinct) best = { key, distinct };
  }
  return best?.key ?? null;
}

/**
 * Rows grouped into buckets, each with its own table header, rows in their
 * original order, each led by its bucket's label: the discriminator's value
 * (`key` set), or the bucket's number when rows are grouped by their key
 * list (`key` null, `[N] in K shapes`).
 */
function bucketLayout(array: ArrayRows, key: string | null, settings: LayoutSettings): Layout | null {
  const groups = new Map<string, number[]>();
  const labels: string[] = [];
  const shapes = new Map<string, string>();
  array.rows.forEach((row, r) => {
    let label: string;
    if (key !== null) label = cellOf(row.find((entry) => entry.key === key)?.value as Encoded);
    else {
      const shape = row.map((entry) => entry.literal).join(',');
      label = shapes.get(shape) ?? String(shapes.size + 1);
      shapes.set(shape, label);
    }
    labels.push(label);
    const members = groups.get(label);
    if (members) members.push(r);
    else groups.set(label, [r]);
  });
  if (key === null && (groups.size < settings.minBuckets || groups.size > settings.maxBuckets)) return null;
  const tables = new Map<string, { columns: Column[]; position: Map<number, number> }>();
  for (const [label, members] of groups) {
    const columns = tableColumns(
      members.map((r) => array.rows[r] as readonly EncodedEntry[]),
      settings,
      key,
    );
    if (columns === null) return null;
    tables.set(label, { columns, position: new Map(members.map((r, i) => [r, i])) });
  }
  const keyHeader = key === null ? undefined : array.rows[0]?.find((entry) => entry.key === key);
  const header = keyHeader ? `by ${keyText(keyHeader.key, keyHeader.literal)}` : `in ${groups.size} shapes`;
  return {
    kind: 'buckets',
    discriminator: key,
    *lines() {
      yield `[${array.rows.length}] ${header}`;
      for (const [label, table] of tables) yield `${label}${schema(table.columns)}`;
      for (let r = 0; r < array.rows.length; r++) {
        const label = labels[r] as string;
        const table = tables.get(label);
        const cells = table ? rowCells(table.columns, table.position.get(r) ?? 0) : '';
        yield cells.length === 0 ? label : `${label},${cells}`;
      }
      yield* array.markers;
    },
  };
}

function keyValueLayout(array: ArrayRows): Layout {
  return {
    kind: 'kv',
    discriminator: null,
    *lines() {
      yield `[${array.rows.length}] key=value`;
      for (const row of array.rows) yield row.map((entry) => `${keyText(entry.key, entry.literal)}=${cellOf(entry.value)}`).join(',');
      yield* array.markers;
    },
  };
}

/**
 * The layouts worth counting for `array`, cheapest-looking first: the table
 * (when key order allows), buckets when the rows are heterogeneous and a
 * discriminator exists, and key=value rows when there is no table or it
 * would be mostly empty cells.
 */
export function candidateLayouts(array: ArrayRows, settings: LayoutSettings): Layout[] {
  const layouts: Layout[] = [];
  const table = tableLayout(array, settings);
  if (table) layouts.push(table.layout);
  if (coreRatio(array.rows, settings.coreFieldFraction) < settings.heterogeneousCoreRatio) {
    // Without a discriminator field, rows with the same keys in the same order share a header.
    const buckets = bucketLayout(array, discriminatorOf(array.rows, settings), settings);
    if (buckets) layouts.push(buckets);
  }
  if (table === null || table.fill < SPARSE_FILL) layouts.push(keyValueLayout(array));
  return layouts;
}
