/**
 * Session replay: what a recorded conversation would have cost had headroom
 * been in the loop from its first call. Calls arrive in order from the
 * optimize run; for each, the messages the previous call already sent are
 * frozen (the optimizer leaves them alone and this module resends the text it
 * made of them when they first appeared), and only new content is optimized.
 * At the end each conversation is billed call by call under the provider's
 * cache rules (src/cache/replay/billing.ts) four ways — as recorded, with
 * headroom, under Anthropic's tool-result clearing, and with both — and the
 * recorded way is checked against the usage the provider reported.
 */
import { billConversation, sumBilled, type BilledCall, type BilledTotals, type CachePolicy, type PromptSegment } from '../cache/replay/billing.js';
import { clearToolResults, TOOL_CLEARING_DEFAULTS, type ClearableSegment } from '../cache/replay/clearing.js';
import { billedNanos } from '../cache/replay/cost.js';
import { estimateHiddenPrefix } from '../cache/hidden-prefix.js';
import { shortSha256 } from '../formats/hash.js';
import { FORMATS } from '../formats/registry.js';
import type { Message, Request, Usage } from '../formats/types.js';
import { promptTokens } from '../formats/usage.js';
import { cachePricesFor, cacheRuleFor } from '../pricing/cache-rules.js';
import { PRICES_AS_OF, usdFromNanos } from '../pricing/input-prices.js';
import type { OptimizedRequest } from './optimize-request.js';
import type { BlockDecision } from './results.js';

/**
 * Tokens of the placeholder Anthropic puts where it cleared a tool result. The
 * docs describe "placeholder text" without publishing it; a short sentence is
 * about this size, and the count only shifts the clearing column by this much
 * per cleared result.
 */
const CLEARED_PLACEHOLDER_TOKENS = 10;

/** One way of billing a conversation, in tokens per bucket and dollars. */
export interface ReplayBill {
  prompt_tokens: number;
  input_tokens: number;
  cache_read_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  /** Dollars at the pinned cache price table; null when the model is unpriced. */
  usd: number | null;
}

export interface ReplayCallRow {
  request_id: string;
  timestamp: string | null;
  /** Usage the provider reported; null when the transcript recorded none for this call. */
  recorded: ReplayBill | null;
  /** The recorded prompt under the billing model (the model's check against `recorded`). */
  modeled: ReplayBill;
  projected: ReplayBill;
  clearing: ReplayBill;
  headroom_and_clearing: ReplayBill;
  /** Why the call wrote more than it added, in the recorded and the projected conversation. */
  recorded_cause: string;
  projected_cause: string;
  /** Tokens headroom saved on content that first appeared in this call. */
  tokens_saved_new: number;
}

export interface ReplaySavingsSource {
  name: string;
  /** Tokens saved where the content first appeared (each later call resends the smaller text). */
  tokens_saved: number;
  blocks: number;
}

export interface ConversationReplay {
  conversation: string;
  model: string | null;
  calls: number;
  /** The hidden prefix (system prompt and tools the transcript does not record) billed on every call; null when no usage was recorded. */
  hidden_prefix_tokens: number | null;
  cache_ttl_seconds: number;
  recorded: ReplayBill | null;
  modeled: ReplayBill;
  projected: ReplayBill;
  clearing: ReplayBill;
  headroom_and_clearing: ReplayBill;
  /** (modeled − recorded) / recorded, in dollars where priced, else in prompt tokens; null without recorded usage. */
  model_deviation: number | null;
  /** Modeled − projected dollars: what headroom would have saved; null when unpriced. */
  savings_usd: number | null;
  savings_by_tool: ReplaySavingsSource[];
  savings_by_transform: ReplaySavingsSource[];
  /** Calls the projection bills higher than the model bills the recording, with why. */
  costlier_calls: { request_id: string; extra_usd: number | null; cause: string }[];
  /** Tool results the clearing baseline cleared over the conversation (counted once per call it was cleared in). */
  cleared_results: number;
  call_rows: ReplayCallRow[];
}

export interface ReplayReport {
  conversations: ConversationReplay[];
  total: {
    conversations: number;
    calls: number;
    recorded: ReplayBill | null;
    modeled: ReplayBill;
    projected: ReplayBill;
    clearing: ReplayBill;
    headroom_and_clearing: ReplayBill;
    savings_usd: number | null;
    unpriced_conversations: number;
    prices_as_of: string;
  };
}

