/**
 * smart_crusher inside the pipeline and the CLI: the decision and --diff say
 * what it kept, lossless_only writes no marker, a structured Gemini response
 * stays an object, and `headroom retrieve KEY --query` returns the dropped
 * items that match.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { findMarkers } from '../../../src/ccr/markers.js';
import { restoreSelections } from '../../../src/ccr/selections.js';
import { decisionKey } from '../../../src/cli/reporters/decision.js';
import { decodeTables } from '../../../src/transforms/json-table/index.js';
import { validityProblems } from '../../support/provider-validity.js';
import { runMain } from '../../cli/run-main.js';
import { decisionTextOf, optimizeText } from '../../pipeline/helpers.js';
import { promValues, records, sqlRows } from './support.js';

const QUERY = 'Which items failed?';

function chatRequest(toolOutput: string): string {
  return JSON.stringify(
    {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: QUERY },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'list_items', arguments: '{"limit":60}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: toolOutput },
      ],
    },
    null,
    2,
  );
}

const OUTPUT = JSON.stringify({ total: 60, items: records(60) }, null, 2);
const REQUEST = chatRequest(OUTPUT);

/** The tool output exactly as optimize wrote it. */
function toolContentRaw(output: string): string {
  const body = JSON.parse(output) as { messages: { content: string | null }[] };
  return body.messages[2]?.content ?? '';
}

/** The tool output as JSON again: json_table laid the kept items out as a table after the crusher; decoding undoes only that. */
function toolContent(output: string): string {
  const body = JSON.parse(output) as { messages: { content: string | null }[] };
  return decodeTables(body.messages[2]?.content ?? '');
}

