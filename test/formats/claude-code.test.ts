import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestReport } from '../../src/analysis/report-types.js';
import type { Request } from '../../src/formats/types.js';
import { runAudit } from '../../src/pipeline/audit.js';
import { decisionTextOf, optimizeText, prettyRows } from '../pipeline/helpers.js';
import { validityProblems } from '../support/provider-validity.js';
import {
  allParts,
  assertSlotsResolve,
  at,
  CLAUDE_AGENT_FILE,
  CLAUDE_SESSION,
  CLAUDE_SESSION_FILE,
  collect,
  collectChunks,
  fixtureText,
  kinds,
  named,
  only,
  partsOfKind,
  roles,
  ROOT,
  sumUsage,
} from './helpers.js';

const FILE = CLAUDE_SESSION_FILE;
const CWD = '/home/dev/acme-shop';
/** Lines of the first entry of each API response, in file order. */
const CALL_LINES = [4, 9, 13, 15, 17, 19, 21, 23, 25, 30, 32, 34];

/** The uuid of the entry on a line of a fixture. */
function uuidAt(file: string, line: number): string {
  const entry = JSON.parse(fixtureText(file).split('\n')[line - 1] ?? '{}') as { uuid?: string };
  assert.ok(entry.uuid, `no uuid on ${file}:${line}`);
  return entry.uuid;
}

