import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { classifyContent, CONTENT_KINDS, type ContentClass, type ContentKind } from '../../src/analysis/content-kind.js';
import { ContentClassifier } from '../../src/analysis/content/classifier.js';
import type { RequestReport } from '../../src/analysis/report-types.js';
import { runAudit } from '../../src/pipeline/audit.js';
import { FIXTURES } from '../formats/helpers.js';
import { runMain } from '../cli/run-main.js';

const TOOL_OUTPUTS = path.join(FIXTURES, 'tool-outputs');
const read = (name: string): string => fs.readFileSync(path.join(TOOL_OUTPUTS, name), 'utf8');

/** Every hand-written tool output and the class it must get. */
const EXPECTED: Record<string, { kind: ContentKind; language?: string }> = {
  'orders-json.txt': { kind: 'json-array' },
  'inventory-item-json.txt': { kind: 'json-object' },
  'npm-test.log': { kind: 'build-log' },
  'go-test.log': { kind: 'build-log' },
  'ci-failed.log': { kind: 'build-log' },
  'app.log': { kind: 'app-log' },
  'app-log-jsonl.txt': { kind: 'app-log' },
  'grep-rn.txt': { kind: 'search' },
  'rg-context.txt': { kind: 'search' },
  'rg-json.txt': { kind: 'search' },
  'git-diff.diff': { kind: 'diff' },
  'quotes.py': { kind: 'code', language: 'python' },
  'read-numbered.txt': { kind: 'code', language: 'typescript' },
  'page.html': { kind: 'html' },
  'psql.txt': { kind: 'table' },
  'kubectl-get-pods.txt': { kind: 'table' },
  'returns-policy.md': { kind: 'prose' },
};

function assertValid(result: ContentClass): void {
  assert.ok(CONTENT_KINDS.includes(result.kind), result.kind);
  assert.ok(result.confidence >= 0 && result.confidence <= 1, String(result.confidence));
  if (result.language !== undefined) assert.equal(result.kind, 'code');
}

const ansi = (line: string, color: number): string => (line.length === 0 ? line : `\x1b[${color}m${line}\x1b[0m`);
const colored = (text: string): string =>
  text
    .split('\n')
    .map((line, i) => ansi(line, 31 + (i % 6)))
    .join('\n');
const crlf = (text: string): string => text.replace(/\n/g, '\r\n');

