import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONFIG_SCHEMA, camelToSnake, snakeToCamel } from '../../src/config/index.js';
import { closest, editDistance } from '../../src/config/schema.js';

test('camelToSnake and snakeToCamel round-trip schema keys, digits included', () => {
  assert.equal(camelToSnake('maxItemsAfterCrush'), 'max_items_after_crush');
  assert.equal(camelToSnake('bm25K1'), 'bm25_k1');
  assert.equal(snakeToCamel('bm25_k1'), 'bm25K1');
  for (const leaf of CONFIG_SCHEMA.leaves) {
    for (const key of leaf.keys) assert.equal(snakeToCamel(camelToSnake(key)), key);
  }
});

test('leaf paths are dotted snake_case', () => {
  for (const leaf of CONFIG_SCHEMA.leaves) assert.match(leaf.path, /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, leaf.path);
  assert.ok(CONFIG_SCHEMA.leaf('smart_crusher.relevance.bm25_k1'));
  assert.equal(CONFIG_SCHEMA.leaf('smart_crusher'), undefined);
});

test('closest: case style, prefix, typo, and typo in an abbreviation', () => {
  const names = ['max_items_after_crush', 'min_items_to_analyze', 'enabled'];
  assert.equal(closest('maxItemsAfterCrush', names), 'max_items_after_crush');
  assert.equal(closest('min_items', names), 'min_items_to_analyze');
  assert.equal(closest('enabeld', names), 'enabled');
  assert.equal(closest('max_itemz', names), 'max_items_after_crush');
  assert.equal(closest('xyz', names), undefined);
  assert.equal(closest('completely_different', names), undefined);
});

test('editDistance counts insertions, deletions and substitutions', () => {
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('same', 'same'), 0);
});

test('a field rejects a schema default outside its own rules at definition time', async () => {
  const { int } = await import('../../src/config/schema.js');
  assert.throws(() => int({ min: 1 }).default(0), /schema default 0 is not an integer >= 1/);
});
