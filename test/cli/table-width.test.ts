/**
 * Tables fit the width: the terminal's, else COLUMNS, else 80. Text columns
 * shrink (paths relative to the working directory, elided in the middle);
 * numbers are never cut; long file lists become the top rows and a count.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Chalk } from 'chalk';
import fc from 'fast-check';
import type { RequestReport } from '../../src/analysis/report-types.js';
import type { AuditSummary } from '../../src/analysis/summary.js';
import { renderAuditTables } from '../../src/cli/audit-table.js';
import type { Style } from '../../src/cli/style.js';
import { displayWidth } from '../../src/cli/table.js';
import { ROOT, tempFiles } from './helpers.js';
import { runMain } from './run-main.js';

const SAMPLE = 'fixtures/sample/support-agent.jsonl';
const WIDTHS = [60, 80, 120];

function assertFits(text: string, width: number, what: string): void {
  const lines = text.split('\n');
  const wide = lines.filter((line) => displayWidth(line) > width);
  assert.deepEqual(wide, [], `${what}: ${wide.length} of ${lines.length} lines wider than ${width}`);
}

function style(width: number, color = false): Style {
  return { color, chalk: new Chalk({ level: color ? 1 : 0 }), width };
}

async function sampleAudit(): Promise<{ summary: AuditSummary; requests: RequestReport[] }> {
  const run = await runMain(['audit', '--json', '--per-request', path.join(ROOT, SAMPLE)]);
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as { summary: AuditSummary; requests: RequestReport[] };
}

describe('audit fits the width', () => {
  it('on a terminal of 60, 80 and 120 columns, with colour', async () => {
    for (const columns of WIDTHS) {
      const run = await runMain(['audit', SAMPLE, '--per-request'], { tty: { columns } });
      assert.equal(run.status, 0, run.stderr);
      assertFits(run.stdout, columns, `audit at ${columns}`);
    }
  });

  it('into a pipe: COLUMNS when set, else 80', async () => {
    const wide = await runMain(['audit', SAMPLE, '--per-request'], { env: { COLUMNS: '100' } });
    assertFits(wide.stdout, 100, 'COLUMNS=100');
    assert.ok(
      wide.stdout.split('\n').some((line) => displayWidth(line) > 80),
      'COLUMNS=100 is used, not 80',
    );
    const piped = await runMain(['audit', SAMPLE, '--per-request']);
    assertFits(piped.stdout, 80, 'piped');
  });

  it('shows paths relative to the working directory; --json keeps them whole', async () => {
    const absolute = path.join(ROOT, SAMPLE);
    const table = await runMain(['audit', absolute, '--per-request'], { cwd: ROOT, env: { COLUMNS: '200' } });
    assert.doesNotMatch(table.stdout, new RegExp(ROOT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(table.stdout, /fixtures\/sample\/support-agent\.jsonl:5/);
    const json = await runMain(['audit', absolute, '--json', '--per-request'], { cwd: ROOT });
    assert.ok(json.stdout.includes(`"${absolute}:5"`), 'the JSON keeps the path as given');
  });

  it('any summary, with long paths and previews, renders within 60, 80 and 120 columns', async () => {
    const base = await sampleAudit();
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 120 }),
      fc.array(fc.constantFrom('home', 'user', 'projects', 'a-very-long-directory-name', 'src', '日本語', 'x'), { maxLength: 30 }).map((parts) => `/${parts.join('/')}.jsonl`),
    );
    const count = fc.integer({ min: 0, max: 2_000_000_000 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(text, text, text, count), { minLength: 1, maxLength: 30 }), fc.constantFrom(...WIDTHS), fc.boolean(), async (rows, width, color) => {
        const summary = structuredClone(base.summary);
        summary.by_file = rows.map(([file, , , tokens]) => ({ file, requests: tokens % 1000, tokens, waste: tokens % 7, usage: null }));
        summary.top_offenders = summary.top_offenders.map((offender, index) => {
          const [file, preview, tool, tokens] = rows[index % rows.length] as [string, string, string, number];
          return { ...offender, tool, file_path: file, preview, tokens_total: tokens, first_seen: { file, line: index + 1 } };
        });
        summary.largest_tool_outputs = summary.top_offenders.slice(0, 3);
        summary.stale_reads.top = summary.stale_reads.top.map((read, index) => ({ ...read, file_path: rows[index % rows.length]?.[0] ?? '' }));
        const requests = base.requests.map((request, index) => ({ ...request, id: `${rows[index % rows.length]?.[0]}:${index + 1}`, model: rows[index % rows.length]?.[2] ?? null }));
        const output = renderAuditTables(summary, requests, style(width, color), { cwd: '/home/user', perFile: false });
        assertFits(output, width, `rendered at ${width}`);
      }),
      { numRuns: 60 },
    );
  });

  it('a 5,000-file summary shows the top files by tokens and a count; perFile lists all', async () => {
    const { summary } = await sampleAudit();
    summary.by_file = Array.from({ length: 5000 }, (_, index) => ({ file: `logs/session-${index}.jsonl`, requests: 1, tokens: (index * 7919) % 5000, waste: 0, usage: null }));
    const top = renderAuditTables(summary, null, style(80), { cwd: ROOT, perFile: false });
    assert.match(top, /… 4,980 more files \(--per-file lists all\)/);
    const fileRows = top.split('\n').filter((line) => /^logs\/session-\d+\.jsonl /.test(line));
    assert.equal(fileRows.length, 20);
    const tokens = fileRows.map((line) => Number(line.trim().split(/\s+/)[2]?.replace(/,/g, '')));
    assert.deepEqual(
      tokens,
      [...tokens].sort((a, b) => b - a),
      'sorted by tokens',
    );
    assert.equal(tokens[0], 4999);
    const all = renderAuditTables(summary, null, style(80), { cwd: ROOT, perFile: true });
    assert.equal(all.split('\n').filter((line) => /^logs\/session-\d+\.jsonl /.test(line)).length, 5000);
    assert.doesNotMatch(all, /more files/);
  });

  it('audit --per-file lists every file; without it, the top 20', async () => {
    const files: Record<string, string> = {};
    const request = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hello there' }] });
    for (let index = 0; index < 23; index++) files[`f${index}.json`] = request;
    const dir = tempFiles(files);
    const top = await runMain(['audit', '.'], { cwd: dir });
    assert.equal(top.status, 0, top.stderr);
    assert.match(top.stdout, /… 3 more files \(--per-file lists all\)/);
    const all = await runMain(['audit', '.', '--per-file'], { cwd: dir });
    assert.equal(all.status, 0, all.stderr);
    assert.equal(all.stdout.split('\n').filter((line) => /^f\d+\.json /.test(line)).length, 23);
  });
});

/** A gpt-4o request with a pretty-printed tool output that optimize compacts. */
function toolRequest(size: number): string {
  const data = JSON.stringify({ items: Array.from({ length: size }, (_, i) => ({ id: i, name: `item ${i}` })) }, null, 2);
  return JSON.stringify({
    model: 'gpt-4o',
    messages: [
      { role: 'user', content: 'List the items' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'list', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: data },
    ],
  });
}

