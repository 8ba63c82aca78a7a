/**
 * What optimize and simulate report. These are documented JSON outputs, so,
 * like the audit report, keys are snake_case and only ever added to.
 */
import type { KindTokens } from '../analysis/report-types.js';
import type { WasteCounts } from '../analysis/waste/types.js';
import type { FormatId } from '../formats/types.js';

export type PipelineMode = 'audit' | 'optimize' | 'simulate';

/**
 * What happened to one block, as data: the reporters turn it into words
 * (`compressed:json-compact 412→288 tokens`, `protected:user`, `skipped:small`…).
 */
export interface BlockDecision {
  block_index: number;
  message_index: number;
  kind: string;
  tool: string | null;
  tokens_before: number;
  tokens_after: number;
  outcome: 'compressed' | 'protected' | 'skipped';
  /** protected/skipped: a typed reason code, e.g. 'user', 'cached', 'small', 'no-compressor', 'not-json', 'no-gain'; null when compressed */
  reason: string | null;
  /** compressed: the accepted steps in order */
  steps: { transform: string; label: string }[];
  /** the router's content kind of a tool output (e.g. 'json-array', 'build-log'), else null */
  content_kind: string | null;
}

export interface TransformDiff {
  transform_name: string;
  tokens_before: number;
  tokens_after: number;
  tokens_saved: number;
  /** Spans offloaded behind markers, and blocks changed. */
  items_removed: number;
  items_kept: number;
  details: string;
  duration_ms: number;
}

/** A compact before/after view of one changed block. */
export interface BlockDiff {
  block_index: number;
  message_index: number;
  tokens_before: number;
  tokens_after: number;
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
  /** Milliseconds per stage: `_analysis`, one key per transform, `_write_back`, `pipeline_total`. */
  timing: Record<string, number>;
  transforms_summary: Record<string, number>;
  waste_signals: WasteCounts & { total: number };
  /** Our addition: the decision for every block. */
  blocks: BlockDecision[];
}

/** The reference's per-request metrics row; cache-optimizer fields are filled by a later stage and neutral here. */
export interface RequestMetrics {
  request_id: string;
  timestamp: string;
  model: string | null;
  stream: boolean;
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
  cache_optimizer_used: boolean;
  cache_optimizer_strategy: string | null;
  cacheable_tokens: number;
  breakpoints_inserted: number;
  estimated_cache_hit: boolean;
  estimated_savings_percent: number;
  semantic_cache_hit: boolean;
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
