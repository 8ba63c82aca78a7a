/**
 * Collects, while requests stream through audit, the facts cache forensics
 * needs about each call with recorded usage (src/cache/forensics), and lays
 * the findings out as the documented JSON (`summary.cache_forensics`).
 *
 * The analysis runs as calls arrive; what is kept is the per-call rows of
 * the report (every call with a bust, the others up to a limit) and, per
 * conversation, the previous call's prompt shape (a hash per message), to
 * find where the next call's prompt first differs.
 */
import {
  CacheForensics,
  billedPrompt,
  BUST_CAUSES,
  firstChange,
  type Bust,
  type BustCause,
  type CallFinding,
  type ConversationFindings,
  type MessageShape,
  type PromptShape,
} from '../cache/forensics/index.js';
import { shortSha256 } from '../formats/hash.js';
import type { Request } from '../formats/types.js';
import { usdFromNanos } from '../pricing/input-prices.js';
import type { Block } from './blocks.js';
import type { RequestReport } from './report-types.js';

/** What the whole run and each conversation report alike. */
interface CacheTotals {
  /** Calls with recorded usage. */
  calls: number;
  /** Σ cache reads ÷ Σ recorded prompt tokens. */
  hit_rate: number;
  /** Calls that read fewer cached tokens than the call before had cached (sub-agents' first calls included). */
  busts: number;
  busts_by_cause: Record<BustCause, number>;
  /** Tokens written to the cache again because of busts (sub-agents' first calls not counted). */
  rewritten_tokens: number;
  /** What the busts cost beyond cache reads, in dollars at the pinned cache prices; null when none could be priced. */
  rewrite_cost_usd: number | null;
  /** Busts on models without a price (not in rewrite_cost_usd). */
  unpriced_busts: number;
}

export interface CacheForensicsReport extends CacheTotals {
  conversations: ConversationForensicsReport[];
}

export interface ConversationForensicsReport extends CacheTotals {
  conversation: string;
  file: string;
  model: string | null;
  cache_read: number;
  prompt: number;
  /**
   * What the input does not record (Claude Code: the system prompt and tool
   * definitions): the median over calls of recorded prompt − counted tokens,
   * and the interquartile range of those gaps. Null without usage.
   */
  hidden_prefix: { tokens: number; spread: number; calls: number } | null;
  /** The calls one by one: every call with a bust, and the others up to 20,000 over the run. */
  per_call: CallForensicsReport[];
  /** Calls without a bust left out of `per_call` by that limit (they count in every total). */
  per_call_omitted: number;
}

export interface CallForensicsReport {
  id: string;
  timestamp: string | null;
  /** Seconds since the previous call of the conversation; null for its first call or without timestamps. */
  gap_seconds: number | null;
  input: number;
  cache_read: number;
  cache_write_5m: number;
  cache_write_1h: number;
  /** Recorded prompt: input + cache read + cache writes. */
  prompt: number;
  /** Our count of the recorded request. */
  counted: number;
  hidden_prefix: number;
  /** prompt − (counted + hidden_prefix): how well estimate and usage reconcile on this call. */
  residual: number;
  /** What the previous call left cached that this call could read; null for the first call of a conversation. */
  expected_read: number | null;
  bust: BustReport | null;
}

export interface BustReport {
  cause: BustCause;
  detail: string;
  gap_seconds: number | null;
  ttl_seconds: number;
  expected_read: number;
  shortfall: number;
  /** Null for a sub-agent's first call (a new context: nothing cached was lost). */
  rewritten_tokens: number | null;
  /** Null when the model is unpriced, or for a sub-agent's first call. */
  extra_cost_usd: number | null;
  /** Where the prompt first changed (`unrecorded`: inside the system prompt and tools the input does not record); null when it did not change. */
  changed: { where: 'tools' | 'system' | 'message' | 'unrecorded'; message_index: number | null; compaction: 'summary' | 'cleared_tool_results' | null } | null;
}

export class CacheForensicsCollector {
  private readonly forensics = new CacheForensics();
  private calls = 0;
  private readonly previousShape = new Map<string, PromptShape>();

  add({ request, report, blocks }: { request: Request; report: RequestReport; blocks: readonly Block[] }): void {
    const usage = request.usage;
    if (!usage) return;
    const conversation = request.conversation ?? request.origin.file;
    const shape = promptShape(request, blocks);
    const previous = this.previousShape.get(conversation);
    this.previousShape.set(conversation, shape);
    const time = request.timestamp === undefined || request.timestamp === null ? NaN : Date.parse(request.timestamp);
    this.calls++;
    this.forensics.add({
      id: request.id,
      conversation,
      timeline: request.origin.file,
      model: request.model,
      time: Number.isFinite(time) ? time : null,
      timestamp: request.timestamp ?? null,
      billed: { input: usage.input, cacheRead: usage.cacheRead, cacheWrite5m: usage.cacheWrite5m, cacheWrite1h: usage.cacheWrite1h },
      counted: report.tokens,
      change: previous ? firstChange(previous, shape) : null,
      prefixRecorded: request.tools.length > 0 || request.messages.some(isSystem),
    });
  }