/** One message as the replay tracks it: its identity and tokens as recorded, and as headroom would have sent it. */
interface TrackedMessage {
  id: string;
  tokens: number;
  results: ToolResultTokens[];
  projectedId: string;
  projectedTokens: number;
  projectedResults: ToolResultTokens[];
}

interface ToolResultTokens {
  toolName: string | null;
  tokens: number;
}

interface TrackedCall {
  requestId: string;
  timestamp: string | null;
  usage: Usage | null;
  /** Our count of the recorded request (for the hidden-prefix estimate). */
  counted: number;
  messages: TrackedMessage[];
  /** Tokens of the retrieval tool the optimized request carries (0: none). */
  toolTokens: number;
  savedNew: number;
  /** Index of the first message that is a compaction summary, if the call has one. */
  compacted: boolean;
}

interface ConversationState {
  model: string | null;
  messageIds: string[];
  messages: TrackedMessage[];
  calls: TrackedCall[];
  /** Tokens of the retrieval tool from the first call that carried it (0: none yet). */
  toolTokens: number;
  byTool: Map<string, ReplaySavingsSource>;
  byTransform: Map<string, ReplaySavingsSource>;
}

/** Tracks the conversations of one simulate run and replays them at the end. */
export class SessionReplay {
  private readonly conversations = new Map<string, ConversationState>();
  private readonly ids = new WeakMap<Message, string>();
  private readonly pending = new WeakMap<Request, { ids: string[]; frozen: number }>();

  /** Whether a request is replayed: a call of a recorded session transcript. */
  static replays(request: Request): boolean {
    return request.conversation !== null && FORMATS[request.format].transcript;
  }

  /** Messages the optimized conversation already sent: the prefix this call shares with the previous one. Undefined for a request not replayed. */
  frozenMessages(request: Request): number | undefined {
    if (!SessionReplay.replays(request)) return undefined;
    const ids = request.messages.map((message) => this.messageId(message));
    const previous = this.conversations.get(request.conversation as string)?.messageIds ?? [];
    let frozen = 0;
    while (frozen < ids.length && frozen < previous.length && ids[frozen] === previous[frozen]) frozen++;
    this.pending.set(request, { ids, frozen });
    return frozen;
  }

  add(optimized: OptimizedRequest): void {
    const request = optimized.request;
    const pending = this.pending.get(request);
    if (!pending || request.conversation === null) return;
    let state = this.conversations.get(request.conversation);
    if (!state) {
      state = { model: request.model, messageIds: [], messages: [], calls: [], toolTokens: 0, byTool: new Map(), byTransform: new Map() };
      this.conversations.set(request.conversation, state);
    }
    state.model = request.model ?? state.model;
    const perMessage = decisionsByMessage(optimized.result.blocks, request.messages.length);
    let savedNew = 0;
    let savedAll = 0;
    const messages = pending.ids.map((id, index): TrackedMessage => {
      const decisions = perMessage[index] ?? [];
      const tokens = sum(decisions.map((decision) => decision.tokens_before));
      const results = decisions.filter((decision) => decision.kind === 'tool_result').map((decision) => ({ toolName: decision.tool, tokens: decision.tokens_before }));
      const saved = sum(decisions.map((decision) => decision.tokens_before - decision.tokens_after));
      savedAll += saved;
      const kept = index < pending.frozen ? state.messages[index] : undefined;
      if (kept) return kept;
      savedNew += saved;
      for (const decision of decisions) if (decision.outcome === 'compressed') attribute(state, decision);
      const projectedResults = decisions.filter((decision) => decision.kind === 'tool_result').map((decision) => ({ toolName: decision.tool, tokens: decision.tokens_after }));
      return { id, tokens, results, projectedId: saved > 0 ? `${id}~${saved}` : id, projectedTokens: tokens - saved, projectedResults };
    });
    // Once a call carries the retrieval tool, every later call does: the optimized messages it resends hold markers.
    // (The optimizer, seeing only this call's new savings, may not re-add it; the replay keeps the conversation's tools stable.)
    if (state.toolTokens === 0 && optimized.edits.some((edit) => edit.kind === 'add-tool')) {
      // What the optimizer added beyond what it saved is the retrieval tool's definition.
      state.toolTokens = Math.max(0, optimized.result.tokens_after - optimized.result.tokens_before + savedAll);
    }
    state.messageIds = pending.ids;
    state.messages = messages;
    state.calls.push({
      requestId: request.id,
      timestamp: request.timestamp ?? null,
      usage: request.usage,
      counted: optimized.result.tokens_before,
      messages,
      toolTokens: state.toolTokens,
      savedNew,
      compacted: request.messages.some((message) => message.parts.some((part) => part.flags.compactionSummary === true)),
    });
  }

