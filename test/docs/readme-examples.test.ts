/**
 * The README's library examples are the files under examples/: this checks
 * each README copy matches its file, and runs every example (compiled with
 * the tests, importing the built package as `headroom`) on a small input.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');
const COMPILED = path.resolve(HERE, '../../examples');
const EXAMPLES = readdirSync(path.join(ROOT, 'examples'))
  .filter((name) => name.endsWith('.ts'))
  .sort();

/** The ```ts block after each `<!-- examples/NAME … -->` line of the README. */
function readmeCopies(): Map<string, string> {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const copies = new Map<string, string>();
  for (const match of readme.matchAll(/^<!-- examples\/([\w.-]+)[^\n]*-->\n```ts\n([\s\S]*?)^```$/gm)) copies.set(match[1]!, match[2]!);
  return copies;
}

describe('README library examples', () => {
  it('every example is in the README, and each README copy is its file byte for byte', () => {
    const copies = readmeCopies();
    assert.deepEqual([...copies.keys()].sort(), EXAMPLES);
    for (const name of EXAMPLES) assert.equal(copies.get(name), readFileSync(path.join(ROOT, 'examples', name), 'utf8'), name);
  });

  describe('each example runs', () => {
    const cwd = process.cwd();
    const log = console.log;
    const error = console.error;
    let printed: string[] = [];
    const dir = mkdtempSync(path.join(tmpdir(), 'headroom-examples-'));

    before(() => {
      mkdirSync(path.join(dir, 'requests'));
      const rows = JSON.stringify(
        Array.from({ length: 20 }, (_, i) => ({ id: i, status: 'open', customer: `Customer ${i}` })),
        null,
        2,
      );
      const request = {
        model: 'gpt-4o',
        messages: [
          { role: 'user', content: 'Which invoices are open?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'list', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'c1', content: rows },
        ],
      };
      writeFileSync(path.join(dir, 'requests', 'one.json'), JSON.stringify(request));
      process.chdir(dir);
      console.log = (...args: unknown[]) => printed.push(args.map(String).join(' '));
      console.error = (...args: unknown[]) => printed.push(`error: ${args.map(String).join(' ')}`);
    });
    after(() => {
      process.chdir(cwd);
      console.log = log;
      console.error = error;
    });

    const expected: Record<string, RegExp[]> = {
      'audit-request.ts': [/^openai-chat \d+ tokens, \d+ of them waste$/],
      'optimize-request.ts': [
        /^\d+ → \d+ json_compaction:json-compact,json_table:lossless:table \d+%$/,
        // The cache optimizer runs (prefix_stabilization for gpt-4o; the request is under OpenAI's 1,024-token minimum).
        /^prefix_stabilization \d+$/,
        /^true 0 originals stored$/,
        /^<request>:1: JSON document ends early/,
      ],
      'simulate-request.ts': [/^[1-9]\d* tokens saved, (\$[\d.]+ per request|unpriced)$/],
      'run-paths.ts': [/^requests\/one\.json(:1)? \d+$/, /^1 requests, [1-9]\d* waste tokens$/, /^\d+ → \d+ tokens$/],
    };
    for (const name of EXAMPLES) {
      it(name, async () => {
        printed = [];
        await import(pathToFileURL(path.join(COMPILED, name.replace(/\.ts$/, '.js'))).href);
        const patterns = expected[name];
        assert.ok(patterns, `no expected output for ${name}`);
        assert.equal(printed.length, patterns.length, printed.join('\n'));
        patterns.forEach((pattern, index) => assert.match(printed[index] ?? '', pattern));
      });
    }
  });
});
