import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONFIG_SCHEMA } from '../../src/config/index.js';
import { configErrorIn, loadIn } from './helpers.js';

const FILE = { 'headroom.config.json': { audit: { budget_tokens: 1000, top_offenders: 5 }, default_mode: 'optimize' } };

test('env overrides the file and is recorded with the variable name', () => {
  const { config, sources } = loadIn(FILE, { env: { HEADROOM_AUDIT_BUDGET_TOKENS: '2000' } });
  assert.equal(config.audit.budgetTokens, 2000);
  assert.deepEqual(sources['audit.budget_tokens'], { kind: 'env', name: 'HEADROOM_AUDIT_BUDGET_TOKENS' });
  // The file still supplies what env leaves alone.
  assert.equal(config.audit.topOffenders, 5);
  assert.deepEqual(sources['audit.top_offenders'], { kind: 'file', file: 'headroom.config.json' });
});

test('--set overrides env, and a dedicated flag overrides --set', () => {
  const env = { HEADROOM_AUDIT_BUDGET_TOKENS: '2000' };
  const withSet = loadIn(FILE, { env, overrides: ['audit.budget_tokens=3000'] });
  assert.equal(withSet.config.audit.budgetTokens, 3000);
  assert.deepEqual(withSet.sources['audit.budget_tokens'], { kind: 'flag', flag: '--set' });

  const withFlag = loadIn(FILE, {
    env,
    overrides: ['audit.budget_tokens=3000'],
    flagValues: { 'audit.budget_tokens': '4000' },
    flagNames: { 'audit.budget_tokens': '--budget' },
  });
  assert.equal(withFlag.config.audit.budgetTokens, 4000);
  assert.deepEqual(withFlag.sources['audit.budget_tokens'], { kind: 'flag', flag: '--budget' });
});

test('each layer only touches the keys it sets: default, file, env and flag side by side', () => {
  const { sources } = loadIn(FILE, {
    env: { HEADROOM_DEFAULT_MODE: 'simulate' },
    overrides: ['smart_crusher.relevance.tier=bm25'],
  });
  assert.deepEqual(sources['store_url'], { kind: 'default' });
  assert.deepEqual(sources['audit.budget_tokens'], { kind: 'file', file: 'headroom.config.json' });
  assert.deepEqual(sources['default_mode'], { kind: 'env', name: 'HEADROOM_DEFAULT_MODE' });
  assert.deepEqual(sources['smart_crusher.relevance.tier'], { kind: 'flag', flag: '--set' });
});

test('a flag value of undefined means "not given" and leaves lower layers alone', () => {
  const { config, sources } = loadIn(FILE, { flagValues: { 'audit.budget_tokens': undefined } });
  assert.equal(config.audit.budgetTokens, 1000);
  assert.equal(sources['audit.budget_tokens']?.kind, 'file');
});

test('non-string flag values are validated as typed values', () => {
  assert.equal(loadIn({}, { flagValues: { 'audit.budget_tokens': 123 } }).config.audit.budgetTokens, 123);
  assert.equal(loadIn({}, { flagValues: { 'smart_crusher.enabled': false } }).config.smartCrusher.enabled, false);
  const message = configErrorIn({}, { flagValues: { 'audit.budget_tokens': 1.5 }, flagNames: { 'audit.budget_tokens': '--budget' } });
  assert.equal(message, '--budget: must be an integer >= 1 or null, got 1.5');
});

test('a flag without a flagNames entry is named by its path', () => {
  const { sources } = loadIn({}, { flagValues: { 'audit.top_offenders': '3' } });
  assert.deepEqual(sources['audit.top_offenders'], { kind: 'flag', flag: 'audit.top_offenders' });
});

test('env names are HEADROOM_ plus the dotted path upper-cased with dots as underscores', () => {
  const { config, sources } = loadIn(
    {},
    {
      env: {
        HEADROOM_SMART_CRUSHER_MAX_ITEMS_AFTER_CRUSH: '25',
        HEADROOM_SMART_CRUSHER_RELEVANCE_BM25_K1: '1.2',
        HEADROOM_CACHE_ALIGNER_DETECTION_TIERS: 'regex, ner',
        HEADROOM_MODEL_CONTEXT_LIMITS: '{"gpt-4": 8192}',
        HEADROOM_PIPELINE_EXTENSIONS: '["./a.js", "./b.js"]',
        HEADROOM_STORE_URL: 'jsonl:///tmp/x.jsonl',
      },
    },
  );
  assert.equal(config.smartCrusher.maxItemsAfterCrush, 25);
  assert.equal(config.smartCrusher.relevance.bm25K1, 1.2);
  assert.deepEqual(config.cacheAligner.detectionTiers, ['regex', 'ner']);
  assert.deepEqual(config.modelContextLimits, { 'gpt-4': 8192 });
  assert.deepEqual(config.pipelineExtensions, ['./a.js', './b.js']);
  assert.equal(config.storeUrl, 'jsonl:///tmp/x.jsonl');
  assert.deepEqual(sources['smart_crusher.relevance.bm25_k1'], { kind: 'env', name: 'HEADROOM_SMART_CRUSHER_RELEVANCE_BM25_K1' });
  const leaf = CONFIG_SCHEMA.leaf('smart_crusher.anchor.min_anchor_slots');
  assert.equal(leaf?.envName, 'HEADROOM_SMART_CRUSHER_ANCHOR_MIN_ANCHOR_SLOTS');
});

