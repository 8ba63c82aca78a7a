/**
 * A session transcript is not a request, so optimize writes the final
 * request of each conversation as a request body of its provider: Claude
 * Code → an Anthropic Messages body (`model`, `messages`), Codex → a
 * Responses body (`model`, `instructions`, `input`). Message content is taken
 * from the transcript lines' own JSON text (after optimize's edits), so
 * blocks, ids and numbers are carried over exactly. Claude Code does not
 * record its system prompt, tool definitions or max_tokens, so those bodies
 * have no system prompt, no tools (except the retrieval tool, when markers
 * were written) and `max_tokens` set to `output_buffer_tokens`, which the
 * Messages API requires. Content blocks are copied one by one, so the
 * ones Claude Code does not send (whitespace-only text) are left out and
 * results it cleared (microcompact) get its placeholder.
 */
import { retrievalToolJson } from '../ccr/retrieval-tool.js';
import { parseAnthropicBlock } from '../formats/anthropic.js';
import { CLEARED_TOOL_RESULT } from '../formats/claude-code.js';
import { locateValue, locateValues } from '../formats/json-edit.js';
import { isJsonObject, type JsonObject, type JsonPath, type Message, type Role, type Slot } from '../formats/types.js';
import type { OptimizedRequest } from './optimize-request.js';
import { pathInRecord, recordKey } from './write-back.js';

/** Returns a record's text with optimize's edits applied. */
export type EditedText = (key: string) => string;

export function transcriptBody(optimized: OptimizedRequest, edited: EditedText, maxTokens: number): string {
  const { request } = optimized;
  const tools = optimized.toolToAdd ? `,"tools":[${retrievalToolJson(optimized.toolToAdd)}]` : '';
  const model = `"model":${JSON.stringify(request.model ?? 'unknown')}`;
  if (request.format === 'codex') {
    const system = request.messages.find((message) => message.role === 'system' && !message.sources);
    const instructions = system ? `,"instructions":${JSON.stringify(system.parts.map((part) => part.text).join('\n'))}` : '';
    const input = request.messages.filter((message) => message !== system).map((message) => responsesItems(message, optimized, edited));
    return `{${model}${instructions},"input":[${input.flat().join(',')}]${tools}}`;
  }
  return `{${model},"max_tokens":${maxTokens},"messages":[${anthropicMessages(request.messages, optimized, edited).join(',')}]${tools}}`;
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
function anthropicMessages(messages: readonly Message[], optimized: OptimizedRequest, edited: EditedText): string[] {
  const frozen = optimized.result.cache_metrics.frozen_message_count;
  const merged: { role: string; blocks: ContentBlock[] }[] = [];
  let breakpoint: ContentBlock | null = null;
  messages.forEach((message, index) => {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const cleared = new Set(message.parts.flatMap((part) => (part.flags.cleared && part.flags.toolCallId ? [part.flags.toolCallId] : [])));
    const blocks = (message.sources ?? []).flatMap((source) => contentBlocks(source, role, edited, cleared));
    if (blocks.length === 0) blocks.push(...synthesizedBlocks(message, optimized));
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
function contentBlocks(source: Slot, role: Role, edited: EditedText, cleared: ReadonlySet<string>): ContentBlock[] {
  const text = edited(recordKey(source.origin));
  const path: JsonPath = [...pathInRecord(source.origin, source.path), 'content'];
  const range = locateValue(text, path);
  if (!range) return [];
  const raw = text.slice(range.start, range.end);
  if (raw.startsWith('"')) return isBlank(JSON.parse(raw)) ? [] : [{ json: `{"type":"text","text":${raw}}`, cacheable: true, hasCacheControl: false }];
  const values: unknown = JSON.parse(raw);
  if (!Array.isArray(values)) return [];
  const ranges = locateValues(raw, values.map((_value, index) => [index]));
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
function synthesizedBlocks(message: Message, optimized: OptimizedRequest): ContentBlock[] {
  const text = message.parts.map((part) => optimized.replacements.get(part) ?? part.text).join('\n');
  return isBlank(text) ? [] : [{ json: `{"type":"text","text":${JSON.stringify(text)}}`, cacheable: true, hasCacheControl: false }];
}

function responsesItems(message: Message, optimized: OptimizedRequest, edited: EditedText): string[] {
  if (message.sources && message.sources.length > 0) {
    return message.sources.flatMap((source) => {
      const text = edited(recordKey(source.origin));
      const range = locateValue(text, pathInRecord(source.origin, source.path));
      return range ? [text.slice(range.start, range.end)] : [];
    });
  }
  const text = message.parts.map((part) => optimized.replacements.get(part) ?? part.text).join('\n');
  if (!text) return [];
  const role = message.role === 'assistant' ? 'assistant' : 'user';
  const type = role === 'assistant' ? 'output_text' : 'input_text';
  return [`{"type":"message","role":"${role}","content":[{"type":"${type}","text":${JSON.stringify(text)}}]}`];
}