describe('content classifier: fixtures/tool-outputs', () => {
  it('has an expectation for every file, and every kind but unknown is covered', () => {
    assert.deepEqual(fs.readdirSync(TOOL_OUTPUTS).sort(), Object.keys(EXPECTED).sort());
    const covered = new Set(Object.values(EXPECTED).map((expected) => expected.kind));
    assert.deepEqual(
      CONTENT_KINDS.filter((kind) => !covered.has(kind)),
      ['unknown'],
    );
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file} → ${expected.kind}${expected.language ? ` (${expected.language})` : ''}`, () => {
      const result = classifyContent(read(file));
      assert.equal(result.kind, expected.kind, JSON.stringify(result));
      assert.equal(result.language, expected.language);
      assert.ok(result.confidence >= 0.5, JSON.stringify(result));
    });
  }

  it('keeps every kind with CRLF line endings and with ANSI colour codes on every line', () => {
    for (const file of Object.keys(EXPECTED)) {
      const text = read(file);
      const plain = classifyContent(text);
      assert.deepEqual(classifyContent(crlf(text)), plain, `${file} with CRLF`);
      assert.deepEqual(classifyContent(colored(text)), plain, `${file} coloured`);
    }
  });
});

describe('content classifier: adversarial inputs', () => {
  it('calls empty and whitespace-only text unknown with no confidence', () => {
    for (const text of ['', '   ', '\n\n\t  \r\n']) assert.deepEqual(classifyContent(text), { kind: 'unknown', confidence: 0 });
  });

  it('reads a JSON value whole, even with a stack trace inside a string', () => {
    const trace = 'Traceback (most recent call last):\n  File "quotes.py", line 14, in quote_express\nValueError: no carrier for zone AK';
    assert.equal(classifyContent(JSON.stringify({ error: trace, order: 'A-20419' }, null, 2)).kind, 'json-object');
    assert.equal(classifyContent('[]').kind, 'json-array');
    assert.equal(classifyContent(`\x1b[1;33m${JSON.stringify([{ id: 1 }])}\x1b[0m`).kind, 'json-array');
  });

  it('calls a log with one JSON line in it an app log', () => {
    const log = `${read('app.log')}{"time":"2026-11-20T10:00:04Z","level":"warn","msg":"slow query"}\n`;
    assert.equal(classifyContent(log).kind, 'app-log');
  });

  it('calls a stream of JSON log lines an app log, and records one per line a json-array of lower confidence', () => {
    const events = Array.from({ length: 20 }, (_, i) => JSON.stringify({ ts: 1763632800 + i, level: i % 7 ? 'info' : 'error', msg: `order ${i}` })).join('\n');
    assert.equal(classifyContent(events).kind, 'app-log');
    const records = Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: i, sku: `SKU-${i}` })).join('\n');
    const result = classifyContent(records);
    assert.equal(result.kind, 'json-array');
    assert.ok(result.confidence < 1);
  });

  it('picks the dominant kind of mixed content, with a lower confidence', () => {
    const prose = read('returns-policy.md');
    const diff = read('git-diff.diff');
    const pureProse = classifyContent(prose);
    const proseWithDiff = classifyContent(`${prose}\nThe fix:\n\n${diff.split('\n').slice(4, 8).join('\n')}\n\n${prose}`);
    assert.equal(proseWithDiff.kind, 'prose');
    assert.ok(proseWithDiff.confidence < pureProse.confidence, `${proseWithDiff.confidence} < ${pureProse.confidence}`);
    const diffWithNote = classifyContent(`Here is the change:\n\n${diff}`);
    assert.equal(diffWithNote.kind, 'diff');
    assert.ok(diffWithNote.confidence < 1);
  });

  it('reads level words after a short label, and bare pytest results, as log lines; prose that mentions errors stays prose', () => {
    const labelled = [...Array.from({ length: 40 }, (_, i) => `line ${i}: INFO processing request`), 'ERROR something broke at step 42'].join('\n');
    assert.ok(['build-log', 'app-log'].includes(classifyContent(labelled).kind), JSON.stringify(classifyContent(labelled)));
    const threads = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? `[worker-${i}] WARN queue is slow` : `api | INFO served ${i}`)).join('\n');
    assert.ok(['build-log', 'app-log'].includes(classifyContent(threads).kind), JSON.stringify(classifyContent(threads)));
    assert.ok(['build-log', 'app-log'].includes(classifyContent('PASSED test_foo\nPASSED test_bar\nFAILED test_baz\nassert 1 == 2').kind));
    const prose = Array.from({ length: 8 }, (_, i) => `Note ${i}: an ERROR here means the request failed, and the client retries it later.`).join('\n');
    assert.equal(classifyContent(prose).kind, 'prose');
  });

  it('keeps a table whose cells read as sentences a table', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ` ${String(i).padEnd(3)}| The tent ships within two days of the order ${i} | arrives before the weekend trip `);
    const table = [' id | note                                             | eta', '----+--------------------------------------------------+-----', ...rows].join('\n');
    const result = classifyContent(table);
    assert.equal(result.kind, 'table');
    assert.ok(result.confidence >= 0.9, JSON.stringify(result));
  });

  it('classifies one line and a very long single line', () => {
    assert.equal(classifyContent('src/shipping/quotes.ts:41:export function quoteExpress() {').kind, 'search');
    const words = 'the tent ships in two days and arrives before the weekend trip '.repeat(20_000);
    assert.equal(classifyContent(words).kind, 'prose');
    const bigJson = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `item ${i}` })));
    assert.ok(bigJson.length > 500_000);
    assert.deepEqual(classifyContent(bigJson), { kind: 'json-array', confidence: 1 });
  });

  it('calls binary-looking text unknown', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const result = classifyContent(bytes.toString('latin1'));
    assert.equal(result.kind, 'unknown');
    assertValid(classifyContent(bytes.toString('utf8')));
  });

  it('tells languages apart from cheap signals', () => {
    const cases: Array<[string, string]> = [
      ['package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n', 'go'],
      ['use std::collections::HashMap;\n\npub struct Cart { items: Vec<u32> }\n\nfn main() {\n    let mut c = HashMap::new();\n}\n', 'rust'],
      ['package com.acme;\n\nimport java.util.List;\n\npublic class Cart {\n    @Override\n    public String toString() { return "cart"; }\n}\n', 'java'],
      ['interface Item { sku: string; qty: number }\nexport function total(items: Item[]): number {\n  return items.length;\n}\n', 'typescript'],
      ['const fs = require("fs");\nfunction load(path) {\n  return fs.readFileSync(path);\n}\nmodule.exports = { load };\n', 'javascript'],
      ['#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.log; do\n  echo "$f"\ndone\n', 'shell'],
      ['.cart {\n  display: flex;\n  margin-top: 4px;\n}\n\n@media (max-width: 600px) {\n  .cart { display: block; }\n}\n', 'css'],
      // A Go snippet without a package line: `if x {` blocks are not CSS rules.
      ['\tif len(files) > 0 {\n\t\ts.carry(files)\n\t}\n\tif err != nil {\n\t\treturn err\n\t}\n\tnames := s.names()\n', 'go'],
    ];
    for (const [source, language] of cases) assert.deepEqual(classifyContent(source), { ...classifyContent(source), kind: 'code', language }, source);
  });

  it('never throws and always answers a valid class, deterministically', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (text) => {
        const result = classifyContent(text);
        assertValid(result);
        assert.deepEqual(classifyContent(text), result);
      }),
      { numRuns: 300 },
    );
  });

  it('is invariant under CRLF and per-line ANSI colours (property)', () => {
    const texts = Object.keys(EXPECTED).map(read);
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.array(fc.constantFrom(0, 1, 31, 32, 33, 90), { minLength: 1, maxLength: 8 }), fc.boolean(), (text, colors, windows) => {
        const styled = text
          .split('\n')
          .map((line, i) => ansi(line, colors[i % colors.length]!))
          .join('\n');
        assert.deepEqual(classifyContent(windows ? crlf(styled) : styled), classifyContent(text));
      }),
      { numRuns: 200 },
    );
  });
});

describe('content classes in analysis and audit', () => {
  it('memoizes by content hash', () => {
    const classifier = new ContentClassifier();
    const first = classifier.classify(read('app.log'), 'h1');
    assert.equal(classifier.classify('something else entirely', 'h1'), first);
  });

  it('reports each tool output with its kind per request, and counts and tokens per kind in the summary', async () => {
    const call = (id: string, name: string) => ({ id, type: 'function', function: { name, arguments: '{}' } });
    const body = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Why did the shipping test fail?' },
        { role: 'assistant', content: null, tool_calls: [call('c1', 'run_tests'), call('c2', 'read_file'), call('c3', 'search')] },
        { role: 'tool', tool_call_id: 'c1', content: read('npm-test.log') },
        { role: 'tool', tool_call_id: 'c2', content: read('quotes.py') },
        { role: 'tool', tool_call_id: 'c3', content: read('grep-rn.txt') },
      ],
    };
    const requests: RequestReport[] = [];
    const result = await runAudit({ paths: [], cwd: process.cwd(), stdin: [Buffer.from(JSON.stringify(body))], budgetTokens: null, onRequest: (report) => requests.push(report) });
    const report = requests[0];
    assert.ok(report);
    assert.deepEqual(
      report.tool_outputs.map(({ block_index, message_index, tool, kind, language }) => ({ block_index, message_index, tool, kind, language })),
      [
        // Blocks 1–3 are the user message and the three tool calls.
        { block_index: 4, message_index: 2, tool: 'run_tests', kind: 'build-log', language: null },
        { block_index: 5, message_index: 3, tool: 'read_file', kind: 'code', language: 'python' },
        { block_index: 6, message_index: 4, tool: 'search', kind: 'search', language: null },
      ],
    );
    const byKind = result.summary.tool_outputs_by_kind;
    assert.deepEqual(Object.keys(byKind), [...CONTENT_KINDS]);
    assert.equal(byKind['build-log'].count, 1);
    assert.equal(byKind.code.count, 1);
    assert.equal(byKind.search.count, 1);
    const tokens = Object.values(byKind).reduce((sum, totals) => sum + totals.tokens, 0);
    assert.equal(tokens, result.summary.tokens.by_kind.tool_result);
  });

  it('gives the tool outputs of the fixture conversations the kinds they are', async () => {
    const kindsByTool = async (file: string): Promise<Record<string, string[]>> => {
      const found: Record<string, Set<string>> = {};
      await runAudit({
        paths: [path.join(FIXTURES, file)],
        cwd: process.cwd(),
        stdin: [],
        budgetTokens: null,
        onRequest: (report) => {
          for (const output of report.tool_outputs) (found[output.tool ?? '?'] ??= new Set()).add(output.language ? `${output.kind}/${output.language}` : output.kind);
        },
      });
      return Object.fromEntries(Object.entries(found).map(([tool, kinds]) => [tool, [...kinds].sort()]));
    };
    const sample = await kindsByTool('sample/support-agent.jsonl');
    assert.deepEqual(sample.get_order, ['json-object']);
    assert.deepEqual(sample.create_shipment, ['json-object']);
    assert.deepEqual(sample.get_tracking_page, ['html']);
    assert.deepEqual(sample.read_file, ['prose']);
    const session = await kindsByTool('claude-code/1d7e1675-f2b5-436f-8cd0-fc7d181f264c.jsonl');
    assert.deepEqual(session.Grep, ['search']);
    assert.deepEqual(session.Bash, ['build-log']);
    assert.deepEqual(session.Read, ['code/markdown', 'code/typescript']);
  });

  it('classifies the tool outputs of every fixture conversation, their tokens adding up to the tool results', async () => {
    const result = await runAudit({ paths: [FIXTURES], cwd: process.cwd(), stdin: [], budgetTokens: null, onRequest: () => {} });
    const byKind = result.summary.tool_outputs_by_kind;
    const count = Object.values(byKind).reduce((sum, totals) => sum + totals.count, 0);
    assert.ok(count > 30, `${count} tool outputs`);
    // Media tool results (images) are not classified, so the kinds cover at most the tool-result tokens.
    const tokens = Object.values(byKind).reduce((sum, totals) => sum + totals.tokens, 0);
    assert.ok(tokens > 0 && tokens <= result.summary.tokens.by_kind.tool_result);
    for (const kind of ['json-object', 'code', 'html', 'search', 'build-log'] as const) assert.ok(byKind[kind].count > 0, kind);
  });
});

describe('audit CLI: tool outputs by content kind', () => {
  const call = (id: string, name: string) => ({ id, type: 'function', function: { name, arguments: '{}' } });
  const request = JSON.stringify({
    model: 'gpt-4o',
    messages: [
      { role: 'user', content: 'What changed and did it break the build?' },
      { role: 'assistant', content: null, tool_calls: [call('c1', 'git_diff'), call('c2', 'run_tests')] },
      { role: 'tool', tool_call_id: 'c1', content: read('git-diff.diff') },
      { role: 'tool', tool_call_id: 'c2', content: read('go-test.log') },
    ],
  });

  it('adds a table of the kinds with how often each was sent and its tokens', async () => {
    const run = await runMain(['audit', '-'], { input: request });
    assert.equal(run.status, 0, run.stderr);
    const section = run.stdout.slice(run.stdout.indexOf('Tool outputs by content kind'));
    assert.match(section, /^content kind +sent +tokens +share$/m);
    assert.match(section, /^diff +1 +\d+ +\d+\.\d%$/m);
    assert.match(section, /^build-log +1 +\d+ +\d+\.\d%$/m);
    assert.doesNotMatch(section, /^prose /m);
  });

  it('gives each tool output its kind in --json --per-request', async () => {
    const run = await runMain(['audit', '--json', '--per-request', '-'], { input: request });
    assert.equal(run.status, 0, run.stderr);
    const output = JSON.parse(run.stdout) as { summary: { tool_outputs_by_kind: Record<string, { count: number }> }; requests: RequestReport[] };
    assert.deepEqual(
      output.requests[0]?.tool_outputs.map((entry) => [entry.tool, entry.kind]),
      [
        ['git_diff', 'diff'],
        ['run_tests', 'build-log'],
      ],
    );
    assert.equal(output.summary.tool_outputs_by_kind.diff?.count, 1);
  });

  it('shows no such table when no tool output has text', async () => {
    const run = await runMain(['audit', '-'], { input: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(run.status, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /Tool outputs by content kind/);
  });
});
