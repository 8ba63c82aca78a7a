import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allParts,
  assertSlotsResolve,
  at,
  CLAUDE_AGENT_FILE,
  CLAUDE_SESSION,
  CLAUDE_SESSION_FILE,
  collect,
  fixtureText,
  kinds,
  only,
  partsOfKind,
  roles,
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
      assert.equal(request.messages.some((message) => message.role === 'system'), false);
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
    assert.deepEqual(partsOfKind(at(side, 1), 'tool_call').map((call) => call.flags.toolName), ['Grep']);
    // The main chain resumes after the sub-agent: the Task result follows the Task call.
    const afterTask = at(requests, 8);
    assert.equal(afterTask.conversation, CLAUDE_SESSION);
    const last = at(afterTask.messages, afterTask.messages.length - 1);
    assert.equal(last.origin.line, 24);
    assert.equal(at(last.parts, 0).flags.toolName, 'Task');
    assert.equal(allParts(afterTask).some((part) => part.flags.toolName === 'Grep'), false);
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
    assert.equal(allParts(last).some((part) => part.flags.filePath?.endsWith('invoice.ts')), false);
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