describe('smart_crusher in the pipeline', () => {
  it('crushes a large tool output after json_compaction; the decision says what it kept; counts stay; restore gives the compact input', async () => {
    const { output, results, store } = await optimizeText(REQUEST);
    const content = toolContent(output);
    const markers = findMarkers(content);
    assert.ok(markers.length > 0, 'a marker');
    assert.equal((JSON.parse(content) as { total: number }).total, 60);
    const block = results[0]?.result.blocks.find((candidate) => candidate.kind === 'tool_result');
    assert.ok(block);
    assert.match(decisionTextOf(block) ?? '', /^compressed:json-compact\+lossy: kept \d+\/60 \([a-z ]+ \d+(, [a-z ]+ \d+)*\)\+lossless:table \d+% \d+→\d+ tokens$/);
    assert.equal(decisionKey(block), 'compressed:json-compact+lossy+lossless:table');
    const restored = restoreSelections(content, (key) => {
      const lookup = store.peek(key);
      return lookup.status === 'available' ? lookup.entry.original : null;
    });
    assert.equal(restored, JSON.stringify(JSON.parse(OUTPUT)));
  });

  it('a tool output that is not JSON is not touched by the JSON transforms (a log goes to the log compressor)', async () => {
    const log = Array.from({ length: 80 }, (_, i) => `2026-11-30T10:00:00Z INFO worker ${i} finished batch ${i * 7} [1, 2, 3]`).join('\n');
    const { results } = await optimizeText(chatRequest(log));
    assert.ok(results[0]?.result.blocks.every((block) => block.steps.every((step) => step.transform === 'log_compressor')));
  });

  it('lossless_only (--lossless-only or the setting) and disabled CCR write no marker', async () => {
    for (const run of [await optimizeText(REQUEST, { losslessOnly: true }), await optimizeText(REQUEST, { ccrEnabled: false })]) {
      assert.equal(findMarkers(run.output).length, 0);
      assert.ok(toolContent(run.output).length > 0);
    }
    const flag = await runMain(['optimize', '--lossless-only', '--report', 'none'], { input: REQUEST });
    const setting = await runMain(['optimize', '--set', 'smart_crusher.lossless_only=true', '--report', 'none'], { input: REQUEST });
    const crushed = await runMain(['optimize', '--ccr-store', ':memory:', '--report', 'none'], { input: REQUEST });
    assert.equal(flag.status, 0, flag.stderr);
    assert.equal(findMarkers(flag.stdout).length, 0);
    assert.equal(findMarkers(setting.stdout).length, 0);
    assert.equal(JSON.parse(toolContent(flag.stdout)).items.length, 60);
    assert.ok(findMarkers(crushed.stdout).length > 0, 'the same request without it is crushed');
  });

  it('include_summaries is accepted for compatibility and changes nothing; factor_out_constants changes only the table header', async () => {
    const plain = await runMain(['optimize', '--ccr-store', ':memory:', '--report', 'none'], { input: REQUEST });
    const summaries = await runMain(['optimize', '--ccr-store', ':memory:', '--report', 'none', '--set', 'smart_crusher.include_summaries=true'], { input: REQUEST });
    assert.equal(summaries.status, 0, summaries.stderr);
    assert.equal(summaries.stdout, plain.stdout);
    const rows = JSON.stringify(records(40).map((record) => ({ ...record, region: 'eu-west-1' })));
    const request = chatRequest(rows);
    const constants = await runMain(['optimize', '--lossless-only', '--report', 'none', '--set', 'smart_crusher.factor_out_constants=true'], { input: request });
    const noConstants = await runMain(['optimize', '--lossless-only', '--report', 'none'], { input: request });
    assert.match(toolContentRaw(constants.stdout).split('\n')[0] ?? '', /region=eu-west-1/);
    assert.doesNotMatch(toolContentRaw(noConstants.stdout).split('\n')[0] ?? '', /region=/);
    assert.equal(toolContent(constants.stdout), toolContent(noConstants.stdout));
  });

  it('a structured Gemini functionResponse.response stays an object, the body stays valid', async () => {
    const body = {
      contents: [
        { role: 'user', parts: [{ text: QUERY }] },
        { role: 'model', parts: [{ functionCall: { name: 'list_items', args: { limit: 60 } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'list_items', response: { total: 60, items: records(60) } } }] },
      ],
    };
    const { output, results } = await optimizeText(JSON.stringify(body, null, 2));
    const written = JSON.parse(output) as { contents: { parts: { functionResponse?: { response: { total: number; items: unknown[] } } }[] }[] };
    assert.deepEqual(validityProblems('gemini', written), []);
    const slot = written.contents[2]?.parts[0]?.functionResponse?.response;
    assert.ok(slot);
    assert.equal(typeof slot, 'object');
    const response = JSON.parse(decodeTables(JSON.stringify(slot))) as { total: number; items: unknown[] };
    assert.equal(response.total, 60);
    assert.ok(response.items.length < 60);
    assert.ok(findMarkers(JSON.stringify(response)).length > 0);
    assert.ok(results[0]?.result.blocks.some((block) => (decisionTextOf(block) ?? '').startsWith('compressed:lossy: kept ')));
  });

  it('optimize --diff names the rewrites of each block; headroom retrieve KEY --query prints the matching dropped items as JSON', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-crush-'));
    const store = path.join(dir, 'ccr.db');
    const run = await runMain(['optimize', '--diff', '--ccr-store', store], { input: REQUEST });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr.replace(/\s+/g, ' '), / — json-compact, lossy: kept \d+\/60 \(/);
    const [marker] = findMarkers(run.stdout);
    assert.ok(marker);
    const all = await runMain(['retrieve', marker.key, '--ccr-store', store]);
    const dropped = JSON.parse(all.stdout) as { id: number; name: string }[];
    assert.equal(dropped.length, marker.count);
    const wanted = dropped[dropped.length - 1];
    assert.ok(wanted);
    const matched = await runMain(['retrieve', marker.key, '--ccr-store', store, '--query', `item ${wanted.id} `]);
    assert.equal(matched.status, 0, matched.stderr);
    assert.deepEqual(JSON.parse(matched.stdout), [wanted]);
  });

  it('headroom retrieve KEY --query on the entries dropped from a map prints the matching entries as an object', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-crush-'));
    const store = path.join(dir, 'ccr.db');
    const byId = Object.fromEntries(records(60).map((record, index) => [String(9_000_000_000_000_000_000n + BigInt(index)), record]));
    const run = await runMain(['optimize', '--ccr-store', store, '--report', 'none'], { input: chatRequest(JSON.stringify({ byId }, null, 2)) });
    assert.equal(run.status, 0, run.stderr);
    const [marker] = findMarkers(run.stdout);
    assert.ok(marker);
    const matched = await runMain(['retrieve', marker.key, '--ccr-store', store, '--query', 'item 58 ']);
    assert.equal(matched.stdout, `{"9000000000000000058":${JSON.stringify(byId['9000000000000000058'])}}`);
    const none = await runMain(['retrieve', marker.key, '--ccr-store', store, '--query', 'absent']);
    assert.equal(none.stdout, '{}');
    assert.match(none.stderr, /nothing in the original/);
  });

  it('rows as tuples: a Prometheus matrix keeps its spike and SQL rows their ERROR row behind a marker; no positional key appears; restore gives the compact input', async () => {
    const prometheus = { status: 'success', data: { resultType: 'matrix', result: [{ metric: { __name__: 'node_load1', instance: 'web-1:9100' }, values: promValues(1000, 613) }] } };
    const sql = { columns: ['id', 'level', 'msg'], rows: sqlRows(600, 516) };
    const cases: { toolOutput: unknown; rowsOf: (content: string) => readonly unknown[]; wanted: unknown[] }[] = [
      { toolOutput: prometheus, rowsOf: (content) => (JSON.parse(content) as typeof prometheus).data.result[0]?.values ?? [], wanted: [1_700_000_000 + 15 * 613, '9.87'] },
      { toolOutput: sql, rowsOf: (content) => (JSON.parse(content) as typeof sql).rows, wanted: [517, 'ERROR', 'disk full'] },
    ];
    for (const { toolOutput, rowsOf, wanted } of cases) {
      const input = JSON.stringify(toolOutput, null, 2);
      const { output, store } = await optimizeText(chatRequest(input));
      const content = toolContent(output);
      const markers = findMarkers(content);
      assert.equal(markers.length, 1, content.slice(0, 300));
      const kept = rowsOf(content);
      assert.ok(kept.length < 60, `kept ${kept.length}`);
      assert.ok(
        kept.some((row) => JSON.stringify(row) === JSON.stringify(wanted)),
        `keeps ${JSON.stringify(wanted)}`,
      );
      assert.doesNotMatch(content, /"0":/);
      const restored = restoreSelections(content, (key) => {
        const lookup = store.peek(key);
        return lookup.status === 'available' ? lookup.entry.original : null;
      });
      assert.equal(restored, JSON.stringify(toolOutput));
    }
  });
});
