/**
 * What is known about the call behind each tool result. Parsers put the
 * call's canonical key and file access on the tool_call part; its result only
 * carries the call id (and the tool name, via pairToolResults). The detectors
 * need both on the result, so they are joined here once per request.
 */
import type { PartFlags } from '../../formats/types.js';
import type { WasteBlock } from './types.js';

export interface ToolFacts {
  toolName?: string;
  callKey?: string;
  filePath?: string;
  fileAccess?: 'read' | 'write';
  /** Text of the paired call (`name(arguments)`), for recognizing status checks. */
  callText?: string;
  /** Index in `blocks` of the paired call (for a call: its own index). */
  callPosition?: number;
}

/** What pairing reads of a block: the analysis' blocks and the detectors' waste blocks both have it. */
export type ToolBlock = Pick<WasteBlock, 'kind' | 'flags' | 'text'>;

/** Blocks other than tool calls and results have no facts; they share this object. */
const NO_FACTS: ToolFacts = Object.freeze({});

/**
 * The rereads, stale-read and largest-output detectors all run on the same
 * block list of a request; resolving it once serves all three.
 */
const resolved = new WeakMap<readonly ToolBlock[], readonly ToolFacts[]>();

/**
 * Facts per block, same order as `blocks`. A tool result takes its own flags
 * first and fills the gaps from its call: matched by toolCallId, or, for
 * formats without ids (legacy OpenAI `function_call`), the oldest earlier
 * call without an id that has no result yet. Memoized per `blocks` array, so
 * the array must not be changed afterwards.
 */
export function resolveToolFacts(blocks: readonly ToolBlock[]): readonly ToolFacts[] {
  let facts = resolved.get(blocks);
  if (!facts) {
    facts = resolve(blocks);
    resolved.set(blocks, facts);
  }
  return facts;
}

function resolve(blocks: readonly ToolBlock[]): ToolFacts[] {
  const callsById = new Map<string, number>();
  const pendingWithoutId: number[] = [];
  const facts: ToolFacts[] = [];
  blocks.forEach((block, position) => {
    if (block.kind === 'tool_call') {
      const id = block.flags.toolCallId;
      if (!id) pendingWithoutId.push(position);
      else if (!callsById.has(id)) callsById.set(id, position);
      facts.push({ ...factsOf(block.flags, block.text), callPosition: position });
      return;
    }
    if (block.kind !== 'tool_result') {
      facts.push(NO_FACTS);
      return;
    }
    const id = block.flags.toolCallId;
    const callPosition = id ? callsById.get(id) : pendingWithoutId.shift();
    const call = callPosition === undefined ? undefined : blocks[callPosition];
    facts.push(call ? { ...factsOf(call.flags, call.text), ...factsOf(block.flags), callPosition } : factsOf(block.flags));
  });
  return facts;
}

/** Only the defined fields, so spreading result facts over call facts never erases one with undefined. */
function factsOf(flags: PartFlags, callText?: string): ToolFacts {
  const facts: ToolFacts = {};
  if (flags.toolName) facts.toolName = flags.toolName;
  if (flags.callKey) facts.callKey = flags.callKey;
  if (flags.filePath) facts.filePath = flags.filePath;
  if (flags.fileAccess) facts.fileAccess = flags.fileAccess;
  if (callText) facts.callText = callText;
  return facts;
}