  /** The findings, or null when no call recorded its usage. */
  finish(): CacheForensicsReport | null {
    if (this.calls === 0) return null;
    const conversations = this.forensics.finish().map(conversationReport);
    const busts = emptyCauses();
    let rewritten = 0;
    // Summed in whole micro-dollars, so a sum of rounded amounts stays exact.
    let costMicros: number | null = null;
    let unpriced = 0;
    let cacheRead = 0;
    let prompt = 0;
    for (const conversation of conversations) {
      for (const cause of BUST_CAUSES) busts[cause] += conversation.busts_by_cause[cause];
      rewritten += conversation.rewritten_tokens;
      if (conversation.rewrite_cost_usd !== null) costMicros = (costMicros ?? 0) + Math.round(conversation.rewrite_cost_usd * 1e6);
      unpriced += conversation.unpriced_busts;
      cacheRead += conversation.cache_read;
      prompt += conversation.prompt;
    }
    return {
      calls: this.calls,
      hit_rate: round4(prompt > 0 ? cacheRead / prompt : 0),
      busts: conversations.reduce((sum, conversation) => sum + conversation.busts, 0),
      busts_by_cause: busts,
      rewritten_tokens: rewritten,
      rewrite_cost_usd: costMicros === null ? null : costMicros / 1e6,
      unpriced_busts: unpriced,
      conversations,
    };
  }
}

/** Each message as its blocks' content hashes (what the model receives, cleared placeholders included), with what compaction leaves. */
function promptShape(request: Request, blocks: readonly Block[]): PromptShape {
  const hashes: string[][] = request.messages.map(() => []);
  for (const block of blocks) hashes[block.sourceIndex]?.push(`${block.kind}:${block.contentHash}`);
  const messages: MessageShape[] = request.messages.map((message, index) => ({
    hash: (hashes[index] as string[]).join(','),
    system: isSystem(message),
    compactionSummary: message.parts.some((part) => part.flags.compactionSummary === true),
    cleared: message.parts.filter((part) => part.flags.cleared === true).length,
  }));
  const tools = request.tools.length === 0 ? '' : shortSha256(request.tools.map((tool) => tool.text).join('\u0000'));
  return { tools, messages };
}

function isSystem(message: Request['messages'][number]): boolean {
  return message.role === 'system' || message.role === 'developer';
}

function conversationReport(findings: ConversationFindings): ConversationForensicsReport {
  const causes = emptyCauses();
  let busts = 0;
  for (const call of findings.calls) {
    if (!call.bust) continue;
    causes[call.bust.cause]++;
    busts++;
  }
  return {
    conversation: findings.conversation,
    file: findings.timeline,
    model: findings.model,
    calls: findings.callCount,
    cache_read: findings.cacheRead,
    prompt: findings.prompt,
    hit_rate: round4(findings.hitRate),
    busts,
    busts_by_cause: causes,
    rewritten_tokens: findings.rewritten,
    rewrite_cost_usd: findings.extraCostNanos === null ? null : usdFromNanos(findings.extraCostNanos),
    unpriced_busts: findings.unpricedBusts,
    hidden_prefix: findings.hiddenPrefix,
    per_call: findings.calls.map(callReport),
    per_call_omitted: findings.omittedCalls,
  };
}

function callReport(call: CallFinding): CallForensicsReport {
  const billed = call.facts.billed;
  return {
    id: call.facts.id,
    timestamp: call.facts.timestamp,
    gap_seconds: call.gapSeconds === null ? null : round3(call.gapSeconds),
    input: billed.input,
    cache_read: billed.cacheRead,
    cache_write_5m: billed.cacheWrite5m,
    cache_write_1h: billed.cacheWrite1h,
    prompt: billedPrompt(billed),
    counted: call.facts.counted,
    hidden_prefix: call.hidden,
    residual: call.residual,
    expected_read: call.expectedRead,
    bust: call.bust ? bustReport(call.bust) : null,
  };
}

function bustReport(bust: Bust): BustReport {
  return {
    cause: bust.cause,
    detail: bust.detail,
    gap_seconds: bust.gapSeconds === null ? null : round3(bust.gapSeconds),
    ttl_seconds: bust.ttlSeconds,
    expected_read: bust.expectedRead,
    shortfall: bust.shortfall,
    rewritten_tokens: bust.rewritten,
    extra_cost_usd: bust.extraCostNanos === null ? null : usdFromNanos(bust.extraCostNanos),
    changed: bust.change ? { where: bust.change.where, message_index: bust.change.messageIndex, compaction: bust.change.compaction } : null,
  };
}

function emptyCauses(): Record<BustCause, number> {
  return Object.fromEntries(BUST_CAUSES.map((cause) => [cause, 0])) as Record<BustCause, number>;
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
