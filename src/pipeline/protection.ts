/**
 * Which blocks the transforms may touch. Everything a person wrote or the
 * model said stays as it is; what gets compressed is tool output — the bulk
 * of agent context. Each protected block gets the reason it was left alone.
 */
import type { Block } from '../analysis/blocks.js';
import type { Request } from '../formats/types.js';
import { RETRIEVAL_TOOL_NAME } from '../ccr/retrieval-tool.js';

export interface ProtectionOptions {
  /** Tool outputs with fewer content tokens are not worth compressing (`smart_crusher.min_tokens_to_crush`). */
  minTokensToCrush: number;
  /** Messages before this index are in the provider's cache (prefix freeze). */
  frozenMessageCount: number;
}

/** Blocks never rewritten because of what they are: what a person wrote, what the model said, what headroom returned. */
export const PROTECTED_REASONS = ['system', 'user', 'assistant', 'tool-call', 'unknown', 'retrieved'] as const;
/** Tool outputs left alone because of their state: media, cached, too small… */
export const SKIPPED_REASONS = ['media', 'opaque', 'cleared', 'cached', 'structured', 'empty', 'small'] as const;

export type Protection = { outcome: 'protected'; reason: (typeof PROTECTED_REASONS)[number] } | { outcome: 'skipped'; reason: (typeof SKIPPED_REASONS)[number] };

const protect = (reason: (typeof PROTECTED_REASONS)[number]): Protection => ({ outcome: 'protected', reason });
const skip = (reason: (typeof SKIPPED_REASONS)[number]): Protection => ({ outcome: 'skipped', reason });

/** One reason per block, or null for a block the transforms may rewrite. */
export function protectBlocks(blocks: readonly Block[], contentTokens: readonly number[], options: ProtectionOptions): (Protection | null)[] {
  const lastBreakpoint = lastCacheBreakpoint(blocks);
  return blocks.map((block, index) => {
    switch (block.kind) {
      case 'system':
        return protect('system');
      case 'user':
      case 'rag':
        return protect('user');
      case 'assistant':
        return protect('assistant');
      case 'tool_call':
        return protect('tool-call');
      case 'unknown':
        return protect('unknown');
      case 'tool_result':
        break;
    }
    if (block.media) return skip('media');
    if (block.opaqueBytes > 0) return skip('opaque');
    if (block.flags.toolName === RETRIEVAL_TOOL_NAME) return protect('retrieved');
    // The client already replaced it with a placeholder; there is nothing left to compress.
    if (block.flags.cleared) return skip('cleared');
    if (index <= lastBreakpoint || block.sourceIndex < options.frozenMessageCount) return skip('cached');
    // Composed text (a server tool's result, a structured output read from a transcript) has no slot to rewrite.
    if (!block.part.slot) return skip('structured');
    if (block.text.length === 0) return skip('empty');
    if ((contentTokens[index] ?? 0) < options.minTokensToCrush) return skip('small');
    return null;
  });
}

/** Index of the last block carrying `cache_control`: it and everything before it are cached. */
export function lastCacheBreakpoint(blocks: readonly Block[]): number {
  for (let index = blocks.length - 1; index >= 0; index--) {
    if ((blocks[index] as Block).flags.cacheControl) return index;
  }
  return -1;
}

/**
 * Prefix freeze: a recorded call whose provider already had `cacheRead` tokens
 * cached. Messages whose running token total stays within that are frozen;
 * rewriting them would turn a cache read into a cache write. Requests without
 * recorded usage have nothing frozen (their `cache_control` breakpoints still
 * protect what they mark).
 */
export function frozenMessageCount(request: Request, blocks: readonly Block[], options: { enabled: boolean; minCachedTokens: number }): number {
  const cached = request.usage?.cacheRead ?? 0;
  if (!options.enabled || cached < options.minCachedTokens) return 0;
  const messageTokens = new Map<number, number>();
  for (const block of blocks) messageTokens.set(block.sourceIndex, (messageTokens.get(block.sourceIndex) ?? 0) + block.tokensEst);
  let running = 0;
  let frozen = 0;
  for (let index = 0; index < request.messages.length; index++) {
    running += messageTokens.get(index) ?? 0;
    if (running > cached) break;
    frozen = index + 1;
  }
  return frozen;
}
