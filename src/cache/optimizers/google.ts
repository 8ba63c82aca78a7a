/**
 * Google (`cached_content`): Gemini's explicit cache is a CachedContent
 * resource the client creates (system instruction, tools and leading
 * contents) and then names in its requests; nothing inside a request marks
 * it. This optimizer plans one — what it would hold, its size against the
 * model's minimum, its TTL — and reports it. It calls no API and changes
 * nothing in the request. The plan holds the tools and the system
 * instruction: the part every request of an application shares.
 */
import type { CacheRule } from '../../pricing/cache-rules.js';
import { cachePlan, effectiveMinimum } from './savings.js';
import type { CacheOptimizerInput, CacheOptimizerOutcome } from './types.js';

export const GOOGLE_OPTIMIZER = 'google-cached-content';

export function optimizeGoogle(input: CacheOptimizerInput, rule: CacheRule & { family: string }): CacheOptimizerOutcome {
  const minTokens = effectiveMinimum(rule, input.settings.minCacheableTokens);
  const shared = input.units.filter((unit) => unit.section !== 'messages');
  const contents = [...new Set(shared.map((unit) => (unit.section === 'tools' ? 'tools' : 'system_instruction')))];
  const tokens = shared.length > 0 ? (shared[shared.length - 1]?.tokensThrough ?? 0) : 0;
  const meets = tokens >= minTokens;
  const cacheable = meets ? tokens : 0;
  const ttl = rule.ttlSeconds[0] ?? 3600;
  return {
    edits: [],
    breakpointsInserted: 0,
    warnings: [],
    plan: cachePlan(
      { optimizer: GOOGLE_OPTIMIZER, strategy: 'cached_content', rule, minTokens, cacheable, totalTokens: input.totalTokens },
      { cached_content: { contents, tokens, min_tokens: minTokens, meets_minimum: meets, ttl_seconds: ttl } },
    ),
  };
}
