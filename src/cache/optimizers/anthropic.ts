/**
 * Anthropic (`explicit_breakpoints`): places `cache_control` breakpoints so
 * the next call of a conversation reads its prefix from the cache.
 *
 * Where, in this order of preference, within the provider's limit of
 * `maxBreakpoints` per request (pricing/cache-rules.ts):
 * 1. the end of the last message, when a next call is likely to resend it:
 *    the request has an assistant turn already, or defines tools (a tool
 *    call's result comes back with this whole prompt in front of it). A
 *    one-shot request without tools gets none there — its question is not
 *    resent, and a breakpoint would bill it as a cache write (1.25×)
 *    instead of plain input;
 * 2. the end of the system prompt, which every conversation with the same
 *    tools and system shares (tools come first in the prefix, so this covers
 *    them; a system prompt given as a string has no entry to mark, and is
 *    covered by the message breakpoint);
 * 3. the ends of earlier user turns, latest first: where the previous calls
 *    put their last breakpoint, so this call finds their entries even when
 *    a turn added more blocks than the provider looks back over (20).
 * Only where the prefix through the entry reaches the model's minimum
 * cacheable size (smaller ones are silently not cached).
 *
 * A client's own breakpoints are never moved or removed. When it placed any,
 * headroom adds only *before* its last one: those are free (their tokens are
 * billed as written or read by the client's breakpoint anyway) and let later
 * calls hit at more places, while one after it would turn the client's plain
 * input into cache writes it did not ask for. Added breakpoints are 5-minute
 * (`{"type":"ephemeral"}`), so they go only after the client's last 1-hour
 * one (longer TTLs must come first). A request that already breaks the rules
 * gets warnings and no breakpoints.
 */
import { formatDescriptor } from '../../formats/registry.js';
import type { RequestEdit } from '../../formats/descriptor.js';
import type { CacheRule } from '../../pricing/cache-rules.js';
import { breakpointProblems, prefixEntries, type PrefixEntry } from './breakpoints.js';
import { cachePlan, effectiveMinimum } from './savings.js';
import type { BreakpointReport, CacheOptimizerInput, CacheOptimizerOutcome } from './types.js';

export const ANTHROPIC_OPTIMIZER = 'anthropic-cache-optimizer';

export interface BreakpointPlan {
  /** Entries to mark, in prefix order. */
  insert: PrefixEntry[];
  /** Every breakpoint of the request once marked, in prefix order. */
  breakpoints: BreakpointReport[];
  /** Tokens up to the last breakpoint that reaches the minimum: what a repeat call reads. */
  cacheableTokens: number;
  warnings: string[];
}

/** Which entries get a breakpoint; deterministic, a function of the entries alone. */
export function planBreakpoints(entries: readonly PrefixEntry[], options: { maxBreakpoints: number; minTokens: number }): BreakpointPlan {
  // A request the provider would reject is reported, not touched: which breakpoint the client meant to drop is its call.
  const problems = breakpointProblems(entries, options.maxBreakpoints);
  const warnings = problems.map((problem) => `${problem}; no breakpoints added`);
  const existing = entries.filter((entry) => entry.ttl !== null);
  for (const entry of existing) {
    if (entry.tokensThrough < options.minTokens) {
      warnings.push(
        `the client's cache_control breakpoint at ${entry.label} covers about ${entry.tokensThrough} tokens, below the ${options.minTokens} the model caches: it caches nothing`,
      );
    }
  }
  const insert: PrefixEntry[] = [];
  if (problems.length === 0) {
    const slots = options.maxBreakpoints - existing.length;
    const lastExisting = lastIndex(entries, (entry) => entry.ttl !== null);
    const lastLong = lastIndex(entries, (entry) => entry.ttl === '1h');
    const allowed = (entry: PrefixEntry): boolean => {
      const position = entries.indexOf(entry);
      return entry.target !== null && entry.ttl === null && entry.tokensThrough >= options.minTokens && position > lastLong && (lastExisting < 0 || position < lastExisting);
    };
    for (const candidate of candidates(entries)) {
      if (insert.length >= slots) break;
      if (allowed(candidate) && !insert.includes(candidate)) insert.push(candidate);
    }
    insert.sort((a, b) => entries.indexOf(a) - entries.indexOf(b));
  }
  const breakpoints: BreakpointReport[] = entries
    .filter((entry) => entry.ttl !== null || insert.includes(entry))
    .map((entry) => ({ at: entry.label, tokens: entry.tokensThrough, ttl: entry.ttl ?? '5m', placed_by: entry.ttl !== null ? 'client' : 'headroom' }));
  const reaching = breakpoints.filter((breakpoint) => breakpoint.tokens >= options.minTokens);
  const cacheableTokens = reaching.length > 0 ? Math.max(...reaching.map((breakpoint) => breakpoint.tokens)) : 0;
  return { insert, breakpoints, cacheableTokens, warnings };
}

/** Candidate entries in order of preference (see the module comment). */
function candidates(entries: readonly PrefixEntry[]): PrefixEntry[] {
  const messageEnds = new Map<number, PrefixEntry>();
  for (const entry of entries) {
    if (entry.section === 'messages' && entry.messageIndex !== null && entry.target !== null) messageEnds.set(entry.messageIndex, entry);
  }
  const ordered = [...messageEnds.entries()].sort((a, b) => a[0] - b[0]).map(([, entry]) => entry);
  // A follow-up call is likely: the conversation has turns already, or the model may call a tool and get its result back.
  const followUpLikely = entries.some((entry) => (entry.section === 'messages' && entry.role === 'assistant') || entry.section === 'tools');
  const last = ordered[ordered.length - 1];
  const systemEnd = [...entries].reverse().find((entry) => entry.section === 'system' && entry.target !== null);
  const userEnds = ordered.filter((entry) => entry !== last && entry.role === 'user').reverse();
  const picked: PrefixEntry[] = [];
  if (followUpLikely && last) picked.push(last);
  if (systemEnd) picked.push(systemEnd);
  if (followUpLikely) picked.push(...userEnds);
  return picked;
}

function lastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index--) if (test(items[index] as T)) return index;
  return -1;
}

export function optimizeAnthropic(input: CacheOptimizerInput, rule: CacheRule & { family: string }): CacheOptimizerOutcome | null {
  const { request } = input;
  const breakpoint = formatDescriptor(request.format).cacheBreakpoint;
  const bodyPath = request.bodyPath ?? null;
  // No body to write into (a transcript, a bare message list): its writer, not this stage, marks the cache.
  if (breakpoint === null || bodyPath === null || rule.maxBreakpoints === null) return null;
  const minTokens = effectiveMinimum(rule, input.settings.minCacheableTokens);
  const plan = planBreakpoints(prefixEntries(input.units, bodyPath), { maxBreakpoints: rule.maxBreakpoints, minTokens });
  const edits: RequestEdit[] = plan.insert.flatMap((entry) => (entry.target ? breakpoint(entry.target) : []));
  return {
    edits,
    breakpointsInserted: plan.insert.length,
    warnings: plan.warnings,
    plan: cachePlan(
      { optimizer: ANTHROPIC_OPTIMIZER, strategy: 'explicit_breakpoints', rule, minTokens, cacheable: plan.cacheableTokens, totalTokens: input.totalTokens },
      { breakpoints: plan.breakpoints },
    ),
  };
}
