/**
 * Anthropic server-side compaction: `usage.iterations` lists every sampling
 * iteration of one response, and the top-level numbers are only the last one.
 * What was billed is the sum of all iterations.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../src/formats/types.js';
import { parseUsage } from '../../src/formats/usage.js';
import { collectChunks } from './helpers.js';
import { runMain } from '../cli/run-main.js';

/** The shape of the first line of pydantic-ai's anthropic_compaction_end_to_end capture. */
function iteration(type: string, input: number, output: number, cacheRead = 0, write5m = 0, write1h = 0): JsonObject {
  return {
    cache_creation: { ephemeral_1h_input_tokens: write1h, ephemeral_5m_input_tokens: write5m },
    cache_creation_input_tokens: write5m + write1h,
    cache_read_input_tokens: cacheRead,
    input_tokens: input,
    output_tokens: output,
    type,
  };
}

const COMPACTION_USAGE = {
  cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  input_tokens: 220,
  iterations: [iteration('compaction', 55196, 125, 1000, 300, 40), iteration('message', 220, 8)],
  output_tokens: 8,
};

const EXPECTED = {
  input: 55416,
  cacheRead: 1000,
  cacheWrite5m: 300,
  cacheWrite1h: 40,
  output: 133,
  reasoning: 0,
  iterations: [
    { type: 'compaction', input: 55196, cacheRead: 1000, cacheWrite5m: 300, cacheWrite1h: 40, output: 125 },
    { type: 'message', input: 220, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 8 },
  ],
};

function capture(responseBody: unknown): string {
  const request = { model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'Summarize the thread so far.' }] };
  return `${JSON.stringify({ request: { method: 'POST', url: 'https://api.anthropic.com/v1/messages', body: request }, response: { status: 200, body: responseBody } })}\n`;
}

describe('usage.iterations (server-side compaction)', () => {
  it('sums every iteration into the recorded usage and keeps the list', () => {
    assert.deepEqual(parseUsage(COMPACTION_USAGE), EXPECTED);
  });

  it('leaves usage without iterations as it was', () => {
    const usage = parseUsage({ input_tokens: 12, output_tokens: 3, cache_read_input_tokens: 0 });
    assert.deepEqual(usage, { input: 12, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 3, reasoning: 0 });
  });

  it('sums iterations from a streamed response', async () => {
    const events = [
      { type: 'message_start', message: { id: 'msg_1', role: 'assistant', usage: { input_tokens: 220, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens: 1 } } },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { ...COMPACTION_USAGE } },
    ];
    const stream = events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('');
    const { requests } = await collectChunks([capture(stream)]);
    assert.deepEqual(requests[0]?.usage, EXPECTED);
  });

  it('shows the iterations per request and notes them in the summary and table', async () => {
    const input = capture({ id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'text', text: 'ok' }], usage: COMPACTION_USAGE });
    const json = await runMain(['audit', '--json', '--per-request'], { input });
    assert.equal(json.status, 0, json.stderr);
    const report = JSON.parse(json.stdout) as {
      summary: { usage: { prompt: number; input: number; server_iterations: unknown } };
      requests: Array<{ usage: { prompt: number; iterations: unknown } }>;
    };
    assert.equal(report.requests[0]?.usage.prompt, 55416 + 1000 + 340);
    assert.deepEqual(report.requests[0]?.usage.iterations, [
      { type: 'compaction', input: 55196, cache_read: 1000, cache_write_5m: 300, cache_write_1h: 40, output: 125 },
      { type: 'message', input: 220, cache_read: 0, cache_write_5m: 0, cache_write_1h: 0, output: 8 },
    ]);
    assert.equal(report.summary.usage.input, 55416);
    assert.deepEqual(report.summary.usage.server_iterations, { requests: 1, by_type: { compaction: 1, message: 1 } });

    const table = await runMain(['audit'], { input });
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /includes 1 server-side compaction iteration/);
  });

  it('reports iterations as null when the response has none', async () => {
    const input = capture({ id: 'msg_1', type: 'message', role: 'assistant', content: [], usage: { input_tokens: 9, output_tokens: 2, cache_read_input_tokens: 0 } });
    const json = await runMain(['audit', '--json', '--per-request'], { input });
    const report = JSON.parse(json.stdout) as { summary: { usage: { server_iterations: unknown } }; requests: Array<{ usage: { iterations: unknown } }> };
    assert.equal(report.requests[0]?.usage.iterations, null);
    assert.equal(report.summary.usage.server_iterations, null);
  });
});
