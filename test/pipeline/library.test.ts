import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ConfigError, defaultConfig, resolveConfig } from '../../src/config/index.js';
import type { JsonObject } from '../../src/formats/types.js';
import { InputError } from '../../src/input/problems.js';
import { auditRequest, optimizeRequest, runAudit, runOptimize, simulateRequest } from '../../src/pipeline/library.js';
import { auditOptions, optimizeOptions } from '../../src/pipeline/options.js';
import { decodeTables } from '../../src/transforms/json-table/index.js';
import type { Transform } from '../../src/transforms/types.js';
import { keepFirstLine, memoryStore, prettyRows } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ROWS = prettyRows(12);
const COMPACT = JSON.stringify(JSON.parse(ROWS));

function chatBody(toolOutput: string): JsonObject {
  return {
    model: 'gpt-4o',
    messages: [
      { role: 'user', content: 'list the invoices' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'list', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: toolOutput },
    ],
  };
}

/** Pretty-printed on purpose: every byte outside the tool output must come back as it was. */
const TEXT = JSON.stringify(chatBody(ROWS), null, 2);

/** The tool output of an optimized chatBody: compacted, its rows laid out as a lossless table that decodes to COMPACT. */
function optimizedRows(body: JsonObject): string {
  const content = ((body['messages'] as JsonObject[])[2] as JsonObject)['content'] as string;
  assert.ok(content.startsWith('{"rows":"[12]{'), content);
  assert.equal(decodeTables(content), COMPACT);
  return content;
}

describe('optimizeRequest', () => {
  it('returns text with only the tool output changed when given text', async () => {
    const { body, result, metrics } = await optimizeRequest(TEXT);
    assert.equal(body, TEXT.replace(JSON.stringify(ROWS), JSON.stringify(optimizedRows(JSON.parse(body) as JsonObject))));
    assert.ok(result.tokens_after < result.tokens_before);
    assert.equal(result.transforms_applied[0], 'json_compaction:json-compact');
    assert.match(result.transforms_applied[1] ?? '', /^json_table:lossless:table \d+%$/);
    assert.equal(result.transforms_applied.length, 2);
    assert.equal(metrics.tokens_input_after, result.tokens_after);
    assert.equal(result.request_id, '<request>:1');
  });

  it('returns a value when given a value', async () => {
    const { body } = await optimizeRequest(chatBody(ROWS));
    assert.deepEqual(body, chatBody(optimizedRows(body as JsonObject)));
  });

  it('puts originals in the store it is given, and the store returns them', async () => {
    const store = memoryStore();
    const text = JSON.stringify(chatBody(`header\n${'a line of log output that repeats\n'.repeat(60)}`));
    const { body, ccrEntries, ccrStore } = await optimizeRequest(text, { ccrStore: store, transforms: [keepFirstLine] });
    assert.equal(ccrStore, store);
    assert.equal(ccrEntries.length, 1);
    const entry = ccrEntries[0]!;
    assert.ok(body.includes(entry.key));
    const found = store.get(entry.key);
    assert.equal(found.status === 'available' ? found.entry.original : null, entry.original);
  });

  it('keeps the originals whose key the output holds: in a marker, or bare; not one whose marker was not written', async () => {
    // Offloads three thirds of the block: writes the first marker, only the second marker's key, and drops the third.
    const thirds: Transform = {
      name: 'thirds',
      lossless: false,
      accepts: keepFirstLine.accepts,
      apply(block, context) {
        const size = Math.floor(block.text.length / 3);
        const [a, b, c] = [0, 1, 2].map((part) => context.offload({ original: block.text.slice(part * size, (part + 1) * size), unit: 'chars', count: size }));
        const bareKey = /hash=(\w+)/.exec(b as string)?.[1] as string;
        assert.notEqual(c, undefined);
        return { text: `${a as string}\nkey ${bareKey}`, label: 'thirds' };
      },
    };
    const text = JSON.stringify(chatBody(`header\n${'a line of log output that repeats\n'.repeat(60)}`));
    const { body, ccrEntries } = await optimizeRequest(text, { transforms: [thirds] });
    assert.equal(ccrEntries.length, 2);
    for (const entry of ccrEntries) assert.ok(body.includes(entry.key));
  });

  it('keeps originals in a new in-memory store when none is given', async () => {
    const text = JSON.stringify(chatBody(`header\n${'a line of log output that repeats\n'.repeat(60)}`));
    const { ccrEntries, ccrStore } = await optimizeRequest(text, { transforms: [keepFirstLine] });
    assert.equal(ccrStore.location, ':memory:');
    assert.equal(ccrStore.get(ccrEntries[0]!.key).status, 'available');
  });

  it('follows the config: smart_crusher.enabled=false leaves the body as it was', async () => {
    const { body, result } = await optimizeRequest(TEXT, { config: resolveConfig({ smart_crusher: { enabled: false } }) });
    assert.equal(body, TEXT);
    assert.deepEqual(result.transforms_applied, []);
  });

  it('leaves fields no stage computes null', async () => {
    // The cache optimizer's fields are its own (test/cache/optimizers/); switched off, nothing computes them.
    const { metrics, result } = await optimizeRequest(TEXT, { config: resolveConfig({ generate_diff_artifact: true, cache_optimizer: { enabled: false } }) });
    for (const field of [
      'stream',
      'cache_optimizer_used',
      'cacheable_tokens',
      'breakpoints_inserted',
      'estimated_cache_hit',
      'estimated_savings_percent',
      'semantic_cache_hit',
    ] as const) {
      assert.equal(metrics[field], null, field);
    }
    const diff = result.diff_artifact?.transforms[0];
    assert.equal(diff?.items_kept, null);
    assert.equal(diff?.blocks_changed, 1);
  });

  it('rejects a transcript: its optimized form is not a body of its own format', async () => {
    // One call of a Claude Code transcript: its prompt and the assistant's reply.
    const lines = readFileSync(path.join(ROOT, 'fixtures/claude-code/agent-5e1f2a3b.jsonl'), 'utf8').split('\n').slice(0, 2);
    const store = memoryStore();
    await assert.rejects(
      optimizeRequest(`${lines.join('\n')}\n`, { ccrStore: store }),
      (error: unknown) => error instanceof InputError && /claude-code transcript is not a request body/.test(error.message),
    );
    assert.equal(store.size(), 0);
  });

  it('stores nothing in the given store when the body is not one request', async () => {
    const store = memoryStore();
    const marked = JSON.stringify(chatBody(`header\n${'a line of log output that repeats\n'.repeat(60)}`));
    await assert.rejects(optimizeRequest(`${marked}\n${marked}\n`, { ccrStore: store, transforms: [keepFirstLine] }), InputError);
    assert.equal(store.size(), 0);
  });
});

