/**
 * Optimizes one request: analyzes it, decides which blocks are protected,
 * runs the transforms in order over the rest, keeps only rewrites that save
 * tokens, and settles the CCR side (markers, their originals, the retrieval
 * tool). The result is a list of edits plus the reports; turning that into
 * bytes is write-back's job.
 */
import { performance } from 'node:perf_hooks';
import type { Block } from '../analysis/blocks.js';
import type { RequestAnalyzer } from '../analysis/request-analysis.js';
import { prefixWarnings } from '../cache/aligner/aligner.js';
import { ccrKey } from '../ccr/key.js';
import { findMarkers, formatMarker } from '../ccr/markers.js';
import { RETRIEVAL_TOOL_NAME, retrievalToolJson } from '../ccr/retrieval-tool.js';
import type { CcrPut } from '../ccr/store.js';
import type { RequestEdit } from '../formats/descriptor.js';
import { shortSha256 } from '../formats/hash.js';
import { parseOpenAITools } from '../formats/openai-chat/parse.js';
import { isValueSlot } from '../formats/parts.js';
import { FORMATS, toolDialectFor } from '../formats/registry.js';
import { fitsSlot } from '../formats/value-slots.js';
import type { Dialect, JsonValue, Part, Request } from '../formats/types.js';
import { getTokenCounter, type TokenCounter } from '../tokens/counter.js';
import { tokenizerForModel } from '../tokens/models.js';
import { classifyContent, type ContentClass } from '../analysis/content-kind.js';
import { isRewrite, type OffloadedSpan, type Transform, type TransformBlock, type TransformContext } from '../transforms/types.js';
import { blocksByMessage, sentMessagesTracker, sentPrefixOf, type SentBlock, type SentMessages } from './prefix-freeze.js';
import { frozenMessageCount as recordedFrozenCount, lastCacheBreakpoint, protectBlocks, type Protection } from './protection.js';
import { summarizeTags, type BlockDecision, type BlockDiff, type DecisionDecline, type PipelineMode, type RequestMetrics, type TransformDiff, type TransformResult } from './results.js';
import { RequestSurroundings } from './transform-context.js';
import { cacheRuleFor } from '../pricing/cache-rules.js';
import { runCacheOptimizer } from './cache-optimizer.js';
import type { CacheOptimizerSettings } from '../cache/optimizers/index.js';

export interface OptimizerOptions {
  mode: Exclude<PipelineMode, 'audit'>;
  /** Transforms in pipeline order. */
  transforms: readonly Transform[];
  /** Only lossless transforms run, and no markers are written. */
  losslessOnly: boolean;
  ccr: { enabled: boolean; injectMarkers: boolean; injectTool: boolean };
  minTokensToCrush: number;
  prefixFreeze: PrefixFreezeOptions;
  /** The provider cache optimizer (`cache_optimizer`); absent, none runs. */
  cacheOptimizer?: CacheOptimizerSettings;
  /** Build a diff artifact per request. */
  diff: boolean;
  /** Clock for report timestamps only; nothing written into requests depends on it. */
  now?: () => Date;
}

export interface PrefixFreezeOptions {
  enabled: boolean;
  /** Recorded cache reads below this freeze nothing (the recorded-usage rule only). */
  minCachedTokens: number;
  /**
   * Freeze what the recorded usage says the provider had cached (default
   * true). A caller putting headroom in the loop of recorded calls turns it
   * off: a recording's cache held the original messages, not the optimized
   * ones (simulate's replay passes its own count to `optimize` instead).
   */
  fromRecordedUsage?: boolean;
  /**
   * What earlier optimized requests sent; each request's longest sent prefix
   * is sent again as it was. A new tracker per optimizer when absent; a
   * caller that optimizes one call at a time keeps one across calls.
   */
  sent?: SentMessages;
  /**
   * Track transcript calls too. Off by default: the earlier calls of a
   * recorded transcript were sent without headroom, so what optimize made of
   * them was never sent (a caller putting headroom in the loop of a
   * transcript's calls turns it on).
   */
  trackTranscripts?: boolean;
}

/** One optimized request: the edits that make it, and everything reported about it. */
export interface OptimizedRequest {
  request: Request;
  /** What to change, in order: new texts and values of parts (every such part has a slot), the retrieval tool to add. */
  edits: RequestEdit[];
  /** Originals to store before the request is written (one per marker). */
  ccrEntries: CcrPut[];
  /** The accepted rewrites of each changed block, in order. */
  rewrites: BlockRewrites[];
  result: TransformResult;
  metrics: RequestMetrics;
}

