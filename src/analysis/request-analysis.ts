/**
 * Analyzes one request: its blocks and tokens by kind, the waste in it, its
 * cacheable prefix, its largest tool outputs and stale file reads.
 *
 * An analyzer lives for a whole run because sessions resend the same content
 * in every call: tokens and per-text waste are computed once per distinct
 * text (by content hash), and the cache prefix is compared with the previous
 * request of the same conversation.
 */
import { shortSha256 } from '../formats/hash.js';
import type { Part, Request, Usage } from '../formats/types.js';
import { getTokenCounter, type TokenCounter } from '../tokens/counter.js';
import { tokenizerForModel, type EncodingName } from '../tokens/models.js';
import { BlockBuilder, REPLY_PRIMING, type Block } from './blocks.js';
import { ContentClassifier } from './content/classifier.js';
import {
  emptyKindTokens,
  KIND_COLUMNS,
  type BudgetCheck,
  type KindTokens,
  type CachePrefixReport,
  type RequestReport,
  type StaleReadReport,
  type ToolOutputKindReport,
  type ToolOutputReport,
  type UsageReport,
} from './report-types.js';
import { detectRepetition, detectRereads, detectTextWaste, findStaleReads, largestToolOutputs } from './waste/index.js';
import { emptyWaste, wasteTotal, type TextWasteFinding, type WasteBlock, type WasteCounts } from './waste/types.js';

export interface AnalyzerOptions {
  /** Requests whose prompt exceeds this many tokens fail the budget; null for no budget. */
  budgetTokens: number | null;
  /** How many of a request's largest tool outputs its report lists. */
  largestOutputs: number;
}

/** One analyzed request: the report plus what run-level summaries need. */
export interface AnalyzedRequest {
  report: RequestReport;
  blocks: readonly Block[];
  /** Text waste found in each block (same order as `blocks`), for offender rankings. */
  blockWaste: readonly number[];
}

/** Each volatile value in the prefix costs this many points of the alignment score. */
const ALIGNMENT_PENALTY = 10;
/** Bound on memoized per-text waste findings, so a long stream cannot grow memory without limit. */
const WASTE_MEMO_LIMIT = 100_000;
/** Most texts have no findings; they share one empty list instead of holding their own. */
const NO_FINDINGS: readonly TextWasteFinding[] = Object.freeze([]);

export class RequestAnalyzer {
  private readonly builders = new Map<EncodingName, BlockBuilder>();
  /** One for all encodings: a text's content kind does not depend on the tokenizer. */
  private readonly classifier = new ContentClassifier();
  private readonly wasteMemo = new Map<string, readonly TextWasteFinding[]>();
  /** Conversation (or file, for standalone requests) → prefix hash of its previous request. */
  private readonly previousPrefix = new Map<string, string>();

  constructor(private readonly options: AnalyzerOptions) {}

  async analyze(request: Request): Promise<AnalyzedRequest> {
    const tokenizer = tokenizerForModel(request.model);
    const counter = await getTokenCounter(tokenizer.encoding);
    const builder = this.builderFor(counter);
    const blocks = builder.blocksOf(request);

    const tokensByKind = emptyKindTokens();
    const media = { count: 0, tokens: 0 };
    let opaqueBytes = 0;
    for (const block of blocks) {
      tokensByKind[block.kind] += block.tokensEst;
      if (block.media) {
        media.count++;
        media.tokens += block.tokensEst;
      }
      opaqueBytes += block.opaqueBytes;
    }
    const toolDefinitions = builder.toolDefinitions(request);
    tokensByKind.tool_definitions = toolDefinitions.tokens;
    // Replies are primed with a few tokens once per request (only when there is something to reply to).
    const priming = blocks.length > 0 ? REPLY_PRIMING : 0;
    const tokens = sumValues(tokensByKind) + priming;

    const waste = emptyWaste();
    const blockWaste = blocks.map((block) =>
      this.addTextWaste(waste, block.text, block.contentHash, counter, isCacheablePrefix(block), block.media !== null, builder.factsOf(block.part, request.provider).contentTokens),
    );
    let toolDefinitionDynamicValues = 0;
    for (const tool of request.tools) {
      const facts = builder.factsOf(tool, request.provider);
      this.addTextWaste(waste, tool.text, facts.hash, counter, true, false, facts.contentTokens);
      toolDefinitionDynamicValues += this.dynamicValues(tool.text, facts.hash, counter);
    }

    const wasteBlocks = blocks.map(toWasteBlock);
    const count = (text: string): number => counter.count(text);
    waste.repetition += detectRepetition(wasteBlocks, count).tokens;
    const rereads = detectRereads(wasteBlocks);
    waste.reread += rereads.reread;
    waste.reread_compressed += rereads.rereadCompressed;

    const prefix = this.cachePrefix(request, blocks, builder, counter, tokensByKind.tool_definitions, toolDefinitionDynamicValues);
    const usage = request.usage ? usageReport(request.usage) : null;

    const report: RequestReport = {
      type: 'request',
      id: request.id,
      where: { file: request.origin.file, line: request.origin.line ?? null },
      format: request.format,
      provider: request.provider,
      model: request.model,
      conversation: request.conversation,
      tokenizer: { encoding: tokenizer.encoding, exact: tokenizer.exact },
      messages: request.messages.length,
      blocks: blocks.length,
      tokens,
      tokens_by_kind: tokensByKind,
      estimated_kinds: estimatedKinds(tokensByKind, blocks, tokenizer.exact, toolDefinitions.exact),
      media,
      opaque_bytes: opaqueBytes,
      waste: { ...waste, total: wasteTotal(waste) },
      cache_prefix: prefix,
      usage,
      context_management: request.contextManagement ?? null,
      largest_tool_outputs: this.largestOutputs(wasteBlocks, blocks),
      stale_reads: staleReads(wasteBlocks),
      budget: this.budgetCheck(tokens, usage),
      tool_outputs: toolOutputKinds(blocks),
    };
    return { report, blocks, blockWaste };
  }

