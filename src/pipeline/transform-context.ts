/**
 * What a transform may know about the request around a tool output: the
 * user's last words, the call that produced the output and its arguments,
 * the provider and model. Built once per request from its blocks.
 */
import type { Block } from '../analysis/blocks.js';
import { parseMaybeJson } from '../formats/json-text.js';
import type { JsonValue, Request } from '../formats/types.js';
import type { ProducingCall, RequestFacts } from '../transforms/types.js';

export interface RequestSurroundings {
  facts: RequestFacts;
  /** The producing call of each tool output, and the file it names, by the id that pairs them. */
  callsById: ReadonlyMap<string, { call: ProducingCall; filePath: string | null }>;
}

export function requestSurroundings(request: Request, blocks: readonly Block[]): RequestSurroundings {
  let query: string | null = null;
  const callsById = new Map<string, { call: ProducingCall; filePath: string | null }>();
  for (const block of blocks) {
    if (block.kind === 'user' && block.text.trim() !== '') query = block.text;
    const id = block.flags.toolCallId;
    const name = block.flags.toolName;
    if (block.kind === 'tool_call' && id !== undefined && name !== undefined) {
      callsById.set(id, { call: { name, arguments: callArguments(name, block.text) }, filePath: block.flags.filePath ?? null });
    }
  }
  return { facts: { provider: request.provider, format: request.format, model: request.model, query }, callsById };
}

/** A tool-call block's text is `name(arguments)` (see `toolCallText`); the arguments, parsed where they are JSON. */
function callArguments(name: string, text: string): JsonValue {
  const inner = text.startsWith(`${name}(`) && text.endsWith(')') ? text.slice(name.length + 1, -1) : text;
  return parseMaybeJson(inner);
}
