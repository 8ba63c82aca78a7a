import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteCcrReader, SqliteCcrStore } from '../../src/ccr/sqlite-store.js';
import { CcrStoreError } from '../../src/ccr/store.js';
import { MemoryFeedbackStore } from '../../src/feedback/memory-store.js';
import { openFeedbackReader } from '../../src/feedback/open.js';
import type { RetrievalEvent } from '../../src/feedback/record.js';
import { readLearned, SqliteFeedbackWriter } from '../../src/feedback/sqlite-store.js';
import { put, tempDir } from '../ccr/helpers.js';

const SHAPE = 'object:0123456789abcdef';
const ORIGINAL = '[{"id":1}]';

/** A CCR store file with one original, as optimize leaves it. */
function storeFile(): string {
  const file = path.join(tempDir(), 'ccr.db');
  const store = new SqliteCcrStore(file, { ttlSeconds: 3600, maxEntries: 10 });
  store.put([put(ORIGINAL)]);
  store.close();
  return file;
}

const EVENTS: RetrievalEvent[] = [
  { toolName: 'search', shape: SHAPE, kind: 'query', fields: [{ field: 'status', values: ['error', 'error'] }] },
  {
    toolName: 'search',
    shape: SHAPE,
    kind: 'query',
    fields: [
      { field: 'status', values: ['error'] },
      { field: 'user', values: ['bob'] },
    ],
  },
  { toolName: 'search', shape: SHAPE, kind: 'full', fields: [] },
  { toolName: null, shape: 'string', kind: 'query', fields: [] },
  { toolName: 'search', shape: 'object:ffffffffffffffff', kind: 'query', fields: [{ field: 'name', values: ['naïve — 日本語 🚀'] }] },
];

function record(file: string, events: readonly RetrievalEvent[]): void {
  const writer = new SqliteFeedbackWriter(file);
  try {
    for (const event of events) writer.record(event);
  } finally {
    writer.close();
  }
}

describe('the SQLite feedback store', () => {
  it('counts exactly as the memory store does, across separate openings', () => {
    const file = storeFile();
    const memory = new MemoryFeedbackStore();
    for (const event of EVENTS) {
      record(file, [event]);
      memory.record(event);
    }
    const learned = readLearned(file);
    const sortValues = (outputs: typeof learned) =>
      outputs.map((output) => ({ ...output, values: [...output.values].sort((a, b) => (a.field + a.value < b.field + b.value ? -1 : 1)) }));
    assert.deepEqual(sortValues(learned), sortValues(memory.list()));
    assert.equal(learned.length, 3);
  });

  it('leaves the originals alone and keeps the store readable by the CCR reader', () => {
    const file = storeFile();
    record(file, EVENTS);
    const reader = new SqliteCcrReader(file);
    try {
      const lookup = reader.peek(put(ORIGINAL).key);
      assert.equal(lookup.status, 'available');
      assert.equal(lookup.status === 'available' && lookup.entry.retrievalCount, 0);
    } finally {
      reader.close();
    }
    const store = new SqliteCcrStore(file, { ttlSeconds: 3600, maxEntries: 10 });
    assert.equal(store.size(), 1);
    store.close();
  });

  it('reading changes nothing: same bytes, no -wal or -shm left behind; a store without feedback reads as nothing learned', () => {
    const file = storeFile();
    assert.deepEqual(readLearned(file), []);
    record(file, EVENTS);
    const bytes = fs.readFileSync(file);
    const files = fs.readdirSync(path.dirname(file));
    assert.equal(readLearned(file).length, 3);
    assert.deepEqual(fs.readFileSync(file), bytes);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), files);
  });

  it('clear forgets every count and value, and says how many', () => {
    const file = storeFile();
    record(file, EVENTS);
    const writer = new SqliteFeedbackWriter(file);
    try {
      assert.deepEqual(writer.clear(), { outputs: 3, values: 3 });
      assert.deepEqual(writer.clear(), { outputs: 0, values: 0 });
    } finally {
      writer.close();
    }
    assert.deepEqual(readLearned(file), []);
  });

  it('refuses a database that is not a headroom store, and a feedback schema it does not know', () => {
    const dir = tempDir();
    const other = path.join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE people (name TEXT)');
    db.close();
    assert.throws(
      () => readLearned(other),
      (error: unknown) => error instanceof CcrStoreError && /is not a headroom CCR store/.test(error.message),
    );
    assert.throws(() => new SqliteFeedbackWriter(other), CcrStoreError);
    assert.throws(() => new SqliteFeedbackWriter(path.join(dir, 'missing.db')), CcrStoreError);
    assert.equal(fs.existsSync(path.join(dir, 'missing.db')), false);

    const file = storeFile();
    record(file, EVENTS);
    const raw = new Database(file);
    raw.prepare("UPDATE meta SET value = '99' WHERE name = 'toin_schema_version'").run();
    raw.close();
    assert.throws(() => readLearned(file), /feedback \(TOIN\) schema version 99; this headroom reads version 1/);
  });
});

describe('openFeedbackReader', () => {
  it('is null without a store file or for :memory:, and creates nothing', () => {
    const missing = path.join(tempDir(), 'nope', 'ccr.db');
    assert.equal(
      openFeedbackReader(missing, () => assert.fail('no warning')),
      null,
    );
    assert.equal(fs.existsSync(path.dirname(missing)), false);
    assert.equal(
      openFeedbackReader(':memory:', () => assert.fail('no warning')),
      null,
    );
  });

  it('reads the file once, on the first hint asked for: later records do not change the run', () => {
    const file = storeFile();
    record(file, EVENTS.slice(0, 2));
    const reader = openFeedbackReader(file, () => assert.fail('no warning'));
    assert.ok(reader);
    const first = reader.hintsFor('search', SHAPE);
    assert.deepEqual(first, [
      { field: 'status', values: ['error'], confidence: 0.4, count: 2 },
      { field: 'user', values: ['bob'], confidence: 0.25, count: 1 },
    ]);
    record(file, EVENTS.slice(0, 2));
    assert.deepEqual(reader.hintsFor('search', SHAPE), first);
    assert.deepEqual(reader.hintsFor('other', SHAPE), []);
  });

  it('a file it cannot read gives no hints and one warning', () => {
    const file = path.join(tempDir(), 'ccr.db');
    fs.writeFileSync(file, 'not sqlite at all '.repeat(100));
    const warnings: string[] = [];
    const reader = openFeedbackReader(file, (message) => warnings.push(message));
    assert.ok(reader);
    assert.deepEqual(reader.hintsFor('search', SHAPE), []);
    assert.deepEqual(reader.hintsFor('search', SHAPE), []);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /^feedback hints are off for this run: CCR store .*ccr\.db: is not a SQLite database$/);
  });
});
