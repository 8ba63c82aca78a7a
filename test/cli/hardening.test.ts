/**
 * Regression tests for the CLI side of issue 8: no lost files (`-o` onto an
 * input, a walk that reads its own output), bytes kept, and "nothing found"
 * is a failure.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RequestAnalyzer } from '../../src/analysis/request-analysis.js';
import { OutputFile } from '../../src/cli/output-file.js';
import type { InputProblem } from '../../src/input/problems.js';
import { runAudit } from '../../src/pipeline/audit.js';
import { runOptimize } from '../../src/pipeline/optimize.js';
import { memoryStore, runOptions } from '../pipeline/helpers.js';
import { CHAT_REQUEST, tempFiles } from './helpers.js';
import { runMain } from './run-main.js';

const REQUEST = JSON.stringify(CHAT_REQUEST, null, 2);

describe('optimize -o never loses a file (items 1, 2)', () => {
  it('refuses an output path that is also an input, leaving the input as it was', async () => {
    const dir = tempFiles({ 'request.json': REQUEST });
    const run = await runMain(['optimize', 'request.json', '-o', 'request.json'], { cwd: dir });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /the output file is also an input/);
    assert.equal(fs.readFileSync(path.join(dir, 'request.json'), 'utf8'), REQUEST);
  });

  it('refuses it when it is the same file under another name', async () => {
    const dir = tempFiles({ 'request.json': REQUEST });
    fs.symlinkSync(path.join(dir, 'request.json'), path.join(dir, 'link.json'));
    const run = await runMain(['optimize', 'link.json', '-o', './request.json'], { cwd: dir });
    assert.equal(run.status, 2);
    assert.equal(fs.readFileSync(path.join(dir, 'request.json'), 'utf8'), REQUEST);
  });

  it('never reads its own output when it writes into the directory it walks', async () => {
    const dir = tempFiles({ 'logs/a.json': REQUEST, 'logs/b.json': REQUEST });
    const first = await runMain(['optimize', 'logs', '-o', 'logs/out.jsonl', '--report', 'none'], { cwd: dir });
    assert.equal(first.status, 0, first.stderr);
    const once = fs.readFileSync(path.join(dir, 'logs/out.jsonl'), 'utf8');
    assert.equal(once.trim().split('\n').length, 2);
    // The second run finds last run's output in the walk: it is skipped, not read.
    const second = await runMain(['optimize', 'logs', '-o', 'logs/out.jsonl', '--report', 'none'], { cwd: dir });
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /out\.jsonl: skipped: it is the output file/);
    assert.equal(fs.readFileSync(path.join(dir, 'logs/out.jsonl'), 'utf8'), once);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'logs')).sort(), ['a.json', 'b.json', 'out.jsonl']);
  });

  it('writes through a temporary file: the target changes only on commit, and an aborted run leaves it as it was', () => {
    const dir = tempFiles({ 'out.jsonl': 'previous\n' });
    const target = path.join(dir, 'out.jsonl');
    const aborted = OutputFile.open(target);
    aborted.write('partial');
    assert.equal(fs.readFileSync(target, 'utf8'), 'previous\n');
    aborted.abort();
    assert.equal(fs.readFileSync(target, 'utf8'), 'previous\n');
    assert.deepEqual(fs.readdirSync(dir), ['out.jsonl']);
    const committed = OutputFile.open(target);
    committed.write('complete\n');
    committed.commit();
    assert.equal(fs.readFileSync(target, 'utf8'), 'complete\n');
    assert.deepEqual(fs.readdirSync(dir), ['out.jsonl']);
  });

  it('replaces the file a link points to, keeping the link, and writes a pipe or device directly', () => {
    const dir = tempFiles({ 'real.jsonl': 'previous\n' });
    fs.symlinkSync(path.join(dir, 'real.jsonl'), path.join(dir, 'link.jsonl'));
    const linked = OutputFile.open(path.join(dir, 'link.jsonl'));
    linked.write('new\n');
    linked.commit();
    assert.equal(fs.lstatSync(path.join(dir, 'link.jsonl')).isSymbolicLink(), true);
    assert.equal(fs.readFileSync(path.join(dir, 'real.jsonl'), 'utf8'), 'new\n');
    const device = OutputFile.open('/dev/null');
    assert.deepEqual(device.paths, ['/dev/null']);
    device.write('discarded');
    device.commit();
    assert.equal(fs.statSync('/dev/null').isCharacterDevice(), true);
  });
});

describe('bytes the README promises to keep (item 12)', () => {
  it('keeps invalid UTF-8 in untouched records and a leading byte-order mark', async () => {
    const good = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'caf\u00e9' }] });
    const invalid = Buffer.concat([Buffer.from('{"model":"gpt-4o","messages":[{"role":"user","content":"bad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}]}')]);
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${good}\n`), invalid, Buffer.from('\n')]);
    const chunks: Buffer[] = [];
    const run = await runOptimize({
      ...runOptions({}, memoryStore()),
      paths: [],
      cwd: process.cwd(),
      stdin: [input],
      write: (chunk) => chunks.push(Buffer.from(chunk)),
    });
    assert.equal(run.requests, 2);
    assert.deepEqual(Buffer.concat(chunks), input);
  });

  it('keeps them through the CLI into a file', async () => {
    const invalid = Buffer.concat([Buffer.from('\ufeff{"model":"gpt-4o","messages":[{"role":"user","content":"bad '), Buffer.from([0xc0, 0xaf]), Buffer.from('"}]}')]);
    const dir = tempFiles({});
    fs.writeFileSync(path.join(dir, 'in.json'), invalid);
    const run = await runMain(['optimize', 'in.json', '-o', 'out.json', '--report', 'none'], { cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'out.json')), invalid);
  });
});

describe('nothing found is a failure (item 14)', () => {
  it('exits 2 when every file of a directory was skipped, counting them', async () => {
    const dir = tempFiles({ 'prompts/a.json': { name: 'not a conversation' }, 'prompts/b.json': { version: 2 } });
    const run = await runMain(['audit', 'prompts', '--budget', '1000'], { cwd: dir });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /nothing to audit: no requests in 2 files \(2 skipped: not a conversation/);
  });

  it('exits 2 for an empty directory too, and for optimize and simulate', async () => {
    const dir = tempFiles({ 'empty/.keep': '' });
    assert.equal((await runMain(['audit', 'empty'], { cwd: dir })).status, 2);
    const skipped = tempFiles({ 'prompts/a.json': { name: 'not a conversation' } });
    for (const command of ['optimize', 'simulate']) {
      const run = await runMain([command, 'prompts'], { cwd: skipped });
      assert.equal(run.status, 2, command);
      assert.match(run.stderr, new RegExp(`nothing to ${command}: no requests in 1 file`));
    }
  });
});

describe('a failure of ours on one request costs only that request', () => {
  /** Makes analysis throw on the request read from line 2, as a defect would. */
  async function withFailingLine2<T>(run: () => Promise<T>): Promise<T> {
    const original = RequestAnalyzer.prototype.analyze;
    RequestAnalyzer.prototype.analyze = function (this: RequestAnalyzer, request) {
      if (request.origin.line === 2) throw new Error('simulated defect');
      return original.call(this, request);
    };
    try {
      return await run();
    } finally {
      RequestAnalyzer.prototype.analyze = original;
    }
  }
  const lines = [1, 2, 3].map((n) => JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: `question ${n}` }] })).join('\n') + '\n';

  it('audit reports the others and names the failed request', async () => {
    const problems: InputProblem[] = [];
    const result = await withFailingLine2(() => runAudit({ paths: [], cwd: process.cwd(), stdin: [lines], onProblem: (problem) => problems.push(problem) }));
    assert.equal(result.summary.requests, 2);
    assert.equal(result.errors, 1);
    assert.equal(problems[0]?.line, 2);
    assert.match(problems[0]?.message ?? '', /internal error on this request.*simulated defect/);
  });

  it('optimize writes every line, the failed one as it was read', async () => {
    let output = '';
    const run = await withFailingLine2(() =>
      runOptimize({ ...runOptions({}, memoryStore()), paths: [], cwd: process.cwd(), stdin: [lines], write: (chunk) => (output += String(chunk)) }),
    );
    assert.equal(run.requests, 2);
    assert.equal(run.errors, 1);
    assert.equal(output, lines);
  });
});
