/**
 * The format registry: one descriptor per format id, and each descriptor's
 * write side (adding a tool, setting a cache breakpoint, writing a transcript
 * call as a request body) checked on its own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retrievalToolJson } from '../../src/ccr/retrieval-tool.js';
import { applyJsonEdits } from '../../src/json/index.js';
import { parseRequestBody } from '../../src/formats/dialects.js';
import { FORMATS, formatDescriptor, toolDialectFor } from '../../src/formats/registry.js';
import { DIALECTS, FORMAT_IDS, type Dialect, type JsonObject, type Request } from '../../src/formats/types.js';
import { validityProblems } from '../support/provider-validity.js';

const ORIGIN = { file: 'body.json', line: 1 };

/** A minimal valid body of each dialect, with or without a tools list. */
function body(dialect: Dialect, withTools: boolean): JsonObject {
  switch (dialect) {
    case 'openai-chat':
      return {
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'hi' }],
        ...(withTools ? { tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] } : {}),
      };
    case 'openai-responses':
      return { model: 'gpt-4.1', input: 'hi', ...(withTools ? { tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }] } : {}) };
    case 'anthropic':
      return {
        model: 'claude-sonnet-4-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
        ...(withTools ? { tools: [{ name: 'f', input_schema: { type: 'object' } }] } : {}),
      };
    case 'gemini':
      return { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], ...(withTools ? { tools: [{ googleSearch: {} }, { functionDeclarations: [{ name: 'f' }] }] } : {}) };
  }
}

describe('format registry', () => {
  it('has one descriptor per format id, under its own id', () => {
    assert.deepEqual(Object.keys(FORMATS).sort(), [...FORMAT_IDS].sort());
    for (const id of FORMAT_IDS) assert.equal(formatDescriptor(id).id, id);
  });

  it('says which formats are transcripts, which are held to the end of the file, and their providers', () => {
    const facts = FORMAT_IDS.map((id) => [id, FORMATS[id].provider, FORMATS[id].transcript, FORMATS[id].heldUntilEnd]);
    assert.deepEqual(facts, [
      ['openai-chat', 'openai', false, false],
      ['openai-responses', 'openai', false, false],
      ['anthropic', 'anthropic', false, false],
      ['gemini', 'google', false, false],
      ['message-lines', null, false, true],
      ['claude-code', 'anthropic', true, true],
      ['codex', 'openai', true, true],
    ]);
    for (const id of FORMAT_IDS) assert.equal(FORMATS[id].transcriptBody !== null, FORMATS[id].transcript, id);
  });

  it('request-body formats write tools in their own dialect; transcripts in their provider body dialect', () => {
    for (const dialect of DIALECTS) assert.equal(FORMATS[dialect].toolDialect, dialect);
    assert.equal(FORMATS['claude-code'].toolDialect, 'anthropic');
    assert.equal(FORMATS.codex.toolDialect, 'openai-responses');
    assert.equal(FORMATS['message-lines'].toolDialect, null);
  });

  it('a request has a tool dialect only where optimize can add a tool', () => {
    const request = (format: Request['format'], bodyPath: Request['bodyPath']): Request =>
      ({ id: 'r', format, provider: 'openai', model: null, messages: [], tools: [], usage: null, origin: ORIGIN, conversation: null, bodyPath }) satisfies Request;
    assert.equal(toolDialectFor(request('openai-chat', [])), 'openai-chat');
    assert.equal(toolDialectFor(request('openai-chat', null)), null, 'a bare message array has no tools list');
    assert.equal(toolDialectFor(request('claude-code', undefined)), 'anthropic');
    assert.equal(toolDialectFor(request('codex', undefined)), 'openai-responses');
    assert.equal(toolDialectFor(request('message-lines', undefined)), null);
  });

  for (const dialect of DIALECTS) {
    for (const withTools of [false, true]) {
      it(`${dialect}: addTool adds the tool ${withTools ? 'to the tools list' : 'as a new tools list'}; the body stays valid`, () => {
        const value = body(dialect, withTools);
        const text = JSON.stringify(value, null, 2);
        const addTool = FORMATS[dialect].addTool;
        assert.ok(addTool);
        const written = JSON.parse(applyJsonEdits(text, [addTool(retrievalToolJson(dialect), value, [])])) as JsonObject;
        assert.deepEqual(validityProblems(dialect, written), []);
        const tools = parseRequestBody(dialect, written, ORIGIN).tools.map((tool) => tool.flags.toolName);
        assert.equal(tools[tools.length - 1], 'headroom_retrieve');
        assert.equal(tools.length, (withTools ? (dialect === 'gemini' ? 2 : 1) : 0) + 1);
        if (dialect === 'gemini' && withTools) {
          // Joins the Tool object that already holds function declarations.
          assert.equal((written['tools'] as JsonObject[]).length, 2);
        }
      });
    }
  }

  it('anthropic: a cache breakpoint is cache_control {"type":"ephemeral"} set on the target entry', () => {
    const breakpoint = FORMATS.anthropic.cacheBreakpoint;
    assert.ok(breakpoint);
    assert.deepEqual(breakpoint(['messages', 0, 'content', 1]), [{ kind: 'set-key', path: ['messages', 0, 'content', 1], key: 'cache_control', raw: '{"type":"ephemeral"}' }]);
  });

  it('only Anthropic marks cache breakpoints in the request', () => {
    for (const id of FORMAT_IDS) assert.equal(FORMATS[id].cacheBreakpoint !== null, id === 'anthropic', id);
  });
});
