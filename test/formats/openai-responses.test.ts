import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertSlotsResolve, at, collect, decodedBytes, fixtureJson, kinds, only, partsOfKind, roles, valueAt } from './helpers.js';

const FILE = 'fixtures/openai-responses/request.json';

describe('openai-responses: request body', () => {
  it('puts instructions first and reads every input item', async () => {
    const { requests, problems } = await collect(FILE);
    assert.deepEqual(problems, []);
    const request = only(requests);
    assert.equal(request.format, 'openai-responses');
    assert.equal(request.provider, 'openai');
    assert.equal(request.model, 'gpt-5');
    assert.deepEqual(roles(request), ['system', 'developer', 'user', 'assistant', 'assistant', 'tool', 'assistant', 'assistant', 'user']);
    assert.deepEqual(request.messages.map(kinds), [
      ['system'],
      ['system'],
      ['user'],
      ['assistant', 'assistant'],
      ['tool_call'],
      ['tool_result'],
      ['assistant'],
      ['assistant'],
      ['user', 'user'],
    ]);
    assert.deepEqual(at(at(request.messages, 0).parts, 0).slot?.path, ['instructions']);
    assertSlotsResolve([request]);
  });

  it('reads tool definitions of function and built-in tools', async () => {
    const request = only((await collect(FILE)).requests);
    assert.deepEqual(
      request.tools.map((tool) => tool.flags.toolName),
      ['read_file', 'run_tests', 'web_search'],
    );
    assert.equal(
      request.tools.every((tool) => tool.flags.toolDefinition === true),
      true,
    );
  });

  it('counts reasoning summaries as text and encrypted content as opaque bytes', async () => {
    const request = only((await collect(FILE)).requests);
    const body = fixtureJson(FILE);
    const [summary, encrypted] = at(request.messages, 3).parts;
    assert.equal(summary?.flags.reasoning, true);
    assert.match(summary?.text ?? '', /^\*\*Reading the invoice module\*\*/);
    assert.equal(encrypted?.flags.reasoning, true);
    assert.equal(encrypted?.text, '');
    assert.equal(encrypted?.opaqueBytes, (valueAt(body, ['input', 2, 'encrypted_content']) as string).length);
    // A reasoning item with an empty summary is only its encrypted content.
    const second = only(at(request.messages, 6).parts);
    assert.equal(second.opaqueBytes, (valueAt(body, ['input', 5, 'encrypted_content']) as string).length);
  });

  it('pairs function_call with function_call_output by call_id', async () => {
    const request = only((await collect(FILE)).requests);
    const call = only(partsOfKind(request, 'tool_call'));
    const output = only(partsOfKind(request, 'tool_result'));
    assert.equal(call.flags.toolCallId, 'call_R7x2mQ');
    assert.equal(call.flags.toolName, 'read_file');
    assert.equal(call.flags.sourceType, 'function_call');
    assert.equal(call.flags.filePath, 'src/billing/invoice.ts');
    assert.equal(call.flags.fileAccess, 'read');
    assert.equal(output.flags.toolCallId, 'call_R7x2mQ');
    assert.equal(output.flags.toolName, 'read_file');
    assert.equal(output.flags.sourceType, 'function_call_output');
    assert.match(output.text, /export function invoiceTotal/);
  });

  it('measures input_image data URIs', async () => {
    const request = only((await collect(FILE)).requests);
    const image = at(at(request.messages, 8).parts, 1);
    const url = valueAt(fixtureJson(FILE), ['input', 7, 'content', 1, 'image_url']) as string;
    assert.deepEqual(image.media, { type: 'image', mediaType: 'image/png', bytes: decodedBytes(url), width: 4, height: 3, pages: null });
  });
});
