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
 * Messages API requires.
 */
import { retrievalToolJson } from '../ccr/retrieval-tool.js';
import { locateValue } from '../formats/json-edit.js';
import type { JsonPath, Message, Slot } from '../formats/types.js';
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

/** Anthropic messages; consecutive messages of one role are merged, as the API would. */
function anthropicMessages(messages: readonly Message[], optimized: OptimizedRequest, edited: EditedText): string[] {
  const merged: { role: string; blocks: string[] }[] = [];
  for (const message of messages) {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = (message.sources ?? []).flatMap((source) => contentBlocks(source, edited));
    if (blocks.length === 0) blocks.push(...synthesizedBlocks(message, optimized));
    if (blocks.length === 0) continue;
    const last = merged[merged.length - 1];
    if (last && last.role === role) last.blocks.push(...blocks);
    else merged.push({ role, blocks });
  }
  return merged.map((message) => `{"role":"${message.role}","content":[${message.blocks.join(',')}]}`);
}

/** The content blocks of one transcript message object, as written (a string content becomes one text block). */
function contentBlocks(source: Slot, edited: EditedText): string[] {
  const text = edited(recordKey(source.origin));
  const path: JsonPath = [...pathInRecord(source.origin, source.path), 'content'];
  const range = locateValue(text, path);
  if (!range) return [];
  const raw = text.slice(range.start, range.end);
  if (raw.startsWith('"')) return raw === '""' ? [] : [`{"type":"text","text":${raw}}`];
  if (!raw.startsWith('[')) return [];
  const inner = raw.slice(1, -1).trim();
  return inner ? [inner] : [];
}

/** Text of a message the parser made up (a compaction summary): written as a plain text message. */
function synthesizedBlocks(message: Message, optimized: OptimizedRequest): string[] {
  const text = message.parts.map((part) => optimized.replacements.get(part) ?? part.text).join('\n');
  return text ? [`{"type":"text","text":${JSON.stringify(text)}}`] : [];
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
