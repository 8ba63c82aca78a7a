import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertSlotsResolve, at, collect, kinds, only, partsOfKind, roles } from './helpers.js';

describe('message-lines: one message per line', () => {
  it('gathers an OpenAI chat conversation into one request, each message with its own line', async () => {
    const file = 'fixtures/jsonl/messages-per-line.jsonl';
    const { requests, problems } = await collect(file);
    assert.deepEqual(problems, []);
    const request = only(requests);
    assert.equal(request.format, 'message-lines');
    assert.equal(request.provider, 'openai');
    assert.equal(request.model, null);
    assert.equal(request.conversation, file);
    assert.deepEqual(request.origin, { file, line: 1 });
    assert.deepEqual(roles(request), ['system', 'user', 'assistant', 'tool', 'assistant']);
    assert.deepEqual(request.messages.map(kinds), [['system'], ['user'], ['tool_call'], ['tool_result'], ['assistant']]);
    assert.deepEqual(
      request.messages.map((message) => message.origin.line),
      [1, 2, 3, 4, 5],
    );
    const result = only(partsOfKind(request, 'tool_result'));
    assert.equal(result.flags.toolCallId, 'call_m1');
    assert.equal(result.flags.toolName, 'get_order');
    assert.deepEqual(result.slot, { origin: { file, line: 4 }, path: ['content'] });
    assertSlotsResolve([request]);
  });

  it('detects the Anthropic dialect from a later line (.ndjson)', async () => {
    const file = 'fixtures/jsonl/anthropic-messages.ndjson';
    const { requests, problems } = await collect(file);
    assert.deepEqual(problems, []);
    const request = only(requests);
    assert.equal(request.format, 'message-lines');
    assert.equal(request.provider, 'anthropic');
    assert.deepEqual(request.messages.map(kinds), [['user'], ['assistant', 'tool_call'], ['tool_result'], ['assistant']]);
    const call = only(partsOfKind(request, 'tool_call'));
    const result = only(partsOfKind(request, 'tool_result'));
    assert.equal(call.flags.toolName, 'check_stock');
    assert.equal(result.flags.toolCallId, call.flags.toolCallId);
    assert.equal(result.flags.toolName, 'check_stock');
    assertSlotsResolve([request]);
  });
});

describe('request bodies, one per line', () => {
  it('is one request per line, each in its own dialect', async () => {
    const file = 'fixtures/jsonl/request-bodies.jsonl';
    const { requests, problems } = await collect(file);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      requests.map((request) => [request.id, request.format, request.provider, request.model]),
      [
        [`${file}:1`, 'openai-chat', 'openai', 'gpt-4o-mini'],
        [`${file}:2`, 'openai-chat', 'openai', 'gpt-4o-mini'],
        [`${file}:3`, 'anthropic', 'anthropic', 'claude-haiku-4-5'],
      ],
    );
    for (const request of requests) assert.deepEqual(roles(request), ['system', 'user']);
    assertSlotsResolve(requests);
  });
});

describe('HTTP captures', () => {
  const file = 'fixtures/jsonl/http-capture.jsonl';

  it('parses each exchange in the dialect its URL names, and skips non-LLM endpoints with a note', async () => {
    const { requests, problems } = await collect(file);
    assert.deepEqual(
      requests.map((request) => [request.origin.line, request.format, request.provider, request.model]),
      [
        [1, 'openai-chat', 'openai', 'gpt-4o'],
        [2, 'anthropic', 'anthropic', 'claude-sonnet-4-5'],
        [3, 'openai-responses', 'openai', 'gpt-5-mini'],
        [4, 'gemini', 'google', 'gemini-2.5-flash'],
        [6, 'anthropic', 'anthropic', 'claude-haiku-4-5'],
      ],
    );
    assert.deepEqual(problems, [{ file, severity: 'note', message: 'skipped 1 HTTP exchange with /v1/messages/count_tokens (not an LLM request)' }]);
  });

  it('normalizes the usage of every provider', async () => {
    const { requests } = await collect(file);
    assert.deepEqual(
      requests.map((request) => request.usage),
      [
        // OpenAI: prompt_tokens include cached tokens; input is the uncached rest.
        { input: 158, cacheRead: 1152, cacheWrite5m: 0, cacheWrite1h: 0, output: 18, reasoning: 0 },
        // Anthropic: cache writes split by TTL.
        { input: 21, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 2048, output: 34, reasoning: 0 },
        // Responses: reasoning is part of output.
        { input: 58, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 211, reasoning: 192 },
        // Gemini: thoughts are billed as output.
        { input: 14, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 420, reasoning: 300 },
        // Anthropic SSE: input from message_start, final output from message_delta.
        { input: 27, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 14, reasoning: 0 },
      ],
    );
  });

  it('points slots into the record (under request.body), or nowhere for a body recorded as text', async () => {
    const { requests } = await collect(file);
    const chat = at(requests, 0);
    assert.deepEqual(at(at(chat.messages, 1).parts, 0).slot?.path, ['request', 'body', 'messages', 1, 'content']);
    const anthropic = at(requests, 1);
    assert.deepEqual(at(at(anthropic.messages, 0).parts, 0).slot?.path, ['request', 'body', 'system', 0, 'text']);
    assert.equal(at(at(anthropic.messages, 0).parts, 0).flags.cacheControl, true);
    const responses = at(requests, 2);
    assert.deepEqual(roles(responses), ['system', 'user']);
    assert.equal(
      responses.messages.every((message) => message.parts.every((part) => part.slot === null)),
      true,
    );
    assert.ok(assertSlotsResolve(requests) >= 7);
  });
});