/** Lines of each side shown in a diff view. */
const DIFF_PREVIEW_LINES = 3;
const DIFF_PREVIEW_CHARS = 160;

interface BlockState {
  block: Block;
  originalTokens: number;
  text: string;
  tokens: number;
  /** Accepted rewrites in order, with the text each produced. */
  history: RewriteStep[];
  /** What the router found the block to be; null for blocks it never saw (protected ones). */
  content: ContentClass | null;
  /** Sent in this form by an earlier request of the conversation (prefix freeze): never rewritten or reverted here. */
  frozen: boolean;
  declines: DecisionDecline[];
}

/** One accepted rewrite of a block, with the text it produced and the originals behind its markers. */
export interface RewriteStep {
  transform: string;
  label: string;
  text: string;
  tokens: number;
  entries: CcrPut[];
}

/** Every rewrite of one block, for diff views and for the marker oracle of the tests. */
export interface BlockRewrites {
  part: Part;
  /** The block's text as it was in the input. */
  original: string;
  steps: readonly RewriteStep[];
}

export class RequestOptimizer {
  /** Conversations that have been given the retrieval tool: it stays, so their tools list never flips. */
  private readonly toolConversations = new Set<string>();
  /** Conversation (or file) → stable prefix hash of its previous optimized request, for `estimated_cache_hit`. */
  private readonly previousPrefix = new Map<string, string>();
  /** What earlier requests sent (prefix freeze); null when freezing is off. */
  private readonly sent: SentMessages | null;

  constructor(
    private readonly analyzer: RequestAnalyzer,
    private readonly options: OptimizerOptions,
  ) {
    this.sent = options.prefixFreeze.enabled ? (options.prefixFreeze.sent ?? sentMessagesTracker()) : null;
  }

