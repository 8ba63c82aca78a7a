/**
 * Simulate's report: what optimize would do to each request, in tokens and
 * dollars, without writing anything anywhere.
 */
import type { CachePlanReport } from '../cache/optimizers/index.js';
import type { KindTokens } from '../analysis/report-types.js';
import type { WasteCounts } from '../analysis/waste/types.js';
import { formatDollars, inputCost, inputCostNanos, PRICES_AS_OF, usdFromNanos } from '../pricing/input-prices.js';
import type { OptimizedRequest } from './optimize-request.js';
import type { BlockDecision } from './results.js';

export interface SimulationResult {
  request_id: string;
  model: string | null;
  conversation: string | null;
  tokens_before: number;
  tokens_after: number;
  tokens_saved: number;
  transforms: string[];
  block_breakdown: KindTokens;
  waste_signals: WasteCounts & { total: number };
  /** Of the optimized request. */
  stable_prefix_hash: string;
  /** Of the original request: share (0-1) of its cacheable prefix before the first dynamic value. */
  cache_alignment_score: number;
  /** The optimized prefix matched the previous optimized request's of the conversation (or file); null for its first. */
  estimated_cache_hit: boolean | null;
  /** What the provider cache optimizer planned for the optimized request (see TransformResult); null when none ran. */
  cache_plan: CachePlanReport | null;
  /** The optimized request body, with `--show-messages`; else null. */
  messages_optimized: unknown;
  /** `"$0.0012 per request"` at list input price, or `"unpriced"` for a model not in the pinned table. */
  estimated_savings: string;
  /** The same in dollars, rounded to micro-dollars; null when unpriced. */
  estimated_savings_usd: number | null;
  warnings: string[];
  blocks: BlockDecision[];
}

export interface SimulationTotal {
  requests: number;
  tokens_before: number;
  tokens_after: number;
  tokens_saved: number;
  /** Dollars saved over the priced requests, summed exactly and rounded to micro-dollars; null when none was priced. */
  estimated_savings_usd: number | null;
  unpriced_requests: number;
  prices_as_of: string;
}

export function simulationResult(optimized: OptimizedRequest, messagesOptimized: unknown = null): SimulationResult {
  const { request, result, metrics } = optimized;
  const saved = result.tokens_before - result.tokens_after;
  const dollars = inputCost(request.model, saved);
  return {
    request_id: request.id,
    model: request.model,
    conversation: request.conversation,
    tokens_before: result.tokens_before,
    tokens_after: result.tokens_after,
    tokens_saved: saved,
    transforms: result.transforms_applied,
    block_breakdown: metrics.block_breakdown,
    waste_signals: result.waste_signals,
    stable_prefix_hash: result.cache_metrics.stable_prefix_hash,
    cache_alignment_score: metrics.cache_alignment_score,
    estimated_cache_hit: metrics.estimated_cache_hit,
    cache_plan: result.cache_plan,
    messages_optimized: messagesOptimized,
    estimated_savings: dollars === null ? 'unpriced' : `${formatDollars(dollars)} per request`,
    estimated_savings_usd: dollars,
    warnings: result.warnings,
    blocks: result.blocks,
  };
}

export class SimulationTotals {
  private readonly total: SimulationTotal = {
    requests: 0,
    tokens_before: 0,
    tokens_after: 0,
    tokens_saved: 0,
    estimated_savings_usd: null,
    unpriced_requests: 0,
    prices_as_of: PRICES_AS_OF,
  };
  /** Whole nano-dollars, so a sum over thousands of requests does not drift; null until one is priced. */
  private savedNanos: number | null = null;

  add(row: SimulationResult): void {
    const total = this.total;
    total.requests++;
    total.tokens_before += row.tokens_before;
    total.tokens_after += row.tokens_after;
    total.tokens_saved += row.tokens_saved;
    const nanos = inputCostNanos(row.model, row.tokens_saved);
    if (nanos === null) total.unpriced_requests++;
    else this.savedNanos = (this.savedNanos ?? 0) + nanos;
  }

  finish(): SimulationTotal {
    return { ...this.total, estimated_savings_usd: this.savedNanos === null ? null : usdFromNanos(this.savedNanos) };
  }
}
