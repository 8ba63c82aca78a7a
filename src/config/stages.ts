/**
 * Which stage reads each setting today. The schema mirrors the reference's
 * whole `HeadroomConfig`, but most of its sections configure compressors and
 * cache stages that do not exist yet; `headroom config --describe` says so
 * instead of echoing those values as if they did something. When a stage
 * starts reading a setting, it is added here (a test checks every entry is a
 * real setting).
 */
export const SETTING_READERS: Readonly<Record<string, string>> = {
  default_mode: 'headroom with no command',
  output_buffer_tokens: 'optimize (transcript bodies)',
  generate_diff_artifact: 'optimize, simulate',
  'smart_crusher.enabled': 'optimize, simulate (JSON compaction, SmartCrusher)',
  'smart_crusher.min_items_to_analyze': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.max_items_after_crush': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.variance_threshold': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.uniqueness_threshold': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.similarity_threshold': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.preserve_change_points': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.dedup_identical_items': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.first_fraction': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.last_fraction': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.relevance.tier': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.relevance.bm25_k1': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.relevance.bm25_b': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.relevance.embedding_model': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.relevance.embedding_model_path': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.relevance.hybrid_alpha': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.relevance.adaptive_alpha': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.relevance.relevance_threshold': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.anchor_budget_pct': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.min_anchor_slots': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.max_anchor_slots': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.default_front_weight': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.default_back_weight': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.default_middle_weight': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.search_front_weight': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.search_back_weight': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.logs_front_weight': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.logs_back_weight': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.recency_keywords': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.historical_keywords': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.use_information_density': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.candidate_multiplier': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.anchor.dedup_identical_items': 'optimize, simulate (SmartCrusher)',
  'smart_crusher.min_tokens_to_crush': 'optimize, simulate',
  'smart_crusher.lossless_only': 'optimize, simulate',
  'smart_crusher.use_feedback_hints': 'optimize, simulate (SmartCrusher reads the learned hints), toin',
  'smart_crusher.toin_confidence_threshold': 'optimize, simulate (SmartCrusher), toin',
  'smart_crusher.lossless_min_savings_ratio': 'optimize, simulate (JSON tables)',
  'smart_crusher.factor_out_constants': 'optimize, simulate (JSON tables)',
  'smart_crusher.compaction_core_field_fraction': 'optimize, simulate (JSON tables)',
  'smart_crusher.compaction_heterogeneous_core_ratio': 'optimize, simulate (JSON tables)',
  'smart_crusher.compaction_max_flatten_inner_keys': 'optimize, simulate (JSON tables)',
  'smart_crusher.compaction_min_buckets': 'optimize, simulate (JSON tables)',
  'smart_crusher.compaction_max_buckets': 'optimize, simulate (JSON tables)',
  'diff_compressor.enabled': 'optimize, simulate (diff compressor)',
  'diff_compressor.max_context_lines': 'optimize, simulate (diff compressor)',
  'diff_compressor.max_file_lines': 'optimize, simulate (diff compressor)',
  'diff_compressor.summarize_patterns': 'optimize, simulate (diff compressor)',
  'diff_compressor.summarize_deleted_files': 'optimize, simulate (diff compressor)',
  'diff_compressor.min_savings_ratio': 'optimize, simulate (diff compressor)',
  'ccr.enabled': 'optimize, simulate',
  'ccr.store_max_entries': 'optimize',
  'ccr.store_ttl_seconds': 'optimize',
  'ccr.store_path': 'optimize, retrieve, toin',
  'ccr.feedback_enabled': 'retrieve (recording feedback)',
  'ccr.inject_retrieval_marker': 'optimize, simulate',
  'ccr.inject_tool': 'optimize, simulate',
  'prefix_freeze.enabled': 'optimize, simulate',
  'prefix_freeze.min_cached_tokens': 'optimize, simulate',
  'audit.budget_tokens': 'audit',
  'audit.top_offenders': 'audit',
};

/** The stages that read a setting, or null when none does yet. */
export function settingReader(path: string): string | null {
  return Object.hasOwn(SETTING_READERS, path) ? (SETTING_READERS[path] ?? null) : null;
}
