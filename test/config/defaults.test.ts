import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONFIG_SCHEMA, DEFAULT_CONFIG, defaultConfig } from '../../src/config/index.js';
import { loadIn } from './helpers.js';

const loadDefaults = () => loadIn({});

test('with no file, env or flags every value is the default and no file is reported', () => {
  const { config, sources, file } = loadDefaults();
  assert.equal(file, null);
  assert.deepEqual(config, defaultConfig());
  assert.equal(Object.keys(sources).length, CONFIG_SCHEMA.leaves.length);
  for (const leaf of CONFIG_SCHEMA.leaves) assert.deepEqual(sources[leaf.path], { kind: 'default' }, leaf.path);
});

test('top-level defaults mirror the reference HeadroomConfig', () => {
  const { config } = loadDefaults();
  assert.equal(config.storeUrl, 'sqlite:///headroom.db');
  assert.equal(config.defaultMode, 'audit');
  assert.deepEqual(config.modelContextLimits, {});
  assert.equal(config.outputBufferTokens, 4000);
  assert.equal(config.interceptToolResults, false);
  assert.equal(config.generateDiffArtifact, false);
  assert.deepEqual(config.pipelineExtensions, []);
  assert.equal(config.discoverPipelineExtensions, true);
});

test('smart_crusher defaults, including nested relevance and anchor', () => {
  const { smartCrusher } = loadDefaults().config;
  assert.equal(smartCrusher.enabled, true);
  assert.equal(smartCrusher.minItemsToAnalyze, 5);
  assert.equal(smartCrusher.minTokensToCrush, 200);
  assert.equal(smartCrusher.maxItemsAfterCrush, 15);
  assert.equal(smartCrusher.varianceThreshold, 2.0);
  assert.equal(smartCrusher.toinConfidenceThreshold, 0.3);
  assert.equal(smartCrusher.firstFraction, 0.3);
  assert.equal(smartCrusher.lastFraction, 0.15);
  assert.equal(smartCrusher.losslessOnly, false);
  assert.equal(smartCrusher.compactionMinBuckets, 2);
  assert.equal(smartCrusher.compactionMaxBuckets, 8);
  assert.equal(smartCrusher.relevance.tier, 'hybrid');
  assert.equal(smartCrusher.relevance.bm25K1, 1.5);
  assert.equal(smartCrusher.relevance.bm25B, 0.75);
  assert.equal(smartCrusher.relevance.relevanceThreshold, 0.25);
  assert.equal(smartCrusher.anchor.anchorBudgetPct, 0.25);
  assert.equal(smartCrusher.anchor.minAnchorSlots, 3);
  assert.equal(smartCrusher.anchor.maxAnchorSlots, 12);
  assert.deepEqual(smartCrusher.anchor.recencyKeywords, ['latest', 'recent', 'last', 'newest', 'current', 'now']);
});

test('cache_aligner, cache_optimizer, ccr, prefix_freeze and audit defaults', () => {
  const { cacheAligner, cacheOptimizer, ccr, prefixFreeze, audit } = loadDefaults().config;
  assert.equal(cacheAligner.enabled, false);
  assert.deepEqual(cacheAligner.detectionTiers, ['regex']);
  assert.equal(cacheAligner.entropyThreshold, 0.7);
  assert.equal(cacheAligner.datePatterns.length, 4);
  assert.equal(cacheAligner.dynamicTailSeparator, '\n\n---\n[Dynamic Context]\n');
  assert.equal(cacheOptimizer.enabled, true);
  assert.equal(cacheOptimizer.minCacheableTokens, 1024);
  assert.equal(cacheOptimizer.semanticCacheSimilarity, 0.95);
  assert.equal(ccr.enabled, true);
  assert.equal(ccr.storeMaxEntries, 1000);
  assert.equal(ccr.storeTtlSeconds, 1800);
  assert.equal(ccr.injectSystemInstructions, false);
  assert.match(ccr.markerTemplate, /Retrieve more: hash=\{hash\}/);
  assert.equal(prefixFreeze.enabled, true);
  assert.equal(prefixFreeze.minCachedTokens, 1024);
  assert.equal(prefixFreeze.sessionTtlSeconds, 600);
  assert.equal(prefixFreeze.forceCompressThreshold, 0.5);
  assert.equal(prefixFreeze.cacheTtlSeconds, null);
  assert.equal(audit.budgetTokens, null);
  assert.equal(audit.topOffenders, 10);
});

test('retired reference sections are not part of the schema', () => {
  const sections = new Set(CONFIG_SCHEMA.leaves.map((leaf) => leaf.path.split('.')[0]));
  assert.equal(sections.has('rolling_window'), false);
  assert.equal(sections.has('intelligent_context'), false);
  for (const name of ['smart_crusher', 'cache_aligner', 'cache_optimizer', 'ccr', 'prefix_freeze', 'audit']) {
    assert.ok(sections.has(name), name);
  }
});

test('every default date pattern compiles', () => {
  for (const pattern of DEFAULT_CONFIG.cacheAligner.datePatterns) assert.doesNotThrow(() => new RegExp(pattern));
  assert.match('Current date: 2024-05-01', new RegExp(DEFAULT_CONFIG.cacheAligner.datePatterns[0]!));
});

test('DEFAULT_CONFIG is frozen; defaultConfig() and loadConfig return independent copies', () => {
  assert.ok(Object.isFrozen(DEFAULT_CONFIG));
  assert.ok(Object.isFrozen(DEFAULT_CONFIG.smartCrusher.anchor.recencyKeywords));
  const copy = defaultConfig();
  copy.smartCrusher.anchor.recencyKeywords.push('mutated');
  copy.modelContextLimits['x'] = 1;
  assert.deepEqual(loadDefaults().config.smartCrusher.anchor.recencyKeywords, DEFAULT_CONFIG.smartCrusher.anchor.recencyKeywords);
  assert.deepEqual(defaultConfig().modelContextLimits, {});
});
