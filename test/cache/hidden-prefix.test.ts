import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { estimateHiddenPrefix } from '../../src/cache/hidden-prefix.js';

describe('hidden prefix estimate', () => {
  it('is the median gap between the recorded prompt and the counted messages, with its spread', () => {
    const estimate = estimateHiddenPrefix([
      { estimated: 1_000, recorded: 16_000 },
      { estimated: 3_000, recorded: 18_100 },
      { estimated: 5_000, recorded: null },
      { estimated: 9_000, recorded: 23_900 },
    ]);
    assert.deepEqual(estimate, { tokens: 15_000, calls: 3, spread: 100, gaps: [15_000, 15_100, null, 14_900] });
  });

  it('is null without recorded usage, and never negative', () => {
    assert.equal(estimateHiddenPrefix([{ estimated: 10, recorded: null }]), null);
    assert.equal(estimateHiddenPrefix([]), null);
    assert.equal(estimateHiddenPrefix([{ estimated: 500, recorded: 400 }])?.tokens, 0);
  });

  it('recovers a constant hidden prefix exactly, whatever the messages (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 1, maxLength: 30 }), (hidden, messages) => {
        const estimate = estimateHiddenPrefix(messages.map((tokens) => ({ estimated: tokens, recorded: tokens + hidden })));
        assert.equal(estimate?.tokens, hidden);
        assert.equal(estimate?.spread, 0);
      }),
      { numRuns: 30 },
    );
  });
});
