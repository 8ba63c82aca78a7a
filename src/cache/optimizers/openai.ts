/**
 * OpenAI (`prefix_stabilization`): OpenAI caches the longest exact prefix it
 * has seen, automatically, from 1,024 tokens in 128-token steps. Nothing in
 * the request marks it; what a client controls is that the prefix stays the
 * same from call to call. This optimizer reports what breaks that: volatile
 * values (dates, ids, timestamps) in the tool definitions and system prompt,
 * where the cacheable prefix then ends; and counts the tokens a repeat call
 * would read. It optionally adds `prompt_cache_key` (from
 * `cache_optimizer.prompt_cache_key`) to a request that carries none, which
 * routes requests sharing a prefix to the same cache.
 *
 * It does not reorder anything. The keys of a tool definition are not
 * order-insensitive in practice: OpenAI renders each function's parameters
 * into the prompt in the order of `properties`, so sorting them changes what
 * the model reads (and the order a client chose, e.g. required arguments
 * first) — and a client whose order is already stable, the common case,
 * would lose the cache it had on its first optimized call. The top-level keys
 * (`name`, `description`, `parameters`) do not reach the prompt in their
 * JSON order at all, so sorting them stabilizes nothing.
 */
import type { RequestEdit } from '../../formats/descriptor.js';
import { cacheableTokens, type CacheRule } from '../../pricing/cache-rules.js';
import { cachePlan, effectiveMinimum } from './savings.js';
import type { CacheOptimizerInput, CacheOptimizerOutcome, PrefixUnit, VolatileReport } from './types.js';

export const OPENAI_OPTIMIZER = 'openai-prefix-stabilizer';

/** Volatile values listed per request; the rest are counted. */
const VOLATILE_LISTED = 5;

/** Formats that are OpenAI request bodies (and so can carry `prompt_cache_key`). */
const KEYED_FORMATS = new Set(['openai-chat', 'openai-responses']);

export function optimizeOpenAI(input: CacheOptimizerInput, rule: CacheRule & { family: string }): CacheOptimizerOutcome {
  const { request, units } = input;
  const minTokens = effectiveMinimum(rule, input.settings.minCacheableTokens);
  const volatile: VolatileReport[] = [];
  let stableTokens: number | null = null;
  let before = 0;
  let found = 0;
  for (const unit of units) {
    if (unit.section === 'messages') break;
    const spans = input.findVolatile(unit.part.text);
    if (spans.length > 0) {
      const first = spans[0];
      if (stableTokens === null && first) stableTokens = before + input.count(unit.part.text.slice(0, first.start));
      for (const span of spans) {
        found++;
        if (volatile.length < VOLATILE_LISTED) volatile.push({ where: whereOf(unit), kind: span.kind, preview: preview(unit.part.text.slice(span.start, span.end)) });
      }
    }
    before = unit.tokensThrough;
  }
  // With no volatile value, a repeat call (the next one of a conversation) can read all of this prompt.
  const prefixTokens = stableTokens ?? input.totalTokens;
  const cacheable = effectiveCacheable(rule, prefixTokens, minTokens);
  const warnings: string[] = [];
  if (found > 0) {
    const listed = volatile.map((value) => `${value.kind} in ${value.where}`).join(', ');
    const more = found > volatile.length ? ` and ${found - volatile.length} more` : '';
    warnings.push(
      `volatile values in the prompt prefix (${listed}${more}): OpenAI caches exact prefixes, so the cache ends at the first one (about ${prefixTokens} tokens); move them after the stable part`,
    );
  }
  const edits: RequestEdit[] = [];
  const key = input.settings.promptCacheKey;
  const keyed = key !== null && KEYED_FORMATS.has(request.format) && request.bodyPath !== undefined && request.bodyPath !== null;
  if (keyed) edits.push({ kind: 'set-key', path: [], key: 'prompt_cache_key', raw: JSON.stringify(key), ifAbsent: true });
  return {
    edits,
    breakpointsInserted: 0,
    warnings,
    plan: cachePlan(
      { optimizer: OPENAI_OPTIMIZER, strategy: 'prefix_stabilization', rule, minTokens, cacheable, totalTokens: input.totalTokens },
      { volatile, prompt_cache_key: keyed ? key : null },
    ),
  };
}

/** The provider's count (0 below its minimum, then whole steps), and 0 below the configured floor too. */
function effectiveCacheable(rule: CacheRule, tokens: number, minTokens: number): number {
  return tokens < minTokens ? 0 : cacheableTokens(rule, tokens);
}

function whereOf(unit: PrefixUnit): string {
  return unit.section === 'tools' ? `tool ${unit.part.flags.toolName ?? unit.toolIndex ?? '?'}` : `the system prompt (message ${unit.messageIndex ?? '?'})`;
}

/** First four characters and the length: enough to find the value, never enough to leak a credential. */
function preview(value: string): string {
  return `${value.slice(0, 4)}… (${value.length} chars)`;
}
