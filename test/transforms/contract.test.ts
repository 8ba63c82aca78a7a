/**
 * The transform contract: what a compressor is given (its configuration,
 * the user's query, the producing call and its arguments, the file), how it
 * is routed by content kind, and how its answers become decisions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTENT_KINDS } from '../../src/analysis/content-kind.js';
import { defaultConfig } from '../../src/config/index.js';
import { settingReader } from '../../src/config/stages.js';
import { buildTransforms, settingsReadByTransforms, TRANSFORM_FACTORIES } from '../../src/transforms/index.js';
import { JSON_COMPACTION } from '../../src/transforms/json-compaction.js';
import type { Transform, TransformBlock, TransformContext } from '../../src/transforms/types.js';
import { decisionTextOf, optimizeText, prettyRows } from '../pipeline/helpers.js';

const ROWS = prettyRows(12);
const LOG = Array.from({ length: 60 }, (_, i) => `2026-11-30T10:00:${String(i % 60).padStart(2, '0')}Z INFO worker ${i} finished batch ${i * 7}`).join('\n');

function request(toolOutput: string): string {
  return JSON.stringify({
    model: 'gpt-4o',
    messages: [
      { role: 'user', content: 'an earlier question' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'Which invoices for ACME are still open?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"data/invoices.json","limit":50}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: toolOutput },
    ],
  });
}

/** A transform that records what it was given and declines. */
function spy(accepts: Transform['accepts'] = CONTENT_KINDS): { transform: Transform; seen: { block: TransformBlock; context: TransformContext }[] } {
  const seen: { block: TransformBlock; context: TransformContext }[] = [];
  const transform: Transform = {
    name: 'spy',
    lossless: true,
    accepts,
    apply: async (block, context) => {
      seen.push({ block, context });
      return { decline: 'no-match' };
    },
  };
  return { transform, seen };
}

describe('transform contract', () => {
  it('gives a transform the user query, the producing call with parsed arguments, the file and the request facts', async () => {
    const { transform, seen } = spy();
    await optimizeText(request(ROWS), { transforms: [transform] });
    assert.equal(seen.length, 1);
    const [{ block, context }] = seen as [{ block: TransformBlock; context: TransformContext }];
    assert.equal(context.request.query, 'Which invoices for ACME are still open?');
    assert.deepEqual(context.call, { name: 'read_file', arguments: { path: 'data/invoices.json', limit: 50 } });
    assert.equal(context.toolName, 'read_file');
    assert.equal(context.filePath, 'data/invoices.json');
    assert.deepEqual([context.request.provider, context.request.format, context.request.model], ['openai', 'openai-chat', 'gpt-4o']);
    assert.equal(block.content.kind, 'json-object');
    assert.equal(block.structured, false);
  });

  it('routes by content kind: a transform never sees kinds it does not accept, and such an output is skipped:no-compressor with its kind', async () => {
    const { transform, seen } = spy(['json-array', 'json-object']);
    const { results } = await optimizeText(request(LOG), { transforms: [transform] });
    assert.equal(seen.length, 0);
    const decision = results[0]?.result.blocks.at(-1);
    assert.equal(decisionTextOf(decision), 'skipped:no-compressor');
    assert.equal(decision?.outcome, 'skipped');
    assert.deepEqual(decision?.declines, [{ transform: null, reason: 'no-compressor' }]);
    assert.equal(decision?.content_kind, 'app-log');
  });

  it('records a typed decline with the transform that gave it', async () => {
    const { transform } = spy();
    const { results } = await optimizeText(request(ROWS), { transforms: [transform] });
    const decision = results[0]?.result.blocks.at(-1);
    assert.deepEqual(decision?.declines, [{ transform: 'spy', reason: 'no-match' }]);
    assert.equal(decisionTextOf(decision), 'skipped:no-match');
  });

  it('awaits an async rewrite and reports it as structured steps', async () => {
    const halve: Transform = {
      name: 'halve',
      lossless: false,
      accepts: CONTENT_KINDS,
      apply: async (block) => ({ text: block.text.slice(0, block.text.length / 2), label: 'half' }),
    };
    const { results } = await optimizeText(request(ROWS), { transforms: [halve] });
    const decision = results[0]?.result.blocks.at(-1);
    assert.equal(decision?.outcome, 'compressed');
    assert.deepEqual(decision?.steps, [{ transform: 'halve', label: 'half' }]);
    assert.match(decisionTextOf(decision) ?? '', /^compressed:half \d+→\d+ tokens$/);
  });
});

describe('the registry', () => {
  it('builds every registered transform from the default configuration (with tool results intercepted, which code outlines need), in order', () => {
    const config = defaultConfig();
    config.interceptToolResults = true;
    assert.deepEqual(
      buildTransforms(config).map((transform) => transform.name),
      TRANSFORM_FACTORIES.map((factory) => factory.name),
    );
  });

  it('smart_crusher.enabled=false turns JSON compaction off', async () => {
    const config = defaultConfig();
    config.smartCrusher.enabled = false;
    const transforms = buildTransforms(config);
    assert.ok(!transforms.some((transform) => transform.name === JSON_COMPACTION));
    const text = request(ROWS);
    const { output } = await optimizeText(text, { transforms });
    assert.equal(output, text);
  });

  it('every setting a registered transform reads is listed as read in `config --describe`', () => {
    const read = settingsReadByTransforms();
    assert.ok(read.has('smart_crusher.enabled'));
    for (const key of read) assert.notEqual(settingReader(key), null, `${key} is marked as read`);
  });
});
