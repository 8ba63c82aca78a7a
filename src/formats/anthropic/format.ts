/** Anthropic's Messages API: the descriptor, and how a body or message of it is recognized. */
import { appendTool, type DialectFormat } from '../descriptor.js';
import { anthropicCacheBreakpoint, parseAnthropicMessage, parseAnthropicRequest } from './parse.js';

/** Content block types no other dialect uses. */
const ANTHROPIC_BLOCKS = new Set([
  'tool_use',
  'tool_result',
  'thinking',
  'redacted_thinking',
  'document',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'mcp_tool_use',
  'mcp_tool_result',
  'compaction',
]);

export const anthropicFormat: DialectFormat = {
  id: 'anthropic',
  provider: 'anthropic',
  transcript: false,
  heldUntilEnd: false,
  toolDialect: 'anthropic',
  addTool: appendTool,
  cacheBreakpoint: anthropicCacheBreakpoint,
  transcriptBody: null,
  reader: {
    kind: 'dialect',
    parseBody: (body, origin, response) => parseAnthropicRequest(body, origin, response),
    parseMessage: parseAnthropicMessage,
    endpoint: /\/messages$/,
    modelFromUrl: null,
    // Only Anthropic puts the system prompt beside the messages.
    bodyMarks: (body) => Array.isArray(body['messages']) && 'system' in body,
    messagesBody: true,
    fallbackHint: (body) => {
      const model = typeof body['model'] === 'string' ? body['model'] : '';
      return /claude/i.test(model) && 'max_tokens' in body && !('max_completion_tokens' in body);
    },
    isMessage: (value) => typeof value['role'] === 'string' && 'content' in value,
    messageMarks: () => false,
    blockMarks: (type, block) => ANTHROPIC_BLOCKS.has(type) || (type === 'image' && 'source' in block),
    lateMessageMarks: null,
    fitsBody: (body) => Array.isArray(body['messages']),
    bareList: 'messages',
  },
  forcedMismatch: 'not an Anthropic request (--format anthropic); expected an object with "messages", or an array of messages',
};
