/**
 * Colour follows the usual conventions, in the same way for every command and
 * for stdout and stderr: --color/--no-color (last wins), then NO_COLOR, then
 * FORCE_COLOR, then TERM=dumb, then "only on a terminal".
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { styleFor } from '../../src/cli/style.js';
import { CHAT_REQUEST } from './helpers.js';
import { runMain, type MainOptions } from './run-main.js';

const ESC = /\u001b\[/;
const SAMPLE = 'fixtures/sample/support-agent.jsonl';
const TTY = { columns: 100 };

interface Case {
  name: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  tty?: boolean;
  color: boolean;
}

const CASES: Case[] = [
  { name: 'a pipe: none', color: false },
  { name: 'a terminal: colour', tty: true, color: true },
  { name: 'FORCE_COLOR=1 into a pipe', env: { FORCE_COLOR: '1' }, color: true },
  { name: 'FORCE_COLOR=3 into a pipe', env: { FORCE_COLOR: '3' }, color: true },
  { name: 'FORCE_COLOR=true into a pipe', env: { FORCE_COLOR: 'true' }, color: true },
  { name: 'FORCE_COLOR empty into a pipe', env: { FORCE_COLOR: '' }, color: true },
  { name: 'FORCE_COLOR=0 on a terminal', env: { FORCE_COLOR: '0' }, tty: true, color: false },
  { name: 'FORCE_COLOR=false on a terminal', env: { FORCE_COLOR: 'false' }, tty: true, color: false },
  { name: 'TERM=dumb on a terminal', env: { TERM: 'dumb' }, tty: true, color: false },
  { name: 'TERM=dumb with FORCE_COLOR=1', env: { TERM: 'dumb', FORCE_COLOR: '1' }, color: true },
  { name: 'NO_COLOR=1 on a terminal', env: { NO_COLOR: '1' }, tty: true, color: false },
  { name: 'NO_COLOR empty on a terminal (ignored)', env: { NO_COLOR: '' }, tty: true, color: true },
  { name: 'NO_COLOR beats FORCE_COLOR', env: { NO_COLOR: '1', FORCE_COLOR: '1' }, color: false },
  { name: '--color into a pipe', args: ['--color'], color: true },
  { name: '--color beats NO_COLOR and TERM=dumb', args: ['--color'], env: { NO_COLOR: '1', TERM: 'dumb' }, color: true },
  { name: '--no-color on a terminal', args: ['--no-color'], tty: true, color: false },
  { name: '--no-color beats FORCE_COLOR', args: ['--no-color'], env: { FORCE_COLOR: '1' }, color: false },
  { name: '--color --no-color: the last wins', args: ['--color', '--no-color'], tty: true, color: false },
  { name: '--no-color --color: the last wins', args: ['--no-color', '--color'], color: true },
];

function options(testCase: Case, extra: MainOptions = {}): MainOptions {
  return { ...extra, env: testCase.env ?? {}, ...(testCase.tty ? { tty: TTY } : {}) };
}

describe('colour decision', () => {
  for (const testCase of CASES) {
    it(`${testCase.name}: ${testCase.color ? 'colour' : 'plain'} on audit stdout and stderr`, async () => {
      // A bad second line puts an error label on stderr.
      const input = `${JSON.stringify(CHAT_REQUEST)}\n{not json\n`;
      const run = await runMain(['audit', '-', ...(testCase.args ?? [])], options(testCase, { input }));
      assert.equal(run.status, 2, run.stderr);
      assert.equal(ESC.test(run.stdout), testCase.color, run.stdout);
      assert.equal(ESC.test(run.stderr), testCase.color, run.stderr);
    });
  }

  it('simulate (stdout) and optimize (its report on stderr) follow the same decision', async () => {
    for (const testCase of CASES) {
      const simulate = await runMain(['simulate', SAMPLE, ...(testCase.args ?? [])], options(testCase));
      assert.equal(simulate.status, 0, simulate.stderr);
      assert.equal(ESC.test(simulate.stdout), testCase.color, `simulate, ${testCase.name}`);
      const optimize = await runMain(['optimize', SAMPLE, ...(testCase.args ?? [])], options(testCase));
      assert.equal(optimize.status, 0, optimize.stderr);
      assert.equal(ESC.test(optimize.stderr), testCase.color, `optimize, ${testCase.name}`);
      assert.doesNotMatch(optimize.stdout, ESC, 'the optimized requests are never coloured');
    }
  });

  it('the colour level follows FORCE_COLOR', async () => {
    const pipe = new PassThrough() as unknown as NodeJS.WriteStream;
    assert.equal((await styleFor(pipe, undefined, { FORCE_COLOR: '2' })).chalk.level, 2);
    assert.equal((await styleFor(pipe, undefined, { FORCE_COLOR: '3' })).chalk.level, 3);
    assert.equal((await styleFor(pipe, undefined, { FORCE_COLOR: '7' })).chalk.level, 3);
    assert.equal((await styleFor(pipe, undefined, { FORCE_COLOR: '1' })).chalk.level, 1);
    assert.equal((await styleFor(pipe, undefined, {})).chalk.level, 0);
    assert.equal((await styleFor(pipe, true, {})).chalk.level, 1);
  });
});
