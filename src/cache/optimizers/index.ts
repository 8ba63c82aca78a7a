/**
 * The provider cache optimizers, chosen by the request's provider: Anthropic
 * places breakpoints, OpenAI reports what keeps its automatic prefix cache
 * from matching, Google plans a CachedContent. Each reads the model's row of
 * pricing/cache-rules.ts; a model without one gets no plan (no rule is
 * guessed). With `auto_detect_provider` off nothing picks a strategy, so no
 * optimizer runs.
 */
import { cacheRuleFor } from '../../pricing/cache-rules.js';
import { optimizeAnthropic } from './anthropic.js';
import { optimizeGoogle } from './google.js';
import { optimizeOpenAI } from './openai.js';
import type { CacheOptimizerInput, CacheOptimizerOutcome } from './types.js';

export type { CacheOptimizerInput, CacheOptimizerOutcome, CachePlanReport, CacheOptimizerSettings, PrefixUnit, VolatileSpan } from './types.js';
export { breakpointProblems, prefixEntries, requestBreakpointProblems } from './breakpoints.js';

/** The optimizer's edits and plan for one optimized request, or null when none applies. */
export function optimizeCache(input: CacheOptimizerInput): CacheOptimizerOutcome | null {
  const { settings, request } = input;
  if (!settings.enabled || !settings.autoDetectProvider) return null;
  const rule = cacheRuleFor(request.model);
  // A model served through another provider's API (a Claude model behind an OpenAI-compatible endpoint) follows that API's rules, which its row does not describe.
  if (rule === null || rule.provider !== request.provider) return null;
  switch (rule.provider) {
    case 'anthropic':
      return optimizeAnthropic(input, rule);
    case 'openai':
      return optimizeOpenAI(input, rule);
    case 'google':
      return optimizeGoogle(input, rule);
  }
}
