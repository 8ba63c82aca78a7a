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

/** JSON with sorted keys and no spaces: equal values give equal strings. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as JsonValue)}`).join(',')}}`;
  }
  return JSON.stringify(value);
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
 * unfamiliar blocks): its string leaves, skipping ids, signatures and inline
 * base64 payloads, joined by newlines.
 */
export function collectText(value: JsonValue, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.length > 0) out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectText(item, out);
  } else if (isJsonObject(value)) {
    const inlineBase64 = value['type'] === 'base64';
    for (const [key, child] of Object.entries(value)) {
      if (NON_TEXT_KEYS.has(key)) continue;
      if (inlineBase64 && key === 'data') continue;
      collectText(child, out);
    }
  }
  return out;
}
