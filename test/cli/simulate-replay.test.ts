import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReplayReport } from '../../src/pipeline/replay.js';
import { runMain } from './run-main.js';

/**
 * A three-call Claude Code session with a large repetitive tool output: call
 * 1 asks for a command, call 2 reads its output, call 3 answers a follow-up
 * two hours later (past the 1-hour TTL its writes used).
 */
function transcript(): string {
  const base = { sessionId: 'sess-replay', isSidechain: false, cwd: '/repo', version: '2.1.0' };
  const usage = (read: number, write: number) => ({
    input_tokens: 3,
    cache_read_input_tokens: read,
    cache_creation_input_tokens: write,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: write },
    output_tokens: 20,
  });
  const log = Array.from({ length: 400 }, (_, index) => `2026-01-01T00:00:${String(index % 60).padStart(2, '0')}Z INFO worker-${index % 4} processed batch ${index} ok`).join('\n');
  const assistant = (uuid: string, parent: string, id: string, at: string, content: unknown[], used: object) => ({
    ...base,
    type: 'assistant',
    uuid,
    parentUuid: parent,
    timestamp: at,
    requestId: `req_${id}`,
    message: { id: `msg_${id}`, role: 'assistant', model: 'claude-sonnet-4-5', content, usage: used },
  });
  const lines = [
    { ...base, type: 'user', uuid: 'u1', parentUuid: null, timestamp: '2026-01-01T10:00:00.000Z', message: { role: 'user', content: 'Run the worker and tell me if it failed' } },
    assistant('a1', 'u1', '1', '2026-01-01T10:00:02.000Z', [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: './worker' } }], usage(0, 15_000)),
    {
      ...base,
      type: 'user',
      uuid: 'u2',
      parentUuid: 'a1',
      timestamp: '2026-01-01T10:00:30.000Z',
      message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: log }] },
    },
    assistant('a2', 'u2', '2', '2026-01-01T10:00:35.000Z', [{ type: 'text', text: 'It did not fail.' }], usage(15_000, 9000)),
    { ...base, type: 'user', uuid: 'u3', parentUuid: 'a2', timestamp: '2026-01-01T12:00:35.000Z', message: { role: 'user', content: 'Thanks. Anything slow?' } },
    assistant('a3', 'u3', '3', '2026-01-01T12:00:40.000Z', [{ type: 'text', text: 'No.' }], usage(0, 24_100)),
  ];
  return `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
}

/** Two calls around a compaction: the second call's context starts at the compaction summary. */
function compactedTranscript(): string {
  const base = { sessionId: 'sess-compact', isSidechain: false, cwd: '/repo', version: '2.1.0' };
  const usage = { input_tokens: 3, cache_read_input_tokens: 0, cache_creation_input_tokens: 20_000, output_tokens: 5 };
  const lines = [
    { ...base, type: 'user', uuid: 'u1', parentUuid: null, timestamp: '2026-01-01T10:00:00.000Z', message: { role: 'user', content: 'Explain the build in detail' } },
    {
      ...base,
      type: 'assistant',
      uuid: 'a1',
      parentUuid: 'u1',
      timestamp: '2026-01-01T10:00:05.000Z',
      requestId: 'req_1',
      message: { id: 'msg_1', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'It is make.' }], usage },
    },
    {
      ...base,
      type: 'system',
      subtype: 'compact_boundary',
      uuid: 'b1',
      parentUuid: null,
      logicalParentUuid: 'a1',
      timestamp: '2026-01-01T10:01:00.000Z',
      content: 'Conversation compacted',
    },
    {
      ...base,
      type: 'user',
      uuid: 'u2',
      parentUuid: 'b1',
      isCompactSummary: true,
      timestamp: '2026-01-01T10:01:00.000Z',
      message: { role: 'user', content: 'Summary: the user asked about the build; it is make.' },
    },
    {
      ...base,
      type: 'assistant',
      uuid: 'a2',
      parentUuid: 'u2',
      timestamp: '2026-01-01T10:01:05.000Z',
      requestId: 'req_2',
      message: {
        id: 'msg_2',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text: 'Go on.' }],
        usage: { ...usage, cache_read_input_tokens: 19_980, cache_creation_input_tokens: 30 },
      },
    },
  ];
  return `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
}

describe('simulate: session replay', () => {
  it('names a compaction as the cause of the prefix change after it', async () => {
    const { stdout } = await runMain(['simulate', '-', '--json'], { input: compactedTranscript() });
    const conversation = (JSON.parse(stdout) as { replay: ReplayReport }).replay.conversations[0];
    assert.deepEqual(
      conversation?.call_rows.map((row) => row.recorded_cause),
      ['first', 'compaction'],
    );
    // The hidden prefix (system prompt and tools) stays cached across the compaction.
    assert.ok((conversation?.call_rows[1]?.modeled.cache_read_tokens ?? 0) > 0);
  });

  it('replays a transcript by default: recorded, modeled, projected and clearing bills per call and conversation', async () => {
    const { status, stdout } = await runMain(['simulate', '-', '--json'], { input: transcript() });
    assert.equal(status, 0);
    const report = JSON.parse(stdout) as { replay?: ReplayReport; requests: unknown[] };
    assert.ok(report.replay);
    assert.deepEqual(report.requests, []);
    const [conversation] = report.replay.conversations;
    assert.ok(conversation);
    assert.equal(conversation.calls, 3);
    assert.equal(conversation.cache_ttl_seconds, 3600);
    assert.deepEqual(
      conversation.call_rows.map((row) => row.recorded_cause),
      ['first', 'extends', 'ttl-lapse'],
    );
    // The recorded usage, priced at Sonnet's rates: 9 input × $3, 15,000 reads × $0.30, 48,100 1-hour writes × $6 per million.
    assert.equal(conversation.recorded?.usd, 0.293127);
    assert.equal(conversation.recorded?.cache_write_1h_tokens, 48_100);
    // The log output is compressed when it first appears, and every later call resends the smaller text.
    assert.ok(conversation.call_rows[1] && conversation.call_rows[1].tokens_saved_new > 0);
    assert.ok(conversation.projected.prompt_tokens < conversation.modeled.prompt_tokens);
    assert.ok(conversation.savings_by_tool.some((source) => source.name === 'Bash'));
    // Below the 100,000-token trigger, clearing changes nothing.
    assert.deepEqual(conversation.clearing, conversation.modeled);
    assert.equal(typeof conversation.model_deviation, 'number');
  });

  it('shows the replay table, and --no-replay keeps the per-call view', async () => {
    const table = await runMain(['simulate', '-'], { input: transcript() });
    assert.equal(table.status, 0);
    assert.match(table.stdout, /session replay: recorded = usage the provider reported/);
    assert.match(table.stdout, /clearing/);
    const perCall = await runMain(['simulate', '-', '--json', '--no-replay'], { input: transcript() });
    const report = JSON.parse(perCall.stdout) as { replay?: unknown; requests: unknown[] };
    assert.equal(report.replay, undefined);
    assert.equal(report.requests.length, 3);
  });
});
