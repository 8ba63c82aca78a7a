import { bool, compile, enumList, enumOf, int, intRecord, nullable, number, regexList, section, string, stringList } from './schema.js';
import type { Infer } from './schema.js';

/*
 * Mirrors the reference Python `HeadroomConfig` (field names in snake_case on
 * the user side, defaults as documented in the reference). `rolling_window` and
 * `intelligent_context` are deliberately absent: the reference retired them and
 * headroom never drops content. `audit` is ours.
 */

const fraction = () => number({ min: 0, max: 1 });
const count = () => int({ min: 0 });
const positive = () => int({ min: 1 });

const relevance = section({
  tier: enumOf(['bm25', 'embedding', 'hybrid']).default('hybrid').describe('Relevance scorer used to pick items to keep.'),
  bm25K1: number({ min: 0 }).default(1.5).describe('BM25 term-frequency saturation (k1).'),
  bm25B: fraction().default(0.75).describe('BM25 document-length normalization (b).'),
  embeddingModel: string().default('all-MiniLM-L6-v2').describe('Name of the embedding model, shown in messages; the model itself is read from embedding_model_path.'),
  // Never a download: the embedding tier reads a model that is already on disk, or falls back to BM25 with a warning.
  embeddingModelPath: nullable(string())
    .default(null)
    .describe(
      'Directory of a local ONNX sentence-embedding model (model.onnx and tokenizer.json) for the embedding and hybrid tiers; needs the optional onnxruntime-node package; null scores with BM25.',
    ),
  hybridAlpha: fraction().default(0.5).describe('Weight of BM25 versus embeddings in the hybrid tier.'),
  adaptiveAlpha: bool().default(true).describe('Adjust the hybrid weight per query.'),
  // 0.25 as declared by the reference's RelevanceScorerConfig. Its SmartCrusher shim ignores this and
  // hard-codes 0.3; we keep the declared value so the field means what its name says.
  relevanceThreshold: fraction().default(0.25).describe('Minimum relevance score (0-1) for an item to count as relevant; applied by SmartCrusher when it selects items.'),
});

const anchor = section({
  anchorBudgetPct: fraction().default(0.25).describe('Share of kept items reserved for position anchors.'),
  minAnchorSlots: count().default(3).describe('Fewest anchor slots to reserve.'),
  maxAnchorSlots: count().default(12).describe('Most anchor slots to reserve.'),
  defaultFrontWeight: fraction().default(0.5).describe('Anchor weight for the start of an array (default pattern).'),
  defaultBackWeight: fraction().default(0.4).describe('Anchor weight for the end of an array (default pattern).'),
  defaultMiddleWeight: fraction().default(0.1).describe('Anchor weight for the middle of an array (default pattern).'),
  searchFrontWeight: fraction().default(0.75).describe('Anchor weight for the start of search results.'),
  searchBackWeight: fraction().default(0.15).describe('Anchor weight for the end of search results.'),
  logsFrontWeight: fraction().default(0.15).describe('Anchor weight for the start of logs.'),
  logsBackWeight: fraction().default(0.75).describe('Anchor weight for the end of logs.'),
  recencyKeywords: stringList().default(['latest', 'recent', 'last', 'newest', 'current', 'now']).describe('Query words that shift anchors toward the end.'),
  historicalKeywords: stringList().default(['first', 'oldest', 'earliest', 'original', 'initial', 'beginning']).describe('Query words that shift anchors toward the start.'),
  useInformationDensity: bool().default(true).describe('Prefer information-dense items when filling anchor slots.'),
  candidateMultiplier: positive().default(3).describe('Candidates considered per anchor slot.'),
  dedupIdenticalItems: bool().default(true).describe('Skip identical items when choosing anchors.'),
});