describe('claude-code: session transcript', () => {
  it('is one request per API response, at the line of its first streamed entry', async () => {
    const { requests, problems } = await collect(FILE);
    // summary, file-history-snapshot, progress and system lines are skipped silently.
    assert.deepEqual(problems, []);
    assert.equal(requests.length, CALL_LINES.length);
    assert.deepEqual(
      requests.map((request) => request.origin.line),
      CALL_LINES,
    );
    for (const request of requests) {
      assert.equal(request.format, 'claude-code');
      assert.equal(request.provider, 'anthropic');
      assert.equal(request.id, `${FILE}:${request.origin.line}`);
      assert.equal(request.origin.file, FILE);
      assert.deepEqual(request.tools, []);
      assert.equal(
        request.messages.some((message) => message.role === 'system'),
        false,
      );
    }
    assert.deepEqual(
      requests.map((request) => request.model),
      [...Array<string>(6).fill('claude-sonnet-4-5-20250929'), 'claude-haiku-4-5-20251001', 'claude-haiku-4-5-20251001', ...Array<string>(4).fill('claude-sonnet-4-5-20250929')],
    );
  });

  it('merges streamed entries of one response and keeps the last usage', async () => {
    const { requests } = await collect(FILE);
    const first = at(requests, 0);
    assert.deepEqual(first.usage, { input: 3, cacheRead: 11250, cacheWrite5m: 0, cacheWrite1h: 4120, output: 186, reasoning: 0 });
    // The next call sees the three streamed entries as one assistant message.
    const second = at(requests, 1);
    assert.deepEqual(roles(second), ['user', 'assistant', 'user']);
    assert.deepEqual(kinds(at(second.messages, 1)), ['assistant', 'assistant', 'tool_call']);
    assert.equal(at(at(second.messages, 1).parts, 0).flags.reasoning, true);
    assert.deepEqual(
      at(second.messages, 1).parts.map((part) => part.slot?.origin.line ?? null),
      [4, 5, null],
    );
  });

  it('splits cache writes into 5-minute and 1-hour, and sums to the totals in the fixture', async () => {
    const { requests } = await collect(FILE);
    assert.deepEqual(at(requests, 1).usage, { input: 5, cacheRead: 15370, cacheWrite5m: 1000, cacheWrite1h: 1310, output: 97, reasoning: 0 });
    assert.deepEqual(sumUsage(requests), { input: 3832, cacheRead: 129700, cacheWrite5m: 8040, cacheWrite1h: 5430, output: 1030, reasoning: 0 });
    const main = requests.filter((request) => request.conversation === CLAUDE_SESSION);
    assert.deepEqual(sumUsage(main), { input: 42, cacheRead: 129700, cacheWrite5m: 8040, cacheWrite1h: 5430, output: 947, reasoning: 0 });
  });

  it('builds each context from the parentUuid chain, merging parallel tool results', async () => {
    const { requests } = await collect(FILE);
    const third = at(requests, 2);
    assert.deepEqual(roles(third), ['user', 'assistant', 'user', 'assistant', 'user']);
    assert.deepEqual(
      third.messages.map((message) => message.origin.line),
      [3, 4, 8, 9, 11],
    );
    assert.deepEqual(kinds(at(third.messages, 3)), ['tool_call', 'tool_call']);
    assert.deepEqual(kinds(at(third.messages, 4)), ['tool_result', 'tool_result']);
    // Each call's context is the previous call's context plus its response and the results.
    for (let i = 1; i < 6; i++) assert.ok(at(requests, i).messages.length > at(requests, i - 1).messages.length);
  });

  it('pairs tool_use and tool_result, flags file access and Bash errors', async () => {
    const { requests } = await collect(FILE);
    const beforeTask = at(requests, 5);
    const calls = partsOfKind(beforeTask, 'tool_call');
    assert.deepEqual(
      calls.map((call) => [call.flags.toolName, call.flags.fileAccess ?? null, call.flags.filePath ?? null]),
      [
        ['Read', 'read', `${CWD}/src/billing/invoice.ts`],
        ['Read', 'read', `${CWD}/src/billing/tax.ts`],
        ['Bash', null, null],
        ['Edit', 'write', `${CWD}/src/billing/invoice.ts`],
        ['Read', 'read', `${CWD}/src/billing/tax.ts`],
        ['Bash', null, null],
      ],
    );
    const results = partsOfKind(beforeTask, 'tool_result');
    assert.deepEqual(
      results.map((result) => result.flags.toolCallId),
      calls.map((call) => call.flags.toolCallId),
    );
    assert.deepEqual(
      results.map((result) => [result.flags.toolName, result.flags.isError === true]),
      [
        ['Read', false],
        ['Read', false],
        ['Bash', true],
        ['Edit', false],
        ['Read', false],
        ['Bash', false],
      ],
    );
  });

  it('keeps the repeated read of an unchanged file (same text twice)', async () => {
    const { requests } = await collect(FILE);
    const context = at(requests, 5);
    const taxReads = partsOfKind(context, 'tool_call').filter((call) => call.flags.filePath === `${CWD}/src/billing/tax.ts`);
    assert.equal(taxReads.length, 2);
    assert.equal(at(taxReads, 0).flags.callKey, at(taxReads, 1).flags.callKey);
    const ids = new Set(taxReads.map((call) => call.flags.toolCallId));
    const texts = partsOfKind(context, 'tool_result')
      .filter((result) => ids.has(result.flags.toolCallId ?? ''))
      .map((result) => result.text);
    assert.equal(texts.length, 2);
    assert.equal(texts[0], texts[1]);
    assert.match(texts[0] ?? '', /^ {5}1→const RATES/);
  });

  it('gives an inline sidechain its own conversation and its own context', async () => {
    const { requests } = await collect(FILE);
    const root = uuidAt(FILE, 20);
    const side = requests.filter((request) => request.conversation !== CLAUDE_SESSION);
    assert.deepEqual(
      side.map((request) => [request.origin.line, request.conversation]),
      [
        [21, `${CLAUDE_SESSION}/agent:${root.slice(0, 8)}`],
        [23, `${CLAUDE_SESSION}/agent:${root.slice(0, 8)}`],
      ],
    );
    assert.deepEqual(roles(at(side, 0)), ['user']);
    assert.match(at(at(at(side, 0).messages, 0).parts, 0).text, /^Search src\/ for other places/);
    assert.deepEqual(roles(at(side, 1)), ['user', 'assistant', 'user']);
    assert.deepEqual(
      partsOfKind(at(side, 1), 'tool_call').map((call) => call.flags.toolName),
      ['Grep'],
    );
    // The main chain resumes after the sub-agent: the Task result follows the Task call.
    const afterTask = at(requests, 8);
    assert.equal(afterTask.conversation, CLAUDE_SESSION);
    const last = at(afterTask.messages, afterTask.messages.length - 1);
    assert.equal(last.origin.line, 24);
    assert.equal(at(last.parts, 0).flags.toolName, 'Task');
    assert.equal(
      allParts(afterTask).some((part) => part.flags.toolName === 'Grep'),
      false,
    );
  });

  it('restarts the context at a compaction boundary with the summary', async () => {
    const { requests } = await collect(FILE);
    const afterCompaction = at(requests, 9);
    assert.equal(afterCompaction.origin.line, 30);
    assert.deepEqual(roles(afterCompaction), ['user']);
    const [summary, prompt] = at(afterCompaction.messages, 0).parts;
    assert.equal(summary?.flags.compactionSummary, true);
    assert.match(summary?.text ?? '', /^This session is being continued/);
    assert.deepEqual(summary?.slot, { origin: { file: FILE, line: 28 }, path: ['message', 'content'] });
    assert.equal(prompt?.flags.compactionSummary, undefined);
    assert.equal(prompt?.text, 'Add a changelog entry for the rounding fix.');
    const last = at(requests, 11);
    assert.deepEqual(roles(last), ['user', 'assistant', 'user', 'assistant', 'user']);
    assert.equal(
      allParts(last).some((part) => part.flags.filePath?.endsWith('invoice.ts')),
      false,
    );
    assert.deepEqual(
      partsOfKind(last, 'tool_call').map((call) => [call.flags.toolName, call.flags.filePath]),
      [
        ['Read', `${CWD}/CHANGELOG.md`],
        ['Edit', `${CWD}/CHANGELOG.md`],
      ],
    );
  });

  it('never takes a message from a non-message line', async () => {
    const { requests } = await collect(FILE);
    const nonMessageLines = new Set([1, 2, 7, 26, 27]);
    for (const request of requests) {
      for (const message of request.messages) assert.equal(nonMessageLines.has(message.origin.line), false, `${request.id}: message from line ${message.origin.line}`);
    }
  });

  it('points every slot at its text in the transcript', async () => {
    const { requests } = await collect(FILE);
    assert.ok(assertSlotsResolve(requests) > 50);
  });
});

