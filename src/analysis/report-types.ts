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
  /**
   * 16 hex digits of SHA-256 over the tool definitions and system text: the
   * part every call should share (a system text's dynamic tail, after
   * `cache_aligner.dynamic_tail_separator`, left out).
   */
  stable_prefix_hash: string;
  tokens: number;
  /** True when the previous request of the same conversation (or file) had a different prefix; null for its first request. */
  changed: boolean | null;
  /** The prefix matched the previous request's, so the provider could read it from cache; null for the first request. */
  estimated_cache_hit: boolean | null;
  /** Dynamic values (dates, ids, keys…) found in the prefix; each one can bust the cache. */
  dynamic_values: number;
  /** Share (0-1) of the prefix's tokens before its first dynamic value: what stays cached if that value changes. */
  cache_alignment_score: number;
  /** The first dynamic values found, in prefix order (secrets masked). */
  dynamic: DynamicValueReport[];
  /** Credentials (API keys, JWTs) found in the prefix: never printed, only their first 4 characters and length. */
  secrets: SecretReport[];
}

export interface DynamicValueReport {
  /** `tool NAME` or `system[i]`. */
  where: string;
  type: string;
  reason: string;
  /** The value, cut to 40 characters; a secret's first 4 characters and length. */
  sample: string;
}

export interface SecretReport {
  where: string;
  type: string;
  /** The first 4 characters. */
  preview: string;
  length: number;
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