const smartCrusher = section({
  enabled: bool().default(true).describe('Compress large JSON arrays in tool results.'),
  minItemsToAnalyze: count().default(5).describe('Arrays with fewer items are left whole.'),
  minTokensToCrush: count().default(200).describe('Tool results below this many tokens are left alone.'),
  varianceThreshold: number({ min: 0 }).default(2.0).describe('Standard deviations from the norm beyond which a value is an anomaly or a shift in a series is a change point.'),
  uniquenessThreshold: fraction().default(0.1).describe('Distinct-value ratio below which a field counts as repetitive.'),
  similarityThreshold: fraction().default(0.8).describe('Word overlap (Jaccard, 0-1) at which an optional pick counts as a near-duplicate of an item already kept and is skipped.'),
  maxItemsAfterCrush: positive()
    .default(15)
    .describe(
      'Cap on the adaptive number of items kept from one array, and on their text (this many items of 512 characters: large records keep fewer); errors, anomalies and items the query names are kept beyond it.',
    ),
  preserveChangePoints: bool().default(true).describe('Always keep items where a numeric series changes sharply.'),
  factorOutConstants: bool()
    .default(false)
    .describe('Off by default, as in the reference configuration; on, a lossless table states a field that is the same in every row once, in its header.'),
  includeSummaries: bool().default(false).describe('Disabled: kept for compatibility with the reference configuration; it has no effect.'),
  useFeedbackHints: bool().default(true).describe('Use retrieval feedback to keep items that were needed before.'),
  toinConfidenceThreshold: fraction().default(0.3).describe('Minimum confidence to apply a learned compression hint.'),
  dedupIdenticalItems: bool().default(true).describe('An item identical to one already kept is not kept again.'),
  firstFraction: fraction().default(0.3).describe('Share of the item budget taken from the start of a string, number or mixed array.'),
  lastFraction: fraction().default(0.15).describe('Share of the item budget taken from the end of a string, number or mixed array.'),
  losslessMinSavingsRatio: fraction().default(0.15).describe('Minimum savings for a lossless rewrite to be used.'),
  losslessOnly: bool().default(false).describe('Only apply lossless rewrites; never drop items.'),
  compactionCoreFieldFraction: fraction().default(0.8).describe('Share of items a field must appear in to be a core field.'),
  compactionHeterogeneousCoreRatio: fraction().default(0.6).describe('Core-field ratio below which items count as heterogeneous.'),
  compactionMaxFlattenInnerKeys: count().default(6).describe('Most keys a nested object may have to be flattened.'),
  compactionMinBuckets: positive().default(2).describe('Fewest buckets when grouping heterogeneous items.'),
  compactionMaxBuckets: positive().default(8).describe('Most buckets when grouping heterogeneous items.'),
  relevance,
  anchor,
});

const htmlExtractor = section({
  enabled: bool().default(true).describe('Reduce fetched HTML pages to their readable content as Markdown; the whole page stays retrievable behind one marker.'),
  minSavingsRatio: fraction().default(0.2).describe('Smallest share of tokens an extract must save; below it the page is left as it is.'),
  keepLinks: bool().default(true).describe('Write links as [text](href); off, only their text.'),
  keepTitle: bool().default(true).describe("Start the extract with the page's <title> when the content does not repeat it."),
});

const searchCompressor = section({
  enabled: bool()
    .default(true)
    .describe('Thin grep / ripgrep output (search results): keep the matches most relevant to the query and the search pattern, name every file with its match count, mark the rest.'),
  maxMatchesPerFile: positive().default(5).describe('Most matches kept from one file (first, last and the most relevant); matches relevant to the query come first.'),
  maxTotalMatches: positive().default(30).describe('Most matches kept across all files.'),
  maxFiles: positive().default(15).describe('Most files that keep match lines; every other file is still named, with its match count and line numbers, in a marker.'),
  alwaysKeepFirst: bool().default(true).describe("Keep each kept file's first match."),
  alwaysKeepLast: bool().default(true).describe("Keep each kept file's last match."),
  contextKeywords: stringList().default([]).describe('Words that make a match more worth keeping (case-insensitive).'),
  boostErrors: bool().default(true).describe('Prefer matches mentioning errors, warnings, TODO/FIXME and the like.'),
  minSavingsRatio: fraction().default(0.2).describe('A rewrite saving less than this share of the output is not made (too little for a marker and a round trip).'),
});