  finish(): ReplayReport | null {
    if (this.conversations.size === 0) return null;
    const conversations = [...this.conversations.entries()].map(([id, state]) => replayConversation(id, state));
    return { conversations, total: totalOf(conversations) };
  }

  /** A message's identity: its roles and parts as sent (memoized: a transcript shares message objects between calls). */
  private messageId(message: Message): string {
    let id = this.ids.get(message);
    if (id === undefined) {
      id = shortSha256(JSON.stringify([message.role, message.parts.map((part) => [part.kind, part.text, part.flags.cleared === true])]));
      this.ids.set(message, id);
    }
    return id;
  }
}

function decisionsByMessage(blocks: readonly BlockDecision[], messages: number): BlockDecision[][] {
  const grouped: BlockDecision[][] = Array.from({ length: messages }, () => []);
  for (const block of blocks) grouped[block.message_index]?.push(block);
  return grouped;
}

function attribute(state: ConversationState, decision: BlockDecision): void {
  const saved = decision.tokens_before - decision.tokens_after;
  const add = (map: Map<string, ReplaySavingsSource>, name: string): void => {
    const source = map.get(name) ?? { name, tokens_saved: 0, blocks: 0 };
    source.tokens_saved += saved;
    source.blocks++;
    map.set(name, source);
  };
  add(state.byTool, decision.tool ?? '(unnamed tool)');
  // A block several transforms rewrote counts under each, with its whole saving: the split between them is not recorded.
  for (const transform of new Set(decision.steps.map((step) => step.transform))) add(state.byTransform, transform);
}

