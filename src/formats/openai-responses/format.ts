/** OpenAI's Responses API: the descriptor, and how a body or input item of it is recognized. */
import { appendTool, type DialectFormat } from '../descriptor.js';
import type { JsonObject } from '../types.js';
import { parseResponsesItem, parseResponsesRequest } from './parse.js';

/** Content part types no other dialect uses. */
const RESPONSES_PARTS = new Set(['input_text', 'output_text', 'input_image', 'input_file']);
/** Input item types other than a message: reasoning, references, tool calls and their outputs. */
const RESPONSES_ITEM = /^(reasoning|item_reference|[a-z_]+_call(_output)?)$/;

function isTypedItem(value: JsonObject): boolean {
  const type = value['type'];
  return typeof type === 'string' && RESPONSES_ITEM.test(type);
}

/** No cache breakpoint: OpenAI caches prompt prefixes automatically and has no marker for it in the request. */
export const openAIResponsesFormat: DialectFormat = {
  id: 'openai-responses',
  provider: 'openai',
  transcript: false,
  heldUntilEnd: false,
  toolDialect: 'openai-responses',
  addTool: appendTool,
  cacheBreakpoint: null,
  transcriptBody: null,
  reader: {
    kind: 'dialect',
    parseBody: (body, origin, response) => parseResponsesRequest(body, origin, response),
    parseMessage: parseResponsesItem,
    endpoint: /\/responses$/,
    modelFromUrl: null,
    bodyMarks: (body) => ('input' in body || 'instructions' in body) && !('messages' in body),
    messagesBody: false,
    fallbackHint: null,
    // A Codex rollout line has a typed payload too; an item has no payload.
    isMessage: (value) => (isTypedItem(value) && !('payload' in value)) || (typeof value['role'] === 'string' && 'content' in value),
    messageMarks: isTypedItem,
    blockMarks: (type) => RESPONSES_PARTS.has(type),
    lateMessageMarks: (message) => message['type'] === 'message',
    fitsBody: (body) => 'input' in body || 'instructions' in body,
    bareList: 'messages',
  },
  forcedMismatch: 'not an OpenAI Responses request (--format openai-responses); expected an object with "input" or "instructions", or an array of input items',
};
