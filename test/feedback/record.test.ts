import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { itemsShape } from '../../src/feedback/shape.js';
import { MAX_LEARNED_VALUE_LENGTH, MAX_VALUES_PER_RETRIEVAL, recordRetrieval, retrievalEvent, type RetrievalEvent } from '../../src/feedback/record.js';
import { parseRawJson } from '../../src/json/index.js';

const ROWS =
  '[{"id":12345678901234567890,"level":"error","msg":"Disk full","ok":false,"meta":{"level":"error"}},' +
  '{"id":2,"level":"info","msg":"boot","ok":true,"meta":null},' +
  '{"id":3,"level":"error","msg":"retry after disk error","ok":false,"meta":null}]';

function shapeOf(text: string): string {
  const doc = parseRawJson(text);
  assert.ok(doc && doc.root.type === 'array');
  return itemsShape(doc.root.items);
}

describe('retrievalEvent', () => {
  it('a retrieval without a query (or a blank one) is a full retrieval under the tool and the items shape', () => {
    for (const query of [undefined, null, '', '   ']) {
      assert.deepEqual(retrievalEvent({ toolName: 'logs', original: ROWS }, query), { toolName: 'logs', shape: shapeOf(ROWS), kind: 'full', fields: [] });
    }
  });

  it('a query retrieval learns the top-level scalar fields of the returned items whose values contain a query word', () => {
    const event = retrievalEvent({ toolName: 'logs', original: ROWS }, 'ERROR disk');
    assert.deepEqual(event, {
      toolName: 'logs',
      shape: shapeOf(ROWS),
      kind: 'query',
      // Items 1 and 3 match both words; `meta.level` is nested and not learned; `ok:false` contains no word.
      fields: [
        { field: 'level', values: ['error'] },
        { field: 'msg', values: ['Disk full', 'retry after disk error'] },
      ],
    });
  });

  it('numbers are learned as written (64-bit ids survive), booleans as true/false, nulls never', () => {
    const event = retrievalEvent({ toolName: null, original: ROWS }, '12345678901234567890');
    assert.deepEqual(event?.fields, [{ field: 'id', values: ['12345678901234567890'] }]);
    assert.deepEqual(retrievalEvent({ toolName: null, original: ROWS }, 'true')?.fields, [{ field: 'ok', values: ['true'] }]);
    assert.deepEqual(retrievalEvent({ toolName: null, original: ROWS }, 'null')?.fields, []);
  });

  it('the shape is that of the stored items, whatever the query returns', () => {
    const mixed = '[{"a":1,"b":"x"},{"a":2,"b":"y"},{"a":3,"b":"z","extra":true}]';
    assert.equal(retrievalEvent({ toolName: 't', original: mixed }, 'x')?.shape, shapeOf(mixed));
    assert.equal(retrievalEvent({ toolName: 't', original: mixed }, 'nothing-matches')?.shape, shapeOf(mixed));
    assert.deepEqual(retrievalEvent({ toolName: 't', original: mixed }, 'nothing-matches')?.fields, []);
  });

  it('long values and more than the per-retrieval cap of values are not learned', () => {
    const long = 'error '.repeat(MAX_LEARNED_VALUE_LENGTH);
    const items = Array.from({ length: 40 }, (_, i) => JSON.stringify({ code: `E${i}`, text: long }));
    const event = retrievalEvent({ toolName: 't', original: `[${items.join(',')}]` }, 'e');
    assert.deepEqual(
      event?.fields.map((field) => [field.field, field.values.length]),
      [['code', MAX_VALUES_PER_RETRIEVAL]],
    );
    assert.deepEqual(event?.fields[0]?.values.slice(0, 3), ['E0', 'E1', 'E2']);
  });

  it('an original that is not a JSON array teaches nothing', () => {
    for (const original of ['ERROR disk full\nINFO boot', '{"level":"error"}', '[1,2', '']) {
      assert.equal(retrievalEvent({ toolName: 'logs', original }, 'error'), null);
    }
  });

  it('arrays of scalars are counted by shape, with no fields', () => {
    assert.deepEqual(retrievalEvent({ toolName: 'ls', original: '["a.txt","b.txt"]' }, 'a'), { toolName: 'ls', shape: 'string', kind: 'query', fields: [] });
  });

  it('recordRetrieval hands the event to the recorder, and nothing for other originals', () => {
    const recorded: RetrievalEvent[] = [];
    const recorder = { record: (event: RetrievalEvent) => recorded.push(event) };
    assert.equal(recordRetrieval(recorder, { toolName: 'logs', original: 'plain text' }, 'x'), null);
    const event = recordRetrieval(recorder, { toolName: 'logs', original: ROWS }, 'boot');
    assert.deepEqual(recorded, [event]);
    assert.deepEqual(event?.fields, [{ field: 'msg', values: ['boot'] }]);
  });
});
