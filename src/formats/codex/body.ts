/**
 * A Codex rollout is not a request, so optimize writes the final request of
 * each conversation as a Responses body (`model`, `instructions`, `input`).
 * Items are taken from the rollout lines' own JSON text (after optimize's
 * edits), so ids and numbers are carried over exactly.
 */
import type { TranscriptCall } from '../descriptor.js';
import { locateValue } from '../../json/index.js';
import { pathInRecord } from '../record-key.js';
import type { Message } from '../types.js';

export function codexBody(call: TranscriptCall): string {
  const { request } = call;
  const tools = call.toolJson ? `,"tools":[${call.toolJson}]` : '';
  const model = `"model":${JSON.stringify(request.model ?? 'unknown')}`;
  const system = request.messages.find((message) => message.role === 'system' && !message.sources);
  const instructions = system ? `,"instructions":${JSON.stringify(system.parts.map((part) => part.text).join('\n'))}` : '';
  const input = request.messages.filter((message) => message !== system).map((message) => responsesItems(message, call));
  return `{${model}${instructions},"input":[${input.flat().join(',')}]${tools}}`;
}

function responsesItems(message: Message, call: TranscriptCall): string[] {
  if (message.sources && message.sources.length > 0) {
    return message.sources.flatMap((source) => {
      const text = call.editedText(source.origin);
      const range = locateValue(text, pathInRecord(source.origin, source.path));
      return range ? [text.slice(range.start, range.end)] : [];
    });
  }
  const text = message.parts.map((part) => call.newText(part) ?? part.text).join('\n');
  if (!text) return [];
  const role = message.role === 'assistant' ? 'assistant' : 'user';
  const type = role === 'assistant' ? 'output_text' : 'input_text';
  return [`{"type":"message","role":"${role}","content":[{"type":"${type}","text":${JSON.stringify(text)}}]}`];
}
