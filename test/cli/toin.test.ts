/**
 * Learned feedback end to end through the CLI: `retrieve` records, `toin`
 * lists and clears, optimize and simulate hand the hints to the transforms.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ccrKey } from '../../src/ccr/key.js';
import { SqliteCcrStore } from '../../src/ccr/sqlite-store.js';
import { itemsShape } from '../../src/feedback/shape.js';
import { parseRawJson } from '../../src/json/index.js';
import { withProbe } from '../feedback/probe.js';
import { CHAT_REQUEST, hasStackTrace } from './helpers.js';
import { runMain } from './run-main.js';

const ROWS = [
  { id: 1, level: 'info', msg: 'boot', host: 'web-1' },
  { id: 12345678901234567890n, level: 'error', msg: 'Disk full', host: 'db-7' },
  { id: 3, level: 'error', msg: 'retry', host: 'web-2' },
  { id: 4, level: 'warn', msg: 'slow disk', host: 'db-7' },
];
const ORIGINAL = `[${ROWS.map((row) => JSON.stringify(row, (_, value) => (typeof value === 'bigint' ? `@${value}@` : value)).replace(/"@(\d+)@"/, '$1')).join(',')}]`;
const LOG = 'INFO boot\nERROR disk full\n';

function storeWith(originals: { original: string; toolName: string | null }[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-toin-')), 'ccr.db');
  const store = new SqliteCcrStore(file, { ttlSeconds: 3600, maxEntries: 100 });
  store.put(originals.map(({ original, toolName }) => ({ key: ccrKey(original), original, unit: 'items', count: 4, toolName })));
  store.close();
  return file;
}

function shapeOf(text: string): string {
  const doc = parseRawJson(text);
  assert.ok(doc?.root.type === 'array');
  return itemsShape(doc.root.items);
}

async function toinJson(
  file: string,
  ...args: string[]
): Promise<{ outputs: { tool: string | null; shape: string; full_retrievals: number; query_retrievals: number; hints: unknown[] }[] }> {
  const run = await runMain(['toin', '--json', '--ccr-store', file, ...args]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  return JSON.parse(run.stdout);
}

async function retrieve(file: string, ...args: string[]): Promise<string> {
  const run = await runMain(['retrieve', ccrKey(ORIGINAL), '--ccr-store', file, ...args]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  return run.stdout;
}

describe('retrieve records feedback', () => {
  it('--query: the fields and values the words matched, under the tool and the shape of the stored items; output unchanged', async () => {
    const file = storeWith([{ original: ORIGINAL, toolName: 'logs' }]);
    assert.equal(
      await retrieve(file, '--query', 'db-7 disk'),
      '[{"id":12345678901234567890,"level":"error","msg":"Disk full","host":"db-7"},{"id":4,"level":"warn","msg":"slow disk","host":"db-7"}]',
    );
    await retrieve(file, '--query', 'db-7');
    const learned = await toinJson(file);
    assert.deepEqual(learned.outputs, [
      {
        tool: 'logs',
        shape: shapeOf(ORIGINAL),
        full_retrievals: 0,
        query_retrievals: 2,
        hints: [
          { field: 'host', values: ['db-7'], count: 2, confidence: 0.4, used: true },
          { field: 'msg', values: ['Disk full', 'slow disk'], count: 1, confidence: 0.25, used: false },
        ],
      },
    ]);
  });

  it('without --query: a full retrieval is counted, no field is learned', async () => {
    const file = storeWith([{ original: ORIGINAL, toolName: null }]);
    assert.equal(await retrieve(file), ORIGINAL);
    assert.deepEqual((await toinJson(file)).outputs, [{ tool: null, shape: shapeOf(ORIGINAL), full_retrievals: 1, query_retrievals: 0, hints: [] }]);
  });

  it('records nothing, and leaves the file as it was, with --no-feedback, ccr.feedback_enabled=false, or an original that is not a JSON array', async () => {
    const file = storeWith([
      { original: ORIGINAL, toolName: 'logs' },
      { original: LOG, toolName: 'cat' },
    ]);
    const bytes = fs.readFileSync(file);
    await retrieve(file, '--query', 'error', '--no-feedback');
    await retrieve(file, '--set', 'ccr.feedback_enabled=false');
    const log = await runMain(['retrieve', ccrKey(LOG), '--ccr-store', file, '--query', 'error']);
    assert.equal(log.stdout, 'ERROR disk full');
    assert.deepEqual(fs.readFileSync(file), bytes);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['ccr.db']);
    assert.deepEqual((await toinJson(file)).outputs, []);
  });

  it('retrieve --help says what is recorded, where, and how not to', async () => {
    const help = (await runMain(['retrieve', '--help'])).stdout.replace(/\s+/g, ' ');
    assert.match(help, /--no-feedback/);
    assert.match(help, /recorded in the same file/);
    assert.match(help, /ccr\.feedback_enabled=false/);
    assert.match(help, /not writable \(it is then left unchanged\)/);
    assert.doesNotMatch(help, /nothing in it or its file changes/);
  });

  it('keeps the entry itself untouched (no retrieval count) and leaves no -wal or -shm behind', async () => {
    const file = storeWith([{ original: ORIGINAL, toolName: 'logs' }]);
    await retrieve(file, '--query', 'error');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['ccr.db']);
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.prepare('SELECT retrieval_count FROM ccr_entries').pluck().get(), 0);
      // `error` matched one value: level "error" (the messages do not contain the word).
      assert.equal(db.prepare('SELECT count(*) FROM toin_values').pluck().get(), 1);
    } finally {
      db.close();
    }
  });
});

describe('headroom toin', () => {
  it('the same retrievals in any order give the same listing', async () => {
    const queries = ['error', 'db-7', 'error disk', 'web', 'db-7'];
    const listings: string[] = [];
    for (const order of [queries, [...queries].reverse()]) {
      const file = storeWith([{ original: ORIGINAL, toolName: 'logs' }]);
      for (const query of order) await retrieve(file, '--query', query);
      await retrieve(file);
      listings.push(JSON.stringify((await toinJson(file)).outputs));
    }
    assert.equal(listings[0], listings[1]);
  });

  it('lists hints as a table: tool, shape, retrievals, field, values, asks, confidence and whether optimize uses them', async () => {
    const file = storeWith([{ original: ORIGINAL, toolName: 'logs' }]);
    for (const query of ['db-7', 'db-7', 'retry']) await retrieve(file, '--query', query);
    const run = await runMain(['toin', '--ccr-store', file], { env: { COLUMNS: '160' } });
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[0] ?? '', /^tool\s+shape\s+full\s+query\s+field\s+values\s+asks\s+confidence\s+used$/);
    assert.match(lines[2] ?? '', new RegExp(`^logs\\s+${shapeOf(ORIGINAL)}\\s+0\\s+3\\s+host\\s+db-7\\s+2\\s+0\\.40\\s+yes$`));
    assert.match(lines[3] ?? '', /^\s+msg\s+retry\s+1\s+0\.25\s+no$/);
    assert.match(run.stdout, /used: confidence ≥ 0\.3 \(smart_crusher\.toin_confidence_threshold\)/);
    const strict = await runMain(['toin', '--ccr-store', file, '--set', 'smart_crusher.toin_confidence_threshold=0.5'], { env: { COLUMNS: '160' } });
    assert.match(strict.stdout.split('\n')[2] ?? '', /0\.40\s+no$/);
    const off = await runMain(['toin', '--ccr-store', file, '--set', 'smart_crusher.use_feedback_hints=false'], { env: { COLUMNS: '160' } });
    assert.match(off.stdout, /use_feedback_hints is off/);
  });

  it('--clear forgets what was learned, says how much, and keeps the originals', async () => {
    const file = storeWith([{ original: ORIGINAL, toolName: 'logs' }]);
    await retrieve(file, '--query', 'db-7');
    await retrieve(file, '--query', 'error');
    const run = await runMain(['toin', '--clear', '--ccr-store', file]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^forgot 2 learned values and the retrieval counts of 1 tool output \(.*ccr\.db\); the originals stay\n$/);
    assert.deepEqual((await toinJson(file)).outputs, []);
    assert.equal(await retrieve(file, '--no-feedback'), ORIGINAL);
    const bytes = fs.readFileSync(file);
    const again = await runMain(['toin', '--clear', '--json', '--ccr-store', file]);
    assert.deepEqual(JSON.parse(again.stdout).cleared, { outputs: 0, values: 0 });
    assert.deepEqual(fs.readFileSync(file), bytes);
  });

  it('no store: nothing learned, exit 0, nothing created; :memory: likewise', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-toin-')), 'nope', 'ccr.db');
    const list = await runMain(['toin', '--ccr-store', file]);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^nothing learned yet: .*there is no CCR store at .*nope/);
    const clear = await runMain(['toin', '--clear', '--ccr-store', file]);
    assert.match(clear.stdout, /^nothing to forget/);
    assert.equal(fs.existsSync(path.dirname(file)), false);
    const memory = await runMain(['toin', '--ccr-store', ':memory:']);
    assert.match(memory.stdout, /keeps nothing between runs/);
  });

  it('a file that is not a headroom store: one line, exit 2, file unchanged', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-toin-'));
    const file = path.join(dir, 'app.db');
    const db = new Database(file);
    db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY)');
    db.close();
    const bytes = fs.readFileSync(file);
    for (const args of [[], ['--clear']]) {
      const run = await runMain(['toin', '--ccr-store', file, ...args]);
      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^headroom: CCR store .*app\.db: is not a headroom CCR store/);
      assert.equal(run.stderr.split('\n').length, 2);
      assert.equal(hasStackTrace(run.stderr), false);
    }
    assert.deepEqual(fs.readFileSync(file), bytes);
  });

  it('has help naming what is learned, the formula and the settings', async () => {
    const run = await runMain(['toin', '--help']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /Usage: headroom toin \[options\]/);
    assert.match(run.stdout, /n\/\(n\+3\)/);
    assert.match(run.stdout, /toin_confidence_threshold/);
    assert.match(run.stdout, /--clear/);
    assert.match((await runMain(['--help'])).stdout, /toin \[options\]\s+list what retrievals taught/);
  });
});

describe('optimize and simulate lend the learned hints to the transforms', () => {
  const INVOICES = JSON.parse(CHAT_REQUEST.messages[3]?.content as string) as unknown[];
  const INVOICES_TEXT = JSON.stringify(INVOICES);
  // Two outputs of the same tool: the probe warns per block, the run prints each distinct warning once.
  const REQUEST = JSON.stringify({ ...CHAT_REQUEST, messages: [...CHAT_REQUEST.messages, { role: 'tool', tool_call_id: 'call_1', content: JSON.stringify(INVOICES, null, 2) }] });

  async function learnedStore(): Promise<string> {
    const file = storeWith([{ original: INVOICES_TEXT, toolName: 'list_invoices' }]);
    for (let i = 0; i < 2; i++) assert.equal((await runMain(['retrieve', ccrKey(INVOICES_TEXT), '--ccr-store', file, '--query', '310'])).status, 0);
    return file;
  }

  const SMALL = ['--set', 'smart_crusher.min_tokens_to_crush=0'];
  const HINT = 'warning: probe list_invoices: [{"field":"amount","values":["310"],"confidence":0.4,"count":2}]\n';

  it('optimize: read from the --ccr-store file; each distinct warning is one stderr line', async () => {
    const file = await learnedStore();
    const bytes = fs.readFileSync(file);
    const run = await withProbe(() => runMain(['optimize', '--ccr-store', file, '--report', 'none', ...SMALL], { input: REQUEST }));
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, HINT);
    assert.deepEqual(fs.readFileSync(file), bytes);
  });

  it('simulate reads them too; with use_feedback_hints off, or no store file, there are none', async () => {
    const file = await learnedStore();
    const simulate = await withProbe(() => runMain(['simulate', '--json', '--ccr-store', file, ...SMALL], { input: REQUEST }));
    assert.equal(simulate.stderr, HINT);
    const off = await withProbe(() => runMain(['optimize', '--ccr-store', file, '--report', 'none', ...SMALL, '--set', 'smart_crusher.use_feedback_hints=false'], { input: REQUEST }));
    assert.equal(off.stderr, 'warning: probe list_invoices: no feedback\n');
    const missing = path.join(path.dirname(file), 'none.db');
    const none = await withProbe(() => runMain(['optimize', '--ccr-store', missing, '--report', 'none', ...SMALL], { input: REQUEST }));
    assert.equal(none.stderr, 'warning: probe list_invoices: no feedback\n');
  });

  it('an unreadable store: one warning, the run goes on; a JSON report on stderr carries warnings inside it', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-toin-')), 'ccr.db');
    fs.writeFileSync(file, 'not sqlite '.repeat(100));
    const run = await withProbe(() => runMain(['optimize', '--ccr-store', file, '--report', 'none', ...SMALL], { input: REQUEST }));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /^warning: feedback hints are off for this run: CCR store .*ccr\.db: is not a SQLite database\nwarning: probe list_invoices: \[\]\n$/);
    const learned = await learnedStore();
    const json = await withProbe(() => runMain(['optimize', '--ccr-store', learned, '--reporter', 'json', ...SMALL], { input: REQUEST }));
    const report = JSON.parse(json.stderr) as { problems: unknown[] };
    assert.deepEqual(report.problems, [{ file: 'headroom', severity: 'note', message: HINT.slice('warning: '.length, -1) }]);
  });
});
