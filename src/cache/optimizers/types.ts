/**
 * What the provider cache optimizers read and return. The pipeline lays the
 * optimized request out as a prompt prefix (tools → system → messages, each
 * unit with the running token total through it) and lends the volatile-value
 * detector; an optimizer answers with the edits to make (cache breakpoints,
 * a cache key) and a plan to report. No optimizer calls a provider.
 */
import type { RequestEdit } from '../../formats/descriptor.js';
import type { Part, Request, Role } from '../../formats/types.js';

/** One part of the prompt, in the order the provider reads it. */
export interface PrefixUnit {
  section: 'tools' | 'system' | 'messages';
  /** Index of the tool definition in the request's tools (tools only). */
  toolIndex: number | null;
  /** Index of the part's message in the request (system and messages only). */
  messageIndex: number | null;
  role: Role | null;
  part: Part;
  /** Prompt tokens from the start through the end of this unit, after optimize's rewrites. */
  tokensThrough: number;
}

/** A value that changes from request to request (a date, an id…), as the dynamic-content detector reports it. */
export interface VolatileSpan {
  start: number;
  end: number;
  kind: string;
}

export interface CacheOptimizerSettings {
  enabled: boolean;
  autoDetectProvider: boolean;
  /** A floor under the model's own minimum cacheable prefix. */
  minCacheableTokens: number;
  /** OpenAI `prompt_cache_key` to add where the request carries none. */
  promptCacheKey: string | null;
}

export interface CacheOptimizerInput {
  request: Request;
  units: readonly PrefixUnit[];
  /** Tokens of the whole optimized prompt. */
  totalTokens: number;
  settings: CacheOptimizerSettings;
  findVolatile: (text: string) => readonly VolatileSpan[];
  count: (text: string) => number;
}

export type CacheStrategy = 'explicit_breakpoints' | 'prefix_stabilization' | 'cached_content';

/** One `cache_control` breakpoint of the optimized request. */
export interface BreakpointReport {
  /** Where it is, as a path in the request body (`system[0]`, `messages[4].content[1]`, `tools[2]`). */
  at: string;
  /** Prompt tokens it caches (everything up to and including its entry). */
  tokens: number;
  ttl: string;
  placed_by: 'client' | 'headroom';
}

/** Google: the CachedContent a client could create for this prefix (headroom creates none). */
export interface CachedContentPlan {
  /** What it would hold: `tools`, `system_instruction`. */
  contents: string[];
  tokens: number;
  min_tokens: number;
  meets_minimum: boolean;
  ttl_seconds: number;
}

export interface VolatileReport {
  where: string;
  kind: string;
  /** The value's first characters and its length: never the whole value (it may be a credential). */
  preview: string;
}

/** What the cache optimizer planned for one request: reported in the optimize and simulate results. */
export interface CachePlanReport {
  optimizer: string;
  strategy: CacheStrategy;
  model_family: string;
  /** The smallest prefix the provider caches for this model (raised to `cache_optimizer.min_cacheable_tokens`). */
  min_cacheable_tokens: number;
  cacheable_tokens: number;
  total_tokens: number;
  estimated_savings_percent: number;
  breakpoints: BreakpointReport[] | null;
  volatile: VolatileReport[] | null;
  /** OpenAI: the key added to a request that carries none. */
  prompt_cache_key: string | null;
  cached_content: CachedContentPlan | null;
}

export interface CacheOptimizerOutcome {
  edits: RequestEdit[];
  breakpointsInserted: number;
  plan: CachePlanReport;
  warnings: string[];
}
