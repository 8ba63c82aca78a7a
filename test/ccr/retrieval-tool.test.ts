import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RETRIEVAL_TOOL_NAME, hasRetrievalTool, retrievalToolJson, retrieveItems } from '../../src/ccr/retrieval-tool.js';
import { DIALECTS, type Dialect } from '../../src/formats/types.js';

type Json = Record<string, unknown>;

function checkSchema(schema: unknown): void {
  const s = schema as Json;
  assert.equal(s['type'], 'object');
  assert.deepEqual(s['required'], ['hash']);
  const properties = s['properties'] as Record<string, Json>;
  assert.deepEqual(Object.keys(properties), ['hash', 'query']);
  assert.equal(properties['hash']?.['type'], 'string');
  assert.equal(properties['query']?.['type'], 'string');
  assert.match(String(properties['hash']?.['description']), /hash= value from a \[headroom: omitted …\] marker/);
  assert.match(String(properties['query']?.['description']), /only items\/lines containing this text/);
}

describe('retrievalToolJson', () => {
  it('openai-chat: {type:"function", function:{name, description, parameters}}', () => {
    const tool = JSON.parse(retrievalToolJson('openai-chat')) as Json;
    assert.deepEqual(Object.keys(tool), ['type', 'function']);
    assert.equal(tool['type'], 'function');
    const fn = tool['function'] as Json;
    assert.deepEqual(Object.keys(fn), ['name', 'description', 'parameters']);
    assert.equal(fn['name'], RETRIEVAL_TOOL_NAME);
    checkSchema(fn['parameters']);
  });

  it('openai-responses: {type:"function", name, description, parameters}', () => {
    const tool = JSON.parse(retrievalToolJson('openai-responses')) as Json;
    assert.deepEqual(Object.keys(tool), ['type', 'name', 'description', 'parameters']);
    assert.equal(tool['type'], 'function');
    assert.equal(tool['name'], 'headroom_retrieve');
    checkSchema(tool['parameters']);
  });

  it('anthropic: {name, description, input_schema}', () => {
    const tool = JSON.parse(retrievalToolJson('anthropic')) as Json;
    assert.deepEqual(Object.keys(tool), ['name', 'description', 'input_schema']);
    assert.equal(tool['name'], 'headroom_retrieve');
    checkSchema(tool['input_schema']);
  });

  it('gemini: one function declaration {name, description, parameters}', () => {
    const tool = JSON.parse(retrievalToolJson('gemini')) as Json;
    assert.deepEqual(Object.keys(tool), ['name', 'description', 'parameters']);
    checkSchema(tool['parameters']);
  });

  it('is compact, deterministic and describes the marker', () => {
    for (const dialect of DIALECTS) {
      const text = retrievalToolJson(dialect);
      assert.equal(text, retrievalToolJson(dialect));
      assert.equal(text, JSON.stringify(JSON.parse(text)), `${dialect} is compact`);
      assert.match(text, /headroom: omitted/);
    }
    assert.throws(() => retrievalToolJson('cohere' as Dialect), /unknown tool dialect/);
  });
});

describe('hasRetrievalTool', () => {
  it('finds the tool in every dialect shape, parsed or as text', () => {
    for (const dialect of DIALECTS) {
      const tool = JSON.parse(retrievalToolJson(dialect)) as unknown;
      const tools = dialect === 'gemini' ? [{ functionDeclarations: [{ name: 'other' }, tool] }] : [{ name: 'other' }, tool];
      assert.equal(hasRetrievalTool(tools), true, dialect);
      assert.equal(hasRetrievalTool(JSON.stringify(tools)), true, `${dialect} as text`);
    }
    assert.equal(hasRetrievalTool([{ function_declarations: [{ name: 'headroom_retrieve' }] }]), true);
    // An MCP-provided tool of the same name counts too.
    assert.equal(hasRetrievalTool([{ name: 'headroom_retrieve', input_schema: { type: 'object' } }]), true);
  });

  it('is false for other tools and for anything that is not a tools list', () => {
    const others = [
      { type: 'function', function: { name: 'search', parameters: {} } },
      { name: 'headroom_retrieve_v2' },
      { functionDeclarations: [{ name: 'lookup' }] },
      { type: 'web_search' },
    ];
    assert.equal(hasRetrievalTool(others), false);
    for (const value of [undefined, null, [], {}, 'not json', '[]', 42, [null, 'headroom_retrieve']]) {
      assert.equal(hasRetrievalTool(value), false, JSON.stringify(value));
    }
  });
});

describe('retrieveItems', () => {
  const rows =
    '[\n  {"id": 1, "status": "ok", "msg": "Started"},\n  {"id": 2, "status": "error", "msg": "Disk FULL"},\n  {"id": 12345678901234567890, "status": "error", "msg": "caf\\u00e9 closed"}\n]';

  it('returns the original unchanged without a query, or with a blank one', () => {
    assert.equal(retrieveItems(rows), rows);
    assert.equal(retrieveItems(rows, ''), rows);
    assert.equal(retrieveItems(rows, '  \t'), rows);
  });

  it('filters JSON array elements by every term, case-insensitively, keeping their text', () => {
    assert.equal(retrieveItems(rows, 'ERROR'), '[{"id":2,"status":"error","msg":"Disk FULL"},{"id":12345678901234567890,"status":"error","msg":"caf\\u00e9 closed"}]');
    assert.equal(retrieveItems(rows, 'error full'), '[{"id":2,"status":"error","msg":"Disk FULL"}]');
    // Escaped text matches as the model reads it.
    assert.equal(retrieveItems(rows, 'café'), '[{"id":12345678901234567890,"status":"error","msg":"caf\\u00e9 closed"}]');
    assert.equal(retrieveItems(rows, 'nothing-like-this'), '[]');
    assert.equal(retrieveItems('[[1, 2], "a, b", {"x": [3]}, null]', 'a'), '["a, b"]');
    assert.equal(retrieveItems('["with \\"quote\\" inside", "other"]', 'quote'), '["with \\"quote\\" inside"]');
  });

  it('filters lines of anything else, entries of a JSON object', () => {
    const log = 'INFO start\nERROR disk full\nWARN disk slow\nerror: Disk quota\n';
    assert.equal(retrieveItems(log, 'error'), 'ERROR disk full\nerror: Disk quota');
    assert.equal(retrieveItems(log, 'disk error'), 'ERROR disk full\nerror: Disk quota');
    assert.equal(retrieveItems(log, 'missing'), '');
    // A JSON object (the entries dropped from a map): its matching entries, as an object.
    assert.equal(retrieveItems('{"a": 1,\n "b": 2}', 'b'), '{"b":2}');
    assert.equal(retrieveItems('{"7": {"name": "caf\\u00e9"}, "8": {"name": "tea"}}', 'café'), '{"7":{"name":"caf\\u00e9"}}');
    assert.equal(retrieveItems('{"a": 1}', 'zzz'), '{}');
    assert.equal(retrieveItems('[not json\nsecond [line]', 'line'), 'second [line]');
  });
});