function replayConversation(id: string, state: ConversationState): ConversationReplay {
  const rule = cacheRuleFor(state.model);
  const prices = cachePricesFor(state.model);
  const calls = state.calls;
  const hidden = estimateHiddenPrefix(calls.map((call) => ({ estimated: call.counted, recorded: call.usage ? promptTokens(call.usage) : null })));
  const hiddenTokens = hidden?.tokens ?? 0;
  // The TTL the client used shows in which bucket its writes were billed.
  const oneHour = rule?.write1hMultiplier !== null && calls.some((call) => (call.usage?.cacheWrite1h ?? 0) > 0);
  const policy: CachePolicy = {
    ttlSeconds: oneHour ? 3600 : (rule?.ttlSeconds[0] ?? 300),
    writeBucket: oneHour ? '1h' : '5m',
    minCacheableTokens: rule?.minCacheableTokens ?? 0,
  };
  const at = calls.map((call) => (call.timestamp === null ? null : Date.parse(call.timestamp) || null));
  // A first call that read from the cache found part of the hidden prefix warm (Claude Code's tools and system prompt, cached by an earlier session).
  const warmTokens = Math.min(hiddenTokens, calls[0]?.usage?.cacheRead ?? 0);
  const recordedPrompt = calls.map((call) => promptOf(call, hiddenTokens, warmTokens, false));
  const projectedPrompt = calls.map((call) => promptOf(call, hiddenTokens, warmTokens, true));
  const warm = warmTokens > 0 ? [[{ id: 'hidden:shared', tokens: warmTokens }]] : [];
  const clearedRecorded = recordedPrompt.map((segments) => clearToolResults(segments, TOOL_CLEARING_DEFAULTS));
  const clearedProjected = projectedPrompt.map((segments) => clearToolResults(segments, TOOL_CLEARING_DEFAULTS));
  const bill = (prompts: readonly (readonly PromptSegment[])[]): BilledCall[] =>
    billConversation(
      prompts.map((segments, index) => ({ at: at[index] ?? null, segments })),
      policy,
      warm,
    );
  const modeled = bill(recordedPrompt);
  const projected = bill(projectedPrompt);
  const clearing = bill(clearedRecorded.map((cleared) => cleared.segments));
  const both = bill(clearedProjected.map((cleared) => cleared.segments));
  const recordedCalls = calls.map((call) => (call.usage ? usageBilled(call.usage) : null));

  const rows: ReplayCallRow[] = calls.map((call, index) => ({
    request_id: call.requestId,
    timestamp: call.timestamp,
    recorded: recordedCalls[index] ? priced(recordedCalls[index], prices) : null,
    modeled: priced(modeled[index] as BilledCall, prices),
    projected: priced(projected[index] as BilledCall, prices),
    clearing: priced(clearing[index] as BilledCall, prices),
    headroom_and_clearing: priced(both[index] as BilledCall, prices),
    recorded_cause: causeLabel(modeled[index] as BilledCall, call),
    projected_cause: causeLabel(projected[index] as BilledCall, call, calls[index - 1]),
    tokens_saved_new: call.savedNew,
  }));
  const withUsage = recordedCalls.filter((billed): billed is BilledTotals => billed !== null);
  const recorded = withUsage.length > 0 ? priced(sumBilled(withUsage), prices) : null;
  const modeledTotal = priced(sumBilled(modeled), prices);
  const projectedTotal = priced(sumBilled(projected), prices);
  return {
    conversation: id,
    model: state.model,
    calls: calls.length,
    hidden_prefix_tokens: hidden ? hidden.tokens : null,
    cache_ttl_seconds: policy.ttlSeconds,
    recorded,
    modeled: modeledTotal,
    projected: projectedTotal,
    clearing: priced(sumBilled(clearing), prices),
    headroom_and_clearing: priced(sumBilled(both), prices),
    model_deviation: deviation(modeledTotal, recorded),
    savings_usd: modeledTotal.usd !== null && projectedTotal.usd !== null ? round6(modeledTotal.usd - projectedTotal.usd) : null,
    savings_by_tool: ranked(state.byTool),
    savings_by_transform: ranked(state.byTransform),
    costlier_calls: rows
      .map((row, index) => ({ row, call: calls[index] as TrackedCall }))
      .filter(({ row }) => row.projected.prompt_tokens > 0 && costOf(row.projected) > costOf(row.modeled))
      .map(({ row, call }) => ({
        request_id: row.request_id,
        extra_usd: row.projected.usd !== null && row.modeled.usd !== null ? round6(row.projected.usd - row.modeled.usd) : null,
        // A call that only extends its prefix costs more when it carries the retrieval tool's definition (read from the cache on every call).
        cause: row.projected_cause === 'extends' && call.toolTokens > 0 ? 'retrieval-tool-definition' : row.projected_cause,
      })),
    cleared_results: sum(clearedRecorded.map((cleared) => cleared.clearedResults)),
    call_rows: rows,
  };
}

/**
 * The prompt of one call as segments: the hidden prefix (its part shared with
 * earlier sessions, then the rest, each ending at a cache breakpoint as
 * clients place them after tools and system), then each message. The
 * retrieval tool joins the tools, which come first: adding it changes the
 * whole prefix.
 */
function promptOf(call: TrackedCall, hiddenTokens: number, warmTokens: number, projected: boolean): ClearableSegment[] {
  const tool = projected ? call.toolTokens : 0;
  const head: ClearableSegment[] = [
    { id: tool > 0 ? `hidden:shared+retrieval-tool:${tool}` : 'hidden:shared', tokens: warmTokens + tool, breakpoint: true },
    { id: 'hidden:session', tokens: hiddenTokens - warmTokens, breakpoint: true },
  ].filter((segment) => segment.tokens > 0);
  const messages = call.messages.map((message): ClearableSegment => ({
    id: projected ? message.projectedId : message.id,
    tokens: projected ? message.projectedTokens : message.tokens,
    results: (projected ? message.projectedResults : message.results).map((result) => ({ ...result, placeholderTokens: Math.min(result.tokens, CLEARED_PLACEHOLDER_TOKENS) })),
  }));
  return [...head, ...messages];
}

