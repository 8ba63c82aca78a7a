/**
 * Per-model prompt-cache rules, as data: how each provider caches a prompt
 * prefix, what that costs against plain input, and the smallest prefix it
 * caches. Everything that reasons about caching — breakpoint placement, cache
 * forensics, replay billing, savings in dollars — reads these rows; no rule
 * is written in code elsewhere.
 *
 * Sources (as of PRICES_AS_OF): Anthropic's prompt-caching docs (5-minute
 * writes 1.25×, 1-hour writes 2×, reads 0.1× of base input; at most 4
 * `cache_control` breakpoints; minimum cacheable prefix per model); OpenAI's
 * prompt-caching guide (automatic, exact prefix, from 1,024 tokens in
 * 128-token steps, no write surcharge; read discount per model); Google's
 * context caching (explicit CachedContent, read 0.25× of input, storage
 * billed per hour, minimum per model). Collected in
 * ../shared/reference/landscape.md §2.9.
 *
 * A model without a row is "unknown": callers say so (`unpriced`, no
 * breakpoint plan) instead of assuming a rule.
 */
import { inputPriceFor, PRICES_AS_OF } from './input-prices.js';

export type CacheProvider = 'anthropic' | 'openai' | 'google';

export interface CacheRule {
  /** The price table's family names this row covers (see input-prices.ts). */
  families: readonly string[];
  provider: CacheProvider;
  /** How the provider caches: breakpoints the client places, automatic prefix caching, or an explicit cached-content object. */
  mode: 'explicit_breakpoints' | 'automatic_prefix' | 'cached_content';
  /** A prefix shorter than this is not cached, with no error from the provider. */
  minCacheableTokens: number;
  /** Cached tokens are counted in steps of this size (OpenAI: 128); 1 when exact. */
  cacheableStep: number;
  /** Most `cache_control` breakpoints one request may carry; null where the client places none. */
  maxBreakpoints: number | null;
  /** How long an unused cache entry lives, per TTL the provider offers (the first is the default). */
  ttlSeconds: readonly number[];
  /** Price of a cached token read, as a share of the base input price. */
  readMultiplier: number;
  /** Price of writing a token into a 5-minute (or the default) cache entry, as a share of base input. */
  write5mMultiplier: number;
  /** Price of writing into a 1-hour entry; null where there is no such TTL. */
  write1hMultiplier: number | null;
}

export const CACHE_RULES_AS_OF = PRICES_AS_OF;

/** First row naming a model's family wins. */
const CACHE_RULES: readonly CacheRule[] = [
  // Anthropic: Opus 4.5+ and Haiku 4.5 cache from 4,096 tokens; Sonnet 4/4.5, Opus 4/4.1 and Sonnet 3.7 from 1,024; Haiku 3/3.5 from 2,048.
  anthropic(['claude-opus-4.5+', 'claude-haiku-4.5'], 4096),
  anthropic(['claude-opus', 'claude-sonnet'], 1024),
  anthropic(['claude-3.5-haiku', 'claude-3-haiku'], 2048),
  // OpenAI: automatic from 1,024 tokens in 128-token steps; cached input at half price for the 4o/o1 generation, a quarter for 4.1, a tenth for 5.
  openai(['gpt-4o', 'gpt-4o-mini', 'o1', 'o1-mini', 'o3-mini'], 0.5),
  openai(['gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'o3', 'o4-mini'], 0.25),
  openai(['gpt-5', 'gpt-5-mini', 'gpt-5-nano'], 0.1),
  // Google: explicit CachedContent; 2.5 Pro from 4,096 tokens, Flash models from 1,024 (implicit caching uses the same minimums).
  google(['gemini-2.5-pro'], 4096),
  google(['gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.0-flash'], 1024),
];

function anthropic(families: readonly string[], minCacheableTokens: number): CacheRule {
  return {
    families,
    provider: 'anthropic',
    mode: 'explicit_breakpoints',
    minCacheableTokens,
    cacheableStep: 1,
    maxBreakpoints: 4,
    ttlSeconds: [300, 3600],
    readMultiplier: 0.1,
    write5mMultiplier: 1.25,
    write1hMultiplier: 2,
  };
}

function openai(families: readonly string[], readMultiplier: number): CacheRule {
  return {
    families,
    provider: 'openai',
    mode: 'automatic_prefix',
    minCacheableTokens: 1024,
    cacheableStep: 128,
    maxBreakpoints: null,
    // Unused prefixes are usually evicted after 5-10 minutes idle, always within an hour.
    ttlSeconds: [300, 3600],
    readMultiplier,
    write5mMultiplier: 1,
    write1hMultiplier: null,
  };
}

function google(families: readonly string[], minCacheableTokens: number): CacheRule {
  return {
    families,
    provider: 'google',
    mode: 'cached_content',
    minCacheableTokens,
    cacheableStep: 1,
    maxBreakpoints: null,
    ttlSeconds: [3600],
    readMultiplier: 0.25,
    // Creating the cached content is billed as ordinary input; storage is billed per hour on top (not modelled here).
    write5mMultiplier: 1,
    write1hMultiplier: null,
  };
}

/** The cache rule of a model, with its family; null for a model the tables do not know. */
export function cacheRuleFor(model: string | null): (CacheRule & { family: string }) | null {
  const price = inputPriceFor(model);
  if (price === null) return null;
  const rule = CACHE_RULES.find((candidate) => candidate.families.includes(price.family));
  return rule ? { ...rule, family: price.family } : null;
}

/** USD per million tokens for each way a prompt token is billed. */
export interface CachePrices {
  family: string;
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  /** Null where the provider has no 1-hour cache. */
  cacheWrite1h: number | null;
}

/** The four prompt-token rates of a model, from its input price and cache rule; null when either is unknown ("unpriced"). */
export function cachePricesFor(model: string | null): CachePrices | null {
  const price = inputPriceFor(model);
  const rule = cacheRuleFor(model);
  if (price === null || rule === null) return null;
  // Rounded to a millionth of a dollar per million tokens, so 3 × 0.1 is 0.3 and not 0.30000000000000004.
  const rate = (multiplier: number): number => Math.round(price.inputPerMillion * multiplier * 1e6) / 1e6;
  return {
    family: price.family,
    input: price.inputPerMillion,
    cacheRead: rate(rule.readMultiplier),
    cacheWrite5m: rate(rule.write5mMultiplier),
    cacheWrite1h: rule.write1hMultiplier === null ? null : rate(rule.write1hMultiplier),
  };
}

/** Tokens a provider would count as cacheable for a prefix of `tokens`: 0 below the minimum, else rounded down to the provider's step. */
export function cacheableTokens(rule: CacheRule, tokens: number): number {
  if (tokens < rule.minCacheableTokens) return 0;
  return Math.floor(tokens / rule.cacheableStep) * rule.cacheableStep;
}
