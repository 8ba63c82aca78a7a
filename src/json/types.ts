/**
 * The JSON types every layer shares. They live here, at the bottom of the
 * import graph, so that `input/` (which reads records) and `formats/` (which
 * interprets them) can both use them without importing each other.
 */

/** A JSON value as produced by JSON.parse. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Path from a value's root to a value inside it: object keys and array indices. */
export type JsonPath = ReadonlyArray<string | number>;

/** UTF-16 offsets into the text; `end` is exclusive. Covers exactly the value's literal. */
export interface TextRange {
  start: number;
  end: number;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The parsed value at `path` inside `value`, or undefined where the path leads nowhere. */
export function valueAt(value: JsonValue | undefined, path: JsonPath): JsonValue | undefined {
  let current = value;
  for (const segment of path) {
    if (current === undefined || current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current) ? (typeof segment === 'number' ? current[segment] : undefined) : current[String(segment)];
  }
  return current;
}
