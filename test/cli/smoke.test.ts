/**
 * One spawned run of the real binary per command. Everything else about the
 * CLI is tested in-process (`runMain`); these check what only a real process
 * shows: the exit code node reports, and that the result goes to stdout while
 * reports and errors go to stderr.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ccrKey } from '../../src/ccr/key.js';
import { SqliteCcrStore } from '../../src/ccr/sqlite-store.js';
import { CHAT_REQUEST, hasStackTrace, runCli, tempFiles } from './helpers.js';

const REQUEST_TEXT = JSON.stringify(CHAT_REQUEST, null, 2);

describe('headroom as a process (one smoke test per command)', () => {
  it('audit: the table on stdout, nothing on stderr; a missing file is named on stderr, exit 2', () => {
    const dir = tempFiles({ 'request.json': CHAT_REQUEST });
    const run = runCli(['audit', 'request.json'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Tokens by kind/);
    assert.equal(run.stderr, '');
    const missing = runCli(['audit', 'nope.json'], { cwd: dir });
    assert.equal(missing.status, 2);
    assert.doesNotMatch(missing.stdout, /no such file/);
    assert.match(missing.stderr, /^error: nope\.json: no such file or directory$/m);
    assert.equal(hasStackTrace(missing.stderr), false);
  });

  it('optimize: the request on stdout, the report on stderr', () => {
    const run = runCli(['optimize', '--no-color'], { input: REQUEST_TEXT });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).model, CHAT_REQUEST.model);
    assert.doesNotMatch(run.stdout, /^optimize:/m);
    assert.match(run.stderr, /^optimize: 1 request, /m);
  });

  it('simulate: the JSON result on stdout, nothing on stderr, the input unchanged', () => {
    const dir = tempFiles({ 'request.json': REQUEST_TEXT });
    const run = runCli(['simulate', '--json', 'request.json'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).total.requests, 1);
    assert.equal(run.stderr, '');
    assert.equal(fs.readFileSync(path.join(dir, 'request.json'), 'utf8'), REQUEST_TEXT);
  });

  it('retrieve: the original on stdout byte for byte; an unknown key is one line on stderr, exit 2', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-smoke-')), 'ccr.db');
    const original = 'line one\nline two, no newline at the end';
    const store = new SqliteCcrStore(file, { ttlSeconds: 3600, maxEntries: 10 });
    store.put([{ key: ccrKey(original), original, unit: 'lines', count: 2, toolName: 'cat' }]);
    store.close();
    const run = runCli(['retrieve', ccrKey(original), '--ccr-store', file]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, original);
    assert.equal(run.stderr, '');
    const unknown = runCli(['retrieve', ccrKey('never stored'), '--ccr-store', file]);
    assert.equal(unknown.status, 2);
    assert.equal(unknown.stdout, '');
    assert.equal(unknown.stderr.split('\n').length, 2, unknown.stderr);
  });

  it('toin: a retrieval with --query is learned, listed as JSON on stdout, and --clear forgets it', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-smoke-')), 'ccr.db');
    const original = '[{"id":1,"status":"error"},{"id":2,"status":"ok"}]';
    const store = new SqliteCcrStore(file, { ttlSeconds: 3600, maxEntries: 10 });
    store.put([{ key: ccrKey(original), original, unit: 'items', count: 2, toolName: 'jobs' }]);
    store.close();
    assert.equal(runCli(['retrieve', ccrKey(original), '--ccr-store', file, '--query', 'error']).stdout, '[{"id":1,"status":"error"}]');
    const run = runCli(['toin', '--json', '--ccr-store', file]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.deepEqual(JSON.parse(run.stdout).outputs[0].hints, [{ field: 'status', values: ['error'], count: 1, confidence: 0.25, used: false }]);
    const clear = runCli(['toin', '--clear', '--ccr-store', file]);
    assert.equal(clear.status, 0, clear.stderr);
    assert.match(clear.stdout, /^forgot 1 learned value /);
  });

  it('config: the resolved config on stdout', () => {
    const dir = tempFiles({ 'headroom.config.json': { audit: { top_offenders: 5 } } });
    const run = runCli(['config', '--json'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).config.audit.top_offenders, 5);
    assert.equal(run.stderr, '');
  });

  it('run: the mode from --mode; a bad mode is one line on stderr, exit 2', () => {
    const run = runCli(['run', '--mode', 'audit', '--json'], { input: REQUEST_TEXT });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).summary.requests, 1);
    assert.equal(run.stderr, '');
    const bad = runCli(['run', '--mode', 'shrink'], { input: REQUEST_TEXT });
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, '');
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  });

  it('--help and --version on stdout, exit 0; no command is usage on stderr, exit 2', () => {
    const help = runCli(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: headroom/);
    assert.equal(help.stderr, '');
    const version = runCli(['--version']);
    assert.equal(version.status, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    const none = runCli([]);
    assert.equal(none.status, 2);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /Usage: headroom/);
  });
});
