import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allParts, assertSlotsResolve, at, collect, decodedBytes, fixtureJson, kinds, only, partsOfKind, roles, valueAt } from './helpers.js';

describe('openai-chat: bare messages array', () => {
  it('is one request with the four messages in order', async () => {
    const { requests, problems } = await collect('fixtures/openai-chat/messages-array.json');
    assert.deepEqual(problems, []);
    const request = only(requests);
    assert.equal(request.format, 'openai-chat');
    assert.equal(request.provider, 'openai');
    assert.equal(request.model, null);
    assert.equal(request.conversation, null);
    assert.equal(request.usage, null);
    assert.equal(request.id, 'fixtures/openai-chat/messages-array.json:1');
    assert.deepEqual(request.origin, { file: 'fixtures/openai-chat/messages-array.json', line: 1 });
    assert.deepEqual(roles(request), ['system', 'user', 'assistant', 'user']);
    assert.deepEqual(request.messages.map(kinds), [['system'], ['user'], ['assistant'], ['user']]);
    assert.deepEqual(request.tools, []);
  });

  it('points slots at the array elements (no "messages" key)', async () => {
    const request = only((await collect('fixtures/openai-chat/messages-array.json')).requests);
    assert.deepEqual(at(at(request.messages, 1).parts, 0).slot?.path, [1, 'content']);
    assert.equal(assertSlotsResolve([request]), 4);
  });
});

describe('openai-chat: {messages} object', () => {
  it('reads a developer message as system text', async () => {
    const { requests, problems } = await collect('fixtures/openai-chat/messages-object.json');
    assert.deepEqual(problems, []);
    const request = only(requests);
    assert.equal(request.format, 'openai-chat');
    assert.deepEqual(roles(request), ['developer', 'user', 'assistant']);
    assert.deepEqual(request.messages.map(kinds), [['system'], ['user'], ['assistant']]);
    assert.deepEqual(at(at(request.messages, 0).parts, 0).slot?.path, ['messages', 0, 'content']);
    assertSlotsResolve([request]);
  });
});

describe('openai-chat: full request body', () => {
  const file = 'fixtures/openai-chat/full-request.json';

  it('reads model, tools, roles and part kinds', async () => {
    const { requests, problems } = await collect(file);
    assert.deepEqual(problems, []);
    const request = only(requests);
    assert.equal(request.model, 'gpt-4o');
    assert.equal(request.provider, 'openai');
    assert.deepEqual(roles(request), ['system', 'user', 'assistant', 'tool', 'tool', 'user', 'assistant', 'user']);
    assert.deepEqual(request.messages.map(kinds), [['system'], ['user', 'user'], ['tool_call', 'tool_call'], ['tool_result'], ['tool_result'], ['rag'], ['assistant'], ['user']]);
    assert.deepEqual(
      request.tools.map((tool) => [tool.kind, tool.flags.toolName, tool.flags.toolDefinition]),
      [
        ['system', 'get_order', true],
        ['system', 'read_file', true],
      ],
    );
    assertSlotsResolve([request]);
  });

  it('keeps the participant name on user messages', async () => {
    const request = only((await collect(file)).requests);
    assert.equal(at(request.messages, 1).name, 'dana_k');
    assert.equal(at(request.messages, 7).name, 'dana_k');
    assert.equal(at(request.messages, 0).name, undefined);
  });

  it('measures the inline PNG from its header', async () => {
    const request = only((await collect(file)).requests);
    const image = at(at(request.messages, 1).parts, 1);
    const body = fixtureJson(file);
    const url = valueAt(body, ['messages', 1, 'content', 1, 'image_url', 'url']);
    assert.equal(typeof url, 'string');
    assert.equal(image.text, '');
    assert.equal(image.flags.sourceType, 'image_url');
    assert.deepEqual(image.media, { type: 'image', mediaType: 'image/png', bytes: decodedBytes(url as string), width: 4, height: 3, pages: null });
  });

  it('pairs tool calls with their results by id and names the results', async () => {
    const request = only((await collect(file)).requests);
    const calls = partsOfKind(request, 'tool_call');
    const results = partsOfKind(request, 'tool_result');
    assert.deepEqual(
      calls.map((call) => [call.flags.toolCallId, call.flags.toolName, call.text]),
      [
        ['call_order_1', 'get_order', 'get_order({"order_id":"A-20417"})'],
        ['call_policy_1', 'read_file', 'read_file({"path":"policies/color-variance.md"})'],
      ],
    );
    assert.deepEqual(
      results.map((result) => [result.flags.toolCallId, result.flags.toolName]),
      [
        ['call_order_1', 'get_order'],
        ['call_policy_1', 'read_file'],
      ],
    );
    assert.equal(
      calls.every((call) => call.slot === null && typeof call.flags.callKey === 'string'),
      true,
    );
  });

  it('flags read_file as a read of its path', async () => {
    const request = only((await collect(file)).requests);
    const [order, policy] = partsOfKind(request, 'tool_call');
    assert.equal(order?.flags.filePath, undefined);
    assert.equal(policy?.flags.filePath, 'policies/color-variance.md');
    assert.equal(policy?.flags.fileAccess, 'read');
  });

  it('reads pasted [Document N] context as rag', async () => {
    const request = only((await collect(file)).requests);
    const rag = only(partsOfKind(request, 'rag'));
    assert.match(rag.text, /^Retrieved for this question:\n\[Document 1\]/);
  });
});

describe('openai-chat: tool outputs with waste', () => {
  it('keeps pretty-printed JSON and HTML tool outputs verbatim', async () => {
    const file = 'fixtures/openai-chat/tool-output-waste.json';
    const { requests, problems } = await collect(file);
    assert.deepEqual(problems, []);
    const request = only(requests);
    assert.equal(request.model, 'gpt-4o-mini');
    const [json, html] = partsOfKind(request, 'tool_result');
    assert.equal(json?.flags.toolName, 'get_order');
    assert.match(json?.text ?? '', /^\{\n {2}"order_id": "A-20417",\n/);
    assert.equal((JSON.parse(json?.text ?? '') as { order_id: string }).order_id, 'A-20417');
    assert.equal(html?.flags.toolName, 'fetch_url');
    assert.match(html?.text ?? '', /^<!DOCTYPE html>/);
    assert.match(html?.text ?? '', /<script/);
    assert.deepEqual(html?.slot?.path, ['messages', 5, 'content']);
    assertSlotsResolve([request]);
    assert.equal(allParts(request).filter((part) => part.slot === null).length, 2); // the two tool calls
  });
});
