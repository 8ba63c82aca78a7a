import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CacheForensicsReport } from '../../src/analysis/cache-forensics.js';
import { hasStackTrace, ROOT } from './helpers.js';
import { runMain } from './run-main.js';

const SONNET = 'claude-sonnet-4-5-20250929';
const SESSION = 'sess-forensics';

type Entry = Record<string, unknown>;

function at(clock: string): string {
  return `2026-11-20T${clock}.000Z`;
}

function user(uuid: string, parentUuid: string | null, clock: string, content: unknown, extra: Entry = {}): Entry {
  return { type: 'user', uuid, parentUuid, sessionId: SESSION, isSidechain: false, timestamp: at(clock), message: { role: 'user', content }, ...extra };
}

function assistant(uuid: string, parentUuid: string, clock: string, id: string, content: unknown[], usage: { read: number; write: number }, extra: Entry = {}): Entry {
  return {
    type: 'assistant',
    uuid,
    parentUuid,
    sessionId: SESSION,
    isSidechain: false,
    requestId: `req_${id}`,
    timestamp: at(clock),
    message: {
      id: `msg_${id}`,
      type: 'message',
      role: 'assistant',
      model: SONNET,
      content,
      usage: { input_tokens: 5, cache_read_input_tokens: usage.read, cache_creation_input_tokens: usage.write, output_tokens: 40 },
    },
    ...extra,
  };
}

const text = (value: string): unknown[] => [{ type: 'text', text: value }];

/**
 * One session: a normal second call; a call 11¾ minutes later that read
 * nothing (TTL lapse); a sub-agent started in between; a compaction that
 * restarts the context from a summary.
 */
