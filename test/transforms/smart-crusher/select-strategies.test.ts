/** Each strategy selectItems can answer with, on the kind of array that calls for it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { select } from './select-support.js';

const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];

describe('selectItems strategies', () => {
  it('none: an array within its budget, or below min_items_to_analyze, is kept whole', () => {
    assert.deepEqual(select([{ a: 1 }, { a: 2 }, { a: 3 }]), { keep: [0, 1, 2], strategy: 'none', skipReason: null, counts: select([]).counts });
    assert.equal(
      select(
        Array.from({ length: 12 }, (_, i) => ({ name: NAMES[i] })),
        { config: { maxItemsAfterCrush: 15 } },
      ).strategy,
      'none',
    );
    assert.equal(select([]).strategy, 'none');
  });

  it('skip: booleans and arrays of arrays that are not rows are not ranked', () => {
    const flags = select(Array.from({ length: 50 }, (_, i) => i % 3 === 0));
    assert.deepEqual([flags.strategy, flags.skipReason, flags.keep.length], ['skip', 'boolean_array', 50]);
    const long = select(Array.from({ length: 50 }, (_, i) => Array.from({ length: 40 }, (_, j) => i * j)));
    assert.deepEqual([long.strategy, long.skipReason, long.keep.length], ['skip', 'nested_arrays', 50]);
  });

  it('smart_sample: anchors, flagged items and an even fill up to K', () => {
    const values = Array.from({ length: 300 }, (_, i) => ({ id: i + 1, region: NAMES[i % 3], cpu: 40 + ((i * 17) % 11), healthy: i !== 123 }));
    const selection = select(values);
    assert.equal(selection.strategy, 'smart_sample');
    assert.equal(selection.keep.length, 15);
    assert.ok(selection.keep.includes(123), 'the unhealthy item');
    assert.ok(selection.keep.includes(0) && selection.keep.includes(299), 'front and back anchors');
    assert.ok(selection.counts.fill > 0);
  });

  it('top_n: search results keep their best-scored hits', () => {
    const hits = Array.from({ length: 200 }, (_, i) => ({ id: `doc_${i}`, title: `${NAMES[i % 12]} guide part ${i}`, score: Number((0.99 - i * 0.004).toFixed(3)) }));
    // The best hit sits in the middle (a re-ranked listing).
    hits[120] = { ...hits[120], score: 1 } as (typeof hits)[number];
    const selection = select(hits, { query: 'ranking details' });
    assert.equal(selection.strategy, 'top_n');
    assert.ok(selection.keep.includes(120));
    assert.ok(selection.keep.includes(0) && selection.keep.includes(1));
  });

  it('cluster: logs keep one line of each rare message template', () => {
    const logs = Array.from({ length: 400 }, (_, i) => ({
      ts: `2025-01-06T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
      level: i === 300 ? 'ERROR' : i % 9 === 0 ? 'DEBUG' : 'INFO',
      message: i === 250 ? 'Cache warmed for tenant 7 after restart' : `Background job ${i} ${i % 2 === 0 ? 'started' : 'completed'} on queue ${i % 5}`,
    }));
    const selection = select(logs);
    assert.equal(selection.strategy, 'cluster');
    assert.ok(selection.keep.includes(250), 'the one-off message');
    assert.ok(selection.keep.includes(300), 'the error line');
    assert.ok(selection.keep.includes(399), 'the latest line');
  });

  it('time_series: ordered readings keep the change points', () => {
    const readings = Array.from({ length: 120 }, (_, i) => ({
      ts: `2025-01-01T${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`,
      cpu: (i < 70 ? 20 : 85) + ((i * 7) % 5),
    }));
    const selection = select(readings);
    assert.equal(selection.strategy, 'time_series');
    assert.ok(selection.keep.includes(69) && selection.keep.includes(70));
  });

  it('string: error lines and odd lengths kept, plus the first and last lines', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `${NAMES[i % 12]} step ${i} ok`);
    lines[80] = 'deploy step failed: permission denied';
    lines[140] = `${'x'.repeat(400)} stack dump`;
    const selection = select(lines);
    assert.equal(selection.strategy, 'string');
    for (const index of [0, 80, 140, 199]) assert.ok(selection.keep.includes(index), `line ${index}`);
    assert.equal(selection.counts.errors, 1);
    // Lengths 12 to 14 among lengths of 11 to 13 are not anomalies, however small their spread.
    assert.equal(select(Array.from({ length: 200 }, (_, i) => `${NAMES[i % 12]}-${i}`)).counts.anomalies, 0);
  });

  it('number: outliers and the first and last values kept', () => {
    const numbers = Array.from({ length: 500 }, (_, i) => 50 + ((i * 13) % 7));
    numbers[333] = 5000;
    const selection = select(numbers);
    assert.equal(selection.strategy, 'number');
    for (const index of [0, 333, 499]) assert.ok(selection.keep.includes(index), `value ${index}`);
    assert.equal(selection.counts.anomalies, 1);
  });

  it('mixed: each kind of item gets its signals', () => {
    const values: unknown[] = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? { id: i, name: NAMES[i % 12] } : `${NAMES[i % 12]} note ${i}`));
    values[51] = 'request failed with status 500';
    values[52] = { id: 52, name: 'kilo', error: 'disk full' };
    values[99] = 123456789;
    const selection = select(values);
    assert.equal(selection.strategy, 'mixed');
    for (const index of [51, 52]) assert.ok(selection.keep.includes(index), `item ${index}`);
    assert.equal(selection.counts.errors, 2);
  });
});
