/**
 * Selection markers: how a lossy JSON compressor says which elements of an
 * array it dropped, and the exact inverse that puts them back.
 *
 * A crushed array keeps some of its elements (copied as written, in order)
 * and ends with one or more marker strings, e.g.
 *
 *   [{"id":1},{"id":7},"[headroom: omitted 998 items (indices 1-5,7-999 of 1000); headroom_retrieve hash=…]"]
 *
 * The detail names the dropped 0-based index ranges and the array's length;
 * the original stored under the key is `[` + the dropped elements' text joined
 * by `,` + `]`, so `headroom retrieve KEY` prints them as a JSON array. When
 * the ranges do not fit one marker's detail, they are split over several
 * markers (each with its own ranges and stored subset), in index order.
 *
 * An object used as a map (`{"138586341": {…}, "138586345": {…}, …}`) is a
 * collection too: its kept entries stay as written and the markers are extra
 * entries at its end, `"_headroom_omitted": "[headroom: omitted …]"` (then
 * `_headroom_omitted_2`, …); the indices count entries, and the original is
 * `{` + the dropped entries (`"key":value`) joined by `,` + `}`.
 */
import { parseRawJson, rawText, type RawDocument, type RawEntry, type RawNode } from '../json/index.js';
import { MARKER_DETAIL_MAX_LENGTH, MARKER_PATTERN } from './markers.js';

/** One run of consecutive indices, both ends included. */
export interface IndexRange {
  readonly first: number;
  readonly last: number;
}

/** The dropped indices of one marker and its detail text (`indices 3-56,58-997 of 1000`). */
export interface SelectionChunk {
  readonly indices: readonly number[];
  readonly detail: string;
}

const WHOLE_MARKER = new RegExp(`^${MARKER_PATTERN.source}$`);
const DETAIL_SHAPE = /^indices ((?:\d+(?:-\d+)?)(?:,\d+(?:-\d+)?)*) of (\d+)$/;

/** Runs of consecutive values in ascending `indices`. */
export function indexRanges(indices: readonly number[]): IndexRange[] {
  const ranges: IndexRange[] = [];
  for (let i = 0; i < indices.length; i++) {
    const first = indices[i] as number;
    let last = first;
    while (i + 1 < indices.length && indices[i + 1] === last + 1) last = indices[++i] as number;
    ranges.push({ first, last });
  }
  return ranges;
}

function rangeText(range: IndexRange): string {
  return range.first === range.last ? String(range.first) : `${range.first}-${range.last}`;
}

/**
 * The dropped indices (ascending) of an array of `length` elements, split into
 * as few markers as the marker's detail limit allows, in index order.
 */
export function selectionChunks(dropped: readonly number[], length: number): SelectionChunk[] {
  const suffix = ` of ${length}`;
  const budget = MARKER_DETAIL_MAX_LENGTH - 'indices '.length - suffix.length;
  const chunks: SelectionChunk[] = [];
  let texts: string[] = [];
  let indices: number[] = [];
  let used = 0;
  const flush = (): void => {
    if (texts.length === 0) return;
    chunks.push({ indices, detail: `indices ${texts.join(',')}${suffix}` });
    texts = [];
    indices = [];
    used = 0;
  };
  for (const range of indexRanges(dropped)) {
    const text = rangeText(range);
    const cost = text.length + (texts.length > 0 ? 1 : 0);
    if (used + cost > budget) flush();
    used += text.length + (texts.length > 0 ? 1 : 0);
    texts.push(text);
    for (let index = range.first; index <= range.last; index++) indices.push(index);
  }
  flush();
  return chunks;
}

/** A selection marker's detail read back: the dropped indices and the array's length; null for any other detail. */
export function parseSelectionDetail(detail: string): { indices: number[]; length: number } | null {
  const match = DETAIL_SHAPE.exec(detail);
  if (!match) return null;
  const indices: number[] = [];
  for (const part of (match[1] as string).split(',')) {
    const [first, last = first] = part.split('-').map(Number) as [number, number?];
    if (last < first) return null;
    for (let index = first; index <= last; index++) indices.push(index);
  }
  return { indices, length: Number(match[2]) };
}

/** The key and selection of `node` when it is a string holding exactly one selection marker; else null. */
export function selectionMarkerOf(node: RawNode): { key: string; indices: number[]; length: number } | null {
  if (node.type !== 'string') return null;
  const match = WHOLE_MARKER.exec(node.value);
  if (!match || match[2] !== 'items' || match[3] === undefined) return null;
  const selection = parseSelectionDetail(match[3]);
  if (selection === null || selection.indices.length !== Number(match[1])) return null;
  return { key: match[4] as string, ...selection };
}

/** The key of the `n`th (0-based) marker entry of a crushed map. */
export function omittedKey(n: number): string {
  return n === 0 ? '_headroom_omitted' : `_headroom_omitted_${n + 1}`;
}

const OMITTED_KEY = /^_headroom_omitted(?:_\d+)?$/;

/** The selection of a map entry that is one of a crushed map's marker entries; else null. */
export function selectionEntryOf(entry: RawEntry): ReturnType<typeof selectionMarkerOf> {
  return OMITTED_KEY.test(entry.key) ? selectionMarkerOf(entry.value) : null;
}

/** The exact text of an object entry, `"key":value` as written. */
export function entryText(doc: RawDocument, entry: RawEntry): string {
  return doc.text.slice(entry.keyStart, entry.value.end);
}

/** True when `text` holds at least one selection marker (cheap pre-check before parsing). */
export function mayHoldSelections(text: string): boolean {
  return text.includes('[headroom: omitted ') && text.includes(' items (indices ');
}

