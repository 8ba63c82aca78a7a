import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { confidenceOf, hintsFrom, LearnedSnapshot, MAX_HINT_FIELDS, MAX_VALUES_PER_FIELD, type LearnedValue } from '../../src/feedback/learned.js';
import { MemoryFeedbackStore } from '../../src/feedback/memory-store.js';
import type { RetrievalEvent } from '../../src/feedback/record.js';

const SHAPE = 'object:0123456789abcdef';

function query(fields: Record<string, string[]>, toolName: string | null = 'search'): RetrievalEvent {
  return { toolName, shape: SHAPE, kind: 'query', fields: Object.entries(fields).map(([field, values]) => ({ field, values })) };
}

describe('hint confidence', () => {
  it('is n/(n+3): grows with every retrieval, one retrieval stays under the default threshold of 0.3, never reaches 1', () => {
    assert.equal(confidenceOf(0), 0);
    assert.equal(confidenceOf(1), 0.25);
    assert.equal(confidenceOf(2), 0.4);
    assert.equal(confidenceOf(3), 0.5);
    for (let n = 1; n < 1000; n++) {
      assert.ok(confidenceOf(n + 1) > confidenceOf(n));
      assert.ok(confidenceOf(n) < 1);
    }
  });
});

describe('hintsFrom', () => {
  it('one hint per field and count: values asked equally often share a confidence; highest confidence first', () => {
    const hints = hintsFrom([
      { field: 'status', value: 'error', count: 3 },
      { field: 'status', value: 'timeout', count: 3 },
      { field: 'user', value: 'bob', count: 1 },
      { field: 'user', value: 'alice', count: 2 },
    ]);
    assert.deepEqual(hints, [
      { field: 'status', values: ['error', 'timeout'], confidence: 0.5, count: 3 },
      { field: 'user', values: ['alice'], confidence: 0.4, count: 2 },
      { field: 'user', values: ['bob'], confidence: 0.25, count: 1 },
    ]);
  });

  it('keeps the most asked values per field and the most asked fields', () => {
    const values: LearnedValue[] = [];
    for (let i = 0; i < 30; i++) values.push({ field: 'id', value: `v${String(i).padStart(2, '0')}`, count: 30 - i });
    for (let f = 0; f < 30; f++) values.push({ field: `f${String(f).padStart(2, '0')}`, value: 'x', count: 1 });
    const hints = hintsFrom(values);
    const ids = hints.filter((hint) => hint.field === 'id').flatMap((hint) => hint.values);
    assert.deepEqual(
      ids,
      Array.from({ length: MAX_VALUES_PER_FIELD }, (_, i) => `v${String(i).padStart(2, '0')}`),
    );
    assert.equal(new Set(hints.map((hint) => hint.field)).size, MAX_HINT_FIELDS);
    // Fields tied on their best count are taken in name order.
    assert.ok(hints.some((hint) => hint.field === 'f00'));
    assert.ok(!hints.some((hint) => hint.field === 'f29'));
  });

  it('is deterministic: the order values were learned in does not matter', () => {
    const value = fc.record({ field: fc.constantFrom('a', 'b', 'status', 'é', 'A'), value: fc.string({ maxLength: 4 }), count: fc.integer({ min: 1, max: 6 }) });
    fc.assert(
      fc.property(fc.uniqueArray(value, { selector: (v) => `${v.field}\u0000${v.value}`, maxLength: 40 }), fc.integer(), (values, seed) => {
        const shuffled = [...values].sort((x, y) => ((x.value.length * 31 + seed) % 7) - ((y.value.length * 31 + seed) % 7));
        assert.deepEqual(hintsFrom(shuffled), hintsFrom(values));
      }),
    );
  });
});

describe('MemoryFeedbackStore', () => {
  it('counts each value once per retrieval, per tool and shape; full retrievals give no hints', () => {
    const store = new MemoryFeedbackStore();
    store.record(query({ status: ['error', 'error'] }));
    store.record(query({ status: ['error'], user: ['bob'] }));
    store.record({ toolName: 'search', shape: SHAPE, kind: 'full', fields: [] });
    store.record(query({ status: ['error'] }, null));
    assert.deepEqual(store.hintsFor('search', SHAPE), [
      { field: 'status', values: ['error'], confidence: 0.4, count: 2 },
      { field: 'user', values: ['bob'], confidence: 0.25, count: 1 },
    ]);
    assert.deepEqual(store.hintsFor('search', 'object:other'), []);
    assert.deepEqual(store.hintsFor(null, SHAPE), [{ field: 'status', values: ['error'], confidence: 0.25, count: 1 }]);
    assert.deepEqual(
      store.list().map((output) => [output.toolName, output.fullRetrievals, output.queryRetrievals]),
      [
        [null, 0, 1],
        ['search', 1, 2],
      ],
    );
    assert.deepEqual(store.clear(), { outputs: 2, values: 3 });
    assert.deepEqual(store.list(), []);
  });

  it('a snapshot of its state gives the same hints', () => {
    const store = new MemoryFeedbackStore();
    for (const user of ['bob', 'bob', 'ann', 'cy', 'bob']) store.record(query({ user: [user] }));
    const snapshot = new LearnedSnapshot(store.list());
    assert.deepEqual(snapshot.hintsFor('search', SHAPE), store.hintsFor('search', SHAPE));
  });
});
