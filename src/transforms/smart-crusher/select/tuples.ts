/**
 * Arrays of arrays whose items are rows (tuples): Prometheus range results
 * (`[[1700000000,"0.51"],…]`), SQL-style `rows` next to `columns`. Each tuple
 * is presented as a record keyed by position ("0", "1", …) over the same raw
 * nodes, so the object analysis (errors, anomalies, change points, anchors,
 * relevance) applies unchanged. The records share the tuples' spans, so any
 * text read from them is the tuple's own text; nothing is copied, and the
 * positional keys never reach the output (the crusher copies kept items'
 * raw text).
 */
import type { RawNode } from '../../../json/index.js';

/** Longer inner arrays are lists in their own right (crushed one level down), not rows. */
export const MAX_TUPLE_LENGTH = 32;
/** Rows of one table differ in length by at most this much (optional trailing columns). */
export const MAX_TUPLE_LENGTH_SPREAD = 2;

type ArrayNode = Extract<RawNode, { type: 'array' }>;

/**
 * The items as positional records when every item is a tuple, or the reason
 * they are not rows: `nested_arrays` (an inner array too long to be a row) or
 * `ragged_arrays` (lengths too different to be columns of one table).
 */
export function tupleRecords(items: readonly RawNode[]): { records: RawNode[] } | { skip: string } {
  let shortest = Infinity;
  let longest = 0;
  for (const item of items) {
    if (item.type !== 'array') return { skip: 'nested_arrays' };
    shortest = Math.min(shortest, item.items.length);
    longest = Math.max(longest, item.items.length);
  }
  if (longest > MAX_TUPLE_LENGTH || longest === 0) return { skip: 'nested_arrays' };
  if (longest - shortest > MAX_TUPLE_LENGTH_SPREAD) return { skip: 'ragged_arrays' };
  return { records: items.map((item) => asRecord(item as ArrayNode)) };
}

function asRecord(tuple: ArrayNode): RawNode {
  return {
    type: 'object',
    start: tuple.start,
    end: tuple.end,
    // keyStart points at the value: the key has no text of its own (nothing in the selection reads it).
    entries: tuple.items.map((value, position) => ({ key: String(position), keyStart: value.start, value })),
  };
}
