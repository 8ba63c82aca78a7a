import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRawJson } from '../../../src/json/index.js';
import { changePoints } from '../../../src/transforms/smart-crusher/select/change-points.js';
import { hasErrorWords, isErrorItem } from '../../../src/transforms/smart-crusher/select/errors.js';
import { analyzeObjects } from '../../../src/transforms/smart-crusher/select/field-stats.js';
import { chauvenetZ, numericAnomalies, structuralOutliers } from '../../../src/transforms/smart-crusher/select/outliers.js';
import { crushability, detectPattern } from '../../../src/transforms/smart-crusher/select/pattern.js';
import { anchorMatches } from '../../../src/transforms/smart-crusher/select/query-anchors.js';
import { rows, select } from './select-support.js';

function tableOf(values: readonly unknown[]) {
  const doc = parseRawJson(JSON.stringify(values));
  if (doc === null || doc.root.type !== 'array') throw new Error('not an array');
  return analyzeObjects(doc, doc.root.items);
}

function errorItem(value: unknown): boolean {
  const doc = parseRawJson(JSON.stringify(value));
  if (doc === null) throw new Error('bad json');
  return isErrorItem(doc, doc.root);
}

const NO_SIGNALS = { errors: 0, anomalies: 0, outliers: 0, changePoints: 0, relevant: 0, queryAnchors: 0, hinted: 0 };

describe('field statistics and type detection', () => {
  it('describes each field: type, uniqueness, constants, numeric and text summaries', () => {
    const table = tableOf(rows(20, (i) => ({ region: 'eu', price: i % 2 === 0 ? 10 : 20 })));
    const price = table.byKey.get('price');
    assert.equal(price?.type, 'number');
    assert.equal(price?.uniqueCount, 2);
    assert.deepEqual([price?.numeric?.min, price?.numeric?.max, price?.numeric?.mean], [10, 20, 15]);
    assert.ok(Math.abs((price?.numeric?.variance ?? 0) - 26.3157) < 1e-3);
    assert.equal(table.byKey.get('region')?.constant, true);
    const message = table.byKey.get('message');
    assert.equal(message?.kind, 'text');
    assert.ok((message?.text?.avgLength ?? 0) > 20);
    assert.deepEqual(
      table.byKey.get('host')?.text?.topValues.map((top) => top.count),
      [5, 5, 5, 5],
    );
  });

  it('detects ids (uuid, sequential, unique tokens) but not unique measurements or free text', () => {
    const table = tableOf(
      Array.from({ length: 30 }, (_, i) => ({
        seq: i + 1,
        uuid: `${String(i).padStart(8, '0')}-aaaa-4bbb-8ccc-${String(i).padStart(12, '0')}`,
        token: `tok_${i}x${(i * 31) % 17}`,
        latency: 100.5 + ((i * 7.3) % 50),
        note: `free text number ${i} with spaces`,
      })),
    );
    assert.equal(table.byKey.get('seq')?.kind, 'id');
    assert.equal(table.byKey.get('seq')?.sequential, true);
    assert.equal(table.byKey.get('uuid')?.idConfidence, 0.95);
    assert.equal(table.byKey.get('token')?.kind, 'id');
    assert.notEqual(table.byKey.get('latency')?.kind, 'id');
    assert.equal(table.byKey.get('note')?.kind, 'text');
  });

  it('detects timestamps (ISO, epoch seconds, epoch milliseconds), scores and enums', () => {
    const table = tableOf(
      Array.from({ length: 20 }, (_, i) => ({
        at: `2025-01-0${1 + (i % 9)}T10:00:00Z`,
        epoch: 1_700_000_000 + i * 60,
        epochMs: 1_700_000_000_000 + i * 60_000,
        score: Number((0.99 - i * 0.03).toFixed(2)),
        status: ['open', 'closed', 'open', 'merged'][i % 4],
      })),
    );
    assert.equal(table.byKey.get('at')?.timestamp, 'iso');
    assert.equal(table.byKey.get('epoch')?.timestamp, 'epoch_s');
    assert.equal(table.byKey.get('epochMs')?.timestamp, 'epoch_ms');
    assert.equal(table.byKey.get('score')?.kind, 'score');
    assert.ok((table.byKey.get('score')?.scoreConfidence ?? 0) >= 0.7);
    assert.equal(table.byKey.get('status')?.kind, 'enum');
  });
});

