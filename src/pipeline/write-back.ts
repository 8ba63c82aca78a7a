/**
 * Write-back: turns an optimized request into edits of its record's original
 * text. Only replaced strings and the added retrieval tool change; every
 * other byte — key order, whitespace, unknown fields, ids, numbers of any
 * size — is the input's own, because the record is never re-serialized.
 */
import { retrievalToolJson } from '../ccr/retrieval-tool.js';
import type { JsonEdit } from '../formats/json-edit.js';
import { isJsonObject, type Dialect, type JsonPath, type JsonValue, type Origin } from '../formats/types.js';
import type { OptimizedRequest } from './optimize-request.js';

/** Identifies a record: one line of a file (a JSON document is its first line's record). */
export function recordKey(origin: Pick<Origin, 'file' | 'line'>): string {
  return `${origin.file}\u0000${origin.line}`;
}

/** A slot path is relative to its record, or to an element when the record is an array of records. */
export function pathInRecord(origin: Origin, path: JsonPath): JsonPath {
  return origin.element === undefined ? path : [origin.element, ...path];
}

/**
 * The edits an optimized request makes, grouped by record. `recordValue`
 * returns a record's parsed value (needed to see where the tools list is).
 */
export function requestEdits(optimized: OptimizedRequest, recordValue: (key: string) => JsonValue | undefined): Map<string, JsonEdit[]> {
  const edits = new Map<string, JsonEdit[]>();
  const add = (key: string, edit: JsonEdit): void => {
    const list = edits.get(key);
    if (list) list.push(edit);
    else edits.set(key, [edit]);
  };
  for (const [part, text] of optimized.replacements) {
    const slot = part.slot;
    if (!slot) throw new Error('a replaced part has no slot');
    add(recordKey(slot.origin), { op: 'replace', path: pathInRecord(slot.origin, slot.path), raw: JSON.stringify(text) });
  }
  const { request, toolToAdd } = optimized;
  if (toolToAdd && request.bodyPath) {
    const key = recordKey(request.origin);
    const path = pathInRecord(request.origin, request.bodyPath);
    const body = valueAt(recordValue(key), path);
    if (!isJsonObject(body)) throw new Error(`no request body at ${request.id}`);
    add(key, toolEdit(toolToAdd, body, path));
  }
  return edits;
}

/** Adds the retrieval tool at the end of the request's tools list, in the provider's shape. */
export function toolEdit(dialect: Dialect, body: { [key: string]: JsonValue }, bodyPath: JsonPath): JsonEdit {
  const tool = retrievalToolJson(dialect);
  const tools = body['tools'];
  if (dialect === 'gemini') {
    // Gemini groups function declarations inside Tool objects.
    const declaration = `{"functionDeclarations":[${tool}]}`;
    if (!Array.isArray(tools)) return { op: 'set', path: bodyPath, key: 'tools', raw: `[${declaration}]` };
    const holder = tools.findIndex((entry) => isJsonObject(entry) && Array.isArray(entry['functionDeclarations']));
    if (holder >= 0) return { op: 'append', path: [...bodyPath, 'tools', holder, 'functionDeclarations'], raw: tool };
    return { op: 'append', path: [...bodyPath, 'tools'], raw: declaration };
  }
  if (Array.isArray(tools)) return { op: 'append', path: [...bodyPath, 'tools'], raw: tool };
  return { op: 'set', path: bodyPath, key: 'tools', raw: `[${tool}]` };
}

function valueAt(value: JsonValue | undefined, path: JsonPath): JsonValue | undefined {
  let current = value;
  for (const segment of path) {
    if (current === undefined || current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current) ? (typeof segment === 'number' ? current[segment] : undefined) : current[String(segment)];
  }
  return current;
}
