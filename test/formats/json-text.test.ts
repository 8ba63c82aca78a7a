import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, collectText } from '../../src/formats/json-text.js';
import type { JsonValue } from '../../src/formats/types.js';

/** JSON.parse accepts nesting far deeper than recursion survives. */
const DEPTH = 200_000;
const deep = JSON.parse(`${'[{"a":'.repeat(DEPTH)}"leaf"${'}]'.repeat(DEPTH)}`) as JsonValue;

describe('JSON values', () => {
  it('canonicalJson sorts keys, drops spaces and keeps values exact', () => {
    assert.equal(canonicalJson({ b: [1, 'x', null, true], a: { d: 2.5, c: {} } }), '{"a":{"c":{},"d":2.5},"b":[1,"x",null,true]}');
    assert.equal(canonicalJson([]), '[]');
    assert.equal(canonicalJson('s"'), '"s\\""');
  });

  it('collectText returns string leaves in document order, skipping ids and inline base64', () => {
    const value: JsonValue = { type: 'x', id: 'id1', text: 'one', parts: ['two', { source: { type: 'base64', data: 'AAAA' } }, { text: 'three' }] };
    assert.deepEqual(collectText(value), ['one', 'two', 'three']);
  });

  it('handles values nested 200,000 deep without overflowing the stack', () => {
    assert.ok(canonicalJson(deep) === `${'[{"a":'.repeat(DEPTH)}"leaf"${'}]'.repeat(DEPTH)}`);
    assert.deepEqual(collectText(deep), ['leaf']);
  });
});
