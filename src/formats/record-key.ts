/**
 * Names for records and for paths inside them, shared by the write side of
 * every format: a slot's path is relative to its record, or to an element
 * when the record is an array of records.
 */
import type { JsonPath, Origin } from './types.js';

/** Identifies a record: one line of a file (a JSON document is its first line's record). */
export function recordKey(origin: Pick<Origin, 'file' | 'line'>): string {
  return `${origin.file}\u0000${origin.line}`;
}

/** A slot path is relative to its record, or to an element when the record is an array of records. */
export function pathInRecord(origin: Origin, path: JsonPath): JsonPath {
  return origin.element === undefined ? path : [origin.element, ...path];
}
