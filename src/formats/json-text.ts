/**
 * Small helpers for reading values out of parsed JSON without `any`.
 */
import { isJsonObject, type JsonObject, type JsonValue } from './types.js';

export function stringField(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberField(object: JsonObject, key: string): number | undefined {
  const value = object[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function objectField(object: JsonObject, key: string): JsonObject | undefined {
  const value = object[key];
  return isJsonObject(value) ? value : undefined;
}

export function arrayField(object: JsonObject, key: string): JsonValue[] | undefined {
  const value = object[key];
  return Array.isArray(value) ? value : undefined;
}

/** A value still to write, or literal text (brackets, commas, keys) to emit. */
type CanonicalWork = { value: JsonValue } | { text: string };

/**
 * JSON with sorted keys and no spaces: equal values give equal strings.
 * Iterative, like JSON.parse: a value nested a million deep (valid JSON in a
 * tool call's arguments) must not overflow the stack as recursion would.
 */
export function canonicalJson(value: JsonValue): string {
  const out: string[] = [];
  const stack: CanonicalWork[] = [{ value }];
  for (let work = stack.pop(); work; work = stack.pop()) {
    if ('text' in work) {
      out.push(work.text);
      continue;
    }
    const current = work.value;
    if (Array.isArray(current)) {
      out.push('[');
      stack.push({ text: ']' });
      for (let index = current.length - 1; index >= 0; index--) {
        stack.push({ value: current[index] as JsonValue });
        if (index > 0) stack.push({ text: ',' });
      }
    } else if (isJsonObject(current)) {
      const keys = Object.keys(current).sort();
      out.push('{');
      stack.push({ text: '}' });
      for (let index = keys.length - 1; index >= 0; index--) {
        const key = keys[index] as string;
        stack.push({ value: current[key] as JsonValue }, { text: `${index > 0 ? ',' : ''}${JSON.stringify(key)}:` });
      }
    } else {
      out.push(JSON.stringify(current));
    }
  }
  return out.join('');
}

/** Parses a JSON string if it is one; returns the input otherwise (tool arguments are often strings). */
export function parseMaybeJson(value: JsonValue): JsonValue {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed) as JsonValue;
  } catch {
    return value;
  }
}

/** Keys whose string values are not text the model reads: ids, signatures, encrypted blobs. */
const NON_TEXT_KEYS = new Set([
  'type',
  'id',
  'tool_use_id',
  'call_id',
  'signature',
  'encrypted_content',
  'encrypted_index',
  'media_type',
  'mime_type',
  'mimeType',
  'cache_control',
  'status',
]);

/**
 * The readable text inside an arbitrary JSON value (server-tool results,
 * unfamiliar blocks): its string leaves in document order, skipping ids,
 * signatures and inline base64 payloads. Iterative (see canonicalJson).
 */
export function collectText(value: JsonValue, out: string[] = []): string[] {
  const stack: JsonValue[] = [value];
  for (let current = stack.pop(); current !== undefined; current = stack.pop()) {
    if (typeof current === 'string') {
      if (current.length > 0) out.push(current);
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) stack.push(current[index] as JsonValue);
    } else if (isJsonObject(current)) {
      const inlineBase64 = current['type'] === 'base64';
      const children = Object.entries(current).filter(([key]) => !NON_TEXT_KEYS.has(key) && !(inlineBase64 && key === 'data'));
      for (let index = children.length - 1; index >= 0; index--) stack.push((children[index] as [string, JsonValue])[1]);
    }
  }
  return out;
}
