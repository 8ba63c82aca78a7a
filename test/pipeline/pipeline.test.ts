/**
 * The pipeline's rules: protections, fail-open, never worse, CCR markers and
 * the retrieval tool, lossless-only, transcripts written as request bodies.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTENT_KINDS } from '../../src/analysis/content-kind.js';
import { findMarkers } from '../../src/ccr/markers.js';
import { RETRIEVAL_TOOL_NAME, retrievalToolJson } from '../../src/ccr/retrieval-tool.js';
import { applyJsonEdits } from '../../src/json/index.js';
import { addGeminiTool } from '../../src/formats/gemini/parse.js';
import { jsonCompaction } from '../../src/transforms/json-compaction.js';
import { decodeTables } from '../../src/transforms/json-table/index.js';
import type { Transform } from '../../src/transforms/types.js';
import { decisionTextOf, keepFirstLine, optimizeText, prettyRows } from './helpers.js';

const ROWS = prettyRows(12);
const COMPACT = JSON.stringify(JSON.parse(ROWS));

function chat(messages: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ model: 'gpt-4o', messages, ...extra });
}

const TOOL_TURN = [
  { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'list', arguments: '{}' } }] },
  { role: 'tool', tool_call_id: 'c1', content: ROWS },
];

describe('protection', () => {
  it('never rewrites user, system or assistant text, even when it is pretty JSON', async () => {
    const text = chat([
      { role: 'system', content: ROWS },
      { role: 'user', content: ROWS },
      { role: 'assistant', content: ROWS },
    ]);
    const { output, results } = await optimizeText(text);
    assert.equal(output, text);
    assert.deepEqual(
      results[0]?.result.blocks.map((block) => decisionTextOf(block) ?? ''),
      ['protected:system', 'protected:user', 'protected:assistant'],
    );
  });

  it('skips tool outputs under smart_crusher.min_tokens_to_crush', async () => {
    const small = JSON.stringify({ ok: true, items: [1, 2] }, null, 2);
    const text = chat([{ role: 'user', content: 'q' }, { ...TOOL_TURN[0] }, { role: 'tool', tool_call_id: 'c1', content: small }]);
    const { output, results } = await optimizeText(text);
    assert.equal(output, text);
    assert.equal(decisionTextOf(results[0]?.result.blocks[2]), 'skipped:small');
    const lowered = await optimizeText(text, { minTokensToCrush: 5 });
    assert.match(decisionTextOf(lowered.results[0]?.result.blocks[2]) ?? '', /^compressed:json-compact/);
  });

  it('protects the results of headroom_retrieve', async () => {
    const text = chat([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'r1', type: 'function', function: { name: RETRIEVAL_TOOL_NAME, arguments: '{"hash":"0123456789abcdef01234567"}' } }] },
      { role: 'tool', tool_call_id: 'r1', content: ROWS },
    ]);
    const { output, results } = await optimizeText(text);
    assert.equal(output, text);
    assert.equal(decisionTextOf(results[0]?.result.blocks[2]), 'protected:retrieved');
  });

  it('leaves non-JSON tool output alone and says why', async () => {
    const log = Array.from({ length: 80 }, (_, i) => `line ${i}: building module ${i}`).join('\n');
    const text = chat([{ role: 'user', content: 'q' }, TOOL_TURN[0], { role: 'tool', tool_call_id: 'c1', content: log }]);
    const { output, results } = await optimizeText(text);
    assert.equal(output, text);
    // Which compressor looks at it depends on the registered ones (this text is prose to the router); none rewrites it, and the decision says why.
    assert.match(decisionTextOf(results[0]?.result.blocks[2]) ?? '', /^skipped:/);
  });
});

describe('fail open', () => {
  it('a throwing transform is a warning; its block stays as it was and the run goes on', async () => {
    const exploding: Transform = {
      name: 'exploding',
      lossless: true,
      accepts: CONTENT_KINDS,
      apply() {
        throw new Error('boom');
      },
    };
    const text = chat([{ role: 'user', content: 'q' }, ...TOOL_TURN]);
    const { output, results, run } = await optimizeText(text, { transforms: [jsonCompaction, exploding] });
    assert.equal(JSON.parse(output).messages[2].content, COMPACT, 'the earlier transform still applies');
    assert.equal(run.requests, 1);
    assert.match(results[0]?.result.warnings[0] ?? '', /exploding failed on block 2 .*boom; block left unchanged/);
  });

  it('a rewrite that does not save tokens is dropped', async () => {
    const growing: Transform = { name: 'growing', lossless: true, accepts: CONTENT_KINDS, apply: (block) => ({ text: `${block.text} and then some more words`, label: 'grow' }) };
    const text = chat([{ role: 'user', content: 'q' }, ...TOOL_TURN]);
    const { output, results } = await optimizeText(text, { transforms: [growing] });
    assert.equal(output, text);
    assert.equal(decisionTextOf(results[0]?.result.blocks[2]), 'skipped:no-gain');
  });
});

describe('CCR markers and the retrieval tool', () => {
  it('stores each removed span, writes its marker and adds the tool once', async () => {
    const text = chat([{ role: 'user', content: 'q' }, ...TOOL_TURN], { tools: [{ type: 'function', function: { name: 'list', parameters: { type: 'object' } } }] });
    const { output, results, store } = await optimizeText(text, { transforms: [keepFirstLine] });
    const body = JSON.parse(output);
    const content: string = body.messages[2].content;
    const [marker] = findMarkers(content);
    assert.ok(marker, 'a marker was written');
    const lookup = store.get(marker.key);
    assert.equal(lookup.status, 'available');
    if (lookup.status === 'available') assert.equal(`${content.slice(0, content.indexOf('\n'))}\n${lookup.entry.original}`, ROWS);
    assert.deepEqual(
      body.tools.map((tool: { function: { name: string } }) => tool.function.name),
      ['list', RETRIEVAL_TOOL_NAME],
    );
    assert.deepEqual(results[0]?.result.markers_inserted, [marker.key]);
    const again = await optimizeText(output, { transforms: [keepFirstLine] });
    assert.equal(again.output, output, 'optimizing the output again changes nothing');
  });

  it('drops markers whose savings do not pay for the tool', async () => {
    // Saves tokens on its own, but fewer than the retrieval tool's definition costs.
    const short = Array.from({ length: 15 }, (_, i) => `row ${i}: value ${i}`).join('\n');
    const text = chat([{ role: 'user', content: 'q' }, TOOL_TURN[0], { role: 'tool', tool_call_id: 'c1', content: short }]);
    const { output, results, store } = await optimizeText(text, { transforms: [keepFirstLine], minTokensToCrush: 1 });
    assert.equal(output, text);
    assert.equal(decisionTextOf(results[0]?.result.blocks[2]), 'skipped:no-net-gain');
    assert.equal(store.size(), 0);
  });

  it('--lossless-only: no markers, no tool, compaction still applies', async () => {
    const text = chat([{ role: 'user', content: 'q' }, ...TOOL_TURN]);
    const { output, store } = await optimizeText(text, { transforms: [jsonCompaction, keepFirstLine], losslessOnly: true });
    const body = JSON.parse(output);
    assert.equal(body.messages[2].content, COMPACT);
    assert.deepEqual(JSON.parse(body.messages[2].content), JSON.parse(ROWS));
    assert.equal(body.tools, undefined);
    assert.equal(store.size(), 0);
  });

  it('ccr disabled: lossy transforms cannot offload', async () => {
    const text = chat([{ role: 'user', content: 'q' }, ...TOOL_TURN]);
    const { output } = await optimizeText(text, { transforms: [keepFirstLine], ccrEnabled: false });
    assert.equal(output, text);
  });

  it('gemini gets the tool as a function declaration, inside an existing declarations list or a new Tool', () => {
    const tool = JSON.parse(retrievalToolJson('gemini'));
    const apply = (body: Record<string, unknown>) => {
      const text = JSON.stringify(body);
      return JSON.parse(applyJsonEdits(text, [addGeminiTool(retrievalToolJson('gemini'), JSON.parse(text), [])]));
    };
    const withDeclarations = apply({ contents: [], tools: [{ googleSearch: {} }, { functionDeclarations: [{ name: 'read' }] }] });
    assert.deepEqual(withDeclarations.tools, [{ googleSearch: {} }, { functionDeclarations: [{ name: 'read' }, tool] }]);
    const otherTools = apply({ contents: [], tools: [{ googleSearch: {} }] });
    assert.deepEqual(otherTools.tools, [{ googleSearch: {} }, { functionDeclarations: [tool] }]);
    const noTools = apply({ contents: [] });
    assert.deepEqual(noTools.tools, [{ functionDeclarations: [tool] }]);
  });
});

describe('transcripts', () => {
  it('a Claude Code session is written as the final request of each conversation, as an Anthropic body', async () => {
    const session = 's-1';
    const rows = prettyRows(12);
    const line = (value: Record<string, unknown>) => JSON.stringify({ sessionId: session, isSidechain: false, ...value });
    const text = [
      line({ type: 'user', uuid: 'u1', parentUuid: null, message: { role: 'user', content: 'list invoices' } }),
      line({
        type: 'assistant',
        uuid: 'a1',
        parentUuid: 'u1',
        requestId: 'r1',
        message: {
          id: 'm1',
          role: 'assistant',
          model: 'claude-sonnet-4-5',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'invoices --json' } }],
          usage: { input_tokens: 10, output_tokens: 5 },
        },
      }),
      line({
        type: 'user',
        uuid: 'u2',
        parentUuid: 'a1',
        message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: rows }] },
        toolUseResult: { stdout: rows },
      }),
      line({
        type: 'assistant',
        uuid: 'a2',
        parentUuid: 'u2',
        requestId: 'r2',
        message: { id: 'm2', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'Done.' }], usage: { input_tokens: 400, output_tokens: 5 } },
      }),
    ].join('\n');
    const { output, results } = await optimizeText(`${text}\n`);
    const lines = output.trim().split('\n');
    assert.equal(lines.length, 1);
    const body = JSON.parse(lines[0] as string);
    assert.equal(body.model, 'claude-sonnet-4-5');
    assert.deepEqual(
      body.messages.map((message: { role: string }) => message.role),
      ['user', 'assistant', 'user'],
    );
    assert.deepEqual(body.messages[0].content, [{ type: 'text', text: 'list invoices' }]);
    // Compacted, and its rows laid out as a lossless table.
    assert.equal(decodeTables(body.messages[2].content[0].content), JSON.stringify(JSON.parse(rows)));
    assert.equal(results.length, 1);
  });

  it('prefix freeze: tool outputs inside what the provider had cached are left alone', async () => {
    const rows = prettyRows(12);
    const line = (value: Record<string, unknown>) => JSON.stringify({ sessionId: 's-3', ...value });
    const lines = (cacheRead: number) =>
      [
        line({ type: 'user', uuid: 'u1', parentUuid: null, message: { role: 'user', content: 'list invoices' } }),
        line({
          type: 'assistant',
          uuid: 'a1',
          parentUuid: 'u1',
          requestId: 'r1',
          message: {
            id: 'm1',
            role: 'assistant',
            model: 'claude-sonnet-4-5',
            content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: {} }],
            usage: { input_tokens: 10, output_tokens: 5 },
          },
        }),
        line({ type: 'user', uuid: 'u2', parentUuid: 'a1', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: rows }] } }),
        line({
          type: 'assistant',
          uuid: 'a2',
          parentUuid: 'u2',
          requestId: 'r2',
          message: {
            id: 'm2',
            role: 'assistant',
            model: 'claude-sonnet-4-5',
            content: [{ type: 'text', text: 'Done.' }],
            usage: { input_tokens: 4, cache_read_input_tokens: cacheRead, output_tokens: 5 },
          },
        }),
      ].join('\n');
    const frozen = await optimizeText(lines(20_000));
    assert.equal(decisionTextOf(frozen.results[0]?.result.blocks[2]), 'skipped:cached');
    assert.equal(frozen.results[0]?.result.cache_metrics.frozen_message_count, 3);
    const unfrozen = await optimizeText(lines(20_000), { prefixFreeze: false });
    assert.match(decisionTextOf(unfrozen.results[0]?.result.blocks[2]) ?? '', /^compressed:/);
    const belowMinimum = await optimizeText(lines(500));
    assert.match(decisionTextOf(belowMinimum.results[0]?.result.blocks[2]) ?? '', /^compressed:/);
  });

  it('simulate reports every call of a session', async () => {
    const session = 's-2';
    const line = (value: Record<string, unknown>) => JSON.stringify({ sessionId: session, ...value });
    const text = [
      line({ type: 'user', uuid: 'u1', parentUuid: null, message: { role: 'user', content: 'hi' } }),
      line({
        type: 'assistant',
        uuid: 'a1',
        parentUuid: 'u1',
        requestId: 'r1',
        message: { id: 'm1', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'hello' }], usage: { input_tokens: 5, output_tokens: 1 } },
      }),
      line({ type: 'user', uuid: 'u2', parentUuid: 'a1', message: { role: 'user', content: 'again' } }),
      line({
        type: 'assistant',
        uuid: 'a2',
        parentUuid: 'u2',
        requestId: 'r2',
        message: { id: 'm2', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'ok' }], usage: { input_tokens: 9, output_tokens: 1 } },
      }),
    ].join('\n');
    const { output, results } = await optimizeText(text, { mode: 'simulate' });
    assert.equal(output, '');
    assert.equal(results.length, 2);
  });
});