describe('claude-code: sub-agent file', () => {
  it('is its own conversation under the parent session', async () => {
    const { requests, problems } = await collect(CLAUDE_AGENT_FILE);
    assert.deepEqual(problems, []);
    const root = uuidAt(CLAUDE_AGENT_FILE, 1);
    assert.deepEqual(
      requests.map((request) => [request.origin.line, request.conversation, request.model]),
      [
        [2, `${CLAUDE_SESSION}/agent:${root.slice(0, 8)}`, 'claude-haiku-4-5-20251001'],
        [4, `${CLAUDE_SESSION}/agent:${root.slice(0, 8)}`, 'claude-haiku-4-5-20251001'],
      ],
    );
    assert.deepEqual(sumUsage(requests), { input: 4494, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 84, reasoning: 0 });
    const read = only(partsOfKind(at(requests, 1), 'tool_call'));
    assert.equal(read.flags.filePath, `${CWD}/src/billing/tax.ts`);
    assert.equal(only(partsOfKind(at(requests, 1), 'tool_result')).flags.toolName, 'Read');
    assertSlotsResolve(requests);
  });

  it('reads the session and its sub-agent file together from the directory', async () => {
    const { requests, problems, sources } = await collect('fixtures/claude-code');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      sources.map((source) => source.name),
      [`fixtures/claude-code/${CLAUDE_SESSION}.jsonl`, 'fixtures/claude-code/agent-5e1f2a3b.jsonl'],
    );
    assert.equal(requests.length, CALL_LINES.length + 2);
    assert.equal(new Set(requests.map((request) => request.conversation)).size, 3);
  });
});

/**
 * A session written the way Claude Code writes parallel tool calls: one
 * assistant entry per content block of a response (chained), each
 * tool_result hanging off the entry of *its* tool_use, the next call hanging
 * off the last result written. Then a microcompact boundary that clears two
 * of the results, and one more call.
 */
const PARALLEL_SESSION = 'f00dfeed-0000-4000-8000-000000000001';
const PLACEHOLDER = '[Old tool result content cleared]';
const BIG_ROWS = prettyRows(40);
/** A cache read that covers the first four messages of `twoRounds` (prompt, call, first result, second call), not the second result. */
const FROZEN_FOUR = 2000;

