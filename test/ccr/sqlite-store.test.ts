import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ccrKey } from '../../src/ccr/key.js';
import { CCR_SCHEMA_VERSION, SqliteCcrStore } from '../../src/ccr/sqlite-store.js';
import { CcrStoreError } from '../../src/ccr/store.js';
import { Clock, DIST_CCR, put, tempDir } from './helpers.js';

const OPTIONS = { ttlSeconds: 3600, maxEntries: 10_000 };

function expectStoreError(fn: () => unknown, pattern: RegExp): CcrStoreError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof CcrStoreError, `expected CcrStoreError, got ${String(caught)}`);
  assert.match(caught.message, pattern);
  assert.doesNotMatch(caught.message, /\n/);
  return caught;
}

describe('SqliteCcrStore', () => {
  it('persists across close and reopen, with retrieval counts', () => {
    const file = path.join(tempDir(), 'ccr.db');
    const clock = new Clock();
    const first = new SqliteCcrStore(file, { ...OPTIONS, now: clock.now });
    first.put([put('kept across reopen ✓'), put('second')]);
    assert.equal(first.get(ccrKey('second')).status, 'available');
    first.close();
    first.close(); // idempotent

    const second = new SqliteCcrStore(file, { ...OPTIONS, now: clock.now });
    assert.equal(second.size(), 2);
    const lookup = second.get(ccrKey('second'));
    assert.equal(lookup.status, 'available');
    if (lookup.status === 'available') {
      assert.equal(lookup.entry.retrievalCount, 2);
      assert.equal(lookup.entry.createdAt, clock.ms);
    }
    const other = second.get(ccrKey('kept across reopen ✓'));
    assert.equal(other.status === 'available' && other.entry.original, 'kept across reopen ✓');
    second.close();
  });

  it('creates the documented schema in WAL mode, with a schema version', () => {
    const file = path.join(tempDir(), 'a', 'b', 'ccr.db');
    const store = new SqliteCcrStore(file, OPTIONS);
    assert.equal(store.location, file);
    store.put([put('schema')]);
    store.close();

    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      const columns = db.prepare("SELECT name, type, [notnull] AS nn, pk FROM pragma_table_info('ccr_entries')").all();
      assert.deepEqual(columns, [
        { name: 'key', type: 'TEXT', nn: 0, pk: 1 },
        { name: 'original', type: 'TEXT', nn: 1, pk: 0 },
        { name: 'unit', type: 'TEXT', nn: 1, pk: 0 },
        { name: 'count', type: 'INTEGER', nn: 1, pk: 0 },
        { name: 'tool_name', type: 'TEXT', nn: 0, pk: 0 },
        { name: 'created_at', type: 'INTEGER', nn: 1, pk: 0 },
        { name: 'ttl_seconds', type: 'INTEGER', nn: 1, pk: 0 },
        { name: 'retrieval_count', type: 'INTEGER', nn: 1, pk: 0 },
      ]);
      const indexed = db.prepare("SELECT name FROM pragma_index_info('ccr_entries_created_at')").pluck().all();
      assert.deepEqual(indexed, ['created_at']);
      assert.equal(db.prepare("SELECT value FROM meta WHERE name = 'schema_version'").pluck().get(), String(CCR_SCHEMA_VERSION));
    } finally {
      db.close();
    }
  });

  it('a file that is not a SQLite database gives a one-line CcrStoreError naming it', () => {
    const file = path.join(tempDir(), 'ccr.db');
    fs.writeFileSync(file, 'this is definitely not a sqlite database, just some text that is long enough '.repeat(20));
    const error = expectStoreError(() => new SqliteCcrStore(file, OPTIONS), /not a SQLite database/);
    assert.ok(error.message.includes(file), error.message);
    // Left as it was.
    assert.match(fs.readFileSync(file, 'utf8'), /^this is definitely not/);
  });

  it('an unwritable location gives a one-line CcrStoreError', () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'x');
    const error = expectStoreError(() => new SqliteCcrStore(path.join(blocker, 'sub', 'ccr.db'), OPTIONS), /cannot create the directory/);
    assert.ok(error.message.includes(path.join(blocker, 'sub', 'ccr.db')));
    expectStoreError(() => new SqliteCcrStore(dir, OPTIONS), /is a directory/);
  });

  it('refuses a SQLite file whose ccr_entries table is not ours, or a newer schema', () => {
    const foreign = path.join(tempDir(), 'foreign.db');
    const db = new Database(foreign);
    db.exec('CREATE TABLE ccr_entries (hash TEXT PRIMARY KEY, entry_json TEXT NOT NULL, created_at REAL NOT NULL, ttl INTEGER NOT NULL)');
    db.exec("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '1')");
    db.close();
    expectStoreError(() => new SqliteCcrStore(foreign, OPTIONS), /without the columns key, original/);

    const newer = path.join(tempDir(), 'newer.db');
    new SqliteCcrStore(newer, OPTIONS).close();
    const raw = new Database(newer);
    raw.prepare("UPDATE meta SET value = '99' WHERE name = 'schema_version'").run();
    raw.close();
    expectStoreError(() => new SqliteCcrStore(newer, OPTIONS), /schema version 99/);
  });

  it('opens a database for writing only when it is empty or already a store, and adds nothing to another', () => {
    const dir = tempDir();
    const other = path.join(dir, 'app.db');
    const db = new Database(other);
    db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada')");
    db.close();
    const bytes = fs.readFileSync(other);
    expectStoreError(() => new SqliteCcrStore(other, OPTIONS), /app\.db: is not a headroom CCR store \(it has no ccr_entries and meta tables\)/);
    assert.deepEqual(fs.readFileSync(other), bytes);
    const check = new Database(other, { readonly: true });
    assert.deepEqual(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all(), ['users']);
    check.close();

    const empty = path.join(dir, 'empty.db');
    fs.writeFileSync(empty, '');
    const store = new SqliteCcrStore(empty, OPTIONS);
    store.put([put('into an empty file')]);
    assert.equal(store.size(), 1);
    store.close();
  });

  it('is safe for several processes writing one file at once', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'shared', 'ccr.db');
    const go = path.join(dir, 'go');
    const script = path.join(dir, 'writer.mjs');
    const PER_PROCESS = 300;
    const PROCESSES = 3;
    fs.writeFileSync(
      script,
      `
import fs from 'node:fs';
const { SqliteCcrStore, ccrKey } = await import(${JSON.stringify(pathToFileURL(DIST_CCR).href)});
const [file, go, id] = process.argv.slice(2);
const pause = new Int32Array(new SharedArrayBuffer(4));
const deadline = Date.now() + 20000;
while (!fs.existsSync(go)) {
  if (Date.now() > deadline) throw new Error('never told to start');
  Atomics.wait(pause, 0, 0, 2);
}
// Every process opens the fresh file at the same moment: schema creation and WAL switch race too.
const store = new SqliteCcrStore(file, { ttlSeconds: 3600, maxEntries: 100000 });
let j = 0;
while (j < ${PER_PROCESS}) {
  const batch = [];
  for (let n = 0; n < 1 + (j % 3) && j < ${PER_PROCESS}; n += 1, j += 1) {
    const original = 'writer ' + id + ' entry ' + j + ' ' + 'é🚀'.repeat(j % 7) + '\\n'.repeat(j % 2) + 'x'.repeat(j * 13 % 500);
    batch.push({ key: ccrKey(original), original, unit: 'lines', count: j, toolName: 'w' + id });
  }
  store.put(batch);
  if (j % 50 === 0) store.get(batch[0].key);
}
store.close();
`,
    );
    const expected = (id: number, j: number): string => `writer ${id} entry ${j} ${'é🚀'.repeat(j % 7)}${'\n'.repeat(j % 2)}${'x'.repeat((j * 13) % 500)}`;

    const children = Array.from({ length: PROCESSES }, (_, id) => {
      const child = spawn(process.execPath, [script, file, go, String(id)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
    });
    // Let all of them load before releasing them together.
    await new Promise((resolve) => setTimeout(resolve, 300));
    fs.writeFileSync(go, '');
    const results = await Promise.all(children);
    for (const [id, result] of results.entries()) assert.equal(result.code, 0, `writer ${id}: ${result.stderr}`);

    const store = new SqliteCcrStore(file, OPTIONS);
    try {
      assert.equal(store.size(), PER_PROCESS * PROCESSES);
      for (let id = 0; id < PROCESSES; id += 1) {
        for (let j = 0; j < PER_PROCESS; j += 1) {
          const original = expected(id, j);
          const lookup = store.get(ccrKey(original));
          assert.equal(lookup.status, 'available', `writer ${id} entry ${j}`);
          if (lookup.status !== 'available') continue;
          assert.equal(lookup.entry.original, original);
          assert.equal(lookup.entry.count, j);
          assert.equal(lookup.entry.toolName, `w${id}`);
        }
      }
    } finally {
      store.close();
    }
  });
});
