import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { allParts, at, collect, FIXTURES, only, partsOfKind } from './helpers.js';

function listFiles(directory: string, base = directory): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, base));
    else out.push(path.relative(base, full));
  }
  return out.sort();
}

describe('fixtures', () => {
  it('are exactly what fixtures/make-fixtures.mjs writes', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-fixtures-'));
    try {
      const run = spawnSync(process.execPath, [path.join(FIXTURES, 'make-fixtures.mjs'), out], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const generated = listFiles(out);
      const handWritten = new Set(['make-fixtures.mjs', 'README.md', '.gitattributes']);
      const committed = listFiles(FIXTURES).filter((file) => !handWritten.has(file));
      assert.deepEqual(generated, committed);
      for (const file of generated) {
        assert.ok(fs.readFileSync(path.join(out, file)).equals(fs.readFileSync(path.join(FIXTURES, file))), `${file} differs from the generator's output`);
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('sample/support-agent.jsonl (README quick start)', () => {
  const FILE = 'fixtures/sample/support-agent.jsonl';

  it('is five captured OpenAI calls of one growing conversation, each with usage', async () => {
    const { requests, problems } = await collect(FILE);
    assert.deepEqual(problems, []);
    assert.equal(requests.length, 5);
    for (const request of requests) {
      assert.equal(request.format, 'openai-chat');
      assert.equal(request.model, 'gpt-4o');
      assert.equal(request.tools.length, 4);
      assert.ok(request.usage && request.usage.input > 0 && request.usage.cacheRead === 0);
    }
    const sizes = requests.map((request) => request.messages.length);
    assert.deepEqual(sizes, [2, 5, 7, 9, 12]);
    const bytes = fs.statSync(path.join(FIXTURES, 'sample/support-agent.jsonl')).size;
    assert.ok(bytes > 20_000 && bytes < 45_000, `sample is ${bytes} bytes`);
  });

  it('has a timestamp in the system prompt that changes on every call', async () => {
    const { requests } = await collect(FILE);
    const stamps = requests.map((request) => /Current date and time: (\S+ \S+)/.exec(at(at(request.messages, 0).parts, 0).text)?.[1]);
    assert.equal(
      stamps.every((stamp) => stamp !== undefined),
      true,
    );
    assert.equal(new Set(stamps).size, 5);
  });

  it('carries the waste the audit should find', async () => {
    const { requests } = await collect(FILE);
    const last = at(requests, 4);
    const image = only(allParts(last).filter((part) => part.media));
    assert.equal(image.media?.type, 'image');
    assert.equal(image.media?.width, 16);
    assert.equal(image.media?.height, 12);
    const results = partsOfKind(last, 'tool_result');
    const byTool = (name: string) => results.filter((result) => result.flags.toolName === name).map((result) => result.text);
    // Pretty-printed JSON.
    assert.match(only(byTool('get_order')), /^\{\n {2}"order_id"/);
    // An HTML page with scripts and styles.
    assert.match(only(byTool('get_tracking_page')), /^<!DOCTYPE html>[\s\S]*<script/);
    // The same policy file read twice, unchanged.
    const policies = byTool('read_file');
    assert.equal(policies.length, 2);
    assert.equal(policies[0], policies[1]);
    const reads = partsOfKind(last, 'tool_call').filter((call) => call.flags.toolName === 'read_file');
    assert.equal(reads.length, 2);
    assert.equal(at(reads, 0).flags.callKey, at(reads, 1).flags.callKey);
    assert.equal(at(reads, 0).flags.filePath, 'policies/returns.md');
    // A base64 PNG inside a JSON tool output.
    assert.match(only(byTool('create_shipment')), /"label_png_base64": "iVBORw0KGgo[A-Za-z0-9+/]{200,}={0,2}"/);
  });
});
