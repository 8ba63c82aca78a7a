/**
 * One entry point per provider dialect: parse a request body, or parse one
 * message of that dialect (for JSONL files with a message per line).
 */
import { parseAnthropicMessage, parseAnthropicRequest } from './anthropic/parse.js';
import type { Dialect } from './detect.js';
import { parseGeminiContent, parseGeminiRequest } from './gemini/parse.js';
import { parseOpenAIChatMessage, parseOpenAIChatRequest } from './openai-chat/parse.js';
import { parseResponsesItem, parseResponsesRequest } from './openai-responses/parse.js';
import { isJsonObject, type JsonObject, type JsonPath, type JsonValue, type Message, type Origin, type Provider, type Request } from './types.js';

export function parseRequestBody(dialect: Dialect, body: JsonValue, origin: Origin, response: JsonValue | null = null, model: string | null = null): Request {
  let request: Request;
  switch (dialect) {
    case 'anthropic':
      request = parseAnthropicRequest(body, origin, response);
      break;
    case 'gemini':
      request = parseGeminiRequest(body, origin, response, model);
      break;
    case 'openai-responses':
      request = parseResponsesRequest(body, origin, response);
      break;
    case 'openai-chat':
      request = parseOpenAIChatRequest(body, origin, response);
      break;
  }
  if (request.model === null && model !== null) request.model = model;
  request.bodyPath = isJsonObject(body) ? [] : null;
  return request;
}

export function parseDialectMessage(dialect: Dialect, message: JsonObject, origin: Origin, path: JsonPath): Message | null {
  switch (dialect) {
    case 'anthropic':
      return parseAnthropicMessage(message, origin, path);
    case 'gemini':
      return parseGeminiContent(message, origin, path);
    case 'openai-responses':
      return parseResponsesItem(message, origin, path);
    case 'openai-chat':
      return parseOpenAIChatMessage(message, origin, path);
  }
}

export function providerOf(dialect: Dialect): Provider {
  switch (dialect) {
    case 'anthropic':
      return 'anthropic';
    case 'gemini':
      return 'google';
    default:
      return 'openai';
  }
}