function causeLabel(billed: BilledCall, call: TrackedCall, previous?: TrackedCall): string {
  if (billed.cause === 'prefix-change' && call.compacted) return 'compaction';
  // The first call that carries the retrieval tool changes the tools list, which comes before every message.
  if (billed.cause === 'prefix-change' && previous !== undefined && call.toolTokens > 0 && previous.toolTokens === 0) return 'retrieval-tool-added';
  return billed.cause;
}

function usageBilled(usage: Usage): BilledTotals {
  return { calls: 1, prompt: promptTokens(usage), input: usage.input, cacheRead: usage.cacheRead, cacheWrite5m: usage.cacheWrite5m, cacheWrite1h: usage.cacheWrite1h };
}

function priced(billed: Omit<BilledTotals, 'calls'>, prices: ReturnType<typeof cachePricesFor>): ReplayBill {
  const nanos = billedNanos(billed, prices);
  return {
    prompt_tokens: billed.prompt,
    input_tokens: billed.input,
    cache_read_tokens: billed.cacheRead,
    cache_write_5m_tokens: billed.cacheWrite5m,
    cache_write_1h_tokens: billed.cacheWrite1h,
    usd: nanos === null ? null : usdFromNanos(nanos),
  };
}

/** Compares bills when unpriced too: tokens weighted by Anthropic's multipliers. */
function costOf(bill: ReplayBill): number {
  return bill.usd ?? bill.input_tokens + bill.cache_read_tokens * 0.1 + bill.cache_write_5m_tokens * 1.25 + bill.cache_write_1h_tokens * 2;
}

function deviation(modeled: ReplayBill, recorded: ReplayBill | null): number | null {
  if (recorded === null) return null;
  if (modeled.usd !== null && recorded.usd !== null && recorded.usd > 0) return Math.round(((modeled.usd - recorded.usd) / recorded.usd) * 10_000) / 10_000;
  return recorded.prompt_tokens > 0 ? Math.round(((modeled.prompt_tokens - recorded.prompt_tokens) / recorded.prompt_tokens) * 10_000) / 10_000 : null;
}

function ranked(map: Map<string, ReplaySavingsSource>): ReplaySavingsSource[] {
  return [...map.values()].sort((a, b) => b.tokens_saved - a.tokens_saved || a.name.localeCompare(b.name));
}

function totalOf(conversations: readonly ConversationReplay[]): ReplayReport['total'] {
  const add = (pick: (conversation: ConversationReplay) => ReplayBill | null): ReplayBill | null => {
    const bills = conversations.map(pick).filter((bill): bill is ReplayBill => bill !== null);
    if (bills.length === 0) return null;
    const priced = bills.filter((bill) => bill.usd !== null);
    // Unpriced conversations are counted apart (unpriced_conversations), as simulate's total does.
    const usd = priced.length > 0 ? round6(sum(priced.map((bill) => bill.usd as number))) : null;
    return {
      prompt_tokens: sum(bills.map((bill) => bill.prompt_tokens)),
      input_tokens: sum(bills.map((bill) => bill.input_tokens)),
      cache_read_tokens: sum(bills.map((bill) => bill.cache_read_tokens)),
      cache_write_5m_tokens: sum(bills.map((bill) => bill.cache_write_5m_tokens)),
      cache_write_1h_tokens: sum(bills.map((bill) => bill.cache_write_1h_tokens)),
      usd,
    };
  };
  const modeled = add((conversation) => conversation.modeled) as ReplayBill;
  const projected = add((conversation) => conversation.projected) as ReplayBill;
  return {
    conversations: conversations.length,
    calls: sum(conversations.map((conversation) => conversation.calls)),
    recorded: add((conversation) => conversation.recorded),
    modeled,
    projected,
    clearing: add((conversation) => conversation.clearing) as ReplayBill,
    headroom_and_clearing: add((conversation) => conversation.headroom_and_clearing) as ReplayBill,
    savings_usd: modeled.usd !== null && projected.usd !== null ? round6(modeled.usd - projected.usd) : null,
    unpriced_conversations: conversations.filter((conversation) => conversation.modeled.usd === null).length,
    prices_as_of: PRICES_AS_OF,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function round6(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
