import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clearToolResults, TOOL_CLEARING_DEFAULTS, type ClearableSegment } from '../../../src/cache/replay/clearing.js';
import { billedNanos } from '../../../src/cache/replay/cost.js';
import { cachePricesFor } from '../../../src/pricing/cache-rules.js';

const result = (toolName: string, tokens: number) => ({ toolName, tokens, placeholderTokens: 10 });
/** Hidden prefix, then five messages with one tool result each (20,000 tokens apiece: 102,000 in all). */
function prompt(): ClearableSegment[] {
  return [
    { id: 'hidden', tokens: 2000, breakpoint: true },
    ...['Read', 'Bash', 'Grep', 'Read', 'Bash'].map((tool, index) => ({ id: `m${index}`, tokens: 20_000, results: [result(tool, 19_000)] })),
  ];
}

describe('tool-result clearing baseline', () => {
  it('past the trigger, clears all but the last 3 tool results, changing those messages', () => {
    const cleared = clearToolResults(prompt());
    assert.equal(cleared.clearedResults, 2);
    assert.equal(cleared.clearedTokens, 2 * 18_990);
    assert.deepEqual(
      cleared.segments.map((segment) => [segment.id, segment.tokens]),
      [
        ['hidden', 2000],
        ['m0#cleared:1', 1010],
        ['m1#cleared:1', 1010],
        ['m2', 20_000],
        ['m3', 20_000],
        ['m4', 20_000],
      ],
    );
    assert.equal(cleared.segments[0]?.breakpoint, true);
  });

  it('leaves the prompt alone below the trigger, for excluded tools, and when it would free less than clear_at_least', () => {
    const small = prompt().slice(0, 4);
    assert.equal(clearToolResults(small).clearedResults, 0);
    const excluded = clearToolResults(prompt(), { ...TOOL_CLEARING_DEFAULTS, excludeTools: ['Read'] });
    assert.deepEqual(excluded.segments.map((segment) => segment.id).slice(1, 3), ['m0', 'm1#cleared:1']);
    assert.equal(clearToolResults(prompt(), { ...TOOL_CLEARING_DEFAULTS, clearAtLeastTokens: 50_000 }).clearedResults, 0);
  });

  it('prices each bucket at its own rate, and says unpriced (null) for an unknown model', () => {
    const prices = cachePricesFor('claude-sonnet-4-5');
    assert.ok(prices);
    // Sonnet: $3 input, $0.30 read, $3.75 5-minute write, $6 1-hour write per million tokens.
    assert.equal(billedNanos({ input: 1000, cacheRead: 10_000, cacheWrite5m: 1000, cacheWrite1h: 1000 }, prices), 3_000_000 + 3_000_000 + 3_750_000 + 6_000_000);
    assert.equal(billedNanos({ input: 1, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 }, cachePricesFor('mystery-model')), null);
  });
});
