/**
 * The cache-optimizer stage of optimize: lays the optimized request out as
 * its prompt prefix (tools → system → messages, with running token totals
 * after the transforms' rewrites) and hands it to the provider's cache
 * optimizer (src/cache/optimizers/). Runs after the transforms, so the
 * breakpoints it places mark what is actually sent.
 */
import type { Block } from '../analysis/blocks.js';
import { detectDynamicDefault } from '../analysis/waste/dynamic-values.js';
import { optimizeCache, type CacheOptimizerOutcome, type CacheOptimizerSettings, type PrefixUnit, type VolatileSpan } from '../cache/optimizers/index.js';
import { contentHash } from '../formats/hash.js';
import type { Request } from '../formats/types.js';
import type { TokenCounter } from '../tokens/counter.js';

/** The one dynamic content detector (src/cache/dynamic), at the default settings, as the optimizers' spans. */
const detectVolatile = (text: string): readonly VolatileSpan[] => detectDynamicDefault(text).map((finding) => ({ start: finding.start, end: finding.end, kind: finding.type }));

/** System prompts and tool definitions a session resends on every call are scanned once. */
const VOLATILE_MEMO_LIMIT = 256;
const volatileMemo = new Map<string, readonly VolatileSpan[]>();

function findVolatile(text: string): readonly VolatileSpan[] {
  let spans = volatileMemo.get(text);
  if (spans === undefined) {
    spans = detectVolatile(text);
    if (volatileMemo.size >= VOLATILE_MEMO_LIMIT) volatileMemo.clear();
    volatileMemo.set(text, spans);
  }
  return spans;
}

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
}

export function runCacheOptimizer(input: CacheStageInput): CacheOptimizerOutcome | null {
  if (!input.settings.enabled) return null;
  return optimizeCache({
    request: input.request,
    units: prefixUnits(input),
    totalTokens: input.totalTokens,
    settings: input.settings,
    findVolatile,
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
