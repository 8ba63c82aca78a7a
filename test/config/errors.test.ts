import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/index.js';
import { configErrorIn, loadIn } from './helpers.js';

const inFile = (contents: string | object) => ({ 'headroom.config.json': contents });

test('ConfigError is an Error subclass with its own name, and keeps messages on one line', () => {
  const error = new ConfigError('a\nb\r\nc');
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'ConfigError');
  assert.equal(error.message, 'a\\nb\\nc');
});

test('an unknown key names the key, the file and the closest real key', () => {
  assert.equal(
    configErrorIn(inFile({ smart_crusher: { max_itemz: 3 } })),
    'headroom.config.json: unknown key "smart_crusher.max_itemz" (did you mean "smart_crusher.max_items_after_crush"?)',
  );
});

test('an unknown key with nothing close has no suggestion', () => {
  assert.equal(configErrorIn(inFile({ zzzzzzzz: 1 })), 'headroom.config.json: unknown key "zzzzzzzz"');
});

test('a misspelled section and a key in the wrong section get suggestions', () => {
  assert.equal(configErrorIn(inFile({ smart_crushr: {} })), 'headroom.config.json: unknown key "smart_crushr" (did you mean "smart_crusher"?)');
  assert.equal(configErrorIn(inFile({ budget_tokens: 5 })), 'headroom.config.json: unknown key "budget_tokens" (did you mean "audit.budget_tokens"?)');
});

test('file keys are snake_case; a camelCase key is rejected with the snake_case spelling suggested', () => {
  assert.equal(configErrorIn(inFile({ smartCrusher: { enabled: false } })), 'headroom.config.json: unknown key "smartCrusher" (did you mean "smart_crusher"?)');
});