/**
 * `text` with every crushed array made whole again: each element stored
 * under a selection marker is put back at its index, the kept elements fill
 * the other indices in order, and the markers go. Arrays inside JSON that is
 * itself inside a string field are restored too (that string is re-escaped
 * as JSON.stringify writes it). Null when a key is not found or a marker does
 * not match its stored elements. Text without selection markers comes back as it is.
 */
export function restoreSelections(text: string, originalOf: (key: string) => string | null): string | null {
  if (!mayHoldSelections(text)) return text;
  const doc = parseRawJson(text);
  if (doc === null) return null;
  const edits: Splice[] = [];
  if (!restoreNode(doc, doc.root, originalOf, edits, 0)) return null;
  return splice(text, edits);
}

/** A replacement of `text.slice(start, end)`. */
export interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** `text` with non-overlapping `edits` (in document order) applied. */
export function splice(text: string, edits: readonly Splice[]): string {
  let out = '';
  let copied = 0;
  for (const edit of edits) {
    out += text.slice(copied, edit.start) + edit.text;
    copied = edit.end;
  }
  return out + text.slice(copied);
}

/** JSON inside strings inside JSON… is followed this many levels deep. */
export const MAX_STRING_NESTING = 8;

function restoreNode(doc: RawDocument, node: RawNode, originalOf: (key: string) => string | null, edits: Splice[], nesting: number): boolean {
  switch (node.type) {
    case 'array': {
      const whole = restoreArray(doc, node.items, originalOf);
      if (whole === false) return false;
      if (whole !== null) {
        edits.push({ start: node.start, end: node.end, text: whole });
        return true;
      }
      return node.items.every((item) => restoreNode(doc, item, originalOf, edits, nesting));
    }
    case 'object': {
      const whole = restoreMap(doc, node.entries, originalOf);
      if (whole === false) return false;
      if (whole !== null) {
        edits.push({ start: node.start, end: node.end, text: whole });
        return true;
      }
      return node.entries.every((entry) => restoreNode(doc, entry.value, originalOf, edits, nesting));
    }
    case 'string': {
      if (nesting >= MAX_STRING_NESTING || !mayHoldSelections(node.value)) return true;
      const inner = restoreSelections(node.value, originalOf);
      if (inner === null) return parseRawJson(node.value) === null;
      if (inner !== node.value) edits.push({ start: node.start, end: node.end, text: JSON.stringify(inner) });
      return true;
    }
    default:
      return true;
  }
}

type Marker = NonNullable<ReturnType<typeof selectionMarkerOf>>;

/** The array's whole text with its dropped elements back; null when it carries no selection marker; false when it cannot be restored. */
function restoreArray(doc: RawDocument, items: readonly RawNode[], originalOf: (key: string) => string | null): string | null | false {
  return restoreCollection(
    items,
    selectionMarkerOf,
    (node) => rawText(doc, node),
    ['[', ']'],
    originalOf,
    (stored) => (stored.root.type === 'array' ? stored.root.items.map((item) => rawText(stored, item)) : null),
  );
}

/** The map's whole text with its dropped entries back; null when it carries no marker entry; false when it cannot be restored. */
function restoreMap(doc: RawDocument, entries: readonly RawEntry[], originalOf: (key: string) => string | null): string | null | false {
  return restoreCollection(
    entries,
    selectionEntryOf,
    (entry) => entryText(doc, entry),
    ['{', '}'],
    originalOf,
    (stored) => (stored.root.type === 'object' ? stored.root.entries.map((entry) => entryText(stored, entry)) : null),
  );
}

/** A collection's members: kept ones, then trailing markers; rebuilt whole, or null (no marker) or false (cannot be restored). */
function restoreCollection<T>(
  members: readonly T[],
  markerOf: (member: T) => Marker | null,
  textOf: (member: T) => string,
  [open, close]: readonly [string, string],
  originalOf: (key: string) => string | null,
  elementsOf: (stored: RawDocument) => string[] | null,
): string | null | false {
  let markerStart = members.length;
  while (markerStart > 0 && markerOf(members[markerStart - 1] as T) !== null) markerStart--;
  if (markerStart === members.length) return null;
  const markers = members.slice(markerStart).map((member) => markerOf(member) as Marker);
  const whole = restoreSlots(members.slice(0, markerStart).map(textOf), markers, originalOf, elementsOf);
  return whole === false ? false : `${open}${whole.join(',')}${close}`;
}

/** Every element in index order: the stored ones at their indices, the kept ones in order in between; false on any mismatch. */
function restoreSlots(
  kept: readonly string[],
  markers: readonly Marker[],
  originalOf: (key: string) => string | null,
  elementsOf: (stored: RawDocument) => string[] | null,
): string[] | false {
  const length = markers[0]?.length;
  if (length === undefined) return false;
  const slots: (string | undefined)[] = [];
  let dropped = 0;
  for (const marker of markers) {
    if (marker.length !== length) return false;
    const original = originalOf(marker.key);
    const stored = original === null ? null : parseRawJson(original);
    const elements = stored === null ? null : elementsOf(stored);
    if (elements === null || elements.length !== marker.indices.length) return false;
    for (const [position, index] of marker.indices.entries()) {
      if (index >= length || slots[index] !== undefined) return false;
      slots[index] = elements[position];
      dropped++;
    }
  }
  if (kept.length + dropped !== length) return false;
  let next = 0;
  const whole: string[] = [];
  for (let index = 0; index < length; index++) whole.push(slots[index] ?? (kept[next++] as string));
  return whole;
}
