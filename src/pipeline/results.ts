/**
 * What optimize and simulate report. These are documented JSON outputs, so,
 * like the audit report, keys are snake_case and only ever added to.
 */
import type { KindTokens } from '../analysis/report-types.js';
import type { WasteCounts } from '../analysis/waste/types.js';
import type { FormatId } from '../formats/types.js';
import type { ContentKind } from '../analysis/content-kind.js';
import type { DeclineReason } from '../transforms/types.js';
import type { Protection } from './protection.js';
import type { CachePlanReport } from '../cache/optimizers/index.js';

export type PipelineMode = 'audit' | 'optimize' | 'simulate';

/**
 * Reasons the pipeline itself gives for leaving a tool output unchanged:
 * no registered compressor accepts its content kind, a rewrite saved no
 * tokens (or not enough to pay for the retrieval tool), a transform threw, or
 * its output was not valid where the block is a structured JSON value.
 */
export const PIPELINE_REASONS = ['no-compressor', 'no-gain', 'no-net-gain', 'error', 'invalid-output'] as const;
export type PipelineReason = (typeof PIPELINE_REASONS)[number];

/** One step that changed a block: which transform, and what it did. */
export interface DecisionStep {
  transform: string;
  /** What it did, e.g. `json-compact`; numbers go after `: ` (`lossy: kept 15/1000 (…)`) so reports can group by what precedes it. */
  label: string;
}

/** One reason a block was left as it was: which transform (null: the pipeline) and why. */
export interface DecisionDecline {
  transform: string | null;
  reason: DeclineReason | PipelineReason;
}

/**
 * What happened to one block, as data; reporters turn it into words
 * (`compressed:json-compact 412→288 tokens`, `protected:user`, `skipped:small`).
 */
export interface BlockDecision {
  block_index: number;
  message_index: number;
  kind: string;
  tool: string | null;
  /** The router's content kind, for tool outputs that reached it; else null. */
  content_kind: ContentKind | null;
  tokens_before: number;
  tokens_after: number;
  outcome: 'compressed' | 'protected' | 'skipped';
  /** Why a protected or skipped block was never offered to a transform; null otherwise. */
  reason: Protection['reason'] | null;
  /** Compressed: the accepted rewrites in order. */
  steps: DecisionStep[];
  /** Skipped after reaching the transforms: each transform's (or the pipeline's) reason. */
  declines: DecisionDecline[];
}

export interface TransformDiff {
  transform_name: string;
  tokens_before: number;
  tokens_after: number;
  tokens_saved: number;
  /** Spans offloaded behind markers. */
  items_removed: number;
  /** Items (array elements, rows) kept; null until a transform that keeps some items counts them. */
  items_kept: number | null;
  /** Blocks this transform rewrote. */
  blocks_changed: number;
  details: string;
  duration_ms: number;
}

/** A compact before/after view of one changed block. */
export interface BlockDiff {
  block_index: number;
  message_index: number;
  tokens_before: number;
  tokens_after: number;
  /** The labels of the block's rewrites, in order (`json-compact`, `lossy: kept 15/1000 (errors 3, anchors 12)`). */
  labels: string[];
  before: string;
  after: string;
}

export interface DiffArtifact {
  request_id: string;
  original_tokens: number;
  optimized_tokens: number;
  total_tokens_saved: number;
  transforms: TransformDiff[];
  blocks: BlockDiff[];
}

export interface CacheMetrics {
  /** Hash of the prompt prefix (tools and system text) after optimization. */
  stable_prefix_hash: string;
  stable_prefix_tokens: number;
  /** True when optimization changed the prefix (only the retrieval tool can). */
  prefix_changed: boolean;
  /** Messages left alone because the provider had them cached (prefix freeze). */
  frozen_message_count: number;
  /** Blocks at or before the last `cache_control` breakpoint, or frozen. */
  cached_blocks: number;
}

export interface TransformResult {
  request_id: string;
  /** The optimized request body, when asked for (`--show-messages`); else null. */
  messages: unknown;
  tokens_before: number;
  tokens_after: number;
  transforms_applied: string[];
  /** CCR keys of the markers written into the request. */
  markers_inserted: string[];
  warnings: string[];
  diff_artifact: DiffArtifact | null;
  cache_metrics: CacheMetrics;
  /** What the provider cache optimizer planned (breakpoints, cacheable tokens, a CachedContent plan); null when none ran. */
  cache_plan: CachePlanReport | null;
  /** Milliseconds per stage: `_analysis`, one key per transform, `_write_back`, `pipeline_total`. */
  timing: Record<string, number>;
  transforms_summary: Record<string, number>;
  waste_signals: WasteCounts & { total: number };
  /** Our addition: the decision for every block. */
  blocks: BlockDecision[];
}

/**
 * The reference's per-request metrics row. A field no stage computes yet
 * (the cache optimizer's and the semantic cache's) is null, not a neutral
 * false or 0 that would read as a measurement.
 */
export interface RequestMetrics {
  request_id: string;
  timestamp: string;
  model: string | null;
  /** Whether the request asked for a streamed response; null: nothing reads it yet. */
  stream: boolean | null;
  mode: PipelineMode;
  format: FormatId;
  tokens_input_before: number;
  tokens_input_after: number;
  tokens_output: number | null;
  block_breakdown: KindTokens;
  waste_signals: WasteCounts & { total: number };
  stable_prefix_hash: string;
  cache_alignment_score: number;
  cached_tokens: number | null;
  cache_optimizer_used: boolean | null;
  cache_optimizer_strategy: string | null;
  cacheable_tokens: number | null;
  breakpoints_inserted: number | null;
  estimated_cache_hit: boolean | null;
  estimated_savings_percent: number | null;
  semantic_cache_hit: boolean | null;
  transforms_applied: string[];
  tool_units_dropped: number;
  turns_dropped: number;
  messages_hash: string;
  error: string | null;
}

/** Counts of identical tags, in first-seen order. */
export function summarizeTags(tags: readonly string[]): Record<string, number> {
  const summary: Record<string, number> = {};
  for (const tag of tags) summary[tag] = (summary[tag] ?? 0) + 1;
  return summary;
}
