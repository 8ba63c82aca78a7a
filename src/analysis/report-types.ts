/**
 * The shapes audit reports in. They are the documented JSON output (README,
 * "JSON output"), so keys are snake_case and only ever added to, never renamed.
 */
import { BLOCK_KINDS, type BlockKind, type ContextManagement, type FormatId, type Provider } from '../formats/types.js';
import type { EncodingName } from '../tokens/models.js';
import { CONTENT_KINDS, type ContentKind } from './content-kind.js';
import type { WasteCounts } from './waste/types.js';

/** Token counts by block kind; tool definitions are counted apart from system text. */
export type KindTokens = Record<BlockKind | 'tool_definitions', number>;

/** Report order: tool definitions sit right after the system prompt, as the prompt prefix. */
export const KIND_COLUMNS: ReadonlyArray<keyof KindTokens> = ['system', 'tool_definitions', ...BLOCK_KINDS.filter((kind) => kind !== 'system')];

export function emptyKindTokens(): KindTokens {
  return Object.fromEntries(KIND_COLUMNS.map((kind) => [kind, 0])) as KindTokens;
}

/** Recorded usage, as the provider billed it (never estimated). */
export interface UsageReport {
  input: number;
  cache_read: number;
  cache_write_5m: number;
  cache_write_1h: number;
  output: number;
  reasoning: number;
  /** input + cache reads + cache writes: the prompt the provider actually saw. */
  prompt: number;
  /**
   * Server-side iterations of one response (Anthropic compaction), each as
   * billed; the fields above are their sum. Null when none were reported.
   */
  iterations: UsageIterationReport[] | null;
}

export interface UsageIterationReport {
  /** `compaction` or `message`. */
  type: string;
  input: number;
  cache_read: number;
  cache_write_5m: number;
  cache_write_1h: number;
  output: number;
}

export interface Location {
  file: string;
  line: number | null;
}

export interface TokenizerReport {
  encoding: EncodingName;
  /** False for models whose own tokenizer is not public (Claude, Gemini, unknown). */
  exact: boolean;
}

/** A tool output worth looking at because of its size. */
export interface ToolOutputReport {
  tokens: number;
  tool: string | null;
  file_path: string | null;
  message_index: number;
  where: Location;
  preview: string;
}

/** A file read whose content a later read or edit of the same file made out of date. */
/** One tool output of a request and the kind of content the router detected in it. */
export interface ToolOutputKindReport {
  /** Index of the block in the request (blocks are counted over all messages, in order). */
  block_index: number;
  message_index: number;
  tool: string | null;
  kind: ContentKind;
  /** 0..1. */
  confidence: number;
  /** For `code`, the language when it could be told; otherwise null. */
  language: string | null;
  /** Tokens of the block (text plus framing), as in `tokens_by_kind.tool_result`. */
  tokens: number;
}

/** Tool outputs per detected content kind: how many, and the tokens they cost. */
export type ContentKindTotals = Record<ContentKind, { count: number; tokens: number }>;

export function emptyContentKindTotals(): ContentKindTotals {
  return Object.fromEntries(CONTENT_KINDS.map((kind) => [kind, { count: 0, tokens: 0 }])) as ContentKindTotals;
}

export interface StaleReadReport {
  file_path: string;
  tokens: number;
  reason: 'superseded' | 'edited';
  message_index: number;
  later_message_index: number;
  tool: string | null;
}

export interface CachePrefixReport {
  /** Hash of the tool definitions and system text: the part every call should share. */
  hash: string;
  tokens: number;
  /** True when the previous request of the same conversation had a different prefix. */
  changed: boolean | null;
  /** Volatile values (dates, ids) found in the prefix; each one can bust the cache. */
  dynamic_values: number;
  /** 100 minus 10 per volatile value, floored at 0: how cache-friendly the prefix is. */
  alignment_score: number;
}

export interface RequestReport {
  type: 'request';
  id: string;
  where: Location;
  format: FormatId;
  provider: Provider;
  model: string | null;
  conversation: string | null;
  tokenizer: TokenizerReport;
  messages: number;
  blocks: number;
  /** Estimated prompt tokens: content plus message framing plus tool definitions. */
  tokens: number;
  tokens_by_kind: KindTokens;
  /**
   * Kinds (keys of `tokens_by_kind`, in its order) whose count is an estimate;
   * the others are exact. Every kind, for a model without a public tokenizer.
   */
  estimated_kinds: Array<keyof KindTokens>;
  /** Images, documents and audio (estimated from their size), included in `tokens`. */
  media: { count: number; tokens: number };
  /** Encrypted or redacted content the model receives but that cannot be counted here. */
  opaque_bytes: number;
  waste: WasteCounts & { total: number };
  cache_prefix: CachePrefixReport;
  usage: UsageReport | null;
  /**
   * Anthropic `context_management` as recorded: the edits the request asked
   * for (tool-result and thinking clearing, compaction) and what the response
   * reports they cleared; null when neither side recorded any.
   */
  context_management: ContextManagement | null;
  largest_tool_outputs: ToolOutputReport[];
  stale_reads: StaleReadReport[];
  /** Present when a budget is set: the token count compared and whether it was exceeded. */
  budget: BudgetCheck | null;
  /** Every tool output (text, not media) with its detected content kind, in block order. */
  tool_outputs: ToolOutputKindReport[];
}

export interface BudgetCheck {
  limit: number;
  /** Recorded prompt tokens when the input has them, else the estimate. */
  tokens: number;
  basis: 'recorded' | 'estimated';
  exceeded: boolean;
}
