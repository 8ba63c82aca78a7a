/**
 * Recognizes what a JSON record is, by its shape alone: an HTTP capture, a
 * transcript line, a request body of one of the providers, one message, or an
 * array of messages or records.
 */
import { isClaudeCodeEntry } from './claude-code/parse.js';
import { isCodexLine } from './codex/parse.js';
import { isJsonObject, type Dialect, type FormatId, type JsonObject, type JsonValue } from './types.js';

export { DIALECTS, type Dialect } from './types.js';

export type RecordShape =
  | { kind: 'capture' }
  | { kind: 'claude-code' }
  | { kind: 'codex' }
  | { kind: 'request'; dialect: Dialect }
  | { kind: 'message'; dialect: Dialect }
  | { kind: 'messages'; dialect: Dialect }
  | { kind: 'records' }
  | { kind: 'unknown' };

export const EXPECTED_SHAPES =
  'expected a request body (messages, contents or input), a messages array, one message per line, an HTTP capture, a Claude Code transcript or a Codex rollout';

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
const OPENAI_CHAT_PARTS = new Set(['image_url', 'input_audio', 'file']);
const RESPONSES_PARTS = new Set(['input_text', 'output_text', 'input_image', 'input_file']);
const RESPONSES_ITEM = /^(reasoning|item_reference|[a-z_]+_call(_output)?)$/;

/** The dialect a message reveals, or null when it is plain text any dialect could carry. */
export function messageDialect(message: JsonObject): Dialect | null {
  if (message['role'] === 'model' || (Array.isArray(message['parts']) && !('content' in message))) return 'gemini';
  const type = message['type'];
  if (typeof type === 'string' && RESPONSES_ITEM.test(type)) return 'openai-responses';
  if ('tool_calls' in message || 'tool_call_id' in message || 'function_call' in message) return 'openai-chat';
  if (message['role'] === 'tool' || message['role'] === 'function') return 'openai-chat';
  const content = message['content'];
  if (Array.isArray(content)) {
    for (const block of content) {
      const blockType = isJsonObject(block) ? block['type'] : undefined;
      if (typeof blockType !== 'string') continue;
      if (ANTHROPIC_BLOCKS.has(blockType)) return 'anthropic';
      if (blockType === 'image' && isJsonObject(block) && 'source' in block) return 'anthropic';
      if (OPENAI_CHAT_PARTS.has(blockType)) return 'openai-chat';
      if (RESPONSES_PARTS.has(blockType)) return 'openai-responses';
    }
  }
  if (type === 'message') return 'openai-responses';
  return null;
}

export function isMessageLike(value: JsonValue): value is JsonObject {
  if (!isJsonObject(value)) return false;
  const type = value['type'];
  if (typeof type === 'string' && RESPONSES_ITEM.test(type) && !('payload' in value)) return true;
  if (typeof value['role'] !== 'string') return false;
  return 'content' in value || 'tool_calls' in value || 'parts' in value || 'function_call' in value;
}

/** The dialect of a list of messages: the first message that reveals one decides. */
export function messagesDialect(messages: readonly JsonValue[], fallback: Dialect = 'openai-chat'): Dialect {
  for (const message of messages) {
    if (!isJsonObject(message)) continue;
    const dialect = messageDialect(message);
    if (dialect) return dialect;
  }
  return fallback;
}

function bodyDialect(body: JsonObject): Dialect | null {
  if (Array.isArray(body['contents']) || 'systemInstruction' in body || 'system_instruction' in body) return 'gemini';
  if (('input' in body || 'instructions' in body) && !('messages' in body)) return 'openai-responses';
  const messages = body['messages'];
  if (!Array.isArray(messages)) return null;
  // Only Anthropic puts the system prompt beside the messages.
  if ('system' in body) return 'anthropic';
  const model = typeof body['model'] === 'string' ? body['model'] : '';
  const fallback: Dialect = /claude/i.test(model) && 'max_tokens' in body && !('max_completion_tokens' in body) ? 'anthropic' : 'openai-chat';
  const dialect = messagesDialect(messages, fallback);
  return dialect === 'gemini' || dialect === 'openai-responses' ? fallback : dialect;
}

export function classifyRecord(value: JsonValue): RecordShape {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isMessageLike)) return { kind: 'messages', dialect: messagesDialect(value) };
    if (value.length > 0 && value.every(isJsonObject)) return { kind: 'records' };
    return { kind: 'unknown' };
  }
  if (!isJsonObject(value)) return { kind: 'unknown' };
  const request = value['request'];
  if (isJsonObject(request) && 'body' in request) return { kind: 'capture' };
  if (isClaudeCodeEntry(value)) return { kind: 'claude-code' };
  if (isCodexLine(value)) return { kind: 'codex' };
  const dialect = bodyDialect(value);
  if (dialect) return { kind: 'request', dialect };
  if (isMessageLike(value)) return { kind: 'message', dialect: messageDialect(value) ?? 'openai-chat' };
  return { kind: 'unknown' };
}

/** The format a record's shape reveals on its own, or null when it takes more (a capture's URL, an array's elements). */
export function formatOfShape(shape: RecordShape): FormatId | null {
  switch (shape.kind) {
    case 'claude-code':
    case 'codex':
      return shape.kind;
    case 'request':
    case 'messages':
      return shape.dialect;
    case 'message':
      return 'message-lines';
    default:
      return null;
  }
}

/** Dialect of a request body, for captures whose URL does not say. */
export function requestDialect(body: JsonValue): Dialect | null {
  return isJsonObject(body) ? bodyDialect(body) : null;
}
