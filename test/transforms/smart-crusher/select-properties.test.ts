/** Invariants of selectItems over generated arrays. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { selectItems } from '../../../src/transforms/smart-crusher/select/index.js';
import { inputOf, type ConfigOverrides } from './select-support.js';

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

const row = fc.record({
  name: fc.constantFrom(...WORDS),
  note: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }).map((words) => words.join(' ')),
  value: fc.integer({ min: 0, max: 100 }),
  flag: fc.boolean(),
});

/** Any JSON array: scalars, objects, nested values, mixed. */
const anyArray = fc.oneof(
  fc.array(row, { maxLength: 80 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 60 }),
  fc.array(fc.string({ maxLength: 20 }), { maxLength: 80 }),
  fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 80 }),
);

const config: fc.Arbitrary<ConfigOverrides> = fc.record({
  maxItemsAfterCrush: fc.integer({ min: 1, max: 30 }),
  minItemsToAnalyze: fc.integer({ min: 0, max: 10 }),
  dedupIdenticalItems: fc.boolean(),
  similarityThreshold: fc.double({ min: 0, max: 1, noNaN: true }),
  varianceThreshold: fc.double({ min: 0, max: 5, noNaN: true }),
});

describe('selectItems properties', () => {
  it('keep is ascending, unique and in range; the same input gives the same selection', () => {
    fc.assert(
      fc.property(anyArray, config, fc.option(fc.string({ maxLength: 30 })), (values, overrides, query) => {
        const input = inputOf(values, { config: overrides, query });
        const selection = selectItems(input);
        for (let i = 0; i < selection.keep.length; i++) {
          const index = selection.keep[i] ?? -1;
          assert.ok(Number.isInteger(index) && index >= 0 && index < values.length);
          if (i > 0) assert.ok(index > (selection.keep[i - 1] ?? -1));
        }
        if (selection.strategy === 'none' || selection.strategy === 'skip') assert.equal(selection.keep.length, values.length);
        assert.equal(selection.skipReason !== null, selection.strategy === 'skip');
        assert.deepEqual(selectItems(inputOf(values, { config: overrides, query })), selection);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps every planted error and anomaly item, whatever the budget', () => {
    const planted = fc.record({
      base: fc.array(row, { minLength: 20, maxLength: 150 }),
      errors: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
      anomalies: fc.array(fc.nat(), { maxLength: 2 }),
      maxItems: fc.integer({ min: 1, max: 20 }),
    });
    fc.assert(
      fc.property(planted, ({ base, errors, anomalies, maxItems }) => {
        const values: Record<string, unknown>[] = base.map((item, i) => ({ id: i, ...item }));
        const must = new Set<number>();
        for (const seed of errors) {
          const at = seed % values.length;
          values[at] = { ...values[at], status: 'failed', error: `step ${at} crashed` };
          must.add(at);
        }
        for (const seed of anomalies) {
          const at = (seed * 7 + 3) % values.length;
          if (must.has(at)) continue;
          values[at] = { ...values[at], value: 1_000_000 };
          must.add(at);
        }
        const selection = selectItems(inputOf(values, { config: { maxItemsAfterCrush: maxItems } }));
        const kept = new Set(selection.keep);
        for (const index of must) assert.ok(kept.has(index), `planted item ${index} kept (${selection.strategy})`);
      }),
      { numRuns: 150 },
    );
  });
});
