import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { analyzeCalls, billedPrompt, firstChange, type CallFacts, type ConversationFindings, type MessageShape, type PromptShape } from '../../src/cache/forensics/index.js';

const SONNET = 'claude-sonnet-4-5-20250929';
const T0 = Date.parse('2026-11-20T10:00:00.000Z');

/** A call with Anthropic-style usage; `at` in seconds after T0. */
function call(id: string, at: number | null, billed: Partial<CallFacts['billed']>, extra: Partial<CallFacts> = {}): CallFacts {
  return {
    id,
    conversation: 'main',
    timeline: 'session.jsonl',
    model: SONNET,
    time: at === null ? null : T0 + at * 1000,
    timestamp: at === null ? null : new Date(T0 + at * 1000).toISOString(),
    billed: { input: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, ...billed },
    counted: 1_000,
    change: null,
    prefixRecorded: false,
    ...extra,
  };
}

function only(findings: ConversationFindings[], conversation = 'main'): ConversationFindings {
  const found = findings.find((entry) => entry.conversation === conversation);
  assert.ok(found, `no conversation ${conversation}`);
  return found;
}

function message(hash: string, extra: Partial<MessageShape> = {}): MessageShape {
  return { hash, system: false, compactionSummary: false, cleared: 0, ...extra };
}

