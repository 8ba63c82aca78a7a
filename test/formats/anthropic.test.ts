import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertSlotsResolve, at, collect, decodedBytes, fixtureJson, kinds, only, partsOfKind, roles, valueAt } from './helpers.js';

describe('anthropic: system as a string', () => {
  it('puts the system prompt first and measures the image block', async () => {
    const file = 'fixtures/anthropic/system-string.json';
    const { requests, problems } = await collect(file);
    assert.deepEqual(problems, []);
    const request = only(requests);
    assert.equal(request.format, 'anthropic');
    assert.equal(request.provider, 'anthropic');
    assert.equal(request.model, 'claude-sonnet-4-5');
    assert.deepEqual(roles(request), ['system', 'user', 'assistant', 'user']);
    assert.deepEqual(request.messages.map(kinds), [['system'], ['user'], ['assistant'], ['user', 'user']]);
    assert.deepEqual(at(at(request.messages, 0).parts, 0).slot?.path, ['system']);
    const image = at(at(request.messages, 3).parts, 0);
    const data = valueAt(fixtureJson(file), ['messages', 2, 'content', 0, 'source', 'data']) as string;
    assert.deepEqual(image.media, { type: 'image', mediaType: 'image/png', bytes: decodedBytes(data), width: 4, height: 3, pages: null });
    assertSlotsResolve([request]);
  });
});

describe('anthropic: content blocks', () => {
  const file = 'fixtures/anthropic/blocks.json';

  it('reads every block kind in order', async () => {
    const { requests, problems } = await collect(file);
    assert.deepEqual(problems, []);
    const request = only(requests);
    assert.equal(request.model, 'claude-opus-4-1');
    assert.deepEqual(roles(request), ['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    assert.deepEqual(request.messages.map(kinds), [
      ['system', 'system'],
      ['user', 'user', 'user'],
      ['assistant', 'assistant', 'tool_call', 'tool_call'],
      ['tool_result', 'tool_result'],
      ['assistant', 'tool_call', 'tool_result', 'assistant'],
      ['user'],
    ]);
    assert.deepEqual(
      request.messages.map((message) => message.parts.map((part) => part.flags.sourceType)),
      [
        ['text', 'text'],
        ['document', 'image', 'text'],
        ['thinking', 'text', 'tool_use', 'tool_use'],
        ['tool_result', 'text'],
        ['redacted_thinking', 'server_tool_use', 'web_search_tool_result', 'text'],
        ['text'],
      ],
    );
    assertSlotsResolve([request]);
  });

  it('marks cache_control on system blocks, messages and tools', async () => {
    const request = only((await collect(file)).requests);
    assert.deepEqual(
      at(request.messages, 0).parts.map((part) => part.flags.cacheControl === true),
      [false, true],
    );
    assert.equal(at(at(request.messages, 5).parts, 0).flags.cacheControl, true);
    assert.deepEqual(
      request.tools.map((tool) => [tool.flags.toolName, tool.flags.cacheControl === true]),
      [
        ['get_invoice', false],
        ['recompute_total', true],
        ['web_search', false],
      ],
    );
  });

  it('measures the PDF (pages) and the image (pixels)', async () => {
    const request = only((await collect(file)).requests);
    const [document, image] = at(request.messages, 1).parts;
    const body = fixtureJson(file);
    const pdf = valueAt(body, ['messages', 0, 'content', 0, 'source', 'data']) as string;
    assert.deepEqual(document?.media, { type: 'document', mediaType: 'application/pdf', bytes: decodedBytes(pdf), width: null, height: null, pages: 2 });
    assert.equal(image?.media?.width, 4);
    assert.equal(image?.media?.height, 3);
  });

  it('pairs tool_use with tool_result (string and block content) and keeps is_error', async () => {
    const request = only((await collect(file)).requests);
    const [invoice, recompute] = at(request.messages, 3).parts;
    assert.equal(invoice?.flags.toolCallId, 'toolu_01GvQm4bXh1cK8Jd9pTn2wLs');
    assert.equal(invoice?.flags.toolName, 'get_invoice');
    assert.equal(invoice?.flags.isError, undefined);
    assert.deepEqual(invoice?.slot?.path, ['messages', 2, 'content', 0, 'content']);
    assert.equal(recompute?.flags.toolCallId, 'toolu_01Hs7aPz3Rk5Vb2Nq8Xy4Cwe');
    assert.equal(recompute?.flags.toolName, 'recompute_total');
    assert.equal(recompute?.flags.isError, true);
    assert.deepEqual(recompute?.slot?.path, ['messages', 2, 'content', 1, 'content', 0, 'text']);
    assert.match(recompute?.text ?? '', /^PermissionError/);
  });

  it('counts thinking as reasoning text and redacted thinking as opaque bytes', async () => {
    const request = only((await collect(file)).requests);
    const thinking = at(at(request.messages, 2).parts, 0);
    assert.equal(thinking.flags.reasoning, true);
    assert.match(thinking.text, /^The customer says INV-1042/);
    const redacted = at(at(request.messages, 4).parts, 0);
    const data = valueAt(fixtureJson(file), ['messages', 3, 'content', 0, 'data']) as string;
    assert.equal(redacted.flags.reasoning, true);
    assert.equal(redacted.opaqueBytes, data.length);
    assert.equal(redacted.text, '');
  });

  it('reads server tool blocks as server-side call and result, without encrypted content', async () => {
    const request = only((await collect(file)).requests);
    const [, use, result] = at(request.messages, 4).parts;
    assert.equal(use?.flags.serverTool, true);
    assert.equal(use?.flags.toolName, 'web_search');
    assert.equal(use?.text, 'web_search({"query":"Oregon sales tax rate 2026"})');
    assert.equal(result?.flags.serverTool, true);
    assert.equal(result?.flags.toolCallId, use?.flags.toolCallId);
    assert.equal(result?.flags.toolName, 'web_search');
    assert.match(result?.text ?? '', /Oregon has no statewide sales tax/);
    const encrypted = valueAt(fixtureJson(file), ['messages', 3, 'content', 2, 'content', 0, 'encrypted_content']) as string;
    assert.equal((result?.text ?? '').includes(encrypted), false);
    assert.equal(partsOfKind(request, 'tool_call').filter((part) => part.flags.serverTool).length, 1);
  });
});
