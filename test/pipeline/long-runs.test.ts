/**
 * No detector, compressor or counter may blow the stack or go quadratic on a
 * long run of one character class (a data URI, base64 of a PDF, a separator
 * line, CJK text without spaces). A 7 MB base64 run once aborted the whole
 * audit with "Maximum call stack size exceeded" from a backtracking regex.
 *
 * Each class is fed as a 10 MB tool output through audit and optimize, in
 * process; the run's pattern within its class is generated (fast-check), so
 * different alphabets and periods are covered over time.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runAudit } from '../../src/pipeline/audit.js';
import { jsonCompaction } from '../../src/transforms/json-compaction.js';
import { runMain } from '../cli/run-main.js';
import { keepFirstLine, optimizeText } from './helpers.js';

const RUN_CHARS = 10 * 1024 * 1024;

interface CharClass {
  name: string;
  /** The characters a run of this class is made of. */
  alphabet: readonly string[];
  /** Text put before the run (a data URI's header). */
  prefix?: string;
}

const CLASSES: readonly CharClass[] = [
  { name: 'letters', alphabet: [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'] },
  { name: 'digits', alphabet: [...'0123456789'] },
  { name: 'base64 alphabet', alphabet: [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='] },
  { name: 'spaces', alphabet: [' ', '\t'] },
  { name: 'newlines', alphabet: ['\n', '\r\n'] },
  { name: 'punctuation', alphabet: [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'] },
  // Characters the tokenizer's pre-tokenizer joins into one piece although
  // they alternate between ASCII and non-ASCII (accented letters, Latin and
  // CJK letters, ASCII and Unicode punctuation).
  { name: 'one mixed pre-tokenizer piece', alphabet: ['a\u0301', 'e\u0308', 'o', 'ü', 'b的', 'c一', '!—', '?…', '.«'] },
  { name: 'CJK', alphabet: [...'的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年'] },
  { name: 'emoji', alphabet: ['😀', '🚀', '👍🏽', '🇩🇪', '𝔘', '😶‍🌫️'] },
  {
    name: 'data URI',
    alphabet: [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'],
    prefix: 'data:application/pdf;base64,',
  },
];

/**
 * A pattern of 1–64 characters of the class. The arbitrary is the pattern,
 * not the 10 MB run, so a counterexample prints short.
 */
function patternArb(charClass: CharClass): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...charClass.alphabet), { minLength: 1, maxLength: 64 }).map((chars) => chars.join(''));
}

function longRun(charClass: CharClass, pattern: string): string {
  return (charClass.prefix ?? '') + pattern.repeat(Math.ceil(RUN_CHARS / pattern.length));
}

/** An OpenAI chat body whose one tool output is `output`. */
function bodyWithToolOutput(output: string): string {
  return JSON.stringify({
    model: 'gpt-4o',
    messages: [
      { role: 'user', content: 'Read the attachment.' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.pdf"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: output },
    ],
  });
}

describe('10 MB single-class runs through audit and optimize', () => {
  for (const charClass of CLASSES) {
    it(`${charClass.name}: no throw, one request reported`, async () => {
      await fc.assert(
        fc.asyncProperty(patternArb(charClass), async (pattern) => {
          const body = bodyWithToolOutput(longRun(charClass, pattern));
          const audit = await runAudit({ paths: [], cwd: process.cwd(), stdin: [body] });
          assert.equal(audit.errors, 0);
          assert.equal(audit.summary.requests, 1);
          assert.ok(audit.summary.tokens.total > 0);

          const optimized = await optimizeText(body, { transforms: [jsonCompaction, keepFirstLine] });
          assert.deepEqual(optimized.problems, []);
          assert.equal(optimized.results.length, 1);
          assert.ok(optimized.output.length > 0);
          assert.ok(optimized.run.tokensAfter <= optimized.run.tokensBefore);
        }),
        { numRuns: 1 },
      );
    });
  }
});

describe('a 10 MB data URI in one file of a directory', () => {
  it('audit, optimize and simulate report both files and exit 0', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-long-run-'));
    const pdf = Buffer.alloc(7_500_000, 'headroom PDF bytes \u0000\u00ff').toString('base64');
    fs.writeFileSync(path.join(dir, 'attachment.json'), bodyWithToolOutput(`data:application/pdf;base64,${pdf}`));
    fs.writeFileSync(path.join(dir, 'normal.json'), bodyWithToolOutput(JSON.stringify({ rows: [1, 2, 3] }, null, 2)));
    const env = { HEADROOM_CCR_STORE: ':memory:' };

    for (const command of ['audit', 'simulate']) {
      const run = await runMain([command, dir, '--json'], { env });
      assert.equal(run.status, 0, `${command}: ${run.stderr}`);
      for (const name of ['attachment.json', 'normal.json']) assert.ok(run.stdout.includes(name), `${command} reports ${name}`);
    }
    const optimized = await runMain(['optimize', dir], { env });
    assert.equal(optimized.status, 0, optimized.stderr);
    assert.match(optimized.stderr, /optimize: 2 requests/);
    const bodies = optimized.stdout.split('\n').filter((line) => line.trim() !== '');
    assert.equal(bodies.length, 2);
  });
});