  /** Tool-definition tokens that adding `tools` to the request would cost, counted as `analyze` counts them. */
  addedToolTokens(request: Request, tools: readonly Part[], counter: TokenCounter): number {
    const builder = this.builderFor(counter);
    const withTools = { ...request, tools: [...request.tools, ...tools] };
    return builder.toolDefinitions(withTools).tokens - builder.toolDefinitions(request).tokens;
  }

  private builderFor(counter: TokenCounter): BlockBuilder {
    let builder = this.builders.get(counter.encoding);
    if (!builder) {
      builder = new BlockBuilder(counter, this.classifier);
      this.builders.set(counter.encoding, builder);
    }
    return builder;
  }

  /** Per-text findings, memoized by hash: a session sends the same text in many calls. */
  private textFindings(text: string, hash: string, counter: TokenCounter, cacheablePrefix: boolean, textTokens?: number): readonly TextWasteFinding[] {
    const key = `${counter.encoding}:${cacheablePrefix ? 'p' : 'c'}:${hash}`;
    let findings = this.wasteMemo.get(key);
    if (!findings) {
      findings = text.length === 0 ? NO_FINDINGS : detectTextWaste(text, (t) => counter.count(t), { cacheablePrefix, textTokens });
      if (findings.length === 0) findings = NO_FINDINGS;
      if (this.wasteMemo.size >= WASTE_MEMO_LIMIT) this.wasteMemo.clear();
      this.wasteMemo.set(key, findings);
    }
    return findings;
  }

  /** Adds one text's waste to `waste` and returns the tokens it contributed. */
  private addTextWaste(waste: WasteCounts, text: string, hash: string, counter: TokenCounter, cacheablePrefix: boolean, isMedia: boolean, textTokens: number): number {
    // A media block's text is a description of the media, not content sent as text.
    if (isMedia) return 0;
    let added = 0;
    for (const finding of this.textFindings(text, hash, counter, cacheablePrefix, textTokens)) {
      waste[finding.key] += finding.tokens;
      added += finding.tokens;
    }
    return added;
  }

  private dynamicValues(text: string, hash: string, counter: TokenCounter): number {
    let values = 0;
    for (const finding of this.textFindings(text, hash, counter, true)) {
      if (finding.key === 'dynamic_date') values += finding.instances ?? 1;
    }
    return values;
  }

  /**
   * The prefix every call of a conversation should share: tool definitions and
   * the leading system text. A change between consecutive calls means the
   * provider's prompt cache could not be reused from that point.
   */
  private cachePrefix(request: Request, blocks: readonly Block[], builder: BlockBuilder, counter: TokenCounter, toolTokens: number, toolDynamicValues: number): CachePrefixReport {
    const hashes: string[] = request.tools.map((tool: Part) => builder.factsOf(tool, request.provider).hash);
    let tokens = toolTokens;
    let dynamicValues = toolDynamicValues;
    for (const block of blocks) {
      if (block.kind !== 'system') break;
      hashes.push(block.contentHash);
      tokens += block.tokensEst;
      dynamicValues += this.dynamicValues(block.text, block.contentHash, counter);
    }
    const hash = shortSha256(hashes.join('\n'));
    const conversation = request.conversation ?? request.origin.file;
    const previous = this.previousPrefix.get(conversation);
    this.previousPrefix.set(conversation, hash);
    return {
      hash,
      tokens,
      changed: previous === undefined ? null : previous !== hash,
      dynamic_values: dynamicValues,
      alignment_score: Math.max(0, 100 - ALIGNMENT_PENALTY * dynamicValues),
    };
  }