  /**
   * `frozenMessageCount`, when given, replaces prefix freeze's count from the
   * recorded usage: replay freezes what the optimized conversation already sent.
   */
  async optimize(request: Request, frozenMessageCount?: number, weighRecordedCache = false): Promise<OptimizedRequest> {
    const started = performance.now();
    const timing: Record<string, number> = {};
    const analyzed = await this.analyzer.analyze(request);
    const counter = await getTokenCounter(tokenizerForModel(request.model).encoding);
    timing._analysis = elapsed(started);

    const blocks = analyzed.blocks;
    // Keyed by content hash, as the analysis counted them: these are memo hits, not a second count.
    const contentTokens = blocks.map((block) => (block.media ? 0 : counter.count(block.text, block.contentHash)));
    const freeze = this.options.prefixFreeze;
    const byMessage = blocksByMessage(request, blocks);
    const tracked = this.sent !== null && (freeze.trackTranscripts === true || !FORMATS[request.format].transcript);
    const sentPrefix = tracked && this.sent ? sentPrefixOf(this.sent, request, blocks, byMessage) : null;
    const sentBlocks = new Map<number, SentBlock>();
    sentPrefix?.sent.forEach((message, index) => byMessage[index]?.forEach((block, position) => sentBlocks.set(block, message.blocks[position] ?? null)));
    // The union of the three freezes: what the recorded usage says was cached (or the count the caller gives instead),
    // what this run already sent, and (in protectBlocks) cache_control breakpoints.
    const frozenByUsage = frozenMessageCount ?? (freeze.fromRecordedUsage === false ? 0 : recordedFrozenCount(request, blocks, freeze));
    const frozen = Math.max(frozenByUsage, sentPrefix?.sent.length ?? 0);
    const protections = protectBlocks(blocks, contentTokens, { minTokensToCrush: this.options.minTokensToCrush, frozenMessageCount: frozen });
    const states: BlockState[] = blocks.map((block, index) => {
      const tokens = contentTokens[index] ?? 0;
      const sent = sentBlocks.get(index);
      if (sent) {
        // Sent rewritten before: the same rewrites again, so the text the provider cached is sent byte for byte.
        protections[index] = null;
        const last = sent.steps[sent.steps.length - 1] as RewriteStep;
        return { block, originalTokens: tokens, text: last.text, tokens: last.tokens, history: [...sent.steps], content: block.content ?? null, frozen: true, declines: [] };
      }
      // Analysis classified each tool output once; the router reads that.
      const content = protections[index] === null ? (block.content ?? classifyContent(block.text)) : null;
      return { block, originalTokens: tokens, text: block.text, tokens, history: [], content, frozen: sentBlocks.has(index), declines: [] };
    });
    const surroundings = new RequestSurroundings(request, blocks);

    const dialect = toolDialectFor(request);
    const toolPresent = request.tools.some((tool) => tool.flags.toolName === RETRIEVAL_TOOL_NAME);
    const ccr = this.options.ccr;
    const canOffload = ccr.enabled && ccr.injectMarkers && !this.options.losslessOnly && (!ccr.injectTool || toolPresent || dialect !== null);

    const aligner = this.analyzer.aligner;
    const warnings: string[] = aligner.config.enabled ? prefixWarnings(analyzed.prefixScan) : [];
    if (aligner.normalizes) normalizeWhitespace(states, frozen, (text) => aligner.normalize(text), counter);
    const transformDiffs: TransformDiff[] = [];
    for (const transform of this.options.transforms) {
      if (this.options.losslessOnly && !transform.lossless) continue;
      const transformStarted = performance.now();
      let before = 0;
      let after = 0;
      let changed = 0;
      let offloaded = 0;
      for (const [index, state] of states.entries()) {
        if (state.content === null || state.frozen || !transform.accepts.includes(state.content.kind)) continue;
        const outcome = await this.runTransform(transform, state, state.content, index, counter, canOffload, surroundings, warnings);
        if (!outcome) continue;
        before += outcome.before;
        after += outcome.after;
        changed++;
        offloaded += outcome.offloaded;
      }
      const duration = elapsed(transformStarted);
      timing[transform.name] = duration;
      transformDiffs.push({
        transform_name: transform.name,
        tokens_before: before,
        tokens_after: after,
        tokens_saved: before - after,
        items_removed: offloaded,
        items_kept: null,
        blocks_changed: changed,
        details: labelsOf(states, transform.name),
        duration_ms: duration,
      });
    }

    const sentWithTool = sentPrefix?.sent.some((message) => message.withTool) ?? false;
    const tool = this.settleRetrievalTool(request, states, frozen, weighRecordedCache, counter, dialect, toolPresent, sentWithTool, warnings);
    if (sentPrefix && this.sent) {
      const withTool = toolPresent || tool !== null;
      this.sent.remember(
        sentPrefix.chain,
        byMessage.map((indices) => ({ blocks: indices.map((index) => sentBlockOf(states[index] as BlockState)), withTool })),
      );
    }
    const toolToAdd = tool?.dialect ?? null;
    const toolTokens = tool?.tokens ?? 0;

    const edits: RequestEdit[] = [];
    const rewrites: BlockRewrites[] = [];
    const ccrEntries: CcrPut[] = [];
    const tags: string[] = [];
    let saved = 0;
    for (const state of states) {
      if (state.history.length === 0) continue;
      const part = state.block.part;
      edits.push(isValueSlot(part) ? { kind: 'replace-value', part, raw: state.text } : { kind: 'replace-text', part, text: state.text });
      rewrites.push({ part, original: state.block.text, steps: state.history });
      saved += state.originalTokens - state.tokens;
      for (const step of state.history) {
        tags.push(`${step.transform}:${step.label}`);
        ccrEntries.push(...step.entries);
      }
    }

    const tokensBefore = analyzed.report.tokens;
    const tokensAfter = tokensBefore - saved + toolTokens;
    const decisions = states.map((state, index) => decisionOf(state, index, protections[index] ?? null));
    const cachedBlocks = protections.filter((protection) => protection?.reason === 'cached').length;
    const prefix = analyzed.report.cache_prefix;
    const stablePrefixHash = toolToAdd ? shortSha256(`${prefix.stable_prefix_hash}\n${retrievalToolJson(toolToAdd)}`) : prefix.stable_prefix_hash;
    const estimatedCacheHit = this.cacheHit(request, stablePrefixHash);
    const markers = [...new Set(ccrEntries.map((entry) => entry.key))];
    if (toolToAdd) edits.push({ kind: 'add-tool', dialect: toolToAdd, json: retrievalToolJson(toolToAdd) });
    const cacheStarted = performance.now();
    const cache = this.options.cacheOptimizer
      ? runCacheOptimizer({
          request,
          blocks: states.map((state) => ({ block: state.block, saved: state.originalTokens - state.tokens })),
          toolTokens: analyzed.report.tokens_by_kind.tool_definitions,
          addedToolTokens: toolTokens,
          totalTokens: tokensAfter,
          counter,
          settings: this.options.cacheOptimizer,
          aligner,
        })
      : null;
    if (cache) {
      edits.push(...cache.edits);
      warnings.push(...cache.warnings);
      timing._cache_optimizer = elapsed(cacheStarted);
    }
    timing.pipeline_total = elapsed(started);

    const result: TransformResult = {
      request_id: request.id,
      messages: null,
      tokens_before: tokensBefore,
      tokens_after: tokensAfter,
      transforms_applied: tags,
      markers_inserted: markers,
      warnings,
      diff_artifact: this.options.diff ? diffArtifact(request.id, tokensBefore, tokensAfter, transformDiffs, states) : null,
      cache_metrics: {
        stable_prefix_hash: stablePrefixHash,
        stable_prefix_tokens: prefix.tokens + toolTokens,
        prefix_changed: toolToAdd !== null,
        frozen_message_count: frozen,
        cached_blocks: cachedBlocks,
      },
      cache_plan: cache?.plan ?? null,
      timing,
      transforms_summary: summarizeTags(tags),
      waste_signals: analyzed.report.waste,
      blocks: decisions,
    };
    const metrics: RequestMetrics = {
      request_id: request.id,
      timestamp: (this.options.now?.() ?? new Date()).toISOString(),
      model: request.model,
      stream: null,
      mode: this.options.mode,
      format: request.format,
      tokens_input_before: tokensBefore,
      tokens_input_after: tokensAfter,
      tokens_output: request.usage ? request.usage.output : null,
      block_breakdown: analyzed.report.tokens_by_kind,
      waste_signals: analyzed.report.waste,
      stable_prefix_hash: stablePrefixHash,
      cache_alignment_score: prefix.cache_alignment_score,
      cached_tokens: request.usage ? request.usage.cacheRead : null,
      // Null where no stage computed them: the cache optimizer is off (or not given), or no semantic cache exists yet.
      cache_optimizer_used: this.options.cacheOptimizer?.enabled ? cache !== null : null,
      cache_optimizer_strategy: cache?.plan.strategy ?? null,
      cacheable_tokens: cache?.plan.cacheable_tokens ?? null,
      breakpoints_inserted: cache?.breakpointsInserted ?? null,
      // The optimized prefix matched the previous optimized request's of the conversation (or file); null for its first.
      estimated_cache_hit: estimatedCacheHit,
      estimated_savings_percent: cache?.plan.estimated_savings_percent ?? null,
      semantic_cache_hit: null,
      transforms_applied: tags,
      tool_units_dropped: 0,
      turns_dropped: 0,
      messages_hash: shortSha256(blocks.map((block) => block.contentHash).join('\n')),
      error: null,
    };
    return { request, edits, ccrEntries, rewrites, result, metrics };
  }

