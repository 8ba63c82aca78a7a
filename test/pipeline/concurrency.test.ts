/**
 * Two optimize processes writing originals to one CCR store at the same time
 * lose nothing: every marker either process wrote retrieves its original.
 *
 * The children run the built library with a lossy test transform (the real
 * lossy compressors arrive in later issues), each on its own JSONL of
 * requests, released together.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findMarkers } from '../../src/ccr/markers.js';
import { SqliteCcrStore } from '../../src/ccr/sqlite-store.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const LIBRARY = pathToFileURL(path.join(ROOT, 'dist/index.js')).href;

const CHILD = `
import fs from 'node:fs';
import { runOptimize, SqliteCcrStore, findMarkers, CONTENT_KINDS } from ${JSON.stringify(LIBRARY)};
const [input, output, storePath, go] = process.argv.slice(2);
const keepFirstLine = {
  name: 'keep_first_line',
  lossless: false,
  accepts: CONTENT_KINDS,
  apply(block, context) {
    const newline = block.text.indexOf('\\n');
    if (!context.canOffload || newline < 0) return { decline: 'needs-offload' };
    const rest = block.text.slice(newline + 1);
    if (findMarkers(rest).length > 0) return { decline: 'already-marked' };
    const marker = context.offload({ original: rest, unit: 'lines', count: rest.split('\\n').length });
    return { text: block.text.slice(0, newline) + '\\n' + marker, label: 'first-line' };
  },
};
const store = new SqliteCcrStore(storePath, { ttlSeconds: 3600, maxEntries: 100000 });
while (!fs.existsSync(go)) await new Promise((resolve) => setTimeout(resolve, 5));
let written = '';
await runOptimize({
  paths: [input], cwd: process.cwd(), mode: 'optimize', transforms: [keepFirstLine], losslessOnly: false, diff: false,
  minTokensToCrush: 10, prefixFreeze: { enabled: false, minCachedTokens: 1024 },
  ccr: { enabled: true, injectMarkers: true, injectTool: true }, ccrStore: store,
  write: (text) => { written += text; },
});
store.close();
fs.writeFileSync(output, written);
`;

/** JSONL of requests whose tool outputs are distinct multi-line logs. */
function requests(worker: number, count: number): string {
  const lines: string[] = [];
  for (let request = 0; request < count; request++) {
    const log = Array.from({ length: 40 }, (_, line) => `worker ${worker} request ${request} line ${line}: compiled module ${line * 7}`).join('\n');
    lines.push(
      JSON.stringify({
        model: 'gpt-4o',
        messages: [
          { role: 'user', content: 'build it' },
          { role: 'assistant', content: null, tool_calls: [{ id: `c${request}`, type: 'function', function: { name: 'build', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: `c${request}`, content: log },
        ],
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('CCR store shared by concurrent optimize processes', () => {
  it('keeps every original both processes stored', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-concurrency-'));
    const script = path.join(dir, 'child.mjs');
    const storePath = path.join(dir, 'ccr.db');
    const go = path.join(dir, 'go');
    fs.writeFileSync(script, CHILD);
    const workers = [0, 1].map((worker) => {
      const input = path.join(dir, `in-${worker}.jsonl`);
      fs.writeFileSync(input, requests(worker, 150));
      const output = path.join(dir, `out-${worker}.jsonl`);
      const child = spawn(process.execPath, [script, input, output, storePath, go], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
      return { input, output, done };
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    fs.writeFileSync(go, '');
    for (const worker of workers) {
      const { code, stderr } = await worker.done;
      assert.equal(code, 0, stderr);
    }

    const store = new SqliteCcrStore(storePath, { ttlSeconds: 3600, maxEntries: 100000 });
    try {
      let markers = 0;
      for (const worker of workers) {
        const inputs = fs.readFileSync(worker.input, 'utf8').trim().split('\n');
        const outputs = fs.readFileSync(worker.output, 'utf8').trim().split('\n');
        assert.equal(outputs.length, inputs.length);
        outputs.forEach((line, index) => {
          const original: string = JSON.parse(inputs[index] as string).messages[2].content;
          const content: string = JSON.parse(line).messages[2].content;
          const [marker] = findMarkers(content);
          assert.ok(marker, 'each request got a marker');
          const lookup = store.get(marker.key);
          assert.equal(lookup.status, 'available');
          if (lookup.status === 'available') assert.equal(`${content.slice(0, content.indexOf('\n'))}\n${lookup.entry.original}`, original);
          markers++;
        });
      }
      assert.equal(markers, 300);
      assert.equal(store.size(), 300);
    } finally {
      store.close();
    }
  });
});
