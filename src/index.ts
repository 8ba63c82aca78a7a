/**
 * headroom as a library: everything the CLI does is reachable from here.
 */
export { auditRequest, optimizeRequest, simulateRequest, runAudit, runOptimize, memoryStoreFor } from './pipeline/library.js';
export type {
  AuditRunOptions,
  OptimizedBody,
  OptimizeRequestOptions,
  OptimizeRunLibraryOptions,
  RequestBody,
  RequestOptions,
  SimulateRequestOptions,
  TransformServiceOptions,
} from './pipeline/library.js';
export { transformServices } from './pipeline/services.js';
export { auditOptions, optimizeOptions } from './pipeline/options.js';
export type { ConfiguredOptimizeOptions, OptimizeContext, RunContext } from './pipeline/options.js';
export type { AuditOptions, AuditProgress, AuditResult } from './pipeline/audit.js';

export { DEFAULT_TRANSFORMS } from './pipeline/optimize.js';
export type { OptimizeRunOptions, OptimizeRunResult } from './pipeline/optimize.js';
export { RequestOptimizer } from './pipeline/optimize-request.js';
export { sentMessagesTracker, type SentMessages } from './pipeline/prefix-freeze.js';
export { FORMATS, formatDescriptor, toolDialectFor } from './formats/registry.js';
export type {
  DialectFormat,
  DialectReader,
  FormatDescriptor,
  FormatReader,
  MessageLinesReader,
  RequestEdit,
  TranscriptCall,
  TranscriptReader,
  TranscriptSession,
} from './formats/descriptor.js';
export type { OptimizedRequest, OptimizerOptions } from './pipeline/optimize-request.js';
export type * from './pipeline/results.js';
export { simulationResult, SimulationTotals } from './pipeline/simulation.js';
export type { SimulationResult, SimulationTotal } from './pipeline/simulation.js';
export { protectBlocks, frozenMessageCount } from './pipeline/protection.js';
export { jsonCompaction, jsonCompactionFactory } from './transforms/json-compaction.js';
export { createJsonTable, decodeTables, jsonTableFactory, TableSyntaxError } from './transforms/json-table/index.js';
export { buildTransforms, TRANSFORM_FACTORIES, settingsReadByTransforms } from './transforms/index.js';
export { DECLINE_REASONS } from './transforms/types.js';
export type * from './transforms/types.js';
export { PIPELINE_REASONS } from './pipeline/results.js';
export * from './ccr/index.js';
export * from './feedback/index.js';
export { applyJsonEdits, arrayElementRanges, jsonSyntaxError, locateValue, locateValues, minifyJson, JsonEditError } from './json/index.js';
export type { JsonEdit, JsonSyntaxError, TextRange } from './json/index.js';
export { inputPriceFor, inputCost, formatDollars, PRICES_AS_OF } from './pricing/input-prices.js';

export { RequestAnalyzer } from './analysis/request-analysis.js';
export type { AnalyzedRequest, AnalyzerOptions } from './analysis/request-analysis.js';
export { SummaryBuilder } from './analysis/summary.js';
export type { AuditSummary, FileRow, OffenderReport, RunUsageReport, StaleReadSummary } from './analysis/summary.js';
export type * from './analysis/report-types.js';
export { CacheForensicsCollector } from './analysis/cache-forensics.js';
export type { BustReport, CacheForensicsReport, CallForensicsReport, ConversationForensicsReport } from './analysis/cache-forensics.js';
export { analyzeCalls, BUST_CAUSES, CacheForensics, firstChange } from './cache/forensics/index.js';
export type { Bust, BustCause, CallFacts, CallFinding, ConversationFindings, PrefixChange, PromptShape } from './cache/forensics/index.js';
export { BlockBuilder } from './analysis/blocks.js';
export type { Block } from './analysis/blocks.js';
export { classifyContent, CONTENT_KINDS } from './analysis/content-kind.js';
export type { ContentClass, ContentKind } from './analysis/content-kind.js';
export { ContentClassifier } from './analysis/content/classifier.js';
export * from './analysis/waste/index.js';

export { resolveSources, stdinSource } from './input/sources.js';
export type { Source, ResolvedSources } from './input/sources.js';
export { readRecords } from './input/records.js';
export type { RecordEvent } from './input/records.js';
export { formatProblem, InputError } from './input/problems.js';
export type { InputProblem } from './input/problems.js';
export { parseSource } from './formats/parse-source.js';
export type { ParseEvent, ParseOptions } from './formats/parse-source.js';
export type * from './formats/types.js';
export { BLOCK_KINDS, DIALECTS, FORMAT_IDS } from './formats/types.js';

export { getTokenCounter } from './tokens/counter.js';
export type { TokenCounter } from './tokens/counter.js';
export { tokenizerForModel } from './tokens/models.js';
export type { EncodingName, TokenizerChoice } from './tokens/models.js';

export * from './config/index.js';

export { createRelevanceScorer, extractQueryAnchors, matchesAnchor } from './relevance/index.js';
export type { QueryAnchors, RelevanceScorer, RelevanceTier } from './relevance/index.js';
