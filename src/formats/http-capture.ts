/**
 * HTTP captures: `{request: {method, url, headers, body}, response: {status,
 * body}}`, one exchange per line (VCR cassettes, proxy logs). The request body
 * is parsed in its provider's dialect (from the URL when it says, else from the
 * body's shape); the response supplies the real usage, including from
 * server-sent-event streams.
 */
import { requestDialect, type Dialect } from './detect.js';
import { parseRequestBody } from './dialects.js';
import { objectField, stringField } from './json-text.js';
import { DIALECTS_BY_PRECEDENCE } from './registry.js';
import { isJsonObject, type JsonObject, type JsonValue, type Origin, type Request, type Usage } from './types.js';
import { parseUsage } from './usage.js';

export type CaptureResult = { kind: 'request'; request: Request } | { kind: 'skip'; endpoint: string };

function dialectFromUrl(url: string): Dialect | null | 'not-llm' {
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0] ?? '';
  for (const format of DIALECTS_BY_PRECEDENCE) if (format.reader.endpoint.test(path)) return format.id;
  if (/\/(count_tokens|embeddings|models|files|batches|mcp|moderations|audio|images)(\/|$)/.test(path) || path.endsWith(':countTokens')) return 'not-llm';
  return null;
}

export function parseCapture(record: JsonObject, origin: Origin, forced: Dialect | null): CaptureResult {
  const request = objectField(record, 'request') ?? {};
  const url = stringField(request, 'url') ?? '';
  const body = decodeBody(request['body'] ?? null);
  const fromUrl = dialectFromUrl(url);
  const dialect = forced ?? (fromUrl === 'not-llm' ? null : (fromUrl ?? requestDialect(body)));
  if (!dialect) return { kind: 'skip', endpoint: endpointName(url) };
  const responseObject = objectField(record, 'response');
  const responseBody = responseObject ? decodeBody(responseObject['body'] ?? null) : null;
  const parsed = parseRequestBody(dialect, body, origin, isJsonObject(responseBody) ? responseBody : null, modelFromUrl(url));
  relocateSlots(parsed, typeof request['body'] === 'string');
  if (!parsed.usage && typeof responseObject?.['body'] === 'string') parsed.usage = usageFromEventStream(responseObject['body']);
  return { kind: 'request', request: parsed };
}

/** The model a URL names, for the providers that put it there (Gemini). */
function modelFromUrl(url: string): string | null {
  for (const format of DIALECTS_BY_PRECEDENCE) {
    const model = format.reader.modelFromUrl?.(url) ?? null;
    if (model !== null) return model;
  }
  return null;
}

/**
 * The body parser's slots are paths inside the body; a slot names a path
 * inside the whole record, so they move under `request.body`. A body recorded
 * as JSON text has no path to its strings: its texts get no slot.
 */
function relocateSlots(request: Request, bodyIsText: boolean): void {
  request.bodyPath = bodyIsText || request.bodyPath === null ? null : ['request', 'body'];
  for (const message of request.messages) {
    for (const part of message.parts) {
      if (part.slot) part.slot = bodyIsText ? null : { origin: part.slot.origin, path: ['request', 'body', ...part.slot.path] };
    }
  }
}

/** Bodies are recorded as JSON values or as JSON text. */
function decodeBody(body: JsonValue): JsonValue {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body) as JsonValue;
  } catch {
    return body;
  }
}

function endpointName(url: string): string {
  return (url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0] ?? url) || '(no url)';
}

/**
 * Usage from a streamed response: Anthropic splits it between `message_start`
 * (input, cache) and `message_delta` (output); OpenAI sends it in the last
 * chunk or in `response.completed`. Each field keeps its largest value; a
 * compacted response's `iterations` (summed by parseUsage) come with the last.
 */
function usageFromEventStream(stream: string): Request['usage'] {
  let found: Request['usage'] = null;
  for (const line of stream.split('\n')) {
    if (!line.startsWith('data:')) continue;
    let event: JsonValue;
    try {
      event = JSON.parse(line.slice(5).trim()) as JsonValue;
    } catch {
      continue;
    }
    if (!isJsonObject(event)) continue;
    const message = objectField(event, 'message');
    const response = objectField(event, 'response');
    const candidates = [objectField(event, 'usage'), objectField(event, 'usageMetadata'), message && objectField(message, 'usage'), response && objectField(response, 'usage')];
    for (const candidate of candidates) {
      const usage = candidate ? parseUsage(candidate) : null;
      if (!usage) continue;
      found = found ?? usage;
      if (found !== usage) mergeMax(found, usage);
    }
  }
  return found;
}

const USAGE_COUNTS = ['input', 'cacheRead', 'cacheWrite5m', 'cacheWrite1h', 'output', 'reasoning'] as const;

function mergeMax(into: Usage, from: Usage): void {
  for (const key of USAGE_COUNTS) into[key] = Math.max(into[key], from[key]);
  // Iterations arrive with the final usage (`message_delta`); its sums are the largest values too.
  if (from.iterations) into.iterations = from.iterations;
}
