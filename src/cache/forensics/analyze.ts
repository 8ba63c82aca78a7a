/**
 * Cache forensics over recorded usage: for each call, what the provider
 * billed, and for every call that read fewer cached tokens than the call
 * before it had cached, the likely cause; per conversation, the hit rate,
 * the tokens re-written because of busts and what that cost, and the hidden
 * prefix (what the transcript does not record) that reconciles our count
 * with the recorded prompt call by call.
 *
 * What the previous call left in the cache: with explicit breakpoints
 * (Anthropic) its cache reads plus writes — the prefix up to its last
 * breakpoint; with automatic prefix caching (OpenAI) its whole prompt as the
 * provider counts cacheable tokens (from 1,024, in steps of 128). A call
 * cannot read more than its own prompt, so the expected read is the smaller
 * of the two. A read short of it by at least the provider's counting step is
 * a bust.
 *
 * The cause, first that applies: the model changed (each model has its own
 * cache); the context was compacted (a summary replaced it, or tool results
 * were cleared); the gap since the previous call exceeded the TTL of the
 * entries it would read (1 hour when the latest cache write was all 1-hour
 * entries, else 5 minutes; the rule's default when nothing was written);
 * the prompt changed before the cached point (tools, system, which
 * message); otherwise unknown (an eviction, or a change in what the input
 * does not record). The first call of a conversation that follows a call of
 * another conversation in the same file (a sub-agent, a side call) reading
 * less than that call cached is a `sub_agent` drop: a separate context with
 * its own cache, so nothing cached is lost and it is not counted as re-written.
 */
import { cacheableTokens, cachePricesFor, cacheRuleFor, type CachePrices } from '../../pricing/cache-rules.js';
import { estimateHiddenPrefix, type CallPrompt, type HiddenPrefixEstimate } from '../hidden-prefix.js';
import type { BilledPrompt, Bust, BustCause, CallFacts, CallFinding, ConversationFindings, PrefixChange } from './types.js';

const FIVE_MINUTES = 300;
const ONE_HOUR = 3600;

export function billedPrompt(billed: BilledPrompt): number {
  return billed.input + billed.cacheRead + billed.cacheWrite5m + billed.cacheWrite1h;
}

/**
 * Rows of calls without a bust kept for the per-call report over a whole run
 * (a call with a bust is always kept): what a long log of captures costs in
 * memory stays bounded; the totals count every call.
 */
export const CALL_ROW_LIMIT = 20_000;

/** What is kept per conversation while calls stream through. */
interface ConversationState {
  conversation: string;
  timeline: string;
  model: string | null;
  last: CallFacts;
  /** TTL of the entries the conversation's latest cache write created. */
  ttl: number | null;
  /** Counted and recorded prompt per call, for the hidden prefix (two numbers a call). */
  prompts: CallPrompt[];
  calls: number;
  cacheRead: number;
  prompt: number;
  rows: CallFinding[];
  omitted: number;
}

/** Cache forensics over calls in recorded order; `finish` gives the findings per conversation. */
export class CacheForensics {
  private readonly conversations = new Map<string, ConversationState>();
  private readonly lastInTimeline = new Map<string, CallFacts>();
  private rows = 0;

  constructor(private readonly rowLimit = CALL_ROW_LIMIT) {}

  add(call: CallFacts): void {
    const state = this.conversations.get(call.conversation);
    const beforeInTimeline = this.lastInTimeline.get(call.timeline) ?? null;
    const finding: CallFinding = { facts: call, gapSeconds: null, expectedRead: null, hidden: 0, residual: 0, bust: null };
    const ttl = state?.ttl ?? defaultTtl(call.model);
    if (state) {
      finding.gapSeconds = gap(state.last, call);
      finding.expectedRead = expectedReadAfter(state.last, call);
      if (finding.expectedRead !== null && isShort(call, finding.expectedRead)) finding.bust = conversationBust(state.last, call, finding.expectedRead, finding.gapSeconds, ttl);
    } else if (beforeInTimeline && beforeInTimeline.conversation !== call.conversation) {
      const expectedRead = expectedReadAfter(beforeInTimeline, call);
      if (expectedRead !== null && isShort(call, expectedRead)) finding.bust = subAgentBust(beforeInTimeline, call, expectedRead, ttl);
    }
    const current = state ?? this.start(call);
    current.last = call;
    current.model ??= call.model;
    current.ttl = writeTtl(call.billed) ?? current.ttl;
    current.prompts.push({ estimated: call.counted, recorded: billedPrompt(call.billed) });
    current.calls++;
    current.cacheRead += call.billed.cacheRead;
    current.prompt += billedPrompt(call.billed);
    if (finding.bust || this.rows < this.rowLimit) {
      current.rows.push(finding);
      this.rows++;
    } else {
      current.omitted++;
    }
    this.lastInTimeline.set(call.timeline, call);
  }

