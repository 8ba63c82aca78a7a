/**
 * Finds the arrays worth crushing in a JSON document and splices in what the
 * crusher makes of them.
 *
 * Every array with at least `minItems` items is a candidate: at the top
 * level, in object fields, inside other arrays, and inside JSON that is
 * itself the text of a string field. The walk goes top down, so an array is
 * offered before anything inside it (biggest first along every path); a
 * crushed array's kept items are copied as written and not walked again,
 * which keeps crushing idempotent. An array that already ends with a
 * selection marker was crushed before and is left alone, contents included;
 * one that holds a marker deeper inside was left by an earlier pass and is
 * only walked.
 * Objects used as maps (see `isMap`: keyed by ids with record values, or
 * large and scalar-valued) are candidates like arrays.
 */
import { selectionEntryOf, selectionMarkerOf, splice, MAX_STRING_NESTING, type Splice } from '../../ccr/selections.js';
import { minifyJson, parseRawJson, type RawDocument, type RawNode } from '../../json/index.js';

export type ArrayNode = Extract<RawNode, { type: 'array' }>;
export type ObjectNode = Extract<RawNode, { type: 'object' }>;

/** What the crusher did with one candidate: its new text, or nothing (then the walk looks inside it). */
export type ArrayOutcome = { text: string } | null;

export interface Walker {
  readonly minItems: number;
  /** Crushes one candidate array (or map) of `doc`, or returns null to leave it (and have its items walked). */
  crush(doc: RawDocument, node: ArrayNode | ObjectNode): Promise<ArrayOutcome>;
  /** Called for an array that already carries selection markers. */
  marked(): void;
}

/** The splices that crush `doc`'s candidate arrays, in document order. */
export async function walkDocument(doc: RawDocument, walker: Walker, nesting = 0): Promise<Splice[]> {
  const edits: Splice[] = [];
  await walkNode(doc, doc.root, walker, edits, nesting);
  return edits;
}

async function walkNode(doc: RawDocument, node: RawNode, walker: Walker, edits: Splice[], nesting: number): Promise<void> {
  switch (node.type) {
    case 'array': {
      const last = node.items[node.items.length - 1];
      if (last !== undefined && selectionMarkerOf(last) !== null) {
        walker.marked();
        return;
      }
      if (node.items.length >= walker.minItems && !holdsMarker(doc, node)) {
        const outcome = await walker.crush(doc, node);
        if (outcome !== null) {
          edits.push({ start: node.start, end: node.end, text: outcome.text });
          return;
        }
      }
      for (const item of node.items) await walkNode(doc, item, walker, edits, nesting);
      return;
    }
    case 'object': {
      const last = node.entries[node.entries.length - 1];
      if (last !== undefined && selectionEntryOf(last) !== null) {
        walker.marked();
        return;
      }
      if (node.entries.length >= walker.minItems && isMap(node) && !holdsMarker(doc, node)) {
        const outcome = await walker.crush(doc, node);
        if (outcome !== null) {
          edits.push({ start: node.start, end: node.end, text: outcome.text });
          return;
        }
      }
      for (const entry of node.entries) await walkNode(doc, entry.value, walker, edits, nesting);
      return;
    }
    case 'string': {
      const inner = nesting < MAX_STRING_NESTING ? embeddedJson(node.value) : null;
      if (inner === null) return;
      const innerEdits = await walkDocument(inner, walker, nesting + 1);
      // Only a string whose JSON was crushed is rewritten (minified and re-escaped); others stay as written.
      if (innerEdits.length > 0) edits.push({ start: node.start, end: node.end, text: JSON.stringify(splice(inner.text, innerEdits)) });
      return;
    }
    default:
      return;
  }
}

/**
 * Whether a container already holds a marker somewhere inside it: an earlier
 * pass offered it, left it, and crushed something within. Offering it again
 * would weigh different items (the crushed ones) and could crush it now, so
 * crushing the output again would change it; such a container is only walked.
 */
function holdsMarker(doc: RawDocument, node: ArrayNode | ObjectNode): boolean {
  const at = doc.text.indexOf(MARKER_START, node.start);
  return at >= 0 && at < node.end;
}

/** How every marker starts (src/ccr/markers.ts), in raw JSON and in JSON embedded in a string alike: nothing in it is escaped. */
const MARKER_START = '[headroom: omitted ';

/**
 * An object used as a map rather than a record, so its entries are items of
 * one collection, not fields of one thing: either every key holds a digit
 * (ids, versions, dates — field names rarely do) and every value is an
 * object, or it is a scalar map (`isScalarMap`).
 */
export function isMap(node: ObjectNode): boolean {
  return node.entries.every((entry) => entry.value.type === 'object' && /\d/.test(entry.key)) || isScalarMap(node);
}

/**
 * Entries a record rarely has: a scalar-valued object this large is keyed by
 * data (user names, version numbers, dates), not by a schema.
 */
export const SCALAR_MAP_MIN_ENTRIES = 50;

/**
 * A map from keys to scalars — npm's `"users": {"alice": true, …}` or
 * `"time": {"1.0.0": "2013-05-29T…", …}`: at least SCALAR_MAP_MIN_ENTRIES
 * entries and every value a string, number, boolean or null. Its entries are
 * the items (the key is what tells them apart, so the selection reads each
 * entry's `"key":value` text).
 */
export function isScalarMap(node: ObjectNode): boolean {
  return node.entries.length >= SCALAR_MAP_MIN_ENTRIES && node.entries.every((entry) => entry.value.type !== 'object' && entry.value.type !== 'array' && entry.value.type !== 'opaque');
}

/** The JSON container a string field holds, minified, or null when the string is not one. */
function embeddedJson(value: string): RawDocument | null {
  const first = value.trimStart()[0];
  if (first !== '[' && first !== '{') return null;
  const compact = minifyJson(value);
  return compact === null ? null : parseRawJson(compact);
}
