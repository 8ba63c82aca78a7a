/** Gemini's generateContent API: the descriptor, and how a body or content of it is recognized. */
import type { JsonObject } from '../types.js';
import type { DialectFormat } from '../descriptor.js';
import { addGeminiTool, geminiModelFromUrl, parseGeminiContent, parseGeminiRequest } from './parse.js';

function isGeminiBody(body: JsonObject): boolean {
  return Array.isArray(body['contents']) || 'systemInstruction' in body || 'system_instruction' in body;
}

/**
 * No cache breakpoint: Gemini caches implicitly, and explicit caching is a
 * separate `cachedContents` resource the request refers to by name, not a
 * marker inside the request.
 */
export const geminiFormat: DialectFormat = {
  id: 'gemini',
  provider: 'google',
  transcript: false,
  heldUntilEnd: false,
  toolDialect: 'gemini',
  addTool: addGeminiTool,
  cacheBreakpoint: null,
  transcriptBody: null,
  reader: {
    kind: 'dialect',
    parseBody: parseGeminiRequest,
    parseMessage: (message, origin, path) => parseGeminiContent(message, origin, path),
    endpoint: /:(stream)?generateContent$/i,
    modelFromUrl: geminiModelFromUrl,
    bodyMarks: isGeminiBody,
    messagesBody: false,
    fallbackHint: null,
    isMessage: (value) => typeof value['role'] === 'string' && 'parts' in value,
    messageMarks: (message) => message['role'] === 'model' || (Array.isArray(message['parts']) && !('content' in message)),
    blockMarks: () => false,
    lateMessageMarks: null,
    fitsBody: isGeminiBody,
    bareList: 'contents',
  },
  forcedMismatch: 'not a Gemini request (--format gemini); expected an object with "contents", or an array of contents with "parts"',
};
