/**
 * The facts cache forensics reads about each call, and what it finds. Pure
 * data: the audit collects the facts while requests stream through (see
 * src/analysis/cache-forensics.ts) and the functions of this folder turn them
 * into findings.
 */

/** What the provider billed for a call's prompt (as recorded; `input` is the uncached remainder). */
export interface BilledPrompt {
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

/** Where a call's prompt first differs from the previous call of its conversation. */
export interface PrefixChange {
  /**
   * `tools` or `system`: the tool definitions or system prompt changed;
   * `message`: message `messageIndex` differs from (or is missing in) the
   * previous call's context; `unrecorded`: the messages are unchanged but the
   * read stopped inside what the input does not record (Claude Code's system
   * prompt and tools).
   */
  where: 'tools' | 'system' | 'message' | 'unrecorded';
  /** Index of the first changed message (in the request's messages, system messages included); null for tools. */
  messageIndex: number | null;
  /** The change is a compaction: the context restarts from a summary, or tool results were cleared (Claude Code microcompact). */
  compaction: 'summary' | 'cleared_tool_results' | null;
}

export interface CallFacts {
  id: string;
  /** Calls of one conversation share a cache; a drop is judged against the previous call of the same conversation. */
  conversation: string;
  /** Calls of one timeline (a file), in recorded order: a call of another conversation between two calls is a side call. */
  timeline: string;
  model: string | null;
  /** Epoch milliseconds, or null when the input records no time. */
  time: number | null;
  /** The time as recorded, for reports. */
  timestamp: string | null;
  billed: BilledPrompt;
  /** Prompt tokens we count for the recorded request (messages, plus tools and system where recorded). */
  counted: number;
  /** How this call's prompt differs from the previous call of its conversation; null when it extends it (or is the first). */
  change: PrefixChange | null;
  /** False when the input does not record the system prompt and tools (Claude Code): a change there cannot be seen. */
  prefixRecorded: boolean;
}

export const BUST_CAUSES = ['ttl_lapse', 'prefix_change', 'compaction', 'model_change', 'sub_agent', 'unknown'] as const;
export type BustCause = (typeof BUST_CAUSES)[number];

/** A call that read fewer cached tokens than the call before it had cached. */
export interface Bust {
  cause: BustCause;
  /** One line saying what was seen. */
  detail: string;
  /** Seconds since the previous call (of the conversation; for a sub-agent, of the timeline), or null without timestamps. */
  gapSeconds: number | null;
  /** How long the cache entries the call could have read live unused. */
  ttlSeconds: number;
  /** Tokens the previous call left in the cache that this call could have read (at most its own prompt). */
  expectedRead: number;
  /** expectedRead − cache read. */
  shortfall: number;
  /**
   * Of the shortfall, tokens written to the cache again (the rest was billed
   * as uncached input). Null for a sub-agent's first call: a new context,
   * so nothing cached was lost.
   */
  rewritten: number | null;
  /**
   * What the shortfall cost beyond reading it from cache, in nano-dollars:
   * each token at the rate it was billed (1-hour write, 5-minute write,
   * input) minus the cache-read rate. Null when the model is unpriced or for a
   * sub-agent's first call.
   */
  extraCostNanos: number | null;
  change: PrefixChange | null;
}

export interface CallFinding {
  facts: CallFacts;
  gapSeconds: number | null;
  /** Null for the first call of a conversation. */
  expectedRead: number | null;
  /** The hidden prefix estimate of the conversation (0 when none). */
  hidden: number;
  /** recorded prompt − (counted + hidden): how far estimate and usage are apart on this call. */
  residual: number;
  bust: Bust | null;
}

export interface HiddenPrefixReport {
  tokens: number;
  spread: number;
  calls: number;
}

export interface ConversationFindings {
  conversation: string;
  timeline: string;
  model: string | null;
  /** Every call of the conversation with recorded usage. */
  callCount: number;
  /** The calls reported one by one: every call with a bust, and the others up to a limit over the run. */
  calls: CallFinding[];
  /** Calls without a bust left out of `calls` by that limit. */
  omittedCalls: number;
  /** Σ cache reads ÷ Σ prompt tokens, as recorded. */
  hitRate: number;
  cacheRead: number;
  prompt: number;
  /** Tokens re-written to the cache because of busts (sub-agents' first calls not counted). */
  rewritten: number;
  /** Their extra cost in nano-dollars; null when no bust was priced. */
  extraCostNanos: number | null;
  /** Busts whose model has no price (their cost is not in extraCostNanos). */
  unpricedBusts: number;
  hiddenPrefix: HiddenPrefixReport | null;
}
