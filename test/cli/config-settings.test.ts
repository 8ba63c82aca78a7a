/**
 * Settings either take effect or say they are not used yet: `optimize --set
 * smart_crusher.enabled=false` compacts nothing, and `config --describe`
 * marks every setting no stage reads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIG_SCHEMA } from '../../src/config/index.js';
import { SETTING_READERS } from '../../src/config/stages.js';
import { runMain } from './run-main.js';

const ROWS = JSON.stringify(
  { invoices: Array.from({ length: 15 }, (_, i) => ({ id: i + 1, customer: `Customer ${i + 1}`, status: i % 2 ? 'paid' : 'open', amount_cents: 1200 + i })) },
  null,
  2,
);
const REQUEST_TEXT = JSON.stringify(
  {
    model: 'gpt-4o',
    messages: [
      { role: 'user', content: 'Which invoices are open?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'list_invoices', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: ROWS },
    ],
  },
  null,
  2,
);

describe('smart_crusher.enabled', () => {
  it('true (the default) compacts pretty JSON tool output', async () => {
    const run = await runMain(['optimize', '--report', 'none'], { input: REQUEST_TEXT });
    assert.equal(run.status, 0, run.stderr);
    assert.notEqual(run.stdout, REQUEST_TEXT);
  });

  it('false leaves pretty JSON tool output unchanged', async () => {
    const run = await runMain(['optimize', '--set', 'smart_crusher.enabled=false', '--report', 'none'], { input: REQUEST_TEXT });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, REQUEST_TEXT);
  });

  it('false in simulate saves nothing', async () => {
    const run = await runMain(['simulate', '--json', '--set', 'smart_crusher.enabled=false'], { input: REQUEST_TEXT });
    assert.equal(run.status, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { total: { tokens_saved: number } }).total.tokens_saved, 0);
  });
});

describe('config --describe', () => {
  it('every setting a stage reads is a real setting', () => {
    for (const path of Object.keys(SETTING_READERS)) assert.ok(CONFIG_SCHEMA.leaf(path), path);
  });

  it('marks settings no stage reads as not used yet, and names the reader of the rest', async () => {
    const run = await runMain(['config', '--describe']);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n');
    const commentFor = (path: string): string => lines[lines.findIndex((line) => line.startsWith(`${path} `)) - 1] ?? '';
    assert.equal(commentFor('smart_crusher.include_summaries'), '# Disabled: kept for compatibility with the reference configuration; it has no effect. [not used yet]');
    assert.match(commentFor('cache_aligner.entropy_threshold'), /\[read by: audit, optimize, simulate \(dynamic values in the cacheable prefix\)\]$/);
    assert.match(commentFor('smart_crusher.enabled'), /\[read by: optimize, simulate \(JSON compaction, SmartCrusher\)\]$/);
    assert.match(commentFor('audit.budget_tokens'), /\[read by: audit\]$/);
    for (const leaf of CONFIG_SCHEMA.leaves) {
      assert.match(commentFor(leaf.path), Object.hasOwn(SETTING_READERS, leaf.path) ? /\[read by: .+\]$/ : /\[not used yet\]$/, leaf.path);
    }
  });

  it('--json --describe adds read_by: the reader or null per setting', async () => {
    const run = await runMain(['config', '--json', '--describe']);
    const report = JSON.parse(run.stdout) as { read_by: Record<string, string | null> };
    assert.equal(report.read_by['smart_crusher.include_summaries'], null);
    assert.equal(report.read_by['cache_aligner.entropy_threshold'], 'audit, optimize, simulate (dynamic values in the cacheable prefix)');
    assert.equal(report.read_by['ccr.inject_tool'], 'optimize, simulate');
    assert.deepEqual(
      Object.keys(report.read_by),
      CONFIG_SCHEMA.leaves.map((leaf) => leaf.path),
    );
  });
});
