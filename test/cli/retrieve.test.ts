import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ccrKey } from '../../src/ccr/key.js';
import { SqliteCcrStore } from '../../src/ccr/sqlite-store.js';
import type { CcrPut } from '../../src/ccr/store.js';
import Database from 'better-sqlite3';
import { hasStackTrace } from './helpers.js';
import { runMain } from './run-main.js';

function entry(original: string, unit = 'rows'): CcrPut {
  return { key: ccrKey(original), original, unit, count: 3, toolName: 'search' };
}

/** A temp store file holding `originals`, written the way optimize writes them. */
function storeWith(originals: string[], options: { ttlSeconds?: number; now?: () => number } = {}): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-retrieve-')), 'ccr.db');
  const store = new SqliteCcrStore(file, { ttlSeconds: options.ttlSeconds ?? 3600, maxEntries: 1000, ...(options.now ? { now: options.now } : {}) });
  store.put(originals.map((original) => entry(original)));
  store.close();
  return file;
}

function assertOneLineError(run: { status: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.equal(run.status, 2, run.stderr);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr.split('\n').length, 2, run.stderr);
  assert.ok(run.stderr.endsWith('\n'));
  assert.match(run.stderr, pattern);
  assert.equal(hasStackTrace(run.stderr), false, run.stderr);
}

const UNICODE = 'naïve café — 日本語 🚀\r\n\ttab, "quotes" and no newline at the end';
const ROWS = '[{"id":1,"level":"info","msg":"boot"},{"id":12345678901234567890,"level":"error","msg":"Disk full"},{"id":3,"level":"error","msg":"retry"}]';
const LOG = 'INFO boot\nERROR disk full\nINFO retry\nERROR Disk gone\n';