describe('error items', () => {
  it('finds key/value evidence', () => {
    assert.equal(errorItem({ id: 1, error: 'Timeout exceeded' }), true);
    assert.equal(errorItem({ id: 1, errors: [{ code: 'E1' }] }), true);
    assert.equal(errorItem({ id: 1, status: 'FAILED' }), true);
    assert.equal(errorItem({ id: 1, state: 'crashed' }), true);
    assert.equal(errorItem({ id: 1, level: 'CRITICAL', msg: 'disk' }), true);
    assert.equal(errorItem({ id: 1, is_error: true }), true);
    assert.equal(errorItem({ id: 1, success: false }), true);
    assert.equal(errorItem({ id: 1, status_code: 503 }), true);
    assert.equal(errorItem({ id: 1, details: { exception: { type: 'ValueError' } } }), true);
  });

  it('is not fooled by empty error fields, error-like key names or successful values', () => {
    assert.equal(errorItem({ id: 1, errors: [] }), false);
    assert.equal(errorItem({ id: 1, error: null }), false);
    assert.equal(errorItem({ id: 1, error: '' }), false);
    assert.equal(errorItem({ id: 1, timeout_ms: 3000, error_rate: 0 }), false);
    assert.equal(errorItem({ id: 1, status_code: 404 }), false);
    assert.equal(errorItem({ id: 1, success: true, is_error: false }), false);
    assert.equal(errorItem({ id: 1, status: 'completed' }), false);
  });

  it('counts error words only as whole, non-negated words, and lets a severity field overrule them', () => {
    assert.equal(hasErrorWords('Connection failed after 3 retries'), true);
    assert.equal(hasErrorWords('Unhandled exception in worker'), true);
    assert.equal(hasErrorWords('No errors found'), false);
    assert.equal(hasErrorWords('0 failures, 12 passed'), false);
    assert.equal(hasErrorWords('errorless terrors'), false);
    assert.equal(errorItem({ id: 1, message: 'Database error: ConnectionError' }), true);
    assert.equal(errorItem({ id: 1, level: 'WARNING', message: 'Connection failed, retrying' }), false);
    assert.equal(errorItem({ id: 1, level: 'ERROR', message: 'Rate limit exceeded' }), true);
  });

  it('ranks rather than keeps error items when most items are errors (the norm, not news)', () => {
    const values = rows(300, (i) => ({ status: i % 10 === 0 ? 'ok' : 'failed' }));
    const selection = select(values);
    assert.ok(selection.keep.length <= 15);
    assert.ok(selection.counts.errors > 0);
  });

  it('error words in prose repeated verbatim by several items flag only the first item holding it', () => {
    const blurb = `A module that makes async code easier, by reducing boilerplate and improving error and exception handling. ${'More words. '.repeat(10)}`;
    assert.ok(blurb.length >= 200);
    const values = rows(100, (i) => ({ description: i < 30 ? blurb : 'A library for building user interfaces.', note: i === 70 ? 'upload failed: disk full' : 'ok' }));
    const selection = select(values);
    assert.equal(selection.counts.errors, 2, 'the first holder of the repeated prose and the item with its own error text');
    assert.ok(selection.keep.includes(0) && selection.keep.includes(70));
    // Short repeated messages are not prose: every item saying "Connection failed" stays an error.
    const messages = rows(100, (i) => ({ text: i % 25 === 3 ? 'Connection failed' : 'Connection ok' }));
    assert.equal(select(messages).counts.errors, 4);
  });

  it('keeps every error item of an array', () => {
    const values = rows(200, (i) => (i % 37 === 5 ? { status: 'failed' } : { status: 'ok' }));
    const selection = select(values);
    const failed = values.flatMap((row, i) => (row.status === 'failed' ? [i] : []));
    for (const index of failed) assert.ok(selection.keep.includes(index), `error item ${index} kept`);
    assert.equal(selection.counts.errors, failed.length);
  });
});