function parallelSession(options: { finalCacheRead?: number } = {}): string {
  const line = (value: Record<string, unknown>): string =>
    JSON.stringify({ isSidechain: false, userType: 'external', cwd: CWD, sessionId: PARALLEL_SESSION, version: '2.1.17', ...value });
  const assistant = (uuid: string, parent: string, id: string, block: Record<string, unknown>, cacheRead = 0): string =>
    line({
      parentUuid: parent,
      type: 'assistant',
      uuid,
      requestId: `req_${id}`,
      message: {
        model: 'claude-opus-4-5-20251101',
        id: `msg_${id}`,
        type: 'message',
        role: 'assistant',
        content: [block],
        usage: { input_tokens: 3, cache_read_input_tokens: cacheRead, output_tokens: 9 },
      },
    });
  const result = (uuid: string, parent: string, toolId: string, content: string, isError = false): string =>
    line({
      parentUuid: parent,
      type: 'user',
      uuid,
      message: { role: 'user', content: [{ tool_use_id: toolId, type: 'tool_result', content, ...(isError ? { is_error: true } : {}) }] },
      toolUseResult: { type: 'text' },
      sourceToolAssistantUUID: parent,
    });
  const read = (id: string, file: string): Record<string, unknown> => ({ type: 'tool_use', id, name: 'Read', input: { file_path: `${CWD}/${file}` } });
  return (
    [
      line({ parentUuid: null, type: 'user', uuid: 'u1', message: { role: 'user', content: 'Why does the invoice total drift?' } }),
      // Call 1: thinking, a whitespace-only text block, three parallel tool_uses — one entry each.
      assistant('a1', 'u1', 'm1', { type: 'thinking', thinking: 'Read the billing code.', signature: 'EpABsig==' }),
      assistant('a2', 'a1', 'm1', { type: 'text', text: '\n\n' }),
      assistant('a3', 'a2', 'm1', read('toolu_01AAAAAAAAAAAAAAAAAAAAAA', 'src/billing/invoice.ts')),
      assistant('a4', 'a3', 'm1', read('toolu_01BBBBBBBBBBBBBBBBBBBBBB', 'src/billing/tax.ts')),
      assistant('a5', 'a4', 'm1', { type: 'tool_use', id: 'toolu_01CCCCCCCCCCCCCCCCCCCCCC', name: 'Bash', input: { command: 'npm test' } }),
      result('r1', 'a3', 'toolu_01AAAAAAAAAAAAAAAAAAAAAA', BIG_ROWS),
      result('r2', 'a4', 'toolu_01BBBBBBBBBBBBBBBBBBBBBB', 'export const RATES = { DE: 0.19 };'),
      result('r3', 'a5', 'toolu_01CCCCCCCCCCCCCCCCCCCCCC', 'FAIL invoice.test.ts', true),
      // Call 2 hangs off the last result; its second tool_use is off the chain of call 3.
      assistant('b1', 'r3', 'm2', read('toolu_01DDDDDDDDDDDDDDDDDDDDDD', 'src/billing/round.ts')),
      assistant('b2', 'b1', 'm2', read('toolu_01EEEEEEEEEEEEEEEEEEEEEE', 'CHANGELOG.md')),
      result('r5', 'b2', 'toolu_01EEEEEEEEEEEEEEEEEEEEEE', '# Changelog'),
      result('r4', 'b1', 'toolu_01DDDDDDDDDDDDDDDDDDDDDD', 'export const round = Math.round;'),
      assistant('c1', 'r4', 'm3', { type: 'text', text: 'The rounding happens per line.' }),
      line({
        parentUuid: 'c1',
        type: 'system',
        subtype: 'microcompact_boundary',
        content: 'Context microcompacted',
        isMeta: false,
        uuid: 'mc1',
        level: 'info',
        microcompactMetadata: { trigger: 'auto', preTokens: 4000, tokensSaved: 3000, compactedToolIds: ['toolu_01AAAAAAAAAAAAAAAAAAAAAA', 'toolu_01CCCCCCCCCCCCCCCCCCCCCC'] },
      }),
      line({ parentUuid: 'mc1', type: 'user', uuid: 'u2', message: { role: 'user', content: 'Fix it.' } }),
      assistant('d1', 'u2', 'm4', { type: 'text', text: 'Fixed.' }, options.finalCacheRead ?? 0),
    ].join('\n') + '\n'
  );
}

