/** OpenAI's Chat Completions API: the descriptor, and how a body or message of it is recognized. */
import { appendTool, type DialectFormat } from '../descriptor.js';
import { parseOpenAIChatMessage, parseOpenAIChatRequest } from './parse.js';

/** Content part types no other dialect uses. */
const OPENAI_CHAT_PARTS = new Set(['image_url', 'input_audio', 'file']);

/** No cache breakpoint: OpenAI caches prompt prefixes automatically and has no marker for it in the request. */
export const openAIChatFormat: DialectFormat = {
  id: 'openai-chat',
  provider: 'openai',
  transcript: false,
  heldUntilEnd: false,
  toolDialect: 'openai-chat',
  addTool: appendTool,
  cacheBreakpoint: null,
  transcriptBody: null,
  reader: {
    kind: 'dialect',
    parseBody: (body, origin, response) => parseOpenAIChatRequest(body, origin, response),
    parseMessage: parseOpenAIChatMessage,
    endpoint: /\/chat\/completions$/,
    modelFromUrl: null,
    bodyMarks: () => false,
    messagesBody: true,
    fallbackHint: null,
    isMessage: (value) => typeof value['role'] === 'string' && ('content' in value || 'tool_calls' in value || 'function_call' in value),
    messageMarks: (message) => 'tool_calls' in message || 'tool_call_id' in message || 'function_call' in message || message['role'] === 'tool' || message['role'] === 'function',
    blockMarks: (type) => OPENAI_CHAT_PARTS.has(type),
    lateMessageMarks: null,
    fitsBody: (body) => Array.isArray(body['messages']),
    bareList: 'messages',
  },
  forcedMismatch: 'not an OpenAI chat request (--format openai-chat); expected an object with "messages", or an array of messages',
};
