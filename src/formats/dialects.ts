/**
 * One entry point per provider dialect: parse a request body, or parse one
 * message of that dialect (for JSONL files with a message per line). Each
 * dialect's parser is its descriptor's reader (registry.ts).
 */
import type { Dialect } from './detect.js';
import { dialectFormat } from './registry.js';
import { isJsonObject, type JsonObject, type JsonPath, type JsonValue, type Message, type Origin, type Provider, type Request } from './types.js';

export function parseRequestBody(dialect: Dialect, body: JsonValue, origin: Origin, response: JsonValue | null = null, model: string | null = null): Request {
  const request = dialectFormat(dialect).reader.parseBody(body, origin, response, model);
  if (request.model === null && model !== null) request.model = model;
  request.bodyPath = isJsonObject(body) ? [] : null;
  return request;
}

export function parseDialectMessage(dialect: Dialect, message: JsonObject, origin: Origin, path: JsonPath): Message | null {
  return dialectFormat(dialect).reader.parseMessage(message, origin, path);
}

export function providerOf(dialect: Dialect): Provider {
  return dialectFormat(dialect).provider;
}