test('every leaf has a distinct env name derived from its path', () => {
  const names = CONFIG_SCHEMA.leaves.map((leaf) => leaf.envName);
  assert.equal(new Set(names).size, names.length);
  for (const leaf of CONFIG_SCHEMA.leaves) {
    assert.equal(leaf.envName, `HEADROOM_${leaf.path.toUpperCase().replaceAll('.', '_')}`);
  }
});

for (const [raw, expected] of [
  ['1', true],
  ['true', true],
  ['yes', true],
  ['0', false],
  ['false', false],
  ['off', false],
] as const) {
  test(`HEADROOM_INTERCEPT_ENABLED=${raw} sets intercept_tool_results to ${expected}`, () => {
    // Start from the opposite value so the alias visibly changes it.
    const files = { 'headroom.config.json': { intercept_tool_results: !expected } };
    const { config, sources } = loadIn(files, { env: { HEADROOM_INTERCEPT_ENABLED: raw } });
    assert.equal(config.interceptToolResults, expected);
    assert.deepEqual(sources['intercept_tool_results'], { kind: 'env', name: 'HEADROOM_INTERCEPT_ENABLED' });
  });
}

test('HEADROOM_INTERCEPT_ENABLED follows the reference: any other non-empty value enables', () => {
  assert.equal(loadIn({}, { env: { HEADROOM_INTERCEPT_ENABLED: 'enabled' } }).config.interceptToolResults, true);
});

test('the canonical env name wins over its alias', () => {
  const { config, sources } = loadIn(
    {},
    {
      env: { HEADROOM_INTERCEPT_ENABLED: '1', HEADROOM_INTERCEPT_TOOL_RESULTS: 'false' },
    },
  );
  assert.equal(config.interceptToolResults, false);
  assert.deepEqual(sources['intercept_tool_results'], { kind: 'env', name: 'HEADROOM_INTERCEPT_TOOL_RESULTS' });
});

test('HEADROOM_CCR_TTL_SECONDS is an alias for ccr.store_ttl_seconds and is validated', () => {
  const { config, sources } = loadIn({}, { env: { HEADROOM_CCR_TTL_SECONDS: '600' } });
  assert.equal(config.ccr.storeTtlSeconds, 600);
  assert.deepEqual(sources['ccr.store_ttl_seconds'], { kind: 'env', name: 'HEADROOM_CCR_TTL_SECONDS' });
  const message = configErrorIn({}, { env: { HEADROOM_CCR_TTL_SECONDS: '0' } });
  assert.equal(message, 'environment HEADROOM_CCR_TTL_SECONDS: must be an integer >= 1, got "0"');
});

test('unknown HEADROOM_* variables are ignored, even with values that would not parse', () => {
  const { config, sources } = loadIn(
    {},
    {
      env: { HEADROOM_MODE: 'proxy', HEADROOM_MAX_ITEMS: 'lots', HEADROOM_SMART_CRUSHER_MAX_ITEMZ: 'x', HEADROOM_PORT: '8787' },
    },
  );
  assert.equal(config.defaultMode, 'audit');
  assert.ok(Object.values(sources).every((s) => s.kind === 'default'));
});

test('a malformed value for a known variable is an error naming the variable and the value', () => {
  assert.equal(
    configErrorIn({}, { env: { HEADROOM_SMART_CRUSHER_MAX_ITEMS_AFTER_CRUSH: 'many' } }),
    'environment HEADROOM_SMART_CRUSHER_MAX_ITEMS_AFTER_CRUSH: must be an integer >= 1, got "many"',
  );
  assert.match(configErrorIn({}, { env: { HEADROOM_DEFAULT_MODE: 'turbo' } }), /^environment HEADROOM_DEFAULT_MODE: must be one of "audit", "optimize", "simulate", got "turbo"$/);
  assert.match(configErrorIn({}, { env: { HEADROOM_GENERATE_DIFF_ARTIFACT: 'maybe' } }), /HEADROOM_GENERATE_DIFF_ARTIFACT: must be true or false/);
  assert.match(configErrorIn({}, { env: { HEADROOM_MODEL_CONTEXT_LIMITS: '{"gpt-4": 0}' } }), /HEADROOM_MODEL_CONTEXT_LIMITS: .*"gpt-4" is 0/);
});

test('an empty env value counts as unset', () => {
  const { config, sources } = loadIn(FILE, { env: { HEADROOM_AUDIT_BUDGET_TOKENS: '', HEADROOM_INTERCEPT_ENABLED: '' } });
  assert.equal(config.audit.budgetTokens, 1000);
  assert.equal(sources['audit.budget_tokens']?.kind, 'file');
  assert.equal(config.interceptToolResults, false);
});

test('boolean env values accept the usual spellings case-insensitively', () => {
  for (const [raw, expected] of [
    ['TRUE', true],
    ['Yes', true],
    ['on', true],
    ['No', false],
    ['OFF', false],
    ['0', false],
  ] as const) {
    assert.equal(loadIn({}, { env: { HEADROOM_GENERATE_DIFF_ARTIFACT: raw } }).config.generateDiffArtifact, expected, raw);
  }
});
