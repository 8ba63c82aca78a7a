/**
 * The retrieval tool and the provider's cache: adding a tool changes the
 * start of the prompt, so on a request whose prefix is cached every cached
 * token is written again. Optimize adds it (and keeps its markers) only when
 * what the markers save outweighs that re-write.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findMarkers } from '../../src/ccr/markers.js';
import { defaultConfig } from '../../src/config/index.js';
import { optimizeRequest } from '../../src/pipeline/library.js';

/** An Anthropic request: a system prompt of `cachedWords` words cached by a breakpoint, then a large JSON tool output. */
function request(cachedWords: number, rows: number): string {
  const output = JSON.stringify(Array.from({ length: rows }, (_, i) => ({ id: i, status: i === 7 ? 'failed' : 'ok', region: 'eu-west-1', note: `batch ${i} processed` })));
  return JSON.stringify({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: 'You are an operations assistant. '.repeat(cachedWords / 5), cache_control: { type: 'ephemeral' } }],
    tools: [{ name: 'list_jobs', description: 'List jobs.', input_schema: { type: 'object', properties: {} } }],
    messages: [
      { role: 'user', content: 'Which job failed?' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: 'list_jobs', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: output }] },
    ],
  });
}

function toolNames(body: string): string[] {
  return (JSON.parse(body) as { tools: { name: string }[] }).tools.map((tool) => tool.name);
}

describe('the retrieval tool and a cached prefix', () => {
  it('is not added when its markers save little against the cached prompt it would re-write', async () => {
    const { body, result } = await optimizeRequest(request(60_000, 150));
    assert.deepEqual(toolNames(body), ['list_jobs']);
    assert.equal(findMarkers(body).length, 0, 'no marker without the tool');
    assert.ok(
      result.warnings.some((warning) => /retrieval tool not added: adding it would re-write the \d+ cached prompt tokens/.test(warning)),
      result.warnings.join('\n'),
    );
  });

  it('is added when the markers save more than the re-write costs, or when nothing is cached', async () => {
    const big = await optimizeRequest(request(2_000, 3_000));
    assert.deepEqual(toolNames(big.body), ['list_jobs', 'headroom_retrieve']);
    assert.ok(findMarkers(big.body).length > 0);
    const uncached = JSON.parse(request(60_000, 150)) as { system: { cache_control?: unknown }[] };
    delete uncached.system[0]?.cache_control;
    const plain = await optimizeRequest(JSON.stringify(uncached));
    assert.deepEqual(toolNames(plain.body), ['list_jobs', 'headroom_retrieve']);
  });

  it('is not weighed against the cache with prefix freeze off', async () => {
    const config = defaultConfig();
    config.prefixFreeze.enabled = false;
    const { body } = await optimizeRequest(request(60_000, 150), { config });
    assert.deepEqual(toolNames(body), ['list_jobs', 'headroom_retrieve']);
  });
});