const logCompressor = section({
  enabled: bool()
    .default(true)
    .describe('Compress build, test and application logs: errors, failures, warnings, stack traces and summaries stay; runs of other lines go behind retrieval markers.'),
  minSavingsRatio: fraction().default(0.2).describe("A rewrite saving less than this share of the block's tokens is not made."),
  errorContextLines: count()
    .default(3)
    .describe('Lines kept before and after the first and the last line of each kind of error or failure (neighbouring errors are judged on their own).'),
  maxErrorRepeats: positive().default(3).describe('Error lines of one template kept in full; later repeats are omitted, except the last one.'),
  maxWarningRepeats: positive().default(1).describe('Warning lines of one template kept; the rest are omitted and counted in the markers.'),
  maxStackTraces: count().default(5).describe('Distinct stack traces kept; a trace identical to a kept one (numbers aside) is omitted.'),
  stackTraceMaxLines: positive().default(40).describe('Longest stack trace kept whole; a longer one keeps its head and its last lines around a marker.'),
  keepFirstLines: count().default(3).describe('Lines always kept at the start of a log.'),
  keepLastLines: count().default(3).describe('Lines always kept at the end of a log.'),
});

// The reference's TextCrusher (its non-ML text strategy) with its defaults; `w_recency` became `w_position`: openings count as much as endings.
const textCompressor = section({
  enabled: bool().default(true).describe('Compress prose tool outputs (documents, pages read as text) by keeping their most relevant and salient sentences.'),
  targetRatio: number({ min: 0.05, max: 1 })
    .default(0.5)
    .describe("Share of the prose's characters to keep (0.05-1); protected spans are kept beyond it, and short gaps are kept rather than replaced by a longer marker."),
  minSavingsRatio: fraction().default(0.2).describe('A rewrite saving less than this share of the tokens is not made (decline small-gain).'),
  wPosition: number({ min: 0 }).default(1.0).describe('Weight of a sentence position: first and last sentences score highest.'),
  wRelevance: number({ min: 0 }).default(2.0).describe('Weight of BM25 relevance to the user query and the tool call arguments.'),
  wSalience: number({ min: 0 }).default(1.5).describe('Weight of salient words: numbers, names, code, negations, dates, error words.'),
  minSegmentChars: count().default(12).describe('Sentences shorter than this score a quarter (headings excepted).'),
  nearDupThreshold: fraction().default(0.85).describe('Share of word 3-shingles already kept at which a sentence counts as a near-duplicate and is dropped.'),
  minSegmentsForCrush: positive().default(6).describe('Prose with fewer sentences is left whole.'),
});

