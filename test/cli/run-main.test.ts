import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHAT_REQUEST } from './helpers.js';
import { runMain } from './run-main.js';

describe('runMain (the CLI in-process)', () => {
  it('audits stdin and reports the version', async () => {
    const run = await runMain(['audit', '--json'], { input: JSON.stringify(CHAT_REQUEST) });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).summary.requests, 1);
    const version = await runMain(['--version']);
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
  });
});
