import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertSlotsResolve, at, collect, decodedBytes, fixtureJson, kinds, only, roles, valueAt } from './helpers.js';

const FILE = 'fixtures/gemini/generate-content.json';

describe('gemini: generateContent body', () => {
  it('reads systemInstruction, contents and parts', async () => {
    const { requests, problems } = await collect(FILE);
    assert.deepEqual(problems, []);
    const request = only(requests);
    assert.equal(request.format, 'gemini');
    assert.equal(request.provider, 'google');
    // The model is in the URL, not the body.
    assert.equal(request.model, null);
    assert.deepEqual(roles(request), ['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    assert.deepEqual(request.messages.map(kinds), [['system'], ['user', 'user'], ['assistant', 'tool_call'], ['tool_result'], ['assistant'], ['user']]);
    assert.deepEqual(at(at(request.messages, 0).parts, 0).slot?.path, ['systemInstruction', 'parts', 0, 'text']);
    assertSlotsResolve([request]);
  });

  it('reads functionDeclarations as tool definitions', async () => {
    const request = only((await collect(FILE)).requests);
    assert.deepEqual(
      request.tools.map((tool) => [tool.flags.toolName, tool.flags.sourceType]),
      [
        ['get_weather', 'functionDeclarations'],
        ['search_catalog', 'functionDeclarations'],
      ],
    );
  });

  it('pairs functionCall and functionResponse by name', async () => {
    const request = only((await collect(FILE)).requests);
    const call = at(at(request.messages, 2).parts, 1);
    const response = at(at(request.messages, 3).parts, 0);
    assert.equal(call.flags.toolName, 'get_weather');
    assert.equal(call.text, 'get_weather({"location":"Mount Hood, OR","days":2})');
    assert.ok(call.flags.toolCallId);
    assert.equal(response.flags.toolCallId, call.flags.toolCallId);
    assert.equal(response.flags.toolName, 'get_weather');
    // A structured response: a value slot whose text is the object as written in the file, compact
    // (the provider parses it, so its whitespace is never tokens).
    assert.equal(response.slot?.kind, 'value');
    assert.deepEqual(response.slot?.path, ['contents', 2, 'parts', 0, 'functionResponse', 'response']);
    assert.match(response.text, /^\{"location":"Mount Hood, OR","forecast":\[/);
  });

  it('marks thought parts as reasoning and measures inlineData', async () => {
    const request = only((await collect(FILE)).requests);
    const thought = at(at(request.messages, 2).parts, 0);
    assert.equal(thought.flags.reasoning, true);
    assert.equal(thought.kind, 'assistant');
    const image = at(at(request.messages, 1).parts, 1);
    const data = valueAt(fixtureJson(FILE), ['contents', 0, 'parts', 1, 'inlineData', 'data']) as string;
    assert.deepEqual(image.media, { type: 'image', mediaType: 'image/png', bytes: decodedBytes(data), width: 4, height: 3, pages: null });
  });
});