describe('simulate fits the width', () => {
  it('a compact table (no rules between rows) within 60, 80 and 120 columns', async () => {
    const dir = tempFiles({ [`${'a-rather-long-directory-name/'.repeat(4)}requests.jsonl`]: `${[5, 9, 14].map(toolRequest).join('\n')}\n` });
    for (const columns of WIDTHS) {
      const run = await runMain(['simulate', '.'], { cwd: dir, tty: { columns } });
      assert.equal(run.status, 0, run.stderr);
      assertFits(run.stdout, columns, `simulate at ${columns}`);
      assert.ok(run.stdout.split('\n').filter((line) => line.includes('─')).length <= 1, 'one rule, under the head');
    }
  });

  it('many requests: the top 20 by tokens saved and a count; --per-request lists all', async () => {
    const input = `${Array.from({ length: 26 }, (_, index) => toolRequest(3 + index)).join('\n')}\n`;
    const top = await runMain(['simulate'], { input });
    assert.equal(top.status, 0, top.stderr);
    assert.match(top.stdout, /… 6 more requests \(--per-request lists all\)/);
    assert.match(top.stdout, /total \(26\)/);
    assert.equal(top.stdout.split('\n').filter((line) => /^<stdin>:\d+ /.test(line)).length, 20);
    assert.match(top.stdout.split('\n')[2] ?? '', /^<stdin>:26 /, 'the biggest saving comes first');
    const all = await runMain(['simulate', '--per-request'], { input });
    assert.equal(all.stdout.split('\n').filter((line) => /^<stdin>:\d+ /.test(line)).length, 26);
  });
});

describe('the optimize report fits the width', () => {
  it('on stderr at 60 columns', async () => {
    const dir = tempFiles({ 'r.jsonl': `${[5, 9].map(toolRequest).join('\n')}\n` });
    const run = await runMain(['optimize', 'r.jsonl', '--ccr-store', ':memory:'], { cwd: dir, tty: { columns: 60 } });
    assert.equal(run.status, 0, run.stderr);
    assertFits(run.stderr, 60, 'optimize report');
  });
});