const TRANSCRIPT = [
  user('u1', null, '10:00:00', 'Fix the failing invoice test.'),
  assistant('a1', 'u1', '10:00:02', '1', [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/src/invoice.ts' } }], { read: 0, write: 20_000 }),
  user('r1', 'a1', '10:00:03', [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'export function total(): number { return Math.round(1.005 * 100) / 100; }' }]),
  assistant('a2', 'r1', '10:00:20', '2', text('Found it: the rounding.'), { read: 20_000, write: 1_000 }),
  user('u2', 'a2', '10:12:00', 'Now fix the rounding too.'),
  assistant('a3', 'u2', '10:12:05', '3', text('Done.'), { read: 0, write: 21_500 }),
  user('s1', null, '10:12:10', 'Search the repo for round()', { isSidechain: true }),
  assistant('sa1', 's1', '10:12:15', 's1', text('Two callers.'), { read: 3_000, write: 6_000 }, { isSidechain: true }),
  user('u3', 'a3', '10:13:00', 'Thanks. And the tax line?'),
  assistant('a4', 'u3', '10:13:05', '4', text('Also fixed.'), { read: 21_500, write: 400 }),
  { type: 'system', subtype: 'compact_boundary', uuid: 'c0', parentUuid: null, sessionId: SESSION, timestamp: at('10:14:00'), content: 'Conversation compacted' },
  user('cs', 'c0', '10:14:00', 'This session is being continued from a previous conversation. Summary: invoice rounding and tax fixed.', { isCompactSummary: true }),
  assistant('a5', 'cs', '10:14:05', '5', text('Continuing.'), { read: 15_000, write: 2_000 }),
]
  .map((entry) => JSON.stringify(entry))
  .join('\n');

/** Anthropic HTTP captures of one conversation whose tool definitions change on the third call. */
function capture(tools: string[], messages: unknown[], usage: { read: number; write: number }): string {
  const body = {
    model: 'claude-sonnet-4-5',
    max_tokens: 256,
    system: 'You are the billing assistant.',
    tools: tools.map((name) => ({ name, description: `The ${name} tool.`, input_schema: { type: 'object', properties: {} } })),
    messages,
  };
  const response = {
    id: 'msg_capture',
    type: 'message',
    role: 'assistant',
    model: SONNET,
    content: [{ type: 'text', text: 'ok' }],
    usage: { input_tokens: 5, cache_read_input_tokens: usage.read, cache_creation_input_tokens: usage.write, output_tokens: 3 },
  };
  return JSON.stringify({ request: { method: 'POST', url: 'https://api.anthropic.com/v1/messages', body }, response: { status: 200, body: response } });
}

const ASK = { role: 'user', content: 'Why was I charged twice?' };
const ANSWER = { role: 'assistant', content: 'Let me check.' };
const AGAIN = { role: 'user', content: 'Order 1042.' };
const CAPTURES = [
  capture(['lookup_order'], [ASK], { read: 0, write: 5_000 }),
  capture(['lookup_order'], [ASK, ANSWER, AGAIN], { read: 5_000, write: 200 }),
  capture(['lookup_order', 'refund'], [ASK, ANSWER, AGAIN], { read: 0, write: 5_300 }),
].join('\n');

async function forensicsOf(input: string): Promise<CacheForensicsReport> {
  const run = await runMain(['audit', '--json'], { input });
  assert.equal(run.status, 0, run.stderr);
  const report = JSON.parse(run.stdout) as { summary: { cache_forensics: CacheForensicsReport | null } };
  assert.ok(report.summary.cache_forensics);
  return report.summary.cache_forensics;
}

describe('audit: cache forensics', () => {
  it('finds each bust of a Claude Code session with its cause, and prices the re-writes', async () => {
    const forensics = await forensicsOf(TRANSCRIPT);
    assert.equal(forensics.calls, 6);
    assert.deepEqual(forensics.busts_by_cause, { ttl_lapse: 1, prefix_change: 0, compaction: 1, model_change: 0, sub_agent: 1, unknown: 0 });
    const main = forensics.conversations.find((conversation) => conversation.conversation === SESSION);
    assert.ok(main);
    assert.deepEqual(
      main.per_call.map((call) => call.bust?.cause ?? null),
      [null, null, 'ttl_lapse', null, 'compaction'],
    );
    assert.deepEqual(
      main.per_call.map((call) => call.gap_seconds),
      [null, 18, 705, 60, 60],
    );
    const [, , lapse, , compaction] = main.per_call;
    assert.equal(lapse?.bust?.ttl_seconds, 300);
    assert.equal(lapse?.bust?.rewritten_tokens, 21_000);
    // 21,000 tokens at the 5-minute write rate ($3.75/M) instead of the read rate ($0.30/M).
    assert.equal(lapse?.bust?.extra_cost_usd, 0.07245);
    assert.deepEqual(compaction?.bust?.changed, { where: 'message', message_index: 0, compaction: 'summary' });
    assert.equal(compaction?.bust?.expected_read, 17_005);
    assert.equal(compaction?.bust?.rewritten_tokens, 2_000);
    assert.equal(main.rewritten_tokens, 23_000);
    assert.equal(main.rewrite_cost_usd, 0.079364);
    assert.equal(forensics.rewrite_cost_usd, 0.079364);
    assert.equal(main.hit_rate, Math.round(((20_000 + 21_500 + 15_000) / main.prompt) * 10_000) / 10_000);
    // Counted + hidden prefix + residual reconcile with the recorded prompt on every call.
    assert.ok(main.hidden_prefix);
    for (const call of main.per_call) {
      assert.equal(call.counted + call.hidden_prefix + call.residual, call.prompt);
      assert.ok(call.timestamp);
    }
    const agent = forensics.conversations.find((conversation) => conversation.conversation.startsWith(`${SESSION}/agent:`));
    assert.equal(agent?.per_call[0]?.bust?.cause, 'sub_agent');
    assert.equal(agent?.rewritten_tokens, 0);
  });

  it('names changed tool definitions as the first change in captured requests', async () => {
    const forensics = await forensicsOf(CAPTURES);
    const [conversation] = forensics.conversations;
    assert.deepEqual(
      conversation?.per_call.map((call) => call.bust?.cause ?? null),
      [null, null, 'prefix_change'],
    );
    assert.deepEqual(conversation?.per_call[2]?.bust?.changed, { where: 'tools', message_index: null, compaction: null });
    assert.equal(conversation?.per_call[2]?.bust?.detail, 'the tool definitions changed');
  });

  it('prints a Cache section in the table and in Markdown, with every bust', async () => {
    const table = await runMain(['audit'], { input: TRANSCRIPT, env: { COLUMNS: '100' } });
    assert.equal(table.status, 0, table.stderr);
    assert.equal(hasStackTrace(table.stderr), false);
    assert.match(table.stdout, /Cache \(from recorded usage\)/);
    assert.match(table.stdout, /3 bust\(s\)\s+\(ttl_lapse 1,\s+compaction 1,\s+sub_agent 1\)/);
    for (const cause of ['ttl_lapse', 'compaction', 'sub_agent']) assert.match(table.stdout, new RegExp(`^${cause} `, 'm'));
    assert.match(table.stdout, /12 min since the previous call, over the 5 min\s+cache TTL/);
    assert.doesNotMatch(table.stdout, /Cache per call/);
    const perCall = await runMain(['audit', '--per-request'], { input: TRANSCRIPT, env: { COLUMNS: '160' } });
    assert.match(perCall.stdout, /Cache per call/);
    const markdown = await runMain(['audit', '--reporter', 'markdown'], { input: TRANSCRIPT });
    assert.match(markdown.stdout, /### Cache \(from recorded usage\)/);
    assert.match(markdown.stdout, /\| ttl_lapse \| \\<stdin\\>:6 \| read 0 of 21,000 reusable; 21,000 re-written, \+\$0\.07 \|/);
  });

  it('has no Cache section without recorded usage, and reads Codex timestamps', async () => {
    const run = await runMain(['audit', '--json'], { input: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal((JSON.parse(run.stdout) as { summary: { cache_forensics: unknown } }).summary.cache_forensics, null);
    const codex = await runMain(['audit', '--json', 'fixtures/codex/'], { cwd: ROOT });
    const forensics = (JSON.parse(codex.stdout) as { summary: { cache_forensics: CacheForensicsReport } }).summary.cache_forensics;
    const calls = forensics.conversations.flatMap((conversation) => conversation.per_call);
    assert.ok(calls.length > 0);
    for (const call of calls) assert.match(call.timestamp ?? '', /^2026-11-20T/);
  });
});
