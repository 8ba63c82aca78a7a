/**
 * `estimated_savings_percent`: the share of this request's prompt cost that a
 * later request repeating its cacheable prefix within the TTL would not pay.
 *
 *   savings % = cacheable / total × (1 − read multiplier) × 100
 *
 * with the read multiplier of the model's row in pricing/cache-rules.ts
 * (Anthropic 0.1, OpenAI 0.5 / 0.25 / 0.1 by generation, Google 0.25). It is
 * the saving of a cache *read*: the call that writes the entry pays more, not
 * less, on Anthropic (5-minute writes cost 1.25× input), and Google bills
 * storage per hour on top; neither is netted in here. Not the reference's
 * flat 90%, which ignored how much of the prompt is cacheable.
 */
import type { CacheRule } from '../../pricing/cache-rules.js';
import type { CachePlanReport, CacheStrategy } from './types.js';

export function estimatedSavingsPercent(rule: Pick<CacheRule, 'readMultiplier'>, cacheableTokens: number, totalTokens: number): number {
  if (totalTokens <= 0 || cacheableTokens <= 0) return 0;
  const share = Math.min(cacheableTokens, totalTokens) / totalTokens;
  return Math.round(share * (1 - rule.readMultiplier) * 1000) / 10;
}

/** The minimum a prefix must reach to be cached: the model's, raised to the configured floor. */
export function effectiveMinimum(rule: Pick<CacheRule, 'minCacheableTokens'>, floor: number): number {
  return Math.max(rule.minCacheableTokens, floor);
}

/** The plan report every optimizer returns: the common numbers, with the savings computed from them, and its own details. */
export function cachePlan(
  base: { optimizer: string; strategy: CacheStrategy; rule: Pick<CacheRule, 'readMultiplier'> & { family: string }; minTokens: number; cacheable: number; totalTokens: number },
  details: Partial<Pick<CachePlanReport, 'breakpoints' | 'volatile' | 'prompt_cache_key' | 'cached_content'>>,
): CachePlanReport {
  return {
    optimizer: base.optimizer,
    strategy: base.strategy,
    model_family: base.rule.family,
    min_cacheable_tokens: base.minTokens,
    cacheable_tokens: base.cacheable,
    total_tokens: base.totalTokens,
    estimated_savings_percent: estimatedSavingsPercent(base.rule, base.cacheable, base.totalTokens),
    breakpoints: null,
    volatile: null,
    prompt_cache_key: null,
    cached_content: null,
    ...details,
  };
}
