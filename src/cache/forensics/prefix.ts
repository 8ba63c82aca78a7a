/**
 * Where a call's prompt first differs from the previous call's: a provider
 * caches a prompt prefix, so the first difference is where reuse stops.
 */
import type { PrefixChange } from './types.js';

/** One message of a request, reduced to what the comparison needs. */
export interface MessageShape {
  /** Hash of the message's content, as the model receives it. */
  hash: string;
  system: boolean;
  /** Holds a compaction summary (the context restarted from it). */
  compactionSummary: boolean;
  /** Tool results in it that the client cleared before sending. */
  cleared: number;
}

export interface PromptShape {
  /** Hash of the tool definitions ('' when there are none). */
  tools: string;
  messages: readonly MessageShape[];
}

/** The first difference of `current` from `previous`, or null when `current` extends `previous` unchanged. */
export function firstChange(previous: PromptShape, current: PromptShape): PrefixChange | null {
  if (previous.tools !== current.tools) return { where: 'tools', messageIndex: null, compaction: null };
  const index = previous.messages.findIndex((message, i) => current.messages[i]?.hash !== message.hash);
  if (index < 0) return null;
  const before = previous.messages[index] as MessageShape;
  const after = current.messages[index];
  return {
    where: before.system || after?.system === true ? 'system' : 'message',
    messageIndex: index,
    compaction: compactionAt(previous, current, index),
  };
}

/**
 * A compaction explains the change when the context from the changed message
 * on holds a summary the previous call did not send, or the changed message
 * has more cleared tool results than before (Claude Code's microcompact).
 */
function compactionAt(previous: PromptShape, current: PromptShape, index: number): PrefixChange['compaction'] {
  const sentBefore = new Set(previous.messages.filter((message) => message.compactionSummary).map((message) => message.hash));
  if (current.messages.slice(index).some((message) => message.compactionSummary && !sentBefore.has(message.hash))) return 'summary';
  const after = current.messages[index];
  const before = previous.messages[index];
  if (after && before && after.cleared > before.cleared) return 'cleared_tool_results';
  return null;
}