  /** Findings per conversation, in order of each conversation's first call. */
  finish(): ConversationFindings[] {
    return [...this.conversations.values()].map(summarize);
  }

  private start(call: CallFacts): ConversationState {
    const state: ConversationState = {
      conversation: call.conversation,
      timeline: call.timeline,
      model: null,
      last: call,
      ttl: null,
      prompts: [],
      calls: 0,
      cacheRead: 0,
      prompt: 0,
      rows: [],
      omitted: 0,
    };
    this.conversations.set(call.conversation, state);
    return state;
  }
}

/** Findings per conversation for calls in recorded order. */
export function analyzeCalls(calls: readonly CallFacts[], rowLimit = CALL_ROW_LIMIT): ConversationFindings[] {
  const forensics = new CacheForensics(rowLimit);
  for (const call of calls) forensics.add(call);
  return forensics.finish();
}

/** What `previous` left in the cache: up to its last breakpoint, or (automatic caching) its cacheable prompt; null when the provider's caching is unknown. */
function cachedAfter(previous: CallFacts): number | null {
  const rule = cacheRuleFor(previous.model);
  const written = previous.billed.cacheWrite5m + previous.billed.cacheWrite1h;
  if (written > 0 || rule?.mode === 'explicit_breakpoints') return previous.billed.cacheRead + written;
  return rule ? cacheableTokens(rule, billedPrompt(previous.billed)) : null;
}

/** Of what `previous` left cached, what `call` could read: no more than its own prompt. */
function expectedReadAfter(previous: CallFacts, call: CallFacts): number | null {
  const cached = cachedAfter(previous);
  return cached === null ? null : Math.min(cached, billedPrompt(call.billed));
}

/** Short by at least one counting step of the provider (OpenAI counts cached tokens in steps of 128). */
function isShort(call: CallFacts, expectedRead: number): boolean {
  const step = cacheRuleFor(call.model)?.cacheableStep ?? 1;
  return expectedRead - call.billed.cacheRead >= Math.max(1, step);
}

function gap(previous: CallFacts, call: CallFacts): number | null {
  if (previous.time === null || call.time === null) return null;
  return Math.max(0, (call.time - previous.time) / 1000);
}

/** 5 minutes when the write created any 5-minute entry (the tail lapses first), 1 hour when all were 1-hour; null when nothing was written. */
function writeTtl(billed: BilledPrompt): number | null {
  if (billed.cacheWrite5m > 0) return FIVE_MINUTES;
  if (billed.cacheWrite1h > 0) return ONE_HOUR;
  return null;
}

function defaultTtl(model: string | null): number {
  return cacheRuleFor(model)?.ttlSeconds[0] ?? FIVE_MINUTES;
}

function conversationBust(previous: CallFacts, call: CallFacts, expectedRead: number, gapSeconds: number | null, ttlSeconds: number): Bust {
  const shortfall = expectedRead - call.billed.cacheRead;
  const { cause, detail } = causeOf(previous, call, gapSeconds, ttlSeconds);
  const { rewritten, extraCostNanos } = shortfallCost(call, shortfall);
  return { cause, detail, gapSeconds, ttlSeconds, expectedRead, shortfall, rewritten, extraCostNanos, change: call.change };
}

function subAgentBust(before: CallFacts, call: CallFacts, expectedRead: number, ttlSeconds: number): Bust {
  return {
    cause: 'sub_agent',
    detail: `first call of another conversation (a sub-agent or side call), with its own context and cache; the call before it in the file had ${count(cachedAfter(before) ?? expectedRead)} tokens cached`,
    gapSeconds: gap(before, call),
    ttlSeconds,
    expectedRead,
    shortfall: expectedRead - call.billed.cacheRead,
    rewritten: null,
    extraCostNanos: null,
    change: null,
  };
}

function causeOf(previous: CallFacts, call: CallFacts, gapSeconds: number | null, ttlSeconds: number): { cause: BustCause; detail: string } {
  if (previous.model !== null && call.model !== null && previous.model !== call.model) {
    return { cause: 'model_change', detail: `the model changed from ${previous.model} to ${call.model}: each model has its own cache` };
  }
  const change = call.change;
  if (change?.compaction) {
    return {
      cause: 'compaction',
      detail:
        change.compaction === 'summary'
          ? 'the context was compacted: it restarts from a summary'
          : `tool results were cleared (microcompact) from message ${change.messageIndex ?? '?'} on`,
    };
  }
  if (gapSeconds !== null && gapSeconds > ttlSeconds) {
    return { cause: 'ttl_lapse', detail: `${duration(gapSeconds)} since the previous call, over the ${duration(ttlSeconds)} cache TTL` };
  }
  if (change) return { cause: 'prefix_change', detail: changeText(change) };
  return {
    cause: 'unknown',
    detail: call.prefixRecorded
      ? 'the prompt extends the previous call unchanged: the provider evicted the entry early'
      : 'the messages extend the previous call unchanged; the system prompt and tools are not recorded here: a change there, or an early eviction',
  };
}