describe('headroom retrieve', () => {
  it('prints the original byte for byte, with --ccr-store', async () => {
    const file = storeWith([UNICODE, ROWS, LOG]);
    for (const original of [UNICODE, ROWS, LOG]) {
      const run = await runMain(['retrieve', ccrKey(original), '--ccr-store', file]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, original);
      assert.equal(run.stderr, '');
    }
  });

  it('reads the store from HEADROOM_CCR_STORE, a relative path resolved against the working directory', async () => {
    const file = storeWith([UNICODE]);
    const run = await runMain(['retrieve', ccrKey(UNICODE)], { cwd: path.dirname(file), env: { HEADROOM_CCR_STORE: 'ccr.db' } });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, UNICODE);
  });

  it('reads ccr.store_path from --set and config files; the flag wins', async () => {
    const file = storeWith([LOG]);
    assert.equal((await runMain(['retrieve', ccrKey(LOG), '--set', `ccr.store_path=${file}`])).stdout, LOG);
    const dir = path.dirname(file);
    fs.writeFileSync(path.join(dir, 'headroom.config.json'), JSON.stringify({ ccr: { store_path: 'ccr.db' } }));
    assert.equal((await runMain(['retrieve', ccrKey(LOG)], { cwd: dir })).stdout, LOG);
    const other = storeWith(['something else']);
    assertOneLineError(await runMain(['retrieve', ccrKey(LOG), '--ccr-store', other], { cwd: dir }), /no original stored under/);
  });

  it('accepts a pasted hash= and upper case', async () => {
    const file = storeWith([LOG]);
    assert.equal((await runMain(['retrieve', `hash=${ccrKey(LOG).toUpperCase()}`, '--ccr-store', file])).stdout, LOG);
  });

  it('--query prints only the matching items of a JSON array, or the matching lines', async () => {
    const file = storeWith([ROWS, LOG]);
    const items = await runMain(['retrieve', ccrKey(ROWS), '--ccr-store', file, '--query', 'ERROR disk']);
    assert.equal(items.status, 0, items.stderr);
    assert.equal(items.stdout, '[{"id":12345678901234567890,"level":"error","msg":"Disk full"}]');
    const lines = await runMain(['retrieve', ccrKey(LOG), '--ccr-store', file, '--query', 'error']);
    assert.equal(lines.stdout, 'ERROR disk full\nERROR Disk gone');
    const none = await runMain(['retrieve', ccrKey(LOG), '--ccr-store', file, '--query', 'absent']);
    assert.equal(none.status, 0);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /^note: nothing in the original under [0-9a-f]{24} contains every word of "absent"\n$/);
    assert.equal((await runMain(['retrieve', ccrKey(ROWS), '--ccr-store', file, '--query', 'absent'])).stdout, '[]');
  });

  it('a key that was never stored: exit 2, one line naming the key and the store', async () => {
    const file = storeWith([LOG]);
    const key = ccrKey('never stored');
    const run = await runMain(['retrieve', key, '--ccr-store', file]);
    assertOneLineError(run, new RegExp(`^headroom: no original stored under ${key} in ${file.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')} \\(.*evicted.*--ccr-store`));
  });

  it('a store that does not exist is reported, not created', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-retrieve-')), 'nope', 'ccr.db');
    assertOneLineError(await runMain(['retrieve', ccrKey('x'), '--ccr-store', file]), /there is no CCR store at .*nope/);
    assert.equal(fs.existsSync(path.dirname(file)), false);
  });

  it("an expired original: exit 2, says when it expired and the entry's own TTL, not the current setting", async () => {
    const created = Date.now() - 2 * 3600_000;
    const file = storeWith([LOG], { ttlSeconds: 60, now: () => created });
    const run = await runMain(['retrieve', ccrKey(LOG), '--ccr-store', file, '--set', 'ccr.store_ttl_seconds=120']);
    assertOneLineError(run, new RegExp(`expired at ${new Date(created + 60_000).toISOString().replace(/\./g, '\\.')}: it was stored with a TTL of 60 s \\(ccr\\.store_ttl_seconds`));
    assert.doesNotMatch(run.stderr, /120/);
  });

  it('an invalid key is a usage error', async () => {
    for (const key of ['abc', ccrKey('x').slice(0, 12), `${ccrKey('x')}0`, 'zz3456789abcdef012345678']) {
      assertOneLineError(await runMain(['retrieve', key, '--ccr-store', ':memory:']), /^headroom: a CCR key is the 24 hex characters after hash=/);
    }
  });

  it('a store file that is not a database is a one-line error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-retrieve-'));
    const file = path.join(dir, 'ccr.db');
    fs.writeFileSync(file, 'plain text, not sqlite at all. '.repeat(40));
    assertOneLineError(await runMain(['retrieve', ccrKey('x'), '--ccr-store', file]), /^headroom: CCR store .*ccr\.db: is not a SQLite database$/m);
  });

  it('reads without changing the store: same bytes and mtime, no -wal or -shm left behind', async () => {
    const file = storeWith([LOG]);
    const before = { bytes: fs.readFileSync(file), mtime: fs.statSync(file).mtimeMs, files: fs.readdirSync(path.dirname(file)) };
    for (const key of [ccrKey(LOG), ccrKey(LOG), ccrKey('never stored')]) {
      const run = await runMain(['retrieve', key, '--ccr-store', file]);
      assert.equal(run.status, key === ccrKey(LOG) ? 0 : 2, run.stderr);
      if (run.status === 0) assert.equal(run.stdout, LOG);
    }
    assert.deepEqual(fs.readFileSync(file), before.bytes);
    assert.equal(fs.statSync(file).mtimeMs, before.mtime);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), before.files);
  });

  it('reads a read-only store file and leaves nothing beside it', async () => {
    // Run as root, the file stays writable; as another user this takes the
    // read-only open, whose -wal/-shm are removed again on close.
    const file = storeWith([LOG]);
    fs.chmodSync(file, 0o444);
    const bytes = fs.readFileSync(file);
    const run = await runMain(['retrieve', ccrKey(LOG), '--ccr-store', file]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, LOG);
    assert.deepEqual(fs.readFileSync(file), bytes);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['ccr.db']);
  });

  it('reads a store while a writer has it open, using its -wal and -shm', async () => {
    const file = storeWith([LOG]);
    const writer = new SqliteCcrStore(file, { ttlSeconds: 3600, maxEntries: 1000 });
    try {
      writer.put([entry(UNICODE)]);
      const run = await runMain(['retrieve', ccrKey(UNICODE), '--ccr-store', file]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, UNICODE);
      assert.deepEqual(fs.readdirSync(path.dirname(file)).sort(), ['ccr.db', 'ccr.db-shm', 'ccr.db-wal']);
      writer.put([entry(ROWS)]);
    } finally {
      writer.close();
    }
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['ccr.db']);
  });

  it('an expired original is reported, not deleted', async () => {
    const created = Date.now() - 2 * 3600_000;
    const file = storeWith([LOG], { ttlSeconds: 60, now: () => created });
    const bytes = fs.readFileSync(file);
    assert.equal((await runMain(['retrieve', ccrKey(LOG), '--ccr-store', file])).status, 2);
    assert.deepEqual(fs.readFileSync(file), bytes);
  });

  it('a SQLite database that is not a headroom store is refused, and left unchanged', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-retrieve-'));
    const file = path.join(dir, 'app.db');
    const db = new Database(file);
    db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada')");
    db.close();
    const bytes = fs.readFileSync(file);
    const run = await runMain(['retrieve', ccrKey('x'), '--ccr-store', file]);
    assertOneLineError(run, /^headroom: CCR store .*app\.db: is not a headroom CCR store \(it has no ccr_entries and meta tables\)/);
    assert.deepEqual(fs.readFileSync(file), bytes);
    assert.deepEqual(fs.readdirSync(dir), ['app.db']);
  });

  it('a bad config value is a one-line error', async () => {
    assertOneLineError(await runMain(['retrieve', ccrKey('x'), '--set', 'ccr.store_ttl_seconds=0']), /store_ttl_seconds/);
  });

  it('has help with examples and exit codes', async () => {
    const run = await runMain(['retrieve', '--help']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /Usage: headroom retrieve \[options\] <key>/);
    assert.match(run.stdout, /--query <text>/);
    assert.match(run.stdout, /--ccr-store <path>/);
    assert.match(run.stdout, /Exit codes: 0/);
    assert.match(run.stdout, /Examples:/);
    assert.match((await runMain(['--help'])).stdout, /retrieve.*omitted/);
  });

  it('a missing key argument is a usage error', async () => {
    const run = await runMain(['retrieve']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /missing required argument 'key'/);
  });
});
