/**
 * Arrays of arrays that are rows (Prometheus range results, SQL-style rows)
 * are analysed as records keyed by position; other arrays of arrays stay
 * skipped with a reason.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRawJson } from '../../../src/json/index.js';
import { analyzeObjects } from '../../../src/transforms/smart-crusher/select/field-stats.js';
import { tupleRecords } from '../../../src/transforms/smart-crusher/select/tuples.js';
import { select } from './select-support.js';
import { promValues, sqlRows } from './support.js';

function tableOf(values: readonly unknown[], numericStrings: boolean) {
  const doc = parseRawJson(JSON.stringify(values));
  assert.ok(doc !== null && doc.root.type === 'array');
  const rows = tupleRecords(doc.root.items);
  assert.ok('records' in rows);
  return analyzeObjects(doc, rows.records, { numericStrings });
}

describe('selectItems over arrays of tuples', () => {
  it('SQL rows: the ERROR row is kept, most rows are dropped', () => {
    const selection = select(sqlRows(600, 516));
    assert.equal(selection.skipReason, null);
    assert.ok(selection.keep.includes(516), 'the ERROR row');
    assert.ok(selection.counts.errors >= 1);
    assert.ok(selection.keep.length < 60, `kept ${selection.keep.length}`);
  });

  it('a Prometheus matrix: the spike in string-typed values is an anomaly and kept, most points dropped', () => {
    const selection = select(promValues(1000, 613));
    assert.ok(selection.keep.includes(613), 'the spike');
    assert.ok(selection.counts.anomalies >= 1);
    assert.ok(selection.keep.length < 50, `kept ${selection.keep.length}`);
  });

  it('a column of numeric strings is numeric only for tuples and only when every non-null value is a finite number', () => {
    const points = promValues(50, 20);
    const column = (values: readonly unknown[], numericStrings: boolean) => tableOf(values, numericStrings).byKey.get('1');
    assert.equal(column(points, true)?.type, 'number');
    assert.equal(column(points, true)?.numeric?.max, 9.87);
    assert.equal(column(points, false)?.type, 'string');
    assert.equal(column(points, false)?.numeric, null);
    const withNull = points.map((point, i) => (i === 3 ? [point[0], null] : point));
    assert.equal(column(withNull, true)?.type, 'number');
    for (const odd of ['NaN', '+Inf', '0x10', ' 1', '1e999', 'n/a']) {
      const mixed = points.map((point, i) => (i === 7 ? [point[0], odd] : point));
      assert.equal(column(mixed, true)?.numeric, null, odd);
    }
  });

  it('ragged arrays and long inner arrays stay skipped with a reason', () => {
    const ragged = select(Array.from({ length: 50 }, (_, i) => Array.from({ length: 1 + (i % 10) }, (_, j) => j)));
    assert.deepEqual([ragged.strategy, ragged.skipReason, ragged.keep.length], ['skip', 'ragged_arrays', 50]);
    const matrix = select(Array.from({ length: 50 }, (_, i) => Array.from({ length: 100 }, (_, j) => i + j)));
    assert.deepEqual([matrix.strategy, matrix.skipReason, matrix.keep.length], ['skip', 'nested_arrays', 50]);
    const empty = select(Array.from({ length: 50 }, () => []));
    assert.deepEqual([empty.strategy, empty.skipReason], ['skip', 'nested_arrays']);
  });

  it('rows whose lengths differ by up to two (optional trailing columns) are still rows', () => {
    const rows = sqlRows(300, 150).map((row, i) => (i % 4 === 0 ? [...row, 'extra', i] : row));
    const selection = select(rows);
    assert.equal(selection.skipReason, null);
    assert.ok(selection.keep.includes(150));
  });
});