  /** Whether this request's optimized prefix matches the previous one of its conversation (or file); null for the first. */
  private cacheHit(request: Request, stablePrefixHash: string): boolean | null {
    const conversation = request.conversation ?? request.origin.file;
    const previous = this.previousPrefix.get(conversation);
    this.previousPrefix.set(conversation, stablePrefixHash);
    return previous === undefined ? null : previous === stablePrefixHash;
  }

  /**
   * Runs one transform on one block. A throw is a warning naming the
   * transform and leaves the block as it was before it (fail open); a
   * rewrite that does not save tokens is dropped.
   */
  private async runTransform(
    transform: Transform,
    state: BlockState,
    content: ContentClass,
    index: number,
    counter: TokenCounter,
    canOffload: boolean,
    surroundings: RequestSurroundings,
    warnings: string[],
  ): Promise<{ before: number; after: number; offloaded: number } | null> {
    const pending: CcrPut[] = [];
    const flags = state.block.flags;
    const producer = surroundings.producerOf(index);
    // The last text a transform counted: most count their output before returning it, and the same megabyte need not be tokenized twice.
    let lastCounted: { text: string; tokens: number } | null = null;
    const countOnce = (text: string): number => {
      if (lastCounted !== null && lastCounted.text === text) return lastCounted.tokens;
      lastCounted = { text, tokens: counter.count(text) };
      return lastCounted.tokens;
    };
    const context: TransformContext = {
      request: surroundings.facts,
      call: producer.call,
      toolName: producer.toolName,
      filePath: producer.filePath,
      count: countOnce,
      canOffload,
      offload: (span) => {
        if (!canOffload) throw new Error('offload called while markers are disabled');
        return offloadSpan(span, flags.toolName ?? null, pending);
      },
    };
    const view: TransformBlock = {
      index,
      messageIndex: state.block.sourceIndex,
      kind: state.block.kind,
      text: state.text,
      tokens: state.tokens,
      flags,
      content,
      structured: isValueSlot(state.block.part),
    };
    let outcome;
    try {
      outcome = await transform.apply(view, context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      warnings.push(`${transform.name} failed on block ${index} (message ${state.block.sourceIndex}): ${message}; block left unchanged`);
      state.declines.push({ transform: transform.name, reason: 'error' });
      return null;
    }
    if (!isRewrite(outcome)) {
      state.declines.push({ transform: transform.name, reason: outcome.decline });
      return null;
    }
    if (!fitsSlot(state.block.part, outcome.text)) {
      // A value slot takes one JSON value of its original type, on one line (see fitsSlot).
      state.declines.push({ transform: transform.name, reason: 'invalid-output' });
      return null;
    }
    const tokens = countOnce(outcome.text);
    if (tokens >= state.tokens) {
      state.declines.push({ transform: transform.name, reason: 'no-gain' });
      return null;
    }
    // Only originals whose marker made it into the text are kept.
    const entries = keptEntries(pending, outcome.text);
    const before = state.tokens;
    state.history.push({ transform: transform.name, label: outcome.label, text: outcome.text, tokens, entries });
    state.text = outcome.text;
    state.tokens = tokens;
    return { before, after: tokens, offloaded: entries.length };
  }

  /**
   * Markers are only worth it if what they save pays for the retrieval
   * tool's own tokens. If not, marked blocks fall back to their last
   * marker-free text. A conversation that got the tool keeps it while the
   * request can afford it, so its tools list does not flip between calls;
   * and always once prefix freeze resends what was sent with it.
   */
  /**
   * What adding the retrieval tool costs, counted the way audit recounts the
   * output: OpenAI bills function tools as one rendered namespace, so the
   * cost is the difference with and without it; other dialects, its JSON.
   */
  private retrievalToolTokens(request: Request, dialect: Dialect, counter: TokenCounter): number {
    const json = retrievalToolJson(dialect);
    if (dialect !== 'openai-chat' && dialect !== 'openai-responses') return counter.count(json);
    const tools = parseOpenAITools({ tools: [JSON.parse(json) as JsonValue] }, dialect === 'openai-chat');
    return this.analyzer.addedToolTokens(request, tools, counter);
  }

  private settleRetrievalTool(
    request: Request,
    states: BlockState[],
    frozen: number,
    weighRecordedCache: boolean,
    counter: TokenCounter,
    dialect: Dialect | null,
    toolPresent: boolean,
    sentWithTool: boolean,
    warnings: string[],
  ): { dialect: Dialect; tokens: number } | null {
    if (!this.options.ccr.injectTool || toolPresent || dialect === null) return null;
    const marked = states.filter((state) => !state.frozen && state.history.some((step) => step.entries.length > 0));
    // Markers an earlier request sent are sent again, and a tool the sent prefix was sent with stays (dropping it would
    // change the start of the cached prompt): either way the tool must be there, whatever this request saves.
    const required = sentWithTool || states.some((state) => state.frozen && state.history.some((step) => step.entries.length > 0));
    const conversation = request.conversation;
    const sticky = required || (conversation !== null && this.toolConversations.has(conversation));
    if (marked.length === 0 && !sticky) return null;
    const toolTokens = this.retrievalToolTokens(request, dialect, counter);
    const markerSavings = marked.reduce((sum, state) => sum + (state.originalTokens - state.tokens), 0);
    if (marked.length > 0 && markerSavings <= toolTokens) {
      for (const state of marked) revertMarkers(state);
    }
    // A tool added to a prompt the provider has cached changes the start of that prompt: every cached token is written
    // again (write instead of read). Adding it is worth that only when what the markers save — written once now, read
    // again on the calls that follow — outweighs the re-write.
    // Part of prefix freeze: with it off (`prefix_freeze.enabled=false`) the provider's cache is not weighed.
    const bust = sticky || !this.options.prefixFreeze.enabled ? null : cacheBustOf(request, states, frozen, weighRecordedCache);
    const savedValue = bust === null ? 0 : markerSavings * (bust.write + LATER_CALLS * bust.read);
    if (bust !== null && marked.some((state) => state.history.some((step) => step.entries.length > 0)) && savedValue < bust.cached * (bust.write - bust.read)) {
      for (const state of marked) revertMarkers(state);
      warnings.push(
        `retrieval tool not added: adding it would re-write the ${bust.cached} cached prompt tokens, and its markers save ${markerSavings}; those tool outputs are sent without lossy compression`,
      );
    }
    const totalSavings = states.reduce((sum, state) => sum + (state.originalTokens - state.tokens), 0);
    const stillMarked = states.some((state) => state.history.some((step) => step.entries.length > 0));
    if (!stillMarked && !sticky) return null;
    if (totalSavings < toolTokens && !required) {
      warnings.push(`retrieval tool not added: it costs ${toolTokens} tokens and this request saves ${totalSavings}`);
      return null;
    }
    if (conversation !== null) this.toolConversations.add(conversation);
    return { dialect, tokens: toolTokens };
  }
}

/**
 * The CacheAligner's opt-in whitespace normalization, as a rewrite step of
 * each text block it changes — system, user and assistant text — never
 * inside a cached prefix (at or before the last `cache_control` breakpoint,
 * or frozen), and only where it costs no tokens.
 */
function normalizeWhitespace(states: BlockState[], frozen: number, normalize: (text: string) => string, counter: TokenCounter): void {
  const breakpoint = lastCacheBreakpoint(states.map((state) => state.block));
  for (const [index, state] of states.entries()) {
    const block = state.block;
    if (block.kind !== 'system' && block.kind !== 'user' && block.kind !== 'assistant') continue;
    if (block.media || !block.part.slot || isValueSlot(block.part)) continue;
    // A system text is cached whenever anything of the conversation is.
    if (index <= breakpoint || block.sourceIndex < frozen || (block.kind === 'system' && frozen > 0)) continue;
    const text = normalize(state.text);
    if (text === state.text) continue;
    const tokens = counter.count(text);
    if (tokens > state.tokens) continue;
    state.history.push({ transform: 'cache_aligner', label: 'normalized_whitespace', text, tokens, entries: [] });
    state.text = text;
    state.tokens = tokens;
  }
}

/** What a block was sent as, for the next request of its conversation. */
function sentBlockOf(state: BlockState): SentBlock {
  return state.history.length === 0 ? null : { steps: state.history };
}

function offloadSpan(span: OffloadedSpan, toolName: string | null, pending: CcrPut[]): string {
  const key = ccrKey(span.original);
  pending.push({ key, original: span.original, unit: span.unit, count: span.count, toolName });
  return formatMarker({ key, count: span.count, unit: span.unit, ...(span.detail ? { detail: span.detail } : {}) });
}

/**
 * The offloaded originals whose key is in `text`. The keys of the text's
 * markers are read in one pass; only an entry whose key is not among them
 * (its marker was not written) is searched for in the whole text, so a
 * rewrite with thousands of markers is not searched thousands of times.
 */
function keptEntries(pending: readonly CcrPut[], text: string): CcrPut[] {
  if (pending.length === 0) return [];
  const written = new Set(findMarkers(text).map((marker) => marker.key));
  return pending.filter((entry) => written.has(entry.key) || text.includes(entry.key));
}

/** Drops the rewrites from the first one that wrote a marker on, keeping the marker-free ones before it. */
/**
 * What adding a tool would cost this request in cache terms: the prompt
 * tokens the provider has cached for it — the blocks of the frozen messages
 * (recorded cache reads, what earlier requests sent) and everything up to
 * the last `cache_control` breakpoint — and the model's write and read price
 * multipliers (src/pricing/cache-rules.ts; Anthropic's for a model without a
 * rule). Counted from the blocks, so the body optimize writes (whose
 * breakpoint marks the same frozen prefix) is weighed the same way again and
 * optimize stays idempotent; replay, which bills a recorded session, also
 * weighs the recorded cache reads (they include the system prompt and tools
 * a transcript does not record). Null when nothing is cached.
 */
function cacheBustOf(request: Request, states: readonly BlockState[], frozen: number, weighRecordedCache: boolean): { cached: number; write: number; read: number } | null {
  const breakpoint = lastCacheBreakpoint(states.map((state) => state.block));
  let cached = 0;
  for (const [index, state] of states.entries()) if (index <= breakpoint || state.block.sourceIndex < frozen) cached += state.originalTokens;
  if (weighRecordedCache) cached = Math.max(cached, request.usage?.cacheRead ?? 0);
  if (cached === 0) return null;
  const rule = cacheRuleFor(request.model);
  return { cached, write: rule?.write5mMultiplier ?? DEFAULT_WRITE_MULTIPLIER, read: rule?.readMultiplier ?? DEFAULT_READ_MULTIPLIER };
}

/**
 * Later calls assumed to resend a compressed output when weighing a cache
 * re-write against it: a conservative horizon (the Claude Code sessions of
 * the corpus run 7–175 calls, median 47), so a re-write is accepted only for
 * savings of about half the cached prompt or more.
 */
const LATER_CALLS = 10;

/** Anthropic's multipliers, for a model the cache rules do not know: the costliest common case. */
const DEFAULT_WRITE_MULTIPLIER = 1.25;
const DEFAULT_READ_MULTIPLIER = 0.1;

function revertMarkers(state: BlockState): void {
  const firstMarked = state.history.findIndex((step) => step.entries.length > 0 || findMarkers(step.text).length > 0);
  if (firstMarked < 0) return;
  state.history = state.history.slice(0, firstMarked);
  const last = state.history[state.history.length - 1];
  state.text = last ? last.text : state.block.text;
  state.tokens = last ? last.tokens : state.originalTokens;
  state.declines.push({ transform: null, reason: 'no-net-gain' });
}

function decisionOf(state: BlockState, index: number, protection: Protection | null): BlockDecision {
  const decision: BlockDecision = {
    block_index: index,
    message_index: state.block.sourceIndex,
    kind: state.block.kind,
    tool: state.block.flags.toolName ?? null,
    content_kind: state.content?.kind ?? null,
    tokens_before: state.originalTokens,
    tokens_after: state.tokens,
    outcome: 'skipped',
    reason: null,
    steps: state.history.map((step) => ({ transform: step.transform, label: step.label })),
    declines: state.declines,
  };
  if (protection) return { ...decision, outcome: protection.outcome, reason: protection.reason };
  if (state.history.length > 0) return { ...decision, outcome: 'compressed' };
  // Every transform that is handed a block leaves a step or a decline; none of either: no transform accepted its kind.
  if (state.declines.length === 0) return { ...decision, declines: [{ transform: null, reason: 'no-compressor' }] };
  return decision;
}

function labelsOf(states: readonly BlockState[], transform: string): string {
  const labels = new Set<string>();
  for (const state of states) for (const step of state.history) if (step.transform === transform) labels.add(step.label);
  return [...labels].join(',');
}

function diffArtifact(requestId: string, before: number, after: number, transforms: TransformDiff[], states: readonly BlockState[]): TransformResult['diff_artifact'] {
  const blocks: BlockDiff[] = [];
  states.forEach((state, index) => {
    if (state.history.length === 0) return;
    blocks.push({
      block_index: index,
      message_index: state.block.sourceIndex,
      tokens_before: state.originalTokens,
      tokens_after: state.tokens,
      labels: state.history.map((step) => step.label),
      before: preview(state.block.text),
      after: preview(state.text),
    });
  });
  return { request_id: requestId, original_tokens: before, optimized_tokens: after, total_tokens_saved: before - after, transforms, blocks };
}

/** The first lines of a text, each cut short, for a before/after view. */
function preview(text: string): string {
  const lines = text.split('\n');
  const shown = lines.slice(0, DIFF_PREVIEW_LINES).map((line) => (line.length > DIFF_PREVIEW_CHARS ? `${line.slice(0, DIFF_PREVIEW_CHARS)}…` : line));
  if (lines.length > DIFF_PREVIEW_LINES) shown.push(`… (${lines.length - DIFF_PREVIEW_LINES} more lines)`);
  return shown.join('\n');
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 1000) / 1000;
}
