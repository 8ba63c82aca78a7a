import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestReport } from '../../src/analysis/report-types.js';
import { MESSAGE_FRAMING, REPLY_PRIMING } from '../../src/analysis/blocks.js';
import { getTokenCounter } from '../../src/tokens/counter.js';
import { runAudit, type AuditResult } from '../../src/pipeline/audit.js';

/** Audits JSONL lines given in memory, as if piped on stdin. */
async function auditLines(lines: readonly object[], budgetTokens: number | null = null): Promise<{ result: AuditResult; requests: RequestReport[] }> {
  const requests: RequestReport[] = [];
  const text = `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
  const result = await runAudit({
    paths: [],
    cwd: process.cwd(),
    stdin: [Buffer.from(text)],
    budgetTokens,
    onRequest: (report) => requests.push(report),
  });
  return { result, requests };
}

const SYSTEM = 'You are a code review assistant. Be brief.';
const readCall = (id: string, file: string) => ({ id, type: 'function', function: { name: 'read_file', arguments: JSON.stringify({ path: file }) } });
const FILE_BODY = Array.from({ length: 40 }, (_, i) => `line ${i}: const value${i} = compute(${i}, "input-${i}");`).join('\n');

describe('request analysis', () => {
  it('counts content plus framing, priming and tool definitions', async () => {
    const counter = await getTokenCounter('o200k_base');
    const { requests } = await auditLines([
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: 'Review my diff.' },
        ],
      },
    ]);
    const report = requests[0];
    assert.ok(report);
    const expected = counter.count(SYSTEM) + MESSAGE_FRAMING + counter.count('Review my diff.') + MESSAGE_FRAMING + REPLY_PRIMING;
    assert.equal(report.tokens, expected);
    assert.equal(report.tokens_by_kind.system, counter.count(SYSTEM) + MESSAGE_FRAMING);
    assert.equal(report.tokens_by_kind.tool_definitions, 0);
    assert.deepEqual(report.tokenizer, { encoding: 'o200k_base', exact: true });
  });

  it('counts tool definitions apart and includes them in the cache prefix', async () => {
    const tool = {
      type: 'function',
      function: { name: 'read_file', description: 'Read a file from the repository', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
    };
    const { requests } = await auditLines([
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: 'hi' },
        ],
        tools: [tool],
      },
    ]);
    const report = requests[0];
    assert.ok(report);
    assert.ok(report.tokens_by_kind.tool_definitions > 10);
    assert.equal(report.cache_prefix.tokens, report.tokens_by_kind.tool_definitions + report.tokens_by_kind.system);
  });

  it('notices a prefix that changes between consecutive calls', async () => {
    const body = (system: string) => ({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: 'hi' },
      ],
    });
    const { requests, result } = await auditLines([body(SYSTEM), body(SYSTEM), body(`${SYSTEM} Today is 2026-11-24T10:15:00Z.`)]);
    assert.deepEqual(
      requests.map((report) => report.cache_prefix.changed),
      [null, false, true],
    );
    assert.deepEqual(
      requests.map((report) => report.cache_prefix.estimated_cache_hit),
      [null, true, false],
    );
    assert.equal(requests[2]?.cache_prefix.dynamic_values, 1);
    assert.deepEqual(
      requests[2]?.cache_prefix.dynamic.map((value) => [value.where, value.type, value.sample]),
      [['system[0]', 'datetime', '2026-11-24T10:15:00Z']],
    );
    // The share of the prefix before the date: what stays cached when the date changes.
    const counter = await getTokenCounter('o200k_base');
    const changed = `${SYSTEM} Today is 2026-11-24T10:15:00Z.`;
    const before = counter.count(changed.slice(0, changed.indexOf('2026')));
    const score = requests[2]?.cache_prefix.cache_alignment_score;
    assert.equal(score, Math.round((before / counter.count(changed)) * 10_000) / 10_000);
    assert.equal(result.summary.cache.min_cache_alignment_score, score);
    assert.equal(result.summary.cache.estimated_cache_hits, 1);
    assert.ok((requests[2]?.waste.dynamic_date ?? 0) > 0);
    assert.equal(result.summary.cache.prefix_changes, 1);
    assert.equal(result.summary.cache.requests_compared, 2);
  });

  it('does not flag dates in user messages as cache-busting', async () => {
    const { requests } = await auditLines([
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: 'What happened on 2026-11-24 at 10:15:00?' },
        ],
      },
    ]);
    assert.equal(requests[0]?.waste.dynamic_date, 0);
    assert.equal(requests[0]?.cache_prefix.cache_alignment_score, 1);
    assert.equal(requests[0]?.cache_prefix.dynamic_values, 0);
  });

  it('reports a re-read file as reread waste and a stale read', async () => {
    const { requests, result } = await auditLines([
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: 'Check src/a.ts twice.' },
          { role: 'assistant', content: null, tool_calls: [readCall('c1', 'src/a.ts')] },
          { role: 'tool', tool_call_id: 'c1', content: FILE_BODY },
          { role: 'assistant', content: null, tool_calls: [readCall('c2', 'src/a.ts')] },
          { role: 'tool', tool_call_id: 'c2', content: FILE_BODY },
        ],
      },
    ]);
    const report = requests[0];
    assert.ok(report);
    assert.ok(report.waste.reread > 50, `reread ${report.waste.reread}`);
    assert.equal(report.stale_reads.length, 1);
    assert.equal(report.stale_reads[0]?.file_path, 'src/a.ts');
    assert.equal(report.stale_reads[0]?.reason, 'superseded');
    assert.equal(result.summary.stale_reads.count, 1);
    assert.equal(report.largest_tool_outputs[0]?.tool, 'read_file');
  });

  it('checks the budget against recorded usage when there is some, else the estimate', async () => {
    const capture = {
      request: { url: 'https://api.openai.com/v1/chat/completions', body: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] } },
      response: { status: 200, body: { usage: { prompt_tokens: 5000, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 4000 } } } },
    };
    const plain = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
    const { requests, result } = await auditLines([capture, plain], 1000);
    assert.deepEqual(requests[0]?.budget, { limit: 1000, tokens: 5000, basis: 'recorded', exceeded: true });
    assert.equal(requests[0]?.usage?.cache_read, 4000);
    assert.equal(requests[0]?.usage?.input, 1000);
    assert.equal(requests[1]?.budget?.basis, 'estimated');
    assert.equal(requests[1]?.budget?.exceeded, false);
    assert.equal(result.summary.budget?.exceeded, 1);
    assert.equal(result.summary.usage?.cache_read_share, 0.8);
  });
});

describe('audit summary', () => {
  it('ranks offenders by tokens sent over all requests and counts how often each was sent', async () => {
    const messages = [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: 'Look at src/a.ts' },
      { role: 'assistant', content: null, tool_calls: [readCall('c1', 'src/a.ts')] },
      { role: 'tool', tool_call_id: 'c1', content: FILE_BODY },
    ];
    const { result } = await auditLines([
      { model: 'gpt-4o', messages },
      { model: 'gpt-4o', messages: [...messages, { role: 'assistant', content: 'Looks fine.' }, { role: 'user', content: 'Thanks' }] },
    ]);
    const top = result.summary.top_offenders[0];
    assert.ok(top);
    assert.equal(top.kind, 'tool_result');
    assert.equal(top.times_sent, 2);
    assert.equal(top.tokens_total, top.tokens_each * 2);
    assert.equal(top.first_seen.line, 1);
    assert.equal(result.summary.requests, 2);
    assert.equal(result.summary.by_file.length, 1);
    assert.equal(result.summary.tokens.total, result.summary.by_file[0]?.tokens);
  });

  it('sums waste and tokens over requests', async () => {
    const pretty = JSON.stringify({ items: Array.from({ length: 30 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] })) }, null, 4);
    const body = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'list' },
        { role: 'assistant', content: pretty },
      ],
    };
    const { result, requests } = await auditLines([body, body]);
    const perRequest = requests[0]?.waste.json_bloat ?? 0;
    assert.ok(perRequest > 0);
    assert.equal(result.summary.waste.json_bloat, perRequest * 2);
    assert.equal(result.summary.tokens.total, (requests[0]?.tokens ?? 0) * 2);
  });
});
