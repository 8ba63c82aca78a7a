import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { entryOf, MAX_TREE_DEPTH, numberValue, parseRawJson, rawText, type RawDocument, type RawNode } from '../../src/json/index.js';
import type { JsonValue } from '../../src/json/index.js';

/** Rebuilds the value a raw node stands for, from the node alone (numbers through their literal). */
function valueOf(doc: RawDocument, node: RawNode): JsonValue {
  switch (node.type) {
    case 'object': {
      // defineProperty, as JSON.parse does: a key "__proto__" is an own property, not the prototype.
      const object: Record<string, JsonValue> = {};
      for (const entry of node.entries) Object.defineProperty(object, entry.key, { value: valueOf(doc, entry.value), enumerable: true, writable: true, configurable: true });
      return object;
    }
    case 'array':
      return node.items.map((item) => valueOf(doc, item));
    case 'string':
      return node.value;
    case 'number':
      return numberValue(doc, node);
    case 'boolean':
      return node.value;
    case 'null':
      return null;
    case 'opaque':
      return JSON.parse(rawText(doc, node)) as JsonValue;
  }
}

function forEachNode(node: RawNode, visit: (node: RawNode) => void): void {
  visit(node);
  if (node.type === 'object') for (const entry of node.entries) forEachNode(entry.value, visit);
  if (node.type === 'array') for (const item of node.items) forEachNode(item, visit);
}

describe('parseRawJson', () => {
  it('every node spans exactly its literal and decodes to the value JSON.parse gives (any JSON, compact or pretty)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, '\t'), (value, indent) => {
        const text = `\n ${JSON.stringify(value, null, indent)} \r\n`;
        const doc = parseRawJson(text);
        assert.ok(doc);
        assert.deepEqual(valueOf(doc, doc.root), JSON.parse(text));
        forEachNode(doc.root, (node) => assert.deepEqual(JSON.parse(rawText(doc, node)), valueOf(doc, node)));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps number literals as written: 64-bit ids and trailing zeros', () => {
    const doc = parseRawJson('{"id": 1234567890123456789012, "price": 1.50, "e": -2E+3}');
    assert.ok(doc);
    assert.equal(rawText(doc, entryOf(doc.root, 'id')!.value), '1234567890123456789012');
    assert.equal(rawText(doc, entryOf(doc.root, 'price')!.value), '1.50');
    assert.equal(rawText(doc, entryOf(doc.root, 'e')!.value), '-2E+3');
  });

  it('decodes escaped keys and strings; a repeated key resolves to the last, as JSON.parse does', () => {
    const doc = parseRawJson('{"a\\"b": "x\\ny\\u00e9", "k": 1, "k": 2}');
    assert.ok(doc);
    assert.equal(doc.root.type === 'object' && doc.root.entries[0]?.key, 'a"b');
    const first = entryOf(doc.root, 'a"b')!.value;
    assert.equal(first.type === 'string' && first.value, 'x\nyé');
    assert.equal(rawText(doc, entryOf(doc.root, 'k')!.value), '2');
  });

  it('returns null for text that is not one JSON value', () => {
    for (const text of ['', '{', '[1,]', '{"a":1} {"b":2}', 'NaN', "{'a':1}"]) assert.equal(parseRawJson(text), null, text);
  });

  it('keeps containers beyond the depth limit as opaque spans with exact text', () => {
    const deep = `${'['.repeat(MAX_TREE_DEPTH + 5)}1${']'.repeat(MAX_TREE_DEPTH + 5)}`;
    const doc = parseRawJson(deep);
    assert.ok(doc);
    let node: RawNode = doc.root;
    let depth = 0;
    while (node.type === 'array') {
      node = node.items[0]!;
      depth++;
    }
    assert.equal(node.type, 'opaque');
    assert.equal(depth, MAX_TREE_DEPTH);
    assert.equal(rawText(doc, node), `${'['.repeat(5)}1${']'.repeat(5)}`);
  });
});