/** tool_use ids of a request's calls, and the ids its results answer, in order. */
function toolIds(request: Request): { calls: (string | undefined)[]; results: (string | undefined)[] } {
  return {
    calls: partsOfKind(request, 'tool_call').map((part) => part.flags.toolCallId),
    results: partsOfKind(request, 'tool_result').map((part) => part.flags.toolCallId),
  };
}

describe('claude-code: parallel tool calls and microcompact', () => {
  it('rebuilds a call context with every parallel tool_use and its results, results in tool_use order', async () => {
    const { requests, problems } = await collectChunks([parallelSession()], { source: named(`${PARALLEL_SESSION}.jsonl`) });
    assert.deepEqual(problems, []);
    assert.equal(requests.length, 4);
    const third = at(requests, 2);
    assert.deepEqual(roles(third), ['user', 'assistant', 'user', 'assistant', 'user']);
    const { calls, results } = toolIds(third);
    assert.equal(calls.length, 5);
    assert.deepEqual(results, calls);
    // Results of the first response: lines 7–9; of the second, in tool_use order although written the other way round.
    assert.deepEqual(
      at(third.messages, 2).parts.map((part) => part.slot?.origin.line),
      [7, 8, 9],
    );
    assert.deepEqual(
      at(third.messages, 4).parts.map((part) => part.slot?.origin.line),
      [13, 12],
    );
    // The whitespace-only text block is not part of what the API received.
    assert.deepEqual(kinds(at(third.messages, 1)), ['assistant', 'tool_call', 'tool_call', 'tool_call']);
    // The second call already had all three results.
    assert.deepEqual(toolIds(at(requests, 1)).results, toolIds(at(requests, 1)).calls);
  });

  it('takes a repeated entry (same uuid) once, at its last copy', async () => {
    const lines = parallelSession().split('\n');
    lines.splice(9, 0, lines[7] as string, lines[4] as string); // r2 and the second tool_use again, after r3
    const { requests } = await collectChunks([lines.join('\n')], { source: named(`${PARALLEL_SESSION}.jsonl`) });
    const third = at(requests, 2);
    const { calls, results } = toolIds(third);
    assert.equal(calls.length, 5);
    assert.deepEqual(results, calls);
  });

  it('clears the tool results a microcompact boundary lists, from that point on only', async () => {
    const { requests } = await collectChunks([parallelSession()], { source: named(`${PARALLEL_SESSION}.jsonl`) });
    const before = at(requests, 2);
    const after = at(requests, 3);
    const resultText = (request: Request, id: string): string[] =>
      partsOfKind(request, 'tool_result')
        .filter((part) => part.flags.toolCallId === id)
        .map((part) => part.text);
    assert.deepEqual(resultText(after, 'toolu_01AAAAAAAAAAAAAAAAAAAAAA'), [PLACEHOLDER]);
    assert.deepEqual(resultText(after, 'toolu_01CCCCCCCCCCCCCCCCCCCCCC'), [PLACEHOLDER]);
    assert.deepEqual(resultText(after, 'toolu_01BBBBBBBBBBBBBBBBBBBBBB'), ['export const RATES = { DE: 0.19 };']);
    const cleared = partsOfKind(after, 'tool_result').find((part) => part.flags.toolCallId === 'toolu_01CCCCCCCCCCCCCCCCCCCCCC');
    assert.equal(cleared?.flags.isError, true);
    // The earlier call keeps the full results: shared messages are not mutated.
    assert.deepEqual(resultText(before, 'toolu_01AAAAAAAAAAAAAAAAAAAAAA'), [BIG_ROWS]);
    assert.deepEqual(resultText(before, 'toolu_01CCCCCCCCCCCCCCCCCCCCCC'), ['FAIL invoice.test.ts']);
  });

  it('optimize writes a valid body: every result after its tool_use, cleared results as the placeholder, no whitespace-only text', async () => {
    const { output } = await optimizeText(parallelSession());
    const body = JSON.parse(output.trim()) as { messages: { role: string; content: Record<string, unknown>[] }[] };
    assert.deepEqual(validityProblems('anthropic', body), []);
    assert.deepEqual(
      body.messages.map((message) => message.role),
      ['user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user'],
    );
    assert.deepEqual(at(body.messages, 2).content, [
      { tool_use_id: 'toolu_01AAAAAAAAAAAAAAAAAAAAAA', type: 'tool_result', content: PLACEHOLDER },
      { tool_use_id: 'toolu_01BBBBBBBBBBBBBBBBBBBBBB', type: 'tool_result', content: 'export const RATES = { DE: 0.19 };' },
      { tool_use_id: 'toolu_01CCCCCCCCCCCCCCCCCCCCCC', type: 'tool_result', content: PLACEHOLDER, is_error: true },
    ]);
    assert.deepEqual(
      at(body.messages, 4).content.map((block) => block['tool_use_id']),
      ['toolu_01DDDDDDDDDDDDDDDDDDDDDD', 'toolu_01EEEEEEEEEEEEEEEEEEEEEE'],
    );
  });

  it('audit counts the placeholder, not the cleared result', async () => {
    const reports: RequestReport[] = [];
    const text = parallelSession();
    await runAudit({ paths: [], cwd: ROOT, stdin: [text], onRequest: (report) => reports.push(report) });
    assert.equal(reports.length, 4);
    const [, , third, fourth] = reports;
    assert.ok((third?.tokens_by_kind.tool_result ?? 0) > 300, 'the full result is counted before the boundary');
    assert.ok((fourth?.tokens_by_kind.tool_result ?? 0) < 60, `only placeholders and small results after it (${fourth?.tokens_by_kind.tool_result})`);
  });
});

