/**
 * The cache-optimizer stage of optimize: lays the optimized request out as
 * its prompt prefix (tools → system → messages, with running token totals
 * after the transforms' rewrites) and hands it to the provider's cache
 * optimizer (src/cache/optimizers/). Runs after the transforms, so the
 * breakpoints it places mark what is actually sent.
 */
import type { Block } from '../analysis/blocks.js';
import type { CacheAligner } from '../cache/aligner/aligner.js';
import { optimizeCache, type CacheOptimizerOutcome, type CacheOptimizerSettings, type PrefixUnit } from '../cache/optimizers/index.js';
import { contentHash } from '../formats/hash.js';
import type { Request } from '../formats/types.js';
import type { TokenCounter } from '../tokens/counter.js';

export interface OptimizedBlock {
  block: Block;
  /** Tokens the block's rewrites saved (0 when none ran). */
  saved: number;
}

export interface CacheStageInput {
  request: Request;
  blocks: readonly OptimizedBlock[];
  /** Tokens of the request's own tool definitions. */
  toolTokens: number;
  /** Tokens of the retrieval tool optimize appends after them (0 when none). */
  addedToolTokens: number;
  totalTokens: number;
  counter: TokenCounter;
  settings: CacheOptimizerSettings;
  /**
   * The run's CacheAligner: the one dynamic content detector at the configured
   * `cache_aligner` settings, memoized by content (a session resends its
   * system prompt and tools on every call), as the analysis used it.
   */
  aligner: CacheAligner;
}

export function runCacheOptimizer(input: CacheStageInput): CacheOptimizerOutcome | null {
  if (!input.settings.enabled) return null;
  return optimizeCache({
    request: input.request,
    units: prefixUnits(input),
    totalTokens: input.totalTokens,
    settings: input.settings,
    findVolatile: (text) => input.aligner.detect(text, contentHash(text)).map((finding) => ({ start: finding.start, end: finding.end, kind: finding.type })),
    count: (text) => input.counter.count(text),
  });
}

/**
 * Tools first, each by its own count scaled so that they add up to the
 * analysis's total (which counts them as the provider renders them), then
 * each block with its tokens as optimized. Leading system (and developer)
 * messages are the `system` section.
 */
function prefixUnits(input: CacheStageInput): PrefixUnit[] {
  const { request, counter } = input;
  const units: PrefixUnit[] = [];
  // Keyed by content: a session resends the same tool definitions on every call.
  const toolCounts = request.tools.map((tool) => counter.count(tool.text, contentHash(tool.text)));
  const counted = toolCounts.reduce((sum, tokens) => sum + tokens, 0);
  let running = 0;
  request.tools.forEach((tool, index) => {
    running += toolCounts[index] ?? 0;
    const through = counted > 0 ? Math.round((running / counted) * input.toolTokens) : 0;
    units.push({ section: 'tools', toolIndex: index, messageIndex: null, role: null, part: tool, tokensThrough: through });
  });
  let total = input.toolTokens + input.addedToolTokens;
  const firstConversation = request.messages.findIndex((message) => message.role !== 'system' && message.role !== 'developer');
  const leading = firstConversation < 0 ? request.messages.length : firstConversation;
  for (const { block, saved } of input.blocks) {
    total += block.tokensEst - saved;
    const message = request.messages[block.sourceIndex];
    units.push({
      section: block.sourceIndex < leading ? 'system' : 'messages',
      toolIndex: null,
      messageIndex: block.sourceIndex,
      role: message?.role ?? null,
      part: block.part,
      tokensThrough: total,
    });
  }
  return units;
}
