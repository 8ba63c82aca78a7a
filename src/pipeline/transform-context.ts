/**
 * What a transform may know about the request around a tool output: the
 * user's last words, the call that produced the output and its arguments,
 * the provider and model. Calls are paired with their outputs the way the
 * waste detectors pair them (`resolveToolFacts`), ids or not.
 */
import type { Block } from '../analysis/blocks.js';
import { resolveToolFacts, type ToolFacts } from '../analysis/waste/tool-facts.js';
import { parseMaybeJson } from '../formats/json-text.js';
import type { JsonValue, Request } from '../formats/types.js';
import type { ProducingCall, RequestFacts } from '../transforms/types.js';

/** The tool output's producer, as a transform sees it. */
export interface Producer {
  call: ProducingCall | null;
  toolName: string | null;
  filePath: string | null;
}

export class RequestSurroundings {
  readonly facts: RequestFacts;
  /** Paired only when a transform first asks: most requests have no block to transform. */
  private tools: readonly ToolFacts[] | null = null;

  constructor(
    request: Request,
    private readonly blocks: readonly Block[],
  ) {
    let query: string | null = null;
    for (const block of blocks) if (block.kind === 'user' && block.text.trim() !== '') query = block.text;
    this.facts = { provider: request.provider, format: request.format, model: request.model, query };
  }

  /** The call that produced the tool output at `index`, with its arguments parsed, and the tool and file known for it. */
  producerOf(index: number): Producer {
    this.tools ??= resolveToolFacts(this.blocks);
    const facts = this.tools[index] ?? {};
    const callBlock = facts.callPosition === undefined ? undefined : this.blocks[facts.callPosition];
    const name = callBlock?.flags.toolName;
    const call = callBlock && name !== undefined ? { name, arguments: callArguments(name, callBlock.text) } : null;
    return { call, toolName: facts.toolName ?? null, filePath: facts.filePath ?? null };
  }
}

/** A tool-call block's text is `name(arguments)` (see `toolCallText`); the arguments, parsed where they are JSON. */
function callArguments(name: string, text: string): JsonValue {
  const inner = text.startsWith(`${name}(`) && text.endsWith(')') ? text.slice(name.length + 1, -1) : text;
  return parseMaybeJson(inner);
}