describe('claude-code: the written body keeps the frozen prefix', () => {
  /** Two tool rounds with big outputs; the final call had `cacheRead` tokens cached. */
  function twoRounds(cacheRead: number): string {
    const line = (value: Record<string, unknown>): string => JSON.stringify({ sessionId: 's-freeze', isSidechain: false, ...value });
    const call = (uuid: string, parent: string, id: string, content: Record<string, unknown>[], read: number): string =>
      line({
        type: 'assistant',
        uuid,
        parentUuid: parent,
        requestId: `r-${id}`,
        message: { id, role: 'assistant', model: 'claude-sonnet-4-5', content, usage: { input_tokens: 4, cache_read_input_tokens: read, output_tokens: 5 } },
      });
    const result = (uuid: string, parent: string, toolId: string): string =>
      line({ type: 'user', uuid, parentUuid: parent, message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolId, content: BIG_ROWS }] } });
    return (
      [
        line({ type: 'user', uuid: 'u1', parentUuid: null, message: { role: 'user', content: 'list invoices twice' } }),
        call('a1', 'u1', 'm1', [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'invoices --json' } }], 0),
        result('u2', 'a1', 'toolu_1'),
        call('a2', 'u2', 'm2', [{ type: 'tool_use', id: 'toolu_2', name: 'Bash', input: { command: 'invoices --json --all' } }], 0),
        result('u3', 'a2', 'toolu_2'),
        call('a3', 'u3', 'm3', [{ type: 'text', text: 'Done.' }], cacheRead),
      ].join('\n') + '\n'
    );
  }

  it('marks the end of the frozen prefix with cache_control, so a second pass changes nothing', async () => {
    const first = await optimizeText(twoRounds(FROZEN_FOUR));
    const result = only(first.results).result;
    assert.equal(result.cache_metrics.frozen_message_count, 4);
    assert.deepEqual(
      result.blocks.map((block) => (decisionTextOf(block) ?? '').replace(/ .*/, '')),
      ['protected:user', 'protected:tool-call', 'skipped:cached', 'protected:tool-call', 'compressed:json-compact+lossless:table'],
    );
    const body = JSON.parse(first.output.trim()) as { messages: { content: Record<string, unknown>[] }[] };
    assert.deepEqual(validityProblems('anthropic', body), []);
    assert.deepEqual(at(at(body.messages, 3).content, 0)['cache_control'], { type: 'ephemeral' });
    assert.equal(body.messages.flatMap((message) => message.content).filter((block) => 'cache_control' in block).length, 1);
    const second = await optimizeText(first.output);
    assert.equal(second.output, first.output);
    assert.equal(decisionTextOf(only(second.results).result.blocks[2]), 'skipped:cached');
  });

  it('writes no breakpoint when nothing was frozen', async () => {
    const first = await optimizeText(twoRounds(0));
    assert.equal(first.output.includes('cache_control'), false);
    assert.equal((await optimizeText(first.output)).output, first.output);
  });
});
