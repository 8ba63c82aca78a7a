import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatCount } from '../../src/cli/style.js';

describe('formatCount', () => {
  it('spells every number as en-US toLocaleString does, without Intl on the common path', () => {
    const intl = (value: number): string => Math.round(value).toLocaleString('en-US');
    fc.assert(fc.property(fc.oneof(fc.integer({ min: -1e12, max: 1e12 }), fc.maxSafeInteger(), fc.double()), (value) => formatCount(value) === intl(value)));
    for (const value of [0, -0, -0.4, 0.5, 999, 1000, -1000, 1234567, 2 ** 53, 1e21, Number.NaN, Infinity, -Infinity]) {
      assert.equal(formatCount(value), intl(value), String(value));
    }
  });
});