describe('cache forensics', () => {
  it('finds no bust when each call reads what the call before cached', () => {
    const [conversation] = analyzeCalls([
      call('c1', 0, { input: 5, cacheWrite5m: 20_000 }),
      call('c2', 30, { input: 5, cacheRead: 20_000, cacheWrite5m: 1_000 }),
      call('c3', 60, { input: 5, cacheRead: 21_000, cacheWrite5m: 500 }),
    ]);
    assert.ok(conversation);
    assert.deepEqual(
      conversation.calls.map((finding) => [finding.expectedRead, finding.gapSeconds, finding.bust]),
      [
        [null, null, null],
        [20_000, 30, null],
        [21_000, 30, null],
      ],
    );
    assert.equal(conversation.hitRate, 41_000 / (20_005 + 21_005 + 21_505));
    assert.equal(conversation.rewritten, 0);
    assert.equal(conversation.extraCostNanos, 0);
  });

  it('calls a read of nothing after more than 5 minutes a TTL lapse, and prices the rewrite at the write rate over the read rate', () => {
    const findings = analyzeCalls([call('c1', 0, { input: 5, cacheWrite5m: 20_000 }), call('c2', 301, { input: 5, cacheWrite5m: 20_500 })]);
    const bust = only(findings).calls[1]?.bust;
    assert.ok(bust);
    assert.equal(bust.cause, 'ttl_lapse');
    assert.equal(bust.ttlSeconds, 300);
    assert.equal(bust.gapSeconds, 301);
    assert.equal(bust.expectedRead, 20_000);
    assert.equal(bust.shortfall, 20_000);
    assert.equal(bust.rewritten, 20_000);
    // Sonnet: $3/M input, 5-minute write $3.75/M, read $0.30/M → 20,000 × $3.45/M = $0.069.
    assert.equal(bust.extraCostNanos, 20_000 * (3_750 - 300));
    assert.match(bust.detail, /5 min since the previous call, over the 5 min cache TTL/);
  });

  it('keeps 1-hour entries for an hour: a 10-minute gap is no lapse when the last write was all 1-hour', () => {
    const findings = analyzeCalls([
      call('c1', 0, { input: 5, cacheWrite1h: 20_000 }),
      call('c2', 600, { input: 5, cacheRead: 20_000, cacheWrite1h: 100 }),
      call('c3', 600 + 3_601, { input: 5, cacheWrite1h: 20_100 }),
    ]);
    const calls = only(findings).calls;
    assert.equal(calls[1]?.bust, null);
    assert.equal(calls[2]?.bust?.cause, 'ttl_lapse');
    assert.equal(calls[2]?.bust?.ttlSeconds, 3_600);
    // Of the shortfall, the 1-hour writes come first: 20,100 written at $6/M instead of read at $0.30/M.
    assert.equal(calls[2]?.bust?.extraCostNanos, 20_100 * (6_000 - 300));
  });

  it('names the first changed message of a prefix change, and bills a shortfall past the writes as uncached input', () => {
    const change = firstChange({ tools: '', messages: [message('a'), message('b'), message('c')] }, { tools: '', messages: [message('a'), message('B'), message('c'), message('d')] });
    assert.deepEqual(change, { where: 'message', messageIndex: 1, compaction: null });
    const findings = analyzeCalls([call('c1', 0, { input: 5, cacheWrite5m: 10_000 }), call('c2', 20, { input: 3_000, cacheRead: 4_000, cacheWrite5m: 5_000 }, { change })]);
    const bust = only(findings).calls[1]?.bust;
    assert.equal(bust?.cause, 'prefix_change');
    assert.equal(bust?.detail, 'message 1 changed or was removed');
    assert.equal(bust?.shortfall, 6_000);
    assert.equal(bust?.rewritten, 5_000);
    assert.equal(bust?.extraCostNanos, 5_000 * (3_750 - 300) + 1_000 * (3_000 - 300));
  });

  it('sees changed tools and a changed system prompt first', () => {
    const base: PromptShape = { tools: 't1', messages: [message('s', { system: true }), message('u')] };
    assert.deepEqual(firstChange(base, { ...base, tools: 't2' }), { where: 'tools', messageIndex: null, compaction: null });
    assert.deepEqual(firstChange(base, { tools: 't1', messages: [message('S', { system: true }), message('u')] }), { where: 'system', messageIndex: 0, compaction: null });
    assert.equal(firstChange(base, { tools: 't1', messages: [...base.messages, message('next')] }), null);
  });

  it('calls a context restarted from a new summary, or with newly cleared tool results, a compaction', () => {
    const before: PromptShape = { tools: '', messages: [message('u1'), message('a1'), message('r1', { cleared: 0 })] };
    assert.deepEqual(firstChange(before, { tools: '', messages: [message('summary', { compactionSummary: true }), message('u2')] }), {
      where: 'message',
      messageIndex: 0,
      compaction: 'summary',
    });
    assert.deepEqual(firstChange(before, { tools: '', messages: [message('u1'), message('a1'), message('r1*', { cleared: 2 })] }), {
      where: 'message',
      messageIndex: 2,
      compaction: 'cleared_tool_results',
    });
    const change = firstChange(before, { tools: '', messages: [message('summary', { compactionSummary: true })] });
    // Compaction wins over a gap past the TTL: the context changed whatever the timing.
    const findings = analyzeCalls([call('c1', 0, { input: 5, cacheWrite5m: 50_000 }), call('c2', 900, { input: 5, cacheRead: 12_000, cacheWrite5m: 3_000 }, { change })]);
    const bust = only(findings).calls[1]?.bust;
    assert.equal(bust?.cause, 'compaction');
    // The compacted prompt is smaller than what was cached: only what it could reuse counts.
    assert.equal(bust?.expectedRead, 15_005);
    assert.equal(bust?.rewritten, 3_000);
  });

  it('calls a switch of model a model change', () => {
    const findings = analyzeCalls([call('c1', 0, { input: 5, cacheWrite5m: 9_000 }), call('c2', 10, { input: 5, cacheWrite5m: 9_100 }, { model: 'claude-haiku-4-5-20251001' })]);
    assert.equal(only(findings).calls[1]?.bust?.cause, 'model_change');
  });

  it('places a read that stops inside the unrecorded prefix there, and leaves an unexplained short read unknown', () => {
    // Counted 1,000 per call, recorded ~21,000: a hidden prefix of about 20,000 tokens.
    const findings = analyzeCalls([
      call('c1', 0, { input: 5, cacheWrite5m: 21_000 }),
      call('c2', 5, { input: 5, cacheRead: 21_000, cacheWrite5m: 100 }),
      call('c3', 10, { input: 5, cacheRead: 8_000, cacheWrite5m: 13_200 }),
      call('c4', 15, { input: 5, cacheRead: 21_000, cacheWrite5m: 200 }),
    ]);
    const calls = only(findings).calls;
    assert.equal(calls[2]?.bust?.cause, 'prefix_change');
    assert.deepEqual(calls[2]?.bust?.change, { where: 'unrecorded', messageIndex: null, compaction: null });
    assert.equal(calls[3]?.bust?.cause, 'unknown');
    assert.equal(calls[3]?.bust?.shortfall, 200);
  });

  it('reports a sub-agent started between two calls as a drop of its own, with nothing re-written, and does not break the main line', () => {
    const findings = analyzeCalls([
      call('m1', 0, { input: 5, cacheWrite5m: 20_000 }),
      call('s1', 5, { input: 5, cacheRead: 3_000, cacheWrite5m: 6_000 }, { conversation: 'main/agent:1' }),
      call('s2', 8, { input: 5, cacheRead: 9_000, cacheWrite5m: 400 }, { conversation: 'main/agent:1' }),
      call('m2', 12, { input: 5, cacheRead: 20_000, cacheWrite5m: 900 }),
    ]);
    const agent = only(findings, 'main/agent:1');
    assert.equal(agent.calls[0]?.bust?.cause, 'sub_agent');
    assert.equal(agent.calls[0]?.bust?.rewritten, null);
    assert.equal(agent.calls[0]?.bust?.extraCostNanos, null);
    assert.equal(agent.rewritten, 0);
    assert.equal(agent.calls[1]?.bust, null);
    assert.equal(only(findings).calls[1]?.bust, null);
    assert.equal(only(findings).calls[1]?.gapSeconds, 12);
  });

  it('judges automatic prefix caching (OpenAI) by its 128-token steps, and says unpriced for an unknown model', () => {
    const gpt = { model: 'gpt-4o', prefixRecorded: true };
    const findings = analyzeCalls([
      call('o1', null, { input: 2_000 }, gpt),
      // 2,000 cacheable as 1,920: reading 1,920 of it is a full hit.
      call('o2', null, { input: 180, cacheRead: 1_920 }, gpt),
      call('o3', null, { input: 2_200 }, gpt),
    ]);
    const calls = only(findings).calls;
    assert.equal(calls[1]?.bust, null);
    assert.equal(calls[2]?.bust?.cause, 'unknown');
    assert.equal(calls[2]?.bust?.expectedRead, 2_048);
    assert.equal(calls[2]?.bust?.rewritten, 0);
    const unknown = analyzeCalls([call('x1', 0, { input: 5, cacheWrite5m: 5_000 }, { model: 'mystery-1' }), call('x2', 900, { input: 5, cacheWrite5m: 5_000 }, { model: 'mystery-1' })]);
    assert.equal(only(unknown).calls[1]?.bust?.extraCostNanos, null);
    assert.equal(only(unknown).extraCostNanos, null);
    assert.equal(only(unknown).unpricedBusts, 1);
  });

  it('keeps every bust but only so many other calls one by one, and counts every call in the totals', () => {
    const calls = [
      call('c1', 0, { input: 5, cacheWrite5m: 10_000 }),
      call('c2', 10, { input: 5, cacheRead: 10_000, cacheWrite5m: 100 }),
      call('c3', 20, { input: 5, cacheRead: 10_100, cacheWrite5m: 100 }),
      call('c4', 400, { input: 5, cacheWrite5m: 10_300 }),
      call('c5', 410, { input: 5, cacheRead: 10_300, cacheWrite5m: 100 }),
    ];
    const [limited] = analyzeCalls(calls, 2);
    assert.deepEqual(
      limited?.calls.map((finding) => finding.facts.id),
      ['c1', 'c2', 'c4'],
    );
    assert.equal(limited?.omittedCalls, 2);
    assert.equal(limited?.callCount, 5);
    const [whole] = analyzeCalls(calls);
    assert.equal(whole?.omittedCalls, 0);
    assert.equal(limited?.hitRate, whole?.hitRate);
    assert.equal(limited?.rewritten, whole?.rewritten);
  });

  it('reconciles every call: counted + hidden prefix + residual = recorded (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            counted: fc.integer({ min: 0, max: 50_000 }),
            read: fc.integer({ min: 0, max: 50_000 }),
            write: fc.integer({ min: 0, max: 5_000 }),
            gap: fc.integer({ min: 0, max: 4_000 }),
          }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        (steps) => {
          let at = 0;
          const calls = steps.map((step, index) => {
            at += step.gap;
            return call(`c${index}`, at, { input: 3, cacheRead: step.read, cacheWrite5m: step.write }, { counted: step.counted });
          });
          const [conversation] = analyzeCalls(calls);
          assert.ok(conversation);
          for (const finding of conversation.calls) {
            assert.equal(finding.facts.counted + finding.hidden + finding.residual, billedPrompt(finding.facts.billed));
            if (finding.bust) assert.ok(finding.bust.shortfall > 0 && finding.bust.shortfall <= billedPrompt(finding.facts.billed));
          }
          assert.deepEqual(analyzeCalls(calls), analyzeCalls(calls));
        },
      ),
      { numRuns: 30 },
    );
  });
});
