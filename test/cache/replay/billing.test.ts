import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { billConversation, sumBilled, type BilledCallInput, type CachePolicy, type PromptSegment } from '../../../src/cache/replay/billing.js';

const POLICY: CachePolicy = { ttlSeconds: 300, writeBucket: '5m', minCacheableTokens: 1024 };
const H: PromptSegment = { id: 'hidden', tokens: 2000, breakpoint: true };
const seg = (id: string, tokens: number): PromptSegment => ({ id, tokens });
const at = (seconds: number): number => Date.UTC(2026, 0, 1) + seconds * 1000;

describe('replay billing model', () => {
  it('bills a hand-computed conversation: growth, TTL lapse, prefix change, compaction', () => {
    const A = seg('a', 500);
    const B = seg('b', 300);
    const C = seg('c', 200);
    const calls: BilledCallInput[] = [
      { at: at(0), segments: [H, A] },
      // 60 s later, one message more: reads all of call 1, writes the new 300.
      { at: at(60), segments: [H, A, B] },
      // 400 s after the last use (> 300 s TTL): everything is written again.
      { at: at(460), segments: [H, A, B, C] },
      // The first message changed: only the hidden prefix (its own breakpoint, written at 460 s) is read.
      { at: at(500), segments: [H, seg('a-edited', 500), B, C, seg('d', 100)] },
      // Compaction: a summary replaces the conversation; the hidden prefix is still cached.
      { at: at(520), segments: [H, { id: 'summary', tokens: 400 }] },
    ];
    const billed = billConversation(calls, POLICY);
    assert.deepEqual(
      billed.map(({ input, cacheRead, cacheWrite5m, cacheWrite1h, cause }) => [input, cacheRead, cacheWrite5m, cacheWrite1h, cause]),
      [
        [0, 0, 2500, 0, 'first'],
        [0, 2500, 300, 0, 'extends'],
        [0, 0, 3000, 0, 'ttl-lapse'],
        [0, 2000, 1100, 0, 'prefix-change'],
        [0, 2000, 400, 0, 'prefix-change'],
      ],
    );
    assert.deepEqual(sumBilled(billed), { calls: 5, prompt: 13_800, input: 0, cacheRead: 6500, cacheWrite5m: 7300, cacheWrite1h: 0 });
  });

  it('bills a prompt below the minimum as uncached input, and writes to the 1-hour bucket under a 1-hour TTL', () => {
    const small = billConversation([{ at: null, segments: [seg('x', 1000)] }], POLICY);
    assert.deepEqual([small[0]?.input, small[0]?.cacheWrite5m, small[0]?.cause], [1000, 0, 'below-minimum']);
    const hour = billConversation(
      [
        { at: at(0), segments: [H] },
        { at: at(3000), segments: [H, seg('a', 10)] },
      ],
      { ...POLICY, ttlSeconds: 3600, writeBucket: '1h' },
    );
    assert.deepEqual(
      hour.map((call) => [call.cacheRead, call.cacheWrite1h, call.cacheWrite5m]),
      [
        [0, 2000, 0],
        [2000, 10, 0],
      ],
    );
  });

  it('reads a warm prefix on the first call, and a read refreshes the TTL', () => {
    const billed = billConversation(
      [
        { at: at(0), segments: [H, seg('a', 100)] },
        { at: at(250), segments: [H, seg('a', 100), seg('b', 50)] },
        // 500 s after the first call but 250 s after the read that refreshed it.
        { at: at(500), segments: [H, seg('a', 100), seg('b', 50), seg('c', 5)] },
      ],
      POLICY,
      [[H]],
    );
    assert.deepEqual(
      billed.map((call) => [call.cacheRead, call.cacheWrite5m]),
      [
        [2000, 100],
        [2100, 50],
        [2150, 5],
      ],
    );
  });

  it('is deterministic and bills every prompt token exactly once', () => {
    const segment = fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd'), tokens: fc.integer({ min: 0, max: 3000 }), breakpoint: fc.boolean() });
    const call = fc.record({ at: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }), segments: fc.array(segment, { maxLength: 6 }) });
    fc.assert(
      fc.property(fc.array(call, { maxLength: 8 }), (calls) => {
        const first = billConversation(calls, POLICY);
        assert.deepEqual(billConversation(calls, POLICY), first);
        for (const billed of first) assert.equal(billed.input + billed.cacheRead + billed.cacheWrite5m + billed.cacheWrite1h, billed.prompt);
      }),
      { numRuns: 30 },
    );
  });
});