test('errors in other files name that file; package.json errors name package.json#headroom', () => {
  assert.match(configErrorIn({ '.headroomrc.json': { bogus_key: 1 } }), /^\.headroomrc\.json: unknown key "bogus_key"/);
  assert.match(configErrorIn({ 'package.json': { headroom: { bogus_key: 1 } } }), /^package\.json#headroom: unknown key "bogus_key"/);
  assert.match(configErrorIn({ 'c/x.json': { bogus_key: 1 } }, { configPath: 'c/x.json' }), /^c\/x\.json: unknown key "bogus_key"/);
});

test('a wrong type names the key, the file, what was expected and what was found', () => {
  assert.equal(
    configErrorIn(inFile({ smart_crusher: { max_items_after_crush: '15' } })),
    'headroom.config.json: "smart_crusher.max_items_after_crush" must be an integer >= 1, got "15"',
  );
  assert.equal(configErrorIn(inFile({ smart_crusher: { enabled: 'yes' } })), 'headroom.config.json: "smart_crusher.enabled" must be true or false, got "yes"');
  assert.equal(configErrorIn(inFile({ ccr: [] })), 'headroom.config.json: "ccr" must be an object, got []');
  assert.equal(configErrorIn(inFile([1])), 'headroom.config.json: top level must be an object, got [1]');
  assert.equal(configErrorIn({ 'package.json': { headroom: 'on' } }), 'package.json#headroom: top level must be an object, got "on"');
});

test('list items are checked one by one', () => {
  assert.equal(
    configErrorIn(inFile({ cache_aligner: { detection_tiers: ['regex', 'magic'] } })),
    'headroom.config.json: "cache_aligner.detection_tiers" must be a list of values from "regex", "ner", "semantic", got ["regex","magic"] (item 1: "magic" is not one of "regex", "ner", "semantic")',
  );
  assert.match(configErrorIn(inFile({ pipeline_extensions: ['a', 2] })), /"pipeline_extensions" must be a list of strings.*item 1: 2 is not a string/);
  assert.match(configErrorIn(inFile({ cache_aligner: { date_patterns: ['(unclosed'] } })), /"cache_aligner\.date_patterns" must be a list of valid regular expressions/);
});

test('numeric ranges are enforced: fractions, positive and non-negative integers', () => {
  assert.match(configErrorIn(inFile({ smart_crusher: { relevance: { hybrid_alpha: 1.5 } } })), /"smart_crusher\.relevance\.hybrid_alpha" must be a number between 0 and 1, got 1\.5$/);
  assert.match(configErrorIn(inFile({ smart_crusher: { first_fraction: -0.1 } })), /must be a number between 0 and 1, got -0\.1$/);
  assert.match(configErrorIn(inFile({ output_buffer_tokens: -1 })), /"output_buffer_tokens" must be an integer >= 0, got -1$/);
  assert.match(configErrorIn(inFile({ output_buffer_tokens: 10.5 })), /"output_buffer_tokens" must be an integer >= 0, got 10\.5$/);
  assert.match(configErrorIn(inFile({ ccr: { store_max_entries: 0 } })), /"ccr\.store_max_entries" must be an integer >= 1, got 0$/);
  assert.match(configErrorIn(inFile({ model_context_limits: { 'gpt-4': -5 } })), /"model_context_limits" must be .*\("gpt-4" is -5\)$/);
  // The edges of each range are accepted.
  const { config } = loadIn(inFile({ smart_crusher: { relevance: { hybrid_alpha: 1 }, first_fraction: 0 }, output_buffer_tokens: 0 }));
  assert.equal(config.smartCrusher.relevance.hybridAlpha, 1);
  assert.equal(config.smartCrusher.firstFraction, 0);
  assert.equal(config.outputBufferTokens, 0);
});

test('enum values are checked', () => {
  assert.equal(configErrorIn(inFile({ default_mode: 'fast' })), 'headroom.config.json: "default_mode" must be one of "audit", "optimize", "simulate", got "fast"');
});

test('invalid JSON names the file with line and column', () => {
  // Column 34 is the "}" after the trailing comma on line 3.
  const text = '{\n  "default_mode": "audit",\n  "audit": { "top_offenders": 5, }\n}\n';
  assert.equal(configErrorIn(inFile(text)), 'headroom.config.json:3:34: invalid JSON (expected a property name in double quotes)');
  assert.equal(configErrorIn(inFile('')), 'headroom.config.json:1:1: invalid JSON (unexpected end of input)');
  assert.equal(configErrorIn(inFile('{"a": tru}')), 'headroom.config.json:1:7: invalid JSON (unexpected character "t")');
  assert.equal(configErrorIn(inFile('{} {}')), 'headroom.config.json:1:4: invalid JSON (unexpected content after the JSON value)');
});

test('an unparsable package.json is reported even though it might not hold headroom config', () => {
  assert.match(configErrorIn({ 'package.json': '{ "name": ' }), /^package\.json:1:11: invalid JSON/);
});

test('nullable fields accept null from a file, from --set and from env', () => {
  const fromFile = loadIn(inFile({ audit: { budget_tokens: null }, prefix_freeze: { cache_ttl_seconds: null } }));
  assert.equal(fromFile.config.audit.budgetTokens, null);
  assert.equal(fromFile.sources['audit.budget_tokens']?.kind, 'file');
  assert.equal(fromFile.config.prefixFreeze.cacheTtlSeconds, null);

  const set = loadIn(inFile({ audit: { budget_tokens: 100 } }), { overrides: ['audit.budget_tokens=null'] });
  assert.equal(set.config.audit.budgetTokens, null);
  assert.deepEqual(set.sources['audit.budget_tokens'], { kind: 'flag', flag: '--set' });

  const env = loadIn(inFile({ prefix_freeze: { cache_ttl_seconds: 60 } }), { env: { HEADROOM_PREFIX_FREEZE_CACHE_TTL_SECONDS: 'null' } });
  assert.equal(env.config.prefixFreeze.cacheTtlSeconds, null);
});

test('nullable fields still check non-null values', () => {
  assert.equal(loadIn(inFile({ prefix_freeze: { cache_ttl_seconds: 300 } })).config.prefixFreeze.cacheTtlSeconds, 300);
  assert.equal(configErrorIn(inFile({ audit: { budget_tokens: 0 } })), 'headroom.config.json: "audit.budget_tokens" must be an integer >= 1 or null, got 0');
  assert.match(configErrorIn(inFile({ prefix_freeze: { cache_ttl_seconds: 'never' } })), /must be an integer >= 1 or null, got "never"$/);
});

test('null is rejected for fields that are not nullable', () => {
  assert.equal(configErrorIn(inFile({ audit: { top_offenders: null } })), 'headroom.config.json: "audit.top_offenders" must be an integer >= 0, got null');
});

test('--set without "=" is an error', () => {
  assert.equal(configErrorIn({}, { overrides: ['audit.budget_tokens'] }), '--set audit.budget_tokens: expected key=value');
  assert.equal(configErrorIn({}, { overrides: ['=5'] }), '--set =5: expected key=value');
});

test('--set with an unknown key is an error with a suggestion', () => {
  assert.equal(configErrorIn({}, { overrides: ['audit.budget=5'] }), '--set audit.budget=5: unknown key "audit.budget" (did you mean "audit.budget_tokens"?)');
});

test('--set naming a section is an error pointing at one of its settings', () => {
  assert.equal(configErrorIn({}, { overrides: ['audit=5'] }), '--set audit=5: "audit" is a section, not a setting (e.g. "audit.budget_tokens")');
});

test('--set with a value of the wrong type is an error', () => {
  assert.equal(configErrorIn({}, { overrides: ['smart_crusher.max_items_after_crush=lots'] }), '--set smart_crusher.max_items_after_crush=lots: expected an integer >= 1');
  assert.match(configErrorIn({}, { overrides: ['model_context_limits=gpt-4:8192'] }), /expected an object mapping names to integers >= 1 \(invalid JSON object\)$/);
});

test('--set values: the first "=" splits, strings are taken verbatim, lists split on commas', () => {
  const { config } = loadIn(
    {},
    {
      overrides: [
        'store_url=sqlite:///a=b.db',
        'cache_aligner.extra_dynamic_labels=session, request_id',
        'model_context_limits={"my-model": 32000}',
        'smart_crusher.relevance.bm25_b=0.5',
      ],
    },
  );
  assert.equal(config.storeUrl, 'sqlite:///a=b.db');
  assert.deepEqual(config.cacheAligner.extraDynamicLabels, ['session', 'request_id']);
  assert.deepEqual(config.modelContextLimits, { 'my-model': 32000 });
  assert.equal(config.smartCrusher.relevance.bm25B, 0.5);
});

test('a later --set for the same key wins', () => {
  const { config } = loadIn({}, { overrides: ['audit.top_offenders=3', 'audit.top_offenders=7'] });
  assert.equal(config.audit.topOffenders, 7);
});

test('a dedicated flag with an unknown key is reported under the flag name', () => {
  assert.match(configErrorIn({}, { flagValues: { 'audit.budgetz': 5 }, flagNames: { 'audit.budgetz': '--budget' } }), /^--budget: unknown key "audit\.budgetz"/);
});

test('min/max pairs must be ordered; the message names both keys and their sources', () => {
  assert.equal(
    configErrorIn(inFile({ smart_crusher: { anchor: { min_anchor_slots: 20 } } })),
    '"smart_crusher.anchor.min_anchor_slots" (20, file headroom.config.json) must not be greater than "smart_crusher.anchor.max_anchor_slots" (12, default)',
  );
  assert.match(
    configErrorIn({}, { overrides: ['smart_crusher.compaction_max_buckets=1'] }),
    /"smart_crusher\.compaction_min_buckets" \(2, default\) must not be greater than "smart_crusher\.compaction_max_buckets" \(1, flag --set\)/,
  );
  // Checked after merging: a file may set an out-of-order value that a flag then fixes.
  const fixed = loadIn(inFile({ smart_crusher: { anchor: { min_anchor_slots: 20 } } }), {
    overrides: ['smart_crusher.anchor.max_anchor_slots=20'],
  });
  assert.equal(fixed.config.smartCrusher.anchor.minAnchorSlots, 20);
});

test('the file is read before env, so a bad file fails even when env would override the key', () => {
  const message = configErrorIn(inFile({ audit: { budget_tokens: 'x' } }), { env: { HEADROOM_AUDIT_BUDGET_TOKENS: '5' } });
  assert.match(message, /^headroom\.config\.json: "audit\.budget_tokens"/);
});
