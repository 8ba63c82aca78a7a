import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertSlotsResolve, at, CODEX_FILE, CODEX_SESSION, collect, fixtureText, kinds, only, partsOfKind, roles, sumUsage } from './helpers.js';

const FILE = CODEX_FILE;

describe('codex: rollout', () => {
  it('is one request per token_count whose totals moved; the repeated count is not a call', async () => {
    const { requests } = await collect(FILE);
    assert.deepEqual(
      requests.map((request) => request.origin.line),
      [10, 14, 19, 22, 27],
    );
    for (const request of requests) {
      assert.equal(request.format, 'codex');
      assert.equal(request.provider, 'openai');
      assert.equal(request.model, 'gpt-5-codex');
      assert.equal(request.conversation, CODEX_SESSION);
      assert.equal(request.id, `${FILE}:${request.origin.line}`);
    }
  });

  it('turns cumulative totals into per-call usage', async () => {
    const { requests } = await collect(FILE);
    assert.deepEqual(
      requests.map((request) => request.usage),
      [
        { input: 5120, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 210, reasoning: 128 },
        { input: 1146, cacheRead: 4864, cacheWrite5m: 0, cacheWrite1h: 0, output: 95, reasoning: 64 },
        { input: 346, cacheRead: 6656, cacheWrite5m: 0, cacheWrite1h: 0, output: 160, reasoning: 96 },
        { input: 252, cacheRead: 7168, cacheWrite5m: 0, cacheWrite1h: 0, output: 40, reasoning: 0 },
        { input: 186, cacheRead: 7424, cacheWrite5m: 0, cacheWrite1h: 0, output: 120, reasoning: 48 },
      ],
    );
    // The per-call numbers add up to the last cumulative total in the file.
    const last = JSON.parse(fixtureText(FILE).split('\n')[26] ?? '{}') as {
      payload: { info: { total_token_usage: Record<string, number> } };
    };
    const total = last.payload.info.total_token_usage;
    const sum = sumUsage(requests);
    assert.equal(sum.input + sum.cacheRead, total['input_tokens']);
    assert.equal(sum.cacheRead, total['cached_input_tokens']);
    assert.equal(sum.output, total['output_tokens']);
    assert.equal(sum.reasoning, total['reasoning_output_tokens']);
  });

  it('reports the torn last line as a note, not an error', async () => {
    const { problems } = await collect(FILE);
    assert.deepEqual(problems, [{ file: FILE, line: 28, severity: 'note', message: 'last line is incomplete (torn write); skipped' }]);
  });

  it('starts every context with the base instructions and the user turn', async () => {
    const { requests } = await collect(FILE);
    const first = at(requests, 0);
    assert.deepEqual(roles(first), ['system', 'user', 'user']);
    assert.deepEqual(
      first.messages.map((message) => message.origin.line),
      [1, 2, 4],
    );
    assert.deepEqual(at(at(first.messages, 0).parts, 0).slot?.path, ['payload', 'base_instructions', 'text']);
    assert.match(at(at(first.messages, 1).parts, 0).text, /^<environment_context>/);
  });

  it('ends each context before the items the model produced for that call', async () => {
    const { requests } = await collect(FILE);
    assert.deepEqual(
      requests.map((request) => request.messages.at(-1)?.origin.line),
      [4, 11, 16, 20, 23],
    );
  });

  it('reads reasoning, function_call, local_shell_call and custom_tool_call items', async () => {
    const { requests } = await collect(FILE);
    const last = at(requests, 4);
    assert.deepEqual(last.messages.map(kinds), [
      ['system'],
      ['user'],
      ['user'],
      ['assistant', 'assistant'],
      ['tool_call'],
      ['tool_result'],
      ['assistant', 'assistant'],
      ['tool_call'],
      ['tool_result'],
      ['assistant', 'assistant'],
      ['tool_call'],
      ['tool_result'],
      ['tool_call'],
      ['tool_result'],
    ]);
    const reasoning = at(last.messages, 3).parts;
    assert.equal(
      reasoning.every((part) => part.flags.reasoning === true),
      true,
    );
    assert.equal(at(reasoning, 0).text, '**Inspecting invoice rounding**');
    assert.ok((at(reasoning, 1).opaqueBytes ?? 0) > 400);

    const calls = partsOfKind(last, 'tool_call');
    assert.deepEqual(
      calls.map((call) => [call.flags.sourceType, call.flags.toolName, call.flags.toolCallId, call.flags.fileAccess ?? null, call.flags.filePath ?? null]),
      [
        ['function_call', 'shell', 'call_Xq1pA0eWn3Lk', 'read', 'src/billing/invoice.ts'],
        ['local_shell_call', 'shell', 'call_Bm7rT2yUi9Oz', null, null],
        ['custom_tool_call', 'apply_patch', 'call_Pz4sD8fGh2Jk', 'write', 'src/billing/invoice.ts'],
        ['function_call', 'shell', 'call_Cv5bN6mQw1Er', null, null],
      ],
    );
    const results = partsOfKind(last, 'tool_result');
    assert.deepEqual(
      results.map((result) => [result.flags.sourceType, result.flags.toolCallId, result.flags.toolName]),
      [
        ['function_call_output', 'call_Xq1pA0eWn3Lk', 'shell'],
        ['function_call_output', 'call_Bm7rT2yUi9Oz', 'shell'],
        ['custom_tool_call_output', 'call_Pz4sD8fGh2Jk', 'apply_patch'],
        ['function_call_output', 'call_Cv5bN6mQw1Er', 'shell'],
      ],
    );
    assert.match(at(results, 1).text, /^Exit code: 1\n/);
    // The same context was sent to the previous calls: they share a prefix.
    const third = at(requests, 2);
    assert.equal(only(partsOfKind(third, 'tool_call').filter((call) => call.flags.sourceType === 'local_shell_call')).flags.toolCallId, 'call_Bm7rT2yUi9Oz');
    assertSlotsResolve(requests);
  });
});