describe('structural outliers and numeric anomalies', () => {
  it('flags items with a rare field and items with a rare value of a common field', () => {
    const values = rows(100, (i) => ({ ...(i === 42 ? { debug_dump: 'x' } : {}), kind: i === 7 ? 'refund' : i % 2 === 0 ? 'sale' : 'return' }));
    assert.deepEqual(
      [...structuralOutliers(tableOf(values))].sort((a, b) => a - b),
      [7, 42],
    );
  });

  it('a field one in twenty items or fewer carry is rare; a field of 12 in 160 items is a schema variant; a field of one item always is rare', () => {
    const variant = rows(160, (i) => (i >= 140 && i < 152 ? { readme: `readme ${i}` } : {}));
    assert.equal(structuralOutliers(tableOf(variant)).size, 0, '12 of 160 (7.5%): a population, not exceptions');
    const needles = rows(160, (i) => (i % 40 === 3 ? { is_needle: true } : {}));
    assert.deepEqual(
      [...structuralOutliers(tableOf(needles))].sort((a, b) => a - b),
      [3, 43, 83, 123],
    );
    const ten = rows(10, (i) => (i === 4 ? { exception: 'boom' } : {}));
    assert.deepEqual([...structuralOutliers(tableOf(ten))], [4]);
  });

  it('does not call the long tail of a many-valued category, or a common minority value, outliers', () => {
    const genres = rows(500, (i) => ({ genre: i < 400 ? 'rock' : `genre-${i % 20}` }));
    assert.equal(structuralOutliers(tableOf(genres)).size, 0, '20 rare genres: a long tail, not exceptions');
    const prices = rows(2000, (i) => ({ price: i % 20 === 0 ? 1.99 : 0.99 }));
    assert.equal(structuralOutliers(tableOf(prices)).size, 0, '100 items at 1.99: a category of their own');
  });

  it('treats keys that are data (a key per item) as no schema: no rare-field outliers, bounded columns', () => {
    const values = Array.from({ length: 2000 }, (_, i) => ({ kind: 'entry', [`key_${i}`]: i, ...(i === 1500 ? { status: 'failed' } : {}) }));
    const table = tableOf(values);
    assert.ok(table.columns.size <= 256);
    assert.equal(table.distinctKeys, 2002);
    assert.equal(structuralOutliers(table).size, 0);
    const selection = select(values);
    assert.ok(selection.keep.includes(1500));
    assert.ok(selection.keep.length <= 16);
  });

  it('does not call evenly used categories outliers', () => {
    const values = rows(100, (i) => ({ kind: ['a', 'b', 'c', 'd', 'e'][i % 5] }));
    assert.equal(structuralOutliers(tableOf(values)).size, 0);
  });

  it('flags values far from the median by robust σ, with Chauvenet raising the bar for large samples', () => {
    const values = new Float64Array(Array.from({ length: 1000 }, (_, i) => 100 + ((i * 7919) % 21) - 10));
    values[500] = 400;
    values[600] = -200;
    assert.deepEqual(numericAnomalies(values, 2), [500, 600]);
    assert.ok(chauvenetZ(1000) > 3.4 && chauvenetZ(1000) < 3.6);
    assert.ok(chauvenetZ(10) < 2);
  });

  it('keeps only the most extreme values of a heavy-tailed field', () => {
    // 5% of the values are 100x the rest: a second population, of which the 0.5% most extreme stand out.
    const values = new Float64Array(Array.from({ length: 2000 }, (_, i) => (i % 20 === 0 ? 500_000 + i : 5000 + ((i * 7919) % 3000))));
    assert.equal(numericAnomalies(values, 2).length, 10);
  });

  it('keeps anomalies in objects', () => {
    const values = rows(300, (i) => ({ latency_ms: i === 150 ? 9000 : 40 + (i % 20), customer_id: i === 200 ? 987654 : 100 + (i % 30) }));
    const selection = select(values);
    assert.ok(selection.keep.includes(150));
    assert.equal(selection.counts.anomalies, 1, 'a reference to another record (customer_id) is not a measurement');
  });
});

describe('change points', () => {
  it('finds a level shift once, where the windows differ most', () => {
    const series = [...Array.from({ length: 30 }, (_, i) => 10 + (i % 3)), ...Array.from({ length: 30 }, (_, i) => 50 + (i % 3))];
    assert.deepEqual(changePoints(series, 2), [30]);
    assert.deepEqual(changePoints(series, 50), []);
    assert.deepEqual(
      changePoints(
        Array.from({ length: 60 }, (_, i) => 10 + (i % 3)),
        2,
      ),
      [],
    );
    assert.deepEqual(changePoints([1, 2, 3], 2), []);
    // Values in no order (no autocorrelation) have no change points, however large their jumps.
    assert.deepEqual(
      changePoints(
        Array.from({ length: 200 }, (_, i) => ((i * 7919) % 97) * (i % 9 === 0 ? 50 : 1)),
        2,
      ),
      [],
    );
  });

  it('keeps the strongest shifts of a series that switches often', () => {
    const series = Array.from({ length: 200 }, (_, i) => (Math.floor(i / 20) % 2 === 0 ? 10 : 10 + 10 * (1 + (Math.floor(i / 20) % 5))) + (i % 3));
    const all = changePoints(series, 2);
    assert.equal(all.length, 9);
    const strongest = changePoints(series, 2, 3);
    assert.equal(strongest.length, 3);
    for (const index of strongest) assert.ok(all.includes(index));
  });
});

