/**
 * What simulate prints: money without float noise, and a clear line when
 * there is nothing to simulate.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runMain } from './run-main.js';

/** A gpt-4o request whose pretty-printed tool output compacts to fewer tokens; `rows` varies the size. */
function request(rows: number, model: string): string {
  const data = JSON.stringify({ items: Array.from({ length: rows }, (_, i) => ({ id: i, name: `item ${i}`, ok: i % 2 === 0 })) }, null, 2);
  return JSON.stringify({
    model,
    messages: [
      { role: 'user', content: 'List the items' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'list', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: data },
    ],
  });
}

/** A dollar amount rounded to whole micro-dollars prints with at most six decimals. */
const MICRO_DOLLARS = /^\d+(\.\d{1,6})?$/;

describe('simulate money', () => {
  it('rounds every dollar figure to micro-dollars and sums without float noise', async () => {
    // Prices with fractions of a cent per million tokens are where float sums drift.
    const models = ['gpt-4o-mini', 'o3-mini', 'claude-3-5-haiku'];
    const input = `${Array.from({ length: 12 }, (_, i) => request(20 + i * 7, models[i % 3] as string)).join('\n')}\n`;
    const run = await runMain(['simulate', '--json'], { input });
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { total: { estimated_savings_usd: number }; requests: { model: string; estimated_savings_usd: number; tokens_saved: number }[] };
    for (const row of report.requests) assert.match(String(row.estimated_savings_usd), MICRO_DOLLARS);
    assert.match(String(report.total.estimated_savings_usd), MICRO_DOLLARS);
    // The total is the exact sum (in nano-dollars per token: $0.15, $1.10 and $0.80 per million), rounded once.
    const nanosPerToken: Record<string, number> = { 'gpt-4o-mini': 150, 'o3-mini': 1100, 'claude-3-5-haiku': 800 };
    const nanos = report.requests.reduce((sum, row) => sum + row.tokens_saved * (nanosPerToken[row.model] ?? NaN), 0);
    assert.ok(nanos > 0);
    assert.equal(report.total.estimated_savings_usd, Math.round(nanos / 1000) / 1e6);
  });
});

describe('simulate on nothing', () => {
  it('says there was nothing to simulate instead of a total (0) row', async () => {
    for (const input of ['', '{"foo":1}\n']) {
      const run = await runMain(['simulate'], { input });
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /nothing to simulate: no requests in the input/);
      assert.equal(run.status, 2);
    }
  });
});