const cacheAligner = section({
  // Ours: the aligner reports dynamic values and never moves them (moving them rewrote the prefix and busted the
  // cache, the reference's REALIGNMENT bug P2-23); on, it warns per request and may normalize whitespace.
  enabled: bool()
    .default(false)
    .describe('Warn about dynamic values (dates, ids, keys) in the cacheable prefix of each optimized request, and apply the whitespace normalizations below outside cached prefixes.'),
  useDynamicDetector: bool().default(true).describe('Find dynamic content with the built-in detector; off, only date_patterns are matched.'),
  detectionTiers: enumList(['regex', 'ner', 'semantic'])
    .default(['regex'])
    .describe('Detectors used to find dynamic content; regex is built in, ner and semantic need a local model this build cannot load (one warning, then skipped).'),
  extraDynamicLabels: stringList().default([]).describe('Extra labels (`tenant: …`) whose values are treated as dynamic, whatever they look like.'),
  entropyThreshold: fraction().default(0.7).describe('Normalized entropy above which an id-like token (16+ characters mixing letters and digits) counts as random.'),
  datePatterns: regexList()
    .default([
      String.raw`Current [Dd]ate:?\s*\d{4}-\d{2}-\d{2}`,
      String.raw`Today is \w+,?\s+\w+ \d+`,
      String.raw`Today's date:?\s*\d{4}-\d{2}-\d{2}`,
      String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}`,
    ])
    .describe('Regexes for dynamic dates, used instead of the detector when use_dynamic_detector is false.'),
  normalizeWhitespace: bool().default(true).describe('With enabled: line endings to LF and trailing spaces removed in system, user and assistant text outside cached prefixes.'),
  collapseBlankLines: bool().default(true).describe('With normalize_whitespace: runs of blank lines collapsed to one.'),
  dynamicTailSeparator: string()
    .default('\n\n---\n[Dynamic Context]\n')
    .describe('A system text holding this separator has its stable prefix end there: what follows is left out of stable_prefix_hash.'),
});

const cacheOptimizer = section({
  enabled: bool().default(true).describe('Apply provider-specific prompt-cache optimizations.'),
  autoDetectProvider: bool().default(true).describe("Pick the cache strategy from the request's provider; off, no cache optimizer runs."),
  minCacheableTokens: count().default(1024).describe("Smallest prefix worth caching: a floor under each model's own minimum."),
  // Ours: OpenAI routes requests with the same key to the same cache; a client that sets its own keeps it.
  promptCacheKey: nullable(string()).default(null).describe('OpenAI prompt_cache_key to add to requests that carry none; null adds none.'),
  enableSemanticCache: bool().default(false).describe('Reuse responses for semantically similar requests.'),
  semanticCacheSimilarity: fraction().default(0.95).describe('Similarity needed for a semantic cache hit.'),
  semanticCacheMaxEntries: positive().default(1000).describe('Most entries kept in the semantic cache.'),
  semanticCacheTtlSeconds: positive().default(300).describe('Seconds a semantic cache entry lives.'),
});

const ccr = section({
  enabled: bool().default(true).describe('Keep compressed originals so the model can retrieve them (CCR).'),
  storeMaxEntries: positive().default(1000).describe('Most originals kept in the CCR store.'),
  // A TTL of 0 would make every marker point at an already-expired original.
  storeTtlSeconds: positive().default(1800).describe('Seconds an original stays retrievable.'),
  storePath: nullable(string()).default(null).describe('CCR store file; null uses the user data directory.'),
  injectRetrievalMarker: bool().default(true).describe('Append a retrieval marker to compressed content.'),
  feedbackEnabled: bool().default(true).describe('Record retrievals as feedback for future compression.'),
  minItemsToCache: count().default(20).describe('Arrays with fewer items are not stored for retrieval.'),
  injectTool: bool().default(true).describe('Add the retrieval tool to requests.'),
  injectSystemInstructions: bool().default(false).describe('Add retrieval instructions to the system prompt.'),
  markerTemplate: string()
    .default('\n[{original_count} items compressed to {compressed_count}.{summary} Retrieve more: hash={hash}. Expires in {ttl_minutes}m.]')
    .describe('Retrieval marker text; {placeholders} are filled per array.'),
});

// Ours (docs/prefix-freeze.md): besides the reference's recorded-cache rule, a run remembers what it sent per conversation
// and sends it again byte for byte. Memory is bounded by size, not by a clock; frozen content is never force-compressed.
const prefixFreeze = section({
  enabled: bool()
    .default(true)
    .describe(
      'Send messages an earlier request of the conversation sent exactly as they were sent, leave messages recorded usage shows cached untouched, and add the retrieval tool to a cached prompt only when its markers save more than the cache re-write costs.',
    ),
  minCachedTokens: count().default(1024).describe('Recorded cache reads below this freeze nothing (the recorded-usage rule).'),
  sessionTtlSeconds: positive()
    .default(600)
    .describe('Seconds a session prefix is remembered; not applied: what was sent is kept for the run, least recently used dropped first, with no clock.'),
  forceCompressThreshold: fraction()
    .default(0.5)
    .describe(
      'Context fill ratio above which frozen messages are compressed anyway; not applied: rewriting a frozen message re-writes everything after it to the cache (see docs/prefix-freeze.md).',
    ),
  cacheTtlSeconds: nullable(positive()).default(null).describe("Provider cache lifetime in seconds; null uses the provider's default."),
});

// Ours: the reference's CodeAwareCompressor keeps a few lines of each body by a scored budget and is off
// by default; we elide whole bodies (each retrievable) and run only when tool results are intercepted.
const codeAware = section({
  enabled: bool()
    .default(true)
    .describe('Outline large source-code reads (imports, signatures, doc comments; bodies elided and retrievable); takes effect only with intercept_tool_results.'),
  minSavingsRatio: fraction().default(0.2).describe('An outline saving less than this share of the tokens is not applied.'),
  minBodyLines: positive().default(4).describe('Function bodies with fewer lines inside their braces (or Python block) than this stay whole.'),
});

const diffCompressor = section({
  enabled: bool().default(true).describe('Compress unified and git diffs in tool results: trim context lines, summarize generated and oversized files.'),
  maxContextLines: count().default(2).describe('Context lines kept on each side of a change; longer runs of context become one marker each (hunk headers stay as written).'),
  maxFileLines: positive()
    .default(250)
    .describe("A file whose hunks span more lines than this is summarized: its headers, a marker with its +/- counts, and the file's diff behind the marker."),
  summarizePatterns: stringList()
    .default([
      'package-lock.json',
      'npm-shrinkwrap.json',
      'yarn.lock',
      'pnpm-lock.yaml',
      'bun.lock',
      'Cargo.lock',
      'go.sum',
      'poetry.lock',
      'uv.lock',
      'Pipfile.lock',
      'Gemfile.lock',
      'composer.lock',
      '*.min.js',
      '*.min.css',
      '*.map',
      '*.pb.go',
      '*_pb2.py',
      'dist/',
      'vendor/',
      'node_modules/',
    ])
    .describe('Generated files and lockfiles, summarized whatever their size: a name (`yarn.lock`, `*.min.js`), a directory (`dist/`), or a path ending (`web/static/*.js`).'),
  summarizeDeletedFiles: bool().default(true).describe("Summarize a deleted file's removed lines behind a marker (its headers and -N count stay)."),
  minSavingsRatio: fraction().default(0.2).describe('A rewrite saving less than this share of the tokens is not made.'),
});

const audit = section({
  budgetTokens: nullable(positive()).default(null).describe('Token budget per request; a request above it fails the CI gate.'),
  topOffenders: count().default(10).describe('How many of the largest parts to list.'),
});

export const configSchema = section({
  storeUrl: string().default('sqlite:///headroom.db').describe('Where headroom stores its data.'),
  defaultMode: enumOf(['audit', 'optimize', 'simulate']).default('audit').describe('Mode used when none is given.'),
  modelContextLimits: intRecord({ min: 1 }).default({}).describe('Context window overrides, model name to tokens.'),
  outputBufferTokens: count().default(4000).describe('Tokens reserved for the response when checking context limits.'),
  interceptToolResults: bool().default(false).describe('Compress tool results as they arrive.'),
  generateDiffArtifact: bool().default(false).describe('Write a diff of original and compressed requests.'),
  pipelineExtensions: stringList().default([]).describe('Module specifiers of extra pipeline stages to load.'),
  discoverPipelineExtensions: bool().default(true).describe('Load pipeline extensions found in installed packages.'),
  smartCrusher,
  htmlExtractor,
  diffCompressor,
  searchCompressor,
  logCompressor,
  textCompressor,
  cacheAligner,
  cacheOptimizer,
  ccr,
  prefixFreeze,
  codeAware,
  audit,
});

export type HeadroomConfig = Infer<typeof configSchema>;
export type SmartCrusherConfig = HeadroomConfig['smartCrusher'];
export type SearchCompressorConfig = HeadroomConfig['searchCompressor'];
export type LogCompressorConfig = HeadroomConfig['logCompressor'];
export type RelevanceConfig = SmartCrusherConfig['relevance'];
export type AnchorConfig = SmartCrusherConfig['anchor'];
export type HtmlExtractorConfig = HeadroomConfig['htmlExtractor'];
export type DiffCompressorConfig = HeadroomConfig['diffCompressor'];
export type TextCompressorConfig = HeadroomConfig['textCompressor'];
export type CacheAlignerConfig = HeadroomConfig['cacheAligner'];
export type CacheOptimizerConfig = HeadroomConfig['cacheOptimizer'];
export type CcrConfig = HeadroomConfig['ccr'];
export type PrefixFreezeConfig = HeadroomConfig['prefixFreeze'];
export type AuditConfig = HeadroomConfig['audit'];
export type CodeAwareConfig = HeadroomConfig['codeAware'];

/**
 * Pairs of leaves (dotted paths) whose first value must not exceed the second.
 * Checked after every source is merged, because the two halves of a pair may
 * come from different places (file sets one, a flag the other).
 */
export const ORDERED_PAIRS: readonly (readonly [low: string, high: string])[] = [
  ['smart_crusher.anchor.min_anchor_slots', 'smart_crusher.anchor.max_anchor_slots'],
  ['smart_crusher.compaction_min_buckets', 'smart_crusher.compaction_max_buckets'],
];

/** Compiled once: leaves, env names, validation. */
export const CONFIG_SCHEMA = compile(configSchema, 'HEADROOM_');

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Frozen so no caller can change everyone's defaults; use `defaultConfig()` for a mutable copy. */
export const DEFAULT_CONFIG: HeadroomConfig = deepFreeze(CONFIG_SCHEMA.defaults());

export function defaultConfig(): HeadroomConfig {
  return CONFIG_SCHEMA.defaults();
}
