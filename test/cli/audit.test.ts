import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CHAT_REQUEST, hasStackTrace, tempFiles } from './helpers.js';
import { runMain } from './run-main.js';

const SESSION = 'sess-1111';
/** A two-call Claude Code transcript; the second call's usage is streamed twice and the last copy wins. */
function claudeCodeTranscript(): string {
  const base = { sessionId: SESSION, isSidechain: false, cwd: '/repo', version: '2.0.0' };
  const lines = [
    { type: 'file-history-snapshot', messageId: 'm0', snapshot: {} },
    { ...base, type: 'user', uuid: 'u1', parentUuid: null, message: { role: 'user', content: 'Read src/app.ts please' } },
    {
      ...base,
      type: 'assistant',
      uuid: 'a1',
      parentUuid: 'u1',
      requestId: 'req_1',
      message: {
        id: 'msg_1',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/repo/src/app.ts' } }],
        usage: { input_tokens: 10, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 30 },
      },
    },
    {
      ...base,
      type: 'user',
      uuid: 'u2',
      parentUuid: 'a1',
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'export const answer = 42;\n' }] },
    },
    {
      ...base,
      type: 'assistant',
      uuid: 'a2',
      parentUuid: 'u2',
      requestId: 'req_2',
      message: {
        id: 'msg_2',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text: 'The file exports answer.' }],
        usage: { input_tokens: 5, cache_read_input_tokens: 1200, cache_creation_input_tokens: 0, output_tokens: 1 },
      },
    },
    {
      ...base,
      type: 'assistant',
      uuid: 'a3',
      parentUuid: 'a2',
      requestId: 'req_2',
      message: {
        id: 'msg_2',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text: ' It is 42.' }],
        usage: { input_tokens: 5, cache_read_input_tokens: 1200, cache_creation_input_tokens: 0, output_tokens: 12 },
      },
    },
  ];
  return `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
}

interface JsonAudit {
  schema: string;
  summary: {
    requests: number;
    tokenizer: { encodings: string[]; estimate: boolean };
    tokens: { total: number; by_kind: Record<string, number> };
    waste: Record<string, number>;
    usage: { input: number; cache_read: number; cache_write_5m: number; output: number; cache_read_share: number } | null;
    budget: { exceeded: number } | null;
    problems: { errors: number; notes: number };
  };
  requests?: Array<{ id: string; tokens: number }>;
  problems: Array<{ file: string; line?: number; message: string }>;
}

function parseJson(stdout: string): JsonAudit {
  return JSON.parse(stdout) as JsonAudit;
}

describe('headroom audit', () => {
  it('prints a table naming the tokenizer, without colors when not a terminal', async () => {
    const dir = tempFiles({ 'request.json': CHAT_REQUEST });
    const run = await runMain(['audit', path.join(dir, 'request.json')]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /tokenizer: o200k_base/);
    assert.match(run.stdout, /Tokens by kind/);
    assert.match(run.stdout, /tool result/);
    assert.doesNotMatch(run.stdout, /\u001b\[/);
    assert.equal(run.stderr, '');
  });

  it('--json gives one object with tokens by kind and waste', async () => {
    const dir = tempFiles({ 'request.json': CHAT_REQUEST });
    const run = await runMain(['audit', '--json', path.join(dir, 'request.json')]);
    assert.equal(run.status, 0, run.stderr);
    const output = parseJson(run.stdout);
    assert.equal(output.schema, 'headroom.audit/1');
    assert.equal(output.summary.requests, 1);
    assert.deepEqual(output.summary.tokenizer, { encodings: ['o200k_base'], estimate: false });
    assert.ok((output.summary.tokens.by_kind['tool_result'] ?? 0) > 0);
    assert.ok((output.summary.tokens.by_kind['tool_definitions'] ?? 0) > 0);
    assert.ok((output.summary.waste['json_bloat'] ?? 0) > 0, 'the 4-space-indented tool output is bloated JSON');
    assert.equal(output.requests, undefined);
  });

  it('--ndjson streams one object per request and then the summary', async () => {
    const lines = [CHAT_REQUEST, { ...CHAT_REQUEST, model: 'gpt-4' }].map((body) => JSON.stringify(body)).join('\n');
    const dir = tempFiles({ 'log.jsonl': `${lines}\n` });
    const run = await runMain(['audit', '--ndjson', path.join(dir, 'log.jsonl')]);
    assert.equal(run.status, 0, run.stderr);
    const objects = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; tokenizer?: { encoding: string }; where?: { line: number } });
    assert.deepEqual(
      objects.map((object) => object.type),
      ['request', 'request', 'summary'],
    );
    assert.equal(objects[0]?.tokenizer?.encoding, 'o200k_base');
    assert.equal(objects[1]?.tokenizer?.encoding, 'cl100k_base');
    assert.equal(objects[1]?.where?.line, 2);
  });

  it('reads a pipe on stdin, with or without "-"', async () => {
    for (const args of [
      ['audit', '--json'],
      ['audit', '--json', '-'],
    ]) {
      const run = await runMain(args, { input: JSON.stringify(CHAT_REQUEST) });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(parseJson(run.stdout).summary.requests, 1);
    }
  });

  it('--per-request adds a row per request', async () => {
    const dir = tempFiles({ 'log.jsonl': `${JSON.stringify(CHAT_REQUEST)}\n${JSON.stringify(CHAT_REQUEST)}\n` });
    const table = await runMain(['audit', '--per-request', path.join(dir, 'log.jsonl')]);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /log\.jsonl:1/);
    assert.match(table.stdout, /log\.jsonl:2/);
    const json = parseJson((await runMain(['audit', '--json', '--per-request', path.join(dir, 'log.jsonl')])).stdout);
    assert.equal(json.requests?.length, 2);
  });

  it('--budget exits 1 when a request exceeds it and 0 when none does', async () => {
    const dir = tempFiles({ 'request.json': CHAT_REQUEST });
    const file = path.join(dir, 'request.json');
    const over = await runMain(['audit', '--budget', '20', file]);
    assert.equal(over.status, 1);
    assert.match(over.stdout, /1 request\(s\) over 20 tokens/);
    const within = await runMain(['audit', '--json', '--budget', '100000', file]);
    assert.equal(within.status, 0);
    assert.equal(parseJson(within.stdout).summary.budget?.exceeded, 0);
  });

  it('takes the budget from the config file and the environment', async () => {
    const dir = tempFiles({ 'request.json': CHAT_REQUEST, 'headroom.config.json': { audit: { budget_tokens: 20 } } });
    assert.equal((await runMain(['audit', 'request.json'], { cwd: dir })).status, 1);
    assert.equal((await runMain(['audit', 'request.json'], { cwd: dir, env: { HEADROOM_AUDIT_BUDGET_TOKENS: '100000' } })).status, 0);
  });

  it('rejects a bad --budget, --format or option with one line and exit 2', async () => {
    const dir = tempFiles({ 'request.json': CHAT_REQUEST });
    for (const args of [
      ['audit', '--budget', 'lots', 'request.json'],
      ['audit', '--format', 'yaml', 'request.json'],
      ['audit', '--json', '--ndjson', 'request.json'],
    ]) {
      const run = await runMain(args, { cwd: dir });
      assert.equal(run.status, 2, args.join(' '));
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.equal(run.stdout, '');
    }
    const unknown = await runMain(['audit', '--frobnicate'], { cwd: dir });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown option/);
  });

  it('reports real usage from a Claude Code transcript, de-duplicating streamed entries', async () => {
    const dir = tempFiles({ 'session.jsonl': claudeCodeTranscript() });
    const run = await runMain(['audit', '--json', path.join(dir, 'session.jsonl')]);
    assert.equal(run.status, 0, run.stderr);
    const { summary } = parseJson(run.stdout);
    assert.equal(summary.requests, 2);
    assert.equal(summary.tokenizer.estimate, true);
    assert.deepEqual(
      { input: summary.usage?.input, cache_read: summary.usage?.cache_read, cache_write_5m: summary.usage?.cache_write_5m, output: summary.usage?.output },
      { input: 15, cache_read: 2200, cache_write_5m: 200, output: 42 },
    );
    assert.equal(summary.usage?.cache_read_share, Math.round((2200 / 2415) * 10_000) / 10_000);
    assert.match((await runMain(['audit', path.join(dir, 'session.jsonl')])).stdout, /Recorded usage \(2 requests/);
  });
});

describe('headroom audit on bad input', () => {
  it('names a missing path in one line, exit 2, no stack trace', async () => {
    const run = await runMain(['audit', 'no/such/file.jsonl']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /no\/such\/file\.jsonl: no such file or directory/);
    assert.equal(hasStackTrace(run.stderr), false);
  });

  it('reports a malformed line by file:line and still audits the rest', async () => {
    const good = JSON.stringify(CHAT_REQUEST);
    const dir = tempFiles({ 'log.jsonl': `${good}\n{"model": "gpt-4o", "messages": [\n${good}\n` });
    const run = await runMain(['audit', '--json', 'log.jsonl'], { cwd: dir });
    assert.equal(run.status, 2);
    const errors = run.stderr.trim().split('\n');
    assert.equal(errors.length, 1, run.stderr);
    assert.match(errors[0] ?? '', /^error: log\.jsonl:2: /);
    const output = parseJson(run.stdout);
    assert.equal(output.summary.requests, 2);
    assert.equal(output.summary.problems.errors, 1);
    assert.equal(output.problems[0]?.line, 2);
  });

  it('--strict stops at the first error', async () => {
    const good = JSON.stringify(CHAT_REQUEST);
    const dir = tempFiles({ 'log.jsonl': `${good}\nnot json\n${good}\nalso not json\n${good}\n` });
    const run = await runMain(['audit', '--strict', '--json', 'log.jsonl'], { cwd: dir });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /log\.jsonl:2/);
    assert.doesNotMatch(run.stderr, /log\.jsonl:4/);
    assert.match(run.stderr, /--strict/);
    assert.equal(parseJson(run.stdout).summary.requests, 1);
  });

  it('names binary, empty and unknown-shape files and audits the good one', async () => {
    const dir = tempFiles({
      'good.json': CHAT_REQUEST,
      'empty.json': '',
      'unknown.json': { hello: 'world', count: 3 },
      'image.json': '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\u0000\u0000',
    });
    const run = await runMain(['audit', '--json', 'good.json', 'empty.json', 'unknown.json', 'image.json'], { cwd: dir });
    assert.equal(run.status, 2);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 3, run.stderr);
    assert.ok(lines.some((line) => line.startsWith('error: empty.json')));
    assert.ok(lines.some((line) => line.startsWith('error: unknown.json')));
    assert.ok(lines.some((line) => line.startsWith('error: image.json')));
    assert.equal(parseJson(run.stdout).summary.requests, 1);
    assert.equal(hasStackTrace(run.stderr), false);
  });

  it('says so when a directory has nothing readable', async () => {
    const dir = tempFiles({ 'notes/readme.txt': 'nothing here' });
    const run = await runMain(['audit', 'notes'], { cwd: dir });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /notes: directory has no \.json, \.jsonl or \.ndjson files/);
  });
});

describe('headroom (program)', () => {
  it('prints help and exits 2 without a command', async () => {
    const run = await runMain([]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /Usage: headroom/);
  });

  it('prints its version', async () => {
    const run = await runMain(['--version']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^\d+\.\d+\.\d+/);
  });

  it('documents audit in --help', async () => {
    const run = await runMain(['audit', '--help']);
    assert.equal(run.status, 0);
    for (const flag of ['--json', '--ndjson', '--per-request', '--budget', '--format', '--strict', '--no-color', '--config', 'Exit codes']) {
      assert.ok(run.stdout.includes(flag), `help mentions ${flag}`);
    }
  });
});

describe('headroom config', () => {
  it('prints the resolved config with sources', async () => {
    const dir = tempFiles({ 'headroom.config.json': { audit: { top_offenders: 5 } } });
    const run = await runMain(['config', '--json'], { cwd: dir, env: { HEADROOM_DEFAULT_MODE: 'simulate' } });
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { config: { default_mode: string; audit: { top_offenders: number } }; sources: Record<string, string> };
    assert.equal(report.config.default_mode, 'simulate');
    assert.equal(report.config.audit.top_offenders, 5);
    assert.match(report.sources['default_mode'] ?? '', /HEADROOM_DEFAULT_MODE/);
    assert.match(report.sources['audit.top_offenders'] ?? '', /headroom\.config\.json/);
    const text = await runMain(['config'], { cwd: dir });
    assert.match(text.stdout, /audit\.top_offenders\s+= 5/);
  });

  it('rejects an unknown key naming it and the file, exit 2', async () => {
    const dir = tempFiles({ 'headroom.config.json': { audit: { top_ofenders: 5 } } });
    for (const args of [['config'], ['audit', '-']]) {
      const run = await runMain(args, { cwd: dir, input: JSON.stringify(CHAT_REQUEST) });
      assert.equal(run.status, 2);
      assert.match(run.stderr, /headroom\.config\.json/);
      assert.match(run.stderr, /audit\.top_ofenders/);
      assert.equal(run.stderr.trim().split('\n').length, 1);
    }
  });
});