describe('auditRequest and simulateRequest', () => {
  it('audits one body, text or value, with the same report', async () => {
    const fromText = await auditRequest(JSON.stringify(chatBody(ROWS)));
    const fromValue = await auditRequest(chatBody(ROWS));
    assert.deepEqual(fromText, fromValue);
    assert.equal(fromText.format, 'openai-chat');
    assert.ok(fromText.waste.json_bloat > 0);
  });

  it('simulates one body: the tokens optimize would save, nothing stored', async () => {
    const simulated = await simulateRequest(TEXT);
    const { result } = await optimizeRequest(TEXT);
    assert.equal(simulated.tokens_saved, result.tokens_before - result.tokens_after);
    assert.equal(simulated.model, 'gpt-4o');
  });

  it('takes a forced format', async () => {
    await assert.rejects(auditRequest(chatBody(ROWS), { format: 'gemini' }), InputError);
  });

  for (const [what, body, pattern] of [
    ['malformed JSON', '{"model": "gpt-4o", "messages": [', /<request>/],
    ['an object that is no request', { hello: 'world' }, /<request>/],
    ['two requests', `${JSON.stringify(chatBody('a'))}\n${JSON.stringify(chatBody('b'))}\n`, /found 2 requests/],
    ['nothing', '', /no request found|<request>/],
  ] as const) {
    it(`gives a typed one-line error for ${what}`, async () => {
      for (const call of [auditRequest, simulateRequest, optimizeRequest]) {
        await assert.rejects(call(body as string), (error: unknown) => {
          assert.ok(error instanceof InputError, String(error));
          assert.match(error.message, pattern);
          assert.ok(!error.message.includes('\n'));
          return true;
        });
      }
    });
  }
});

describe('resolveConfig', () => {
  it('puts snake_case values over the defaults and rejects unknown keys', () => {
    assert.equal(resolveConfig({ smart_crusher: { min_tokens_to_crush: 50 } }).smartCrusher.minTokensToCrush, 50);
    assert.deepEqual(resolveConfig(), defaultConfig());
    assert.throws(() => resolveConfig({ smart_crusher: { min_tokens: 'x' } }), ConfigError);
  });
});

describe('runAudit and runOptimize over paths with a config', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'headroom-lib-'));
  writeFileSync(path.join(dir, 'request.json'), TEXT);

  it('runAudit(paths, {config}) reads the audit settings', async () => {
    const config = resolveConfig({ audit: { budget_tokens: 10 } });
    const result = await runAudit(['request.json'], { config, cwd: dir });
    assert.equal(result.summary.requests, 1);
    assert.equal(result.summary.budget?.exceeded, 1);
  });

  it('runOptimize(paths, {config}) writes the optimized body; the CLI form still works', async () => {
    let output = '';
    const result = await runOptimize(['request.json'], { cwd: dir, write: (chunk) => (output += String(chunk)) });
    assert.equal(result.requests, 1);
    assert.equal(output, TEXT.replace(JSON.stringify(ROWS), JSON.stringify(optimizedRows(JSON.parse(output) as JsonObject))));
    assert.ok(result.ccrStore);
    let spelled = '';
    await runOptimize({ ...optimizeOptions(defaultConfig(), { paths: ['request.json'], cwd: dir }), mode: 'optimize', write: (chunk) => (spelled += String(chunk)) });
    assert.equal(spelled, output);
  });

  it('auditOptions maps audit.* settings', () => {
    const options = auditOptions(resolveConfig({ audit: { budget_tokens: 5, top_offenders: 2 } }), { paths: [] });
    assert.equal(options.budgetTokens, 5);
    assert.equal(options.topOffenders, 2);
  });
});
