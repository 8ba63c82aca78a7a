/**
 * A Claude Code transcript is not a request, so optimize writes the final
 * request of each conversation as an Anthropic Messages body (`model`,
 * `max_tokens`, `messages`). Message content is taken from the transcript
 * lines' own JSON text (after optimize's edits), so blocks, ids and numbers
 * are carried over exactly. Claude Code does not record its system prompt,
 * tool definitions or max_tokens, so those bodies have no system prompt, no
 * tools (except the retrieval tool, when markers were written) and
 * `max_tokens` set to `output_buffer_tokens`, which the Messages API
 * requires. Content blocks are copied one by one, so the ones Claude Code
 * does not send (whitespace-only text) are left out and results it cleared
 * (microcompact) get its placeholder.
 */
import { parseAnthropicBlock } from '../anthropic/parse.js';
import type { TranscriptCall } from '../descriptor.js';
import { locateValue, locateValues } from '../../json/index.js';
import { pathInRecord } from '../record-key.js';
import { isJsonObject, type JsonObject, type JsonPath, type Message, type Role, type Slot } from '../types.js';

/** What Claude Code sends instead of a tool result that microcompact cleared. */
export const CLEARED_TOOL_RESULT = '[Old tool result content cleared]';

export function claudeCodeBody(call: TranscriptCall): string {
  const tools = call.toolJson ? `,"tools":[${call.toolJson}]` : '';
  const model = `"model":${JSON.stringify(call.request.model ?? 'unknown')}`;
  return `{${model},"max_tokens":${call.maxTokens},"messages":[${anthropicMessages(call).join(',')}]${tools}}`;
}

/** One content block of a written Anthropic message. */
interface ContentBlock {
  json: string;
  /**
   * The block may carry the breakpoint: the API accepts one on it (not on
   * thinking) and a second pass would see it (the block yields a part).
   */
  cacheable: boolean;
  hasCacheControl: boolean;
}

/** The breakpoint Claude Code itself sends. */
const CACHE_CONTROL = '"cache_control":{"type":"ephemeral"}';

/**
 * Anthropic messages; consecutive messages of one role are merged, as the
 * API would. The end of the prefix optimize froze (what the provider had
 * cached) is marked with a `cache_control` breakpoint on its last block, so
 * optimizing the body again protects exactly that prefix.
 */
function anthropicMessages(call: TranscriptCall): string[] {
  const frozen = call.frozenMessageCount;
  const merged: { role: string; blocks: ContentBlock[] }[] = [];
  let breakpoint: ContentBlock | null = null;
  call.request.messages.forEach((message, index) => {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const cleared = new Set(message.parts.flatMap((part) => (part.flags.cleared && part.flags.toolCallId ? [part.flags.toolCallId] : [])));
    const blocks = (message.sources ?? []).flatMap((source) => contentBlocks(source, role, call, cleared));
    if (blocks.length === 0) blocks.push(...synthesizedBlocks(message, call));
    const last = merged[merged.length - 1];
    if (last && last.role === role) last.blocks.push(...blocks);
    else if (blocks.length > 0) merged.push({ role, blocks });
    // A message with nothing written puts the breakpoint on what precedes it.
    if (index === frozen - 1) breakpoint = lastCacheableBlock(merged);
  });
  return merged.map((message) => `{"role":"${message.role}","content":[${message.blocks.map((block) => (block === breakpoint ? withCacheControl(block) : block.json)).join(',')}]}`);
}

function lastCacheableBlock(messages: readonly { blocks: ContentBlock[] }[]): ContentBlock | null {
  for (let m = messages.length - 1; m >= 0; m--) {
    const blocks = (messages[m] as { blocks: ContentBlock[] }).blocks;
    for (let b = blocks.length - 1; b >= 0; b--) {
      const block = blocks[b] as ContentBlock;
      if (block.cacheable) return block;
    }
  }
  return null;
}

/** A cacheable block is a non-empty JSON object: the breakpoint goes in as its last field. */
function withCacheControl(block: ContentBlock): string {
  return block.hasCacheControl ? block.json : `${block.json.slice(0, -1)},${CACHE_CONTROL}}`;
}

/**
 * The content blocks of one transcript message object, as written (a string
 * content becomes one text block), without the whitespace-only text blocks
 * the API rejects, and with the tool results microcompact cleared holding
 * the placeholder Claude Code sent instead.
 */
function contentBlocks(source: Slot, role: Role, call: TranscriptCall, cleared: ReadonlySet<string>): ContentBlock[] {
  const text = call.editedText(source.origin);
  const path: JsonPath = [...pathInRecord(source.origin, source.path), 'content'];
  const range = locateValue(text, path);
  if (!range) return [];
  const raw = text.slice(range.start, range.end);
  if (raw.startsWith('"')) return isBlank(JSON.parse(raw)) ? [] : [{ json: `{"type":"text","text":${raw}}`, cacheable: true, hasCacheControl: false }];
  const values: unknown = JSON.parse(raw);
  if (!Array.isArray(values)) return [];
  const ranges = locateValues(
    raw,
    values.map((_value, index) => [index]),
  );
  return values.flatMap((value: unknown, index): ContentBlock[] => {
    const at = ranges[index];
    if (!at) return [];
    const block: JsonObject = isJsonObject(value) ? value : {};
    const type = typeof block['type'] === 'string' ? block['type'] : null;
    if (type === 'text' && isBlank(block['text'])) return [];
    let json = raw.slice(at.start, at.end);
    const toolUseId = block['tool_use_id'];
    if (type === 'tool_result' && typeof toolUseId === 'string' && cleared.has(toolUseId)) json = clearedResult(json);
    const cacheable = isJsonObject(value) && type !== 'thinking' && type !== 'redacted_thinking' && parseAnthropicBlock(block, role, source.origin, []).length > 0;
    return [{ json, cacheable, hasCacheControl: block['cache_control'] !== undefined && block['cache_control'] !== null }];
  });
}

/** A tool_result block with its content replaced by the placeholder; every other field kept as written. */
function clearedResult(json: string): string {
  const content = locateValue(json, ['content']);
  const placeholder = JSON.stringify(CLEARED_TOOL_RESULT);
  if (!content) return `${json.slice(0, -1)},"content":${placeholder}}`;
  return `${json.slice(0, content.start)}${placeholder}${json.slice(content.end)}`;
}

function isBlank(text: unknown): boolean {
  return typeof text !== 'string' || text.trim() === '';
}

/** Text of a message the parser made up (a compaction summary): written as a plain text message. */
function synthesizedBlocks(message: Message, call: TranscriptCall): ContentBlock[] {
  const text = message.parts.map((part) => call.newText(part) ?? part.text).join('\n');
  return isBlank(text) ? [] : [{ json: `{"type":"text","text":${JSON.stringify(text)}}`, cacheable: true, hasCacheControl: false }];
}
