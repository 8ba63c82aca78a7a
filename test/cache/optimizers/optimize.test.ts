/**
 * The cache optimizers inside optimize: the edits they write, the bytes they
 * leave alone, the metrics and plan they report, per provider.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { resolveConfig } from '../../../src/config/index.js';
import type { JsonObject } from '../../../src/formats/types.js';
import { valueAt } from '../../../src/json/index.js';
import { optimizeRequest } from '../../../src/pipeline/library.js';
import { validityProblems } from '../../support/provider-validity.js';
import { runMain } from '../../cli/run-main.js';

/** About 2,000 tokens of stable instructions. */
const INSTRUCTIONS = Array.from({ length: 150 }, (_, index) => `Rule ${index}: answer from the tool output, and say which file a fact came from.`).join('\n');
const BREAKPOINT = /,\s*"cache_control": \{"type":"ephemeral"\}/g;

function anthropicBody(extra: JsonObject = {}): JsonObject {
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: INSTRUCTIONS }],
    tools: [{ name: 'read', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'What does the config say?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'read', input: { path: 'config.toml' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'port = 8080' }] },
    ],
    ...extra,
  };
}

const pretty = (value: JsonObject): string => JSON.stringify(value, null, 2);

describe('cache optimizer in optimize', () => {
  it('Anthropic: breakpoints written as set-key edits; every other byte unchanged; the result is valid and deterministic', async () => {
    const text = pretty(anthropicBody());
    const first = await optimizeRequest(text);
    const second = await optimizeRequest(text);
    assert.equal(first.body, second.body);
    assert.equal(first.body.replace(BREAKPOINT, ''), text);
    const body = JSON.parse(first.body) as JsonObject;
    assert.deepEqual(validityProblems('anthropic', body), []);
    for (const at of [
      ['system', 0],
      ['messages', 0, 'content', 0],
      ['messages', 2, 'content', 0],
    ]) {
      assert.deepEqual(valueAt(body, [...at, 'cache_control']), { type: 'ephemeral' }, at.join('.'));
    }
    const { metrics, result } = first;
    assert.equal(metrics.cache_optimizer_used, true);
    assert.equal(metrics.cache_optimizer_strategy, 'explicit_breakpoints');
    assert.equal(metrics.breakpoints_inserted, 3);
    assert.ok(metrics.cacheable_tokens !== null && metrics.cacheable_tokens > 1024 && metrics.cacheable_tokens <= metrics.tokens_input_after);
    // cacheable / total × (1 − 0.1) × 100, from cache-rules' read multiplier for Claude.
    const expected = Math.round((metrics.cacheable_tokens / metrics.tokens_input_after) * 0.9 * 1000) / 10;
    assert.equal(metrics.estimated_savings_percent, expected);
    assert.equal(result.cache_plan?.breakpoints?.length, 3);
    // Breakpoints are not prompt tokens.
    assert.equal(metrics.tokens_input_after, metrics.tokens_input_before);
  });

  it('Anthropic: optimizing the output again changes nothing', async () => {
    const once = (await optimizeRequest(pretty(anthropicBody()))).body;
    const twice = await optimizeRequest(once);
    assert.equal(twice.body, once);
    assert.equal(twice.metrics.breakpoints_inserted, 0);
    assert.ok(twice.result.cache_plan?.breakpoints?.every((breakpoint) => breakpoint.placed_by === 'client'));
  });

  it("Anthropic: a client's breakpoints stay where they are; headroom adds only before its last one", async () => {
    const body = anthropicBody();
    const messages = body['messages'] as JsonObject[];
    ((messages[2] as JsonObject)['content'] as JsonObject[])[0] = { type: 'tool_result', tool_use_id: 'toolu_1', content: 'port = 8080', cache_control: { type: 'ephemeral' } };
    const text = pretty(body);
    const { body: out, metrics } = await optimizeRequest(text);
    assert.equal(out.replace(BREAKPOINT, ''), text.replace(BREAKPOINT, ''));
    assert.equal(metrics.breakpoints_inserted, 2);
    const parsed = JSON.parse(out) as JsonObject;
    assert.deepEqual(valueAt(parsed, ['system', 0, 'cache_control']), { type: 'ephemeral' });
    assert.deepEqual(valueAt(parsed, ['messages', 0, 'content', 0, 'cache_control']), { type: 'ephemeral' });
  });

  it('Anthropic: below the model minimum, or switched off, the body is left as it was', async () => {
    const small = pretty(anthropicBody({ system: [{ type: 'text', text: 'Be brief.' }] }));
    const below = await optimizeRequest(small);
    assert.equal(below.body, small);
    assert.equal(below.metrics.breakpoints_inserted, 0);
    assert.equal(below.metrics.cacheable_tokens, 0);
    assert.equal(below.metrics.estimated_savings_percent, 0);
    const text = pretty(anthropicBody());
    const off = await optimizeRequest(text, { config: resolveConfig({ cache_optimizer: { enabled: false } }) });
    assert.equal(off.body, text);
    assert.equal(off.metrics.cache_optimizer_used, null);
    assert.equal(off.result.cache_plan, null);
    // A floor above the prefix: nothing reaches it.
    const floor = await optimizeRequest(text, { config: resolveConfig({ cache_optimizer: { min_cacheable_tokens: 100_000 } }) });
    assert.equal(floor.body, text);
    assert.equal(floor.result.cache_plan?.min_cacheable_tokens, 100_000);
  });

  it('Anthropic: a request that breaks the rules gets warnings and no breakpoints', async () => {
    const body = anthropicBody();
    body['system'] = [
      { type: 'text', text: INSTRUCTIONS, cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'More rules.', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ];
    const text = pretty(body);
    const { body: out, result } = await optimizeRequest(text);
    assert.equal(out, text);
    assert.ok(result.warnings.some((warning) => /a 1-hour cache_control breakpoint \(system\[1\]\) follows a 5m one \(system\[0\]\)/.test(warning)));
  });

  it('OpenAI: volatile values in the system prompt are reported and end the cacheable prefix, counted in 128-token steps', async () => {
    const body = {
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: `${INSTRUCTIONS}\nCurrent time: 2026-03-14T09:26:53Z. Session: 3f2b9c1e-8d4a-4e7b-9c2d-1a5e6f7b8c9d.` },
        { role: 'user', content: 'What does the config say?' },
      ],
    };
    const text = pretty(body);
    const { body: out, metrics, result } = await optimizeRequest(text);
    assert.equal(out, text);
    assert.equal(metrics.cache_optimizer_strategy, 'prefix_stabilization');
    assert.equal(metrics.breakpoints_inserted, 0);
    const cacheable = metrics.cacheable_tokens ?? -1;
    assert.ok(cacheable >= 1024 && cacheable % 128 === 0 && cacheable < metrics.tokens_input_after, String(cacheable));
    assert.deepEqual(
      result.cache_plan?.volatile?.map((value) => value.kind),
      ['datetime', 'uuid'],
    );
    // Never the whole value: its first characters and its length.
    assert.equal(result.cache_plan?.volatile?.[1]?.preview, '3f2b… (36 chars)');
    assert.ok(result.warnings.some((warning) => warning.startsWith('volatile values in the prompt prefix (datetime in the system prompt')));
  });

  it('OpenAI: prompt_cache_key from config is added where the request has none, and a client key is kept', async () => {
    const config = resolveConfig({ cache_optimizer: { prompt_cache_key: 'billing-agent' } });
    const text = pretty({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const added = await optimizeRequest(text, { config });
    assert.equal((JSON.parse(added.body) as JsonObject)['prompt_cache_key'], 'billing-agent');
    assert.equal(added.body.replace(/,\s*"prompt_cache_key": "billing-agent"/, ''), text);
    const own = pretty({ model: 'gpt-4o', prompt_cache_key: 'mine', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal((await optimizeRequest(own, { config })).body, own);
    // Not configured: no key.
    assert.equal((await optimizeRequest(text)).body, text);
  });

  it('Google: a CachedContent plan against the model minimum; the request is not changed', async () => {
    const body = (model: string): JsonObject => ({
      model,
      systemInstruction: { parts: [{ text: INSTRUCTIONS }] },
      contents: [{ role: 'user', parts: [{ text: 'What does the config say?' }] }],
    });
    const text = pretty(body('gemini-2.5-flash'));
    const flash = await optimizeRequest(text);
    assert.equal(flash.body, text);
    assert.equal(flash.metrics.cache_optimizer_strategy, 'cached_content');
    const plan = flash.result.cache_plan?.cached_content;
    assert.deepEqual(plan?.contents, ['system_instruction']);
    assert.equal(plan?.min_tokens, 1024);
    assert.equal(plan?.meets_minimum, true);
    assert.equal(plan?.ttl_seconds, 3600);
    const pro = (await optimizeRequest(pretty(body('gemini-2.5-pro')))).result.cache_plan;
    assert.equal(pro?.cached_content?.min_tokens, 4096);
    assert.equal(pro?.cached_content?.meets_minimum, false);
    assert.equal(pro?.cacheable_tokens, 0);
    assert.equal(pro?.estimated_savings_percent, 0);
  });

  it('an unknown model gets no plan: no rule is guessed', async () => {
    const text = pretty({ ...anthropicBody(), model: 'claude-next-unreleased' });
    const { body, metrics } = await optimizeRequest(text);
    assert.equal(body, text);
    assert.equal(metrics.cache_optimizer_used, false);
    assert.equal(metrics.cache_optimizer_strategy, null);
  });
});

describe('audit: breakpoint rules', () => {
  it('a request with 5 breakpoints, or a 1-hour one after a 5-minute one, gets a note naming them; a valid one gets none', async () => {
    const body = anthropicBody();
    body['system'] = [
      { type: 'text', text: 'Rules.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'More rules.', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ];
    for (const message of body['messages'] as JsonObject[]) for (const block of message['content'] as JsonObject[]) block['cache_control'] = { type: 'ephemeral' };
    const run = await runMain(['audit', '--json'], { input: JSON.stringify(body) });
    assert.equal(run.status, 0);
    const notes = run.stderr.split('\n').filter((line) => line.startsWith('note: '));
    assert.equal(notes.length, 2, run.stderr);
    assert.match(
      notes[0] ?? '',
      /5 cache_control breakpoints \(system\[0\], system\[1\], messages\[0\]\.content\[0\], a tool_use block of the assistant message, messages\[2\]\.content\[0\]\): the provider accepts at most 4/,
    );
    assert.match(notes[1] ?? '', /a 1-hour cache_control breakpoint \(system\[1\]\) follows a 5m one \(system\[0\]\)/);
    const valid = await runMain(['audit', '--json'], { input: JSON.stringify(anthropicBody()) });
    assert.equal(valid.stderr.includes('cache_control'), false);
  });
});

describe('optimize report: the cache line', () => {
  it('the table says what the cache optimizers planned; JSON has the totals', async () => {
    const input = pretty(anthropicBody());
    const run = await runMain(['optimize'], { input });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr.replace(/\s+/g, ' '), /cache: explicit_breakpoints 1; 3 breakpoints added; [\d,]+ tokens cacheable for a repeat call/);
    // The report goes to stderr; stdout carries the optimized body.
    const json = await runMain(['optimize', '--report', 'json'], { input });
    const report = JSON.parse(json.stderr) as { summary: { cache: { strategies: Record<string, number>; breakpoints_inserted: number } } };
    assert.deepEqual(report.summary.cache.strategies, { explicit_breakpoints: 1 });
    assert.equal(report.summary.cache.breakpoints_inserted, 3);
  });
});

describe('cache optimizer: where the body is, and when it runs', () => {
  it('an HTTP capture: breakpoints go inside request.body, the rest of the line is unchanged', async () => {
    const line = JSON.stringify({
      request: { method: 'POST', url: 'https://api.anthropic.com/v1/messages', headers: { 'content-type': 'application/json' }, body: anthropicBody() },
      response: { status: 200, body: { type: 'message', role: 'assistant', content: [{ type: 'text', text: 'port 8080' }] } },
    });
    const { body, metrics } = await optimizeRequest(line);
    assert.equal(metrics.breakpoints_inserted, 3);
    assert.equal(body.replace(/,"cache_control":\{"type":"ephemeral"\}/g, ''), line);
    assert.deepEqual(valueAt(JSON.parse(body) as JsonObject, ['request', 'body', 'system', 0, 'cache_control']), { type: 'ephemeral' });
  });

  it('auto_detect_provider=false: nothing picks a strategy, nothing is planned', async () => {
    const text = pretty(anthropicBody());
    const { body, metrics, result } = await optimizeRequest(text, { config: resolveConfig({ cache_optimizer: { auto_detect_provider: false } }) });
    assert.equal(body, text);
    assert.equal(metrics.cache_optimizer_used, false);
    assert.equal(result.cache_plan, null);
  });
});

describe('cache optimizer with compression', () => {
  it('a compressed tool result that also gets the last breakpoint: both edits land, the body stays valid', async () => {
    const rows = JSON.stringify(
      Array.from({ length: 60 }, (_, index) => ({ id: index + 1, status: index % 3 === 0 ? 'open' : 'paid', amount: 100 + index })),
      null,
      2,
    );
    const body = anthropicBody();
    (((body['messages'] as JsonObject[])[2] as JsonObject)['content'] as JsonObject[])[0] = { type: 'tool_result', tool_use_id: 'toolu_1', content: rows };
    const { body: out, metrics } = await optimizeRequest(pretty(body));
    assert.ok(metrics.tokens_input_after < metrics.tokens_input_before);
    assert.equal(metrics.breakpoints_inserted, 3);
    const parsed = JSON.parse(out) as JsonObject;
    assert.deepEqual(validityProblems('anthropic', parsed), []);
    const block = valueAt(parsed, ['messages', 2, 'content', 0]) as JsonObject;
    assert.deepEqual(block['cache_control'], { type: 'ephemeral' });
    assert.notEqual(block['content'], rows);
    // The breakpoint counts the tokens as sent: after compression.
    assert.ok((metrics.cacheable_tokens ?? 0) <= metrics.tokens_input_after);
  });
});

describe('cache optimizer: properties over generated conversations', () => {
  const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'port', 'config', 'file', 'rows'];
  const text = (words: number, seed: number): string => Array.from({ length: words }, (_, index) => WORDS[(index * 7 + seed) % WORDS.length]).join(' ');
  const arbitrary = fc.record({
    system: fc.integer({ min: 0, max: 3000 }),
    turns: fc.array(fc.record({ words: fc.integer({ min: 1, max: 800 }), mark: fc.constantFrom(null, '5m', '1h') }), { minLength: 1, maxLength: 7 }),
  });

  it('only inserted breakpoints differ from the input; never more than 4 in a valid request; deterministic', async () => {
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ system, turns }) => {
        const messages = turns.map((turn, index) => {
          const block: JsonObject = { type: 'text', text: text(turn.words, index) };
          // Clients' breakpoints spell their TTL, so they differ from the ones headroom adds.
          if (turn.mark) block['cache_control'] = { type: 'ephemeral', ttl: turn.mark };
          return { role: index % 2 === 0 ? 'user' : 'assistant', content: [block] };
        });
        const input = pretty({ model: 'claude-sonnet-4-5', max_tokens: 100, system: [{ type: 'text', text: text(system, 99) }], messages });
        const first = await optimizeRequest(input);
        assert.equal((await optimizeRequest(input)).body, first.body);
        assert.equal(first.body.replace(BREAKPOINT, ''), input);
        const existing = turns.filter((turn) => turn.mark !== null).length;
        const inserted = first.metrics.breakpoints_inserted ?? 0;
        const broken = existing > 4 || turns.some((turn, index) => turn.mark === '1h' && turns.slice(0, index).some((earlier) => earlier.mark === '5m'));
        if (broken) assert.equal(inserted, 0);
        else assert.ok(existing + inserted <= 4);
        assert.equal((first.body.match(BREAKPOINT) ?? []).length, inserted);
      }),
      { numRuns: 25 },
    );
  });
});