  private largestOutputs(wasteBlocks: readonly WasteBlock[], blocks: readonly Block[]): ToolOutputReport[] {
    if (this.options.largestOutputs <= 0) return [];
    return largestToolOutputs(wasteBlocks, this.options.largestOutputs).map((output) => {
      const origin = blocks.find((block) => block.sourceIndex === output.sourceIndex)?.origin;
      return {
        tokens: output.tokens,
        tool: output.toolName ?? null,
        file_path: output.filePath ?? null,
        message_index: output.sourceIndex,
        where: { file: origin?.file ?? '', line: origin?.line ?? null },
        preview: output.preview,
      };
    });
  }

  private budgetCheck(estimated: number, usage: UsageReport | null): BudgetCheck | null {
    const limit = this.options.budgetTokens;
    if (limit === null) return null;
    const tokens = usage ? usage.prompt : estimated;
    return { limit, tokens, basis: usage ? 'recorded' : 'estimated', exceeded: tokens > limit };
  }
}

/**
 * The kinds whose count in this request is an estimate. Exact means the
 * model's own tokenizer counted text the provider bills as that text: never
 * for a stand-in tokenizer (Claude, Gemini), never for media, never for tool
 * calls (counted as `name(arguments)`, not as the provider renders them: on
 * openai_chat_complex_agent three calls, two of them parallel, were billed
 * ~35 tokens more), and for tool definitions only when every tool was
 * counted from a verified rendering.
 */
function estimatedKinds(tokensByKind: KindTokens, blocks: readonly Block[], tokenizerExact: boolean, toolsExact: boolean): Array<keyof KindTokens> {
  const estimated = new Set<keyof KindTokens>();
  for (const kind of KIND_COLUMNS) {
    if (tokensByKind[kind] > 0 && !tokenizerExact) estimated.add(kind);
  }
  if (tokensByKind.tool_definitions > 0 && !toolsExact) estimated.add('tool_definitions');
  for (const block of blocks) if (block.media || block.kind === 'tool_call') estimated.add(block.kind);
  return KIND_COLUMNS.filter((kind) => estimated.has(kind));
}

function isCacheablePrefix(block: Block): boolean {
  return block.kind === 'system' || block.flags.toolDefinition === true;
}

function toWasteBlock(block: Block): WasteBlock {
  return {
    kind: block.kind,
    contentHash: block.contentHash,
    tokens: block.tokensEst,
    sourceIndex: block.sourceIndex,
    text: block.text,
    flags: block.flags,
  };
}

function toolOutputKinds(blocks: readonly Block[]): ToolOutputKindReport[] {
  const outputs: ToolOutputKindReport[] = [];
  blocks.forEach((block, index) => {
    if (!block.content) return;
    outputs.push({
      block_index: index,
      message_index: block.sourceIndex,
      tool: block.flags.toolName ?? null,
      kind: block.content.kind,
      confidence: block.content.confidence,
      language: block.content.language ?? null,
      tokens: block.tokensEst,
    });
  });
  return outputs;
}

function staleReads(wasteBlocks: readonly WasteBlock[]): StaleReadReport[] {
  return findStaleReads(wasteBlocks).map((stale) => ({
    file_path: stale.filePath,
    tokens: stale.tokens,
    reason: stale.reason,
    message_index: stale.sourceIndex,
    later_message_index: stale.laterSourceIndex,
    tool: stale.toolName ?? null,
  }));
}

export function usageReport(usage: Usage): UsageReport {
  return {
    input: usage.input,
    cache_read: usage.cacheRead,
    cache_write_5m: usage.cacheWrite5m,
    cache_write_1h: usage.cacheWrite1h,
    output: usage.output,
    reasoning: usage.reasoning,
    prompt: usage.input + usage.cacheRead + usage.cacheWrite5m + usage.cacheWrite1h,
    iterations:
      usage.iterations?.map((iteration) => ({
        type: iteration.type,
        input: iteration.input,
        cache_read: iteration.cacheRead,
        cache_write_5m: iteration.cacheWrite5m,
        cache_write_1h: iteration.cacheWrite1h,
        output: iteration.output,
      })) ?? null,
  };
}

function sumValues(record: Record<string, number>): number {
  let total = 0;
  for (const value of Object.values(record)) total += value;
  return total;
}
