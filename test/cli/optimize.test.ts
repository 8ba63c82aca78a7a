/**
 * `headroom optimize`, `simulate` and `run --mode`, as a user runs them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { decodeTables } from '../../src/transforms/json-table/index.js';
import { hasStackTrace, tempFiles } from './helpers.js';
import { runMain } from './run-main.js';

const ROWS = JSON.stringify(
  { invoices: Array.from({ length: 15 }, (_, i) => ({ id: i + 1, customer: `Customer ${i + 1}`, status: i % 2 ? 'paid' : 'open', amount_cents: 1200 + i })) },
  null,
  2,
);
const REQUEST = {
  model: 'gpt-4o',
  messages: [
    { role: 'user', content: 'Which invoices are open?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'list_invoices', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: ROWS },
  ],
};
const REQUEST_TEXT = JSON.stringify(REQUEST, null, 2);

/** The tool output as optimize writes it: compact, its invoices laid out as a lossless table that decodes to exactly the compact rows. */
function assertOptimizedRows(content: string): void {
  assert.ok(content.startsWith('{"invoices":"[15]{id,customer,status,amount_cents}\\n1,Customer 1,open,1200\\n'), content);
  assert.equal(decodeTables(content), JSON.stringify(JSON.parse(ROWS)));
}

describe('headroom optimize', () => {
  it('reads stdin, writes the optimized request to stdout and the report to stderr', async () => {
    const run = await runMain(['optimize', '--no-color'], { input: REQUEST_TEXT });
    assert.equal(run.status, 0, run.stderr);
    const body = JSON.parse(run.stdout);
    assertOptimizedRows(body.messages[2].content);
    assert.match(run.stderr, /optimize: 1 request, [\d,]+ → [\d,]+ tokens/);
    assert.match(run.stderr, /compressed:json-compact\+lossless:table 1/);
  });

  it('-o writes a file; --report json is one JSON object on stderr', async () => {
    const dir = tempFiles({ 'request.json': REQUEST_TEXT });
    const run = await runMain(['optimize', 'request.json', '-o', 'out.json', '--report', 'json'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
    const written = fs.readFileSync(path.join(dir, 'out.json'), 'utf8');
    assert.ok(written.length < REQUEST_TEXT.length);
    const report = JSON.parse(run.stderr);
    assert.equal(report.summary.requests, 1);
    assert.ok(report.summary.tokens_saved > 0);
    const [entry] = report.requests;
    assert.equal(entry.metrics.mode, 'optimize');
    assert.equal(entry.metrics.tokens_input_before, entry.result.tokens_before);
    assert.ok('cache_optimizer_used' in entry.metrics && 'turns_dropped' in entry.metrics);
    assert.ok(entry.result.timing.pipeline_total >= 0 && 'json_compaction' in entry.result.timing);
  });

  it("reports what each tool's outputs came to, and which transforms rewrote them (table, Markdown, JSON)", async () => {
    const status = 'On branch main\nnothing to commit, working tree clean';
    const request = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Which invoices are open?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'list_invoices', arguments: '{}' } },
            { id: 'call_2', type: 'function', function: { name: 'Bash', arguments: '{"command":"git status"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: ROWS },
        { role: 'tool', tool_call_id: 'call_2', content: status },
      ],
    };
    const input = JSON.stringify(request);
    const json = await runMain(['optimize', '--report', 'json'], { input });
    assert.equal(json.status, 0, json.stderr);
    const { summary } = JSON.parse(json.stderr);
    const invoices = summary.tool_outputs_by_tool.list_invoices;
    assert.equal(invoices.outputs, 1);
    assert.ok(invoices.tokens_after < invoices.tokens_before);
    assert.deepEqual(invoices.compressed_by, { json_compaction: 1, json_table: 1 });
    // A small output is counted under its tool, unchanged and rewritten by nothing.
    const bash = summary.tool_outputs_by_tool.Bash;
    assert.equal(bash.outputs, 1);
    assert.equal(bash.tokens_after, bash.tokens_before);
    assert.deepEqual(bash.compressed_by, {});
    assert.deepEqual(Object.keys(summary.tool_outputs_by_tool), ['list_invoices', 'Bash'], 'most tokens saved first');
    const before = invoices.tokens_before.toLocaleString('en-US');
    const after = invoices.tokens_after.toLocaleString('en-US');

    const table = await runMain(['optimize', '--no-color'], { input });
    assert.match(table.stderr, /tool outputs by tool:/);
    assert.match(table.stderr, new RegExp(`list_invoices +1 +${before} → ${after} \\(-[\\d.]+%\\) +json_compaction 1, json_table 1`));
    assert.match(table.stderr, /Bash +1 +(\d+) → \1 +–/);

    const markdown = await runMain(['optimize', '--report', 'markdown'], { input });
    assert.match(markdown.stderr, /### Tool outputs by tool/);
    assert.match(markdown.stderr, new RegExp(`\\| list_invoices \\| 1 \\| ${before} → ${after} \\(-[\\d.]+%\\) \\| json_compaction 1, json_table 1 \\|`));
  });

  it('--diff shows each changed block before and after', async () => {
    const run = await runMain(['optimize', '--diff', '--no-color'], { input: REQUEST_TEXT });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /block 2 \(message 2\): [\d,]+ → [\d,]+ tokens/);
    assert.match(run.stderr, /- \{/);
    assert.match(run.stderr, /\+ \{"invoices":"\[15\]\{id,customer,status,amount_cents\}/);
  });

  it('a run that saves nothing says why', async () => {
    const small = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const run = await runMain(['optimize', '--no-color'], { input: small });
    assert.equal(run.status, 0);
    assert.equal(run.stdout, small);
    assert.match(run.stderr, /nothing saved: the requests hold no tool outputs/);
  });

  it('bad input: one line per problem, exit 2, good inputs still written', async () => {
    const dir = tempFiles({ 'good.json': REQUEST_TEXT, 'bad.json': '{"model": "gpt-4o", "messages": [' });
    const run = await runMain(['optimize', 'good.json', 'bad.json', '--no-color', '-q'], { cwd: dir });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^error: bad\.json:1: JSON document ends early/m);
    assert.equal(hasStackTrace(run.stderr), false);
    // Several inputs go out as JSONL: the good document on one line.
    assertOptimizedRows(JSON.parse(run.stdout.trim()).messages[2].content);
  });

  it('usage errors exit 2 with one line', async () => {
    const bad = await runMain(['optimize', '--report', 'xml'], { input: REQUEST_TEXT });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--report must be table, json, ndjson, markdown or none/);
    const missing = await runMain(['optimize', 'nope.json']);
    assert.equal(missing.status, 2);
    assert.equal(hasStackTrace(missing.stderr), false);
  });
});

describe('headroom simulate', () => {
  it('prints a row per request and a total, with dollars or unpriced', async () => {
    const unknownModel = JSON.stringify({ ...REQUEST, model: 'my-local-model' });
    const dir = tempFiles({ 'a.json': REQUEST_TEXT, 'b.json': unknownModel });
    const run = await runMain(['simulate', 'a.json', 'b.json', '--no-color'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /a\.json:1 .*gpt-4o.*\$0\.\d{4}$/m);
    assert.match(run.stdout, /b\.json:1 .*unpriced/);
    assert.match(run.stdout, /total \(2\)/);
    assert.match(run.stdout, /1 requests unpriced/);
    assert.equal(fs.readFileSync(path.join(dir, 'a.json'), 'utf8'), REQUEST_TEXT, 'simulate changes nothing');
  });

  it('--json gives SimulationResult objects; --show-messages includes the optimized messages', async () => {
    const run = await runMain(['simulate', '--json', '--show-messages'], { input: REQUEST_TEXT });
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    const [row] = report.requests;
    for (const key of [
      'tokens_before',
      'tokens_after',
      'tokens_saved',
      'transforms',
      'block_breakdown',
      'waste_signals',
      'stable_prefix_hash',
      'cache_alignment_score',
      'estimated_savings',
    ]) {
      assert.ok(key in row, key);
    }
    assert.equal(row.tokens_saved, row.tokens_before - row.tokens_after);
    assert.match(row.estimated_savings, /^\$\d+\.\d+ per request$/);
    assertOptimizedRows(row.messages_optimized[2].parts[0].text);
    assert.equal(report.total.requests, 1);
  });
});

describe('headroom run --mode', () => {
  it('runs the mode it is given, or the configured default_mode', async () => {
    const viaFlag = await runMain(['run', '--mode', 'optimize', '--report', 'none'], { input: REQUEST_TEXT });
    assert.equal(viaFlag.status, 0, viaFlag.stderr);
    assertOptimizedRows(JSON.parse(viaFlag.stdout).messages[2].content);
    const dir = tempFiles({ 'headroom.config.json': { default_mode: 'simulate' }, 'r.json': REQUEST_TEXT });
    const viaConfig = await runMain(['run', 'r.json', '--json'], { cwd: dir });
    assert.equal(viaConfig.status, 0, viaConfig.stderr);
    assert.equal(JSON.parse(viaConfig.stdout).total.requests, 1);
    const bad = await runMain(['run', '--mode', 'shrink'], { input: REQUEST_TEXT });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--mode must be audit, optimize or simulate/);
  });
});