describe('query anchors, relevance and hints', () => {
  it('matches numbers on boundaries and ignores anchors found in too many items', () => {
    const texts = ['{"id":48210}', '{"id":4821}', ...Array.from({ length: 20 }, (_, i) => `{"at":"2025-01-${i}"}`)];
    assert.deepEqual([...anchorMatches('order 4821 in 2025', texts)], [1]);
    assert.deepEqual([...anchorMatches(null, texts)], []);
  });

  it('keeps items naming a query anchor', () => {
    const values = rows(200, (i) => ({ order: 10_000 + i }));
    const selection = select(values, { query: 'what happened to order 10123?' });
    assert.ok(selection.keep.includes(123));
    assert.equal(selection.counts.queryAnchors, 1);
  });

  it('keeps relevant items, most relevant first, at the configured threshold', () => {
    const values = rows(200);
    const relevance = values.map((_, i) => (i === 90 ? 0.9 : i === 91 ? 0.3 : 0.1));
    const selection = select(values, { relevance });
    assert.ok(selection.keep.includes(90) && selection.keep.includes(91));
    assert.equal(selection.counts.relevant, 2);
  });

  it('keeps items matching a feedback hint (top-level or dotted field)', () => {
    const values = rows(200, (i) => ({ attrs: { region: i === 77 ? 'ap-south-1' : 'us-east-1' }, tier: i === 133 ? 'gold' : 'basic' }));
    const selection = select(values, {
      hints: [
        { field: 'attrs.region', values: ['ap-south-1'], confidence: 0.9 },
        { field: 'tier', values: ['gold'], confidence: 0.9 },
      ],
    });
    assert.ok(selection.keep.includes(77) && selection.keep.includes(133));
    assert.equal(selection.counts.hinted, 2);
  });

  it('prefers, but does not guarantee, items of a hinted value too common to single anything out', () => {
    const values = rows(200, (i) => ({ status: i % 5 === 0 ? 'archived' : 'active' }));
    const selection = select(values, { hints: [{ field: 'status', values: ['active'], confidence: 0.9 }] });
    assert.ok(selection.keep.length <= 15, 'not all 160 active items');
    assert.ok(selection.counts.hinted >= 10, 'the fill goes to hinted items first');
  });
});

describe('data pattern and crushability', () => {
  it('recognises time series, logs, search results and generic arrays', () => {
    const series = Array.from({ length: 50 }, (_, i) => ({ ts: `2025-01-01T00:${String(i).padStart(2, '0')}:00Z`, cpu: 20 + (i % 7) }));
    assert.equal(detectPattern(tableOf(series)), 'time_series');
    assert.equal(detectPattern(tableOf([...series].reverse())), 'time_series', 'newest first');
    const shuffled = series.map((_, i) => series[(i * 17) % 50]);
    assert.equal(detectPattern(tableOf(shuffled)), 'generic', 'a date column in any order is not a series');
    const logs = Array.from({ length: 50 }, (_, i) => ({ level: i % 10 === 0 ? 'WARN' : 'INFO', message: `worker ${i} finished batch ${i * 3} after retry` }));
    assert.equal(detectPattern(tableOf(logs)), 'logs');
    const hits = Array.from({ length: 50 }, (_, i) => ({ title: `Doc ${i}`, score: 1 - i * 0.015 }));
    assert.equal(detectPattern(tableOf(hits)), 'search_results');
    assert.equal(detectPattern(tableOf(Array.from({ length: 50 }, (_, i) => ({ name: `n${i}`, kind: i % 3 })))), 'generic');
  });

  it('does not crush distinct entities it cannot rank, and says why', () => {
    const users = Array.from({ length: 60 }, (_, i) => ({ id: i + 1, name: `User Number${i}`, email: `u${i}@example.com` }));
    assert.deepEqual(crushability(tableOf(users), NO_SIGNALS, 0.1), { crushable: false, reason: 'unique_entities_no_signal' });
    const selection = select(users);
    assert.equal(selection.strategy, 'skip');
    assert.equal(selection.skipReason, 'unique_entities_no_signal');
    assert.equal(selection.keep.length, 60);
    assert.equal(crushability(tableOf(users), { ...NO_SIGNALS, errors: 1 }, 0.1).crushable, true);
    const dated = users.map((user, i) => ({ ...user, created_at: `2025-01-01T00:${String(i).padStart(2, '0')}:00Z` }));
    assert.equal(crushability(tableOf(dated), NO_SIGNALS, 0.1).crushable, true, 'records in time order rank by time');
  });
});