function changeText(change: PrefixChange): string {
  switch (change.where) {
    case 'tools':
      return 'the tool definitions changed';
    case 'system':
      return `the system prompt changed (message ${change.messageIndex ?? '?'})`;
    case 'message':
      return `message ${change.messageIndex ?? '?'} changed or was removed`;
    case 'unrecorded':
      return 'the system prompt or tools changed (not recorded here)';
  }
}

/**
 * The shortfall sits right after what was read, so it is billed in prompt
 * order: 1-hour writes first (they must precede 5-minute ones), then
 * 5-minute writes, then uncached input.
 */
function shortfallCost(call: CallFacts, shortfall: number): { rewritten: number; extraCostNanos: number | null } {
  const oneHour = Math.min(shortfall, call.billed.cacheWrite1h);
  const fiveMinutes = Math.min(shortfall - oneHour, call.billed.cacheWrite5m);
  const input = Math.min(shortfall - oneHour - fiveMinutes, call.billed.input);
  const prices = cachePricesFor(call.model);
  return { rewritten: oneHour + fiveMinutes, extraCostNanos: prices ? extraNanos(prices, oneHour, fiveMinutes, input) : null };
}

function extraNanos(prices: CachePrices, oneHour: number, fiveMinutes: number, input: number): number {
  // Rates are dollars per million tokens: × 1000 is nano-dollars per token (whole for every listed rate).
  const nanos = (rate: number): number => Math.round(rate * 1000);
  const read = nanos(prices.cacheRead);
  return oneHour * (nanos(prices.cacheWrite1h ?? prices.cacheWrite5m) - read) + fiveMinutes * (nanos(prices.cacheWrite5m) - read) + input * (nanos(prices.input) - read);
}

function summarize(state: ConversationState): ConversationFindings {
  const estimate = estimateHiddenPrefix(state.prompts);
  let rewritten = 0;
  let extraCostNanos: number | null = null;
  let unpricedBusts = 0;
  let busts = 0;
  for (const finding of state.rows) {
    finding.hidden = estimate?.tokens ?? 0;
    finding.residual = billedPrompt(finding.facts.billed) - finding.facts.counted - finding.hidden;
    const bust = finding.bust;
    if (!bust) continue;
    if (estimate) explainInHiddenPrefix(bust, finding.facts, estimate);
    if (bust.rewritten === null) continue;
    busts++;
    rewritten += bust.rewritten;
    if (bust.extraCostNanos === null) unpricedBusts++;
    else extraCostNanos = (extraCostNanos ?? 0) + bust.extraCostNanos;
  }
  return {
    conversation: state.conversation,
    timeline: state.timeline,
    model: state.model,
    callCount: state.calls,
    calls: state.rows,
    omittedCalls: state.omitted,
    hitRate: state.prompt > 0 ? state.cacheRead / state.prompt : 0,
    cacheRead: state.cacheRead,
    prompt: state.prompt,
    rewritten,
    // No bust: nothing was lost, at any price. Busts all unpriced: unknown.
    extraCostNanos: busts === 0 ? 0 : extraCostNanos,
    unpricedBusts,
    hiddenPrefix: estimate ? { tokens: estimate.tokens, spread: estimate.spread, calls: estimate.calls } : null,
  };
}

/**
 * An unexplained bust whose messages are unchanged but whose read stopped
 * inside what the input does not record (Claude Code's system prompt and
 * tools, known only once the conversation's hidden prefix is estimated):
 * that part changed.
 */
function explainInHiddenPrefix(bust: Bust, call: CallFacts, hidden: HiddenPrefixEstimate): void {
  if (bust.cause !== 'unknown' || call.prefixRecorded || call.billed.cacheRead >= hidden.tokens - hidden.spread) return;
  bust.cause = 'prefix_change';
  bust.detail = `the read stopped at token ${count(call.billed.cacheRead)}, inside the system prompt and tools this input does not record (about ${count(hidden.tokens)} tokens): they changed (or the entry was evicted)`;
  bust.change = { where: 'unrecorded', messageIndex: null, compaction: null };
}

/** 12345 → `12,345` (the digits grouped as the reports print counts). */
function count(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `45 s`, `12 min`, `1 h`, `1.5 h`, `26 h`. */
export function duration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < ONE_HOUR) return `${Math.round(seconds / 60)} min`;
  const hours = seconds / ONE_HOUR;
  return `${hours < 10 ? Number(hours.toFixed(1)) : Math.round(hours)} h`;
}
