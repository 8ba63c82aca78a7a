/**
 * Prefix freeze across the requests of a run: what each message of an
 * optimized request was sent as, so a later request of the same
 * conversation sends it the same way (see src/cache/freeze/sent-prefix.ts).
 * The optimizer replays a frozen block's rewrites instead of running the
 * transforms on it again, and leaves a block that was sent unchanged
 * unchanged.
 */
import type { Block } from '../analysis/blocks.js';
import { SentPrefixTracker, type SentPrefix, type SentPrefixLimits } from '../cache/freeze/sent-prefix.js';
import type { Request } from '../formats/types.js';
import type { RewriteStep } from './optimize-request.js';

/** One block as it was sent: its accepted rewrites (the last one's text was sent), or null when it was sent as it came. */
export type SentBlock = { steps: readonly RewriteStep[] } | null;
/** One message as it was sent: its blocks in order, and whether the request that sent it had the retrieval tool (it stays: the tools list must not flip). */
export interface SentMessage {
  blocks: readonly SentBlock[];
  withTool: boolean;
}

export type SentMessages = SentPrefixTracker<SentMessage>;

/** A tracker for one run (or one client session, for a library caller that keeps it across calls). */
export function sentMessagesTracker(limits?: SentPrefixLimits): SentMessages {
  return new SentPrefixTracker<SentMessage>(sentSize, limits);
}

/** Characters a remembered message holds: the texts of its rewrites and the originals behind their markers. */
function sentSize(message: SentMessage): number {
  let size = 64;
  for (const block of message.blocks) {
    for (const step of block?.steps ?? []) {
      size += step.text.length;
      for (const entry of step.entries) size += entry.original.length;
    }
  }
  return size;
}

/** Each message's blocks, in order (blocks of a message are contiguous in analysis order). */
export function blocksByMessage(request: Request, blocks: readonly Block[]): number[][] {
  const byMessage: number[][] = request.messages.map(() => []);
  blocks.forEach((block, index) => byMessage[block.sourceIndex]?.push(index));
  return byMessage;
}

/** The message's identity for freezing: its role and each block's kind and content. */
function messageKey(request: Request, blocks: readonly Block[], indices: readonly number[], message: number): string {
  const parts = indices.map((index) => {
    const block = blocks[index] as Block;
    return `${block.kind}:${block.contentHash}`;
  });
  return `${request.messages[message]?.role ?? ''}|${parts.join(',')}`;
}

/** The request's longest prefix of messages that an earlier request of its conversation sent. */
export function sentPrefixOf(tracker: SentMessages, request: Request, blocks: readonly Block[], byMessage: readonly number[][]): SentPrefix<SentMessage> {
  const keys = byMessage.map((indices, message) => messageKey(request, blocks, indices, message));
  return tracker.lookup(request.conversation, keys);
}
