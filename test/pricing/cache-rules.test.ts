import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cacheableTokens, cachePricesFor, cacheRuleFor } from '../../src/pricing/cache-rules.js';

/** One model of every family the input price table knows. */
const MODELS = [
  'gpt-4o-mini',
  'gpt-4o-2024-08-06',
  'gpt-4.1-nano',
  'gpt-4.1-mini',
  'gpt-4.1',
  'gpt-5-nano',
  'gpt-5-mini',
  'gpt-5-codex',
  'o4-mini',
  'o3-mini',
  'o3',
  'o1-mini',
  'o1',
  'claude-opus-4-5',
  'claude-opus-4-1',
  'claude-sonnet-4-5-20250929',
  'claude-haiku-4-5',
  'claude-3-5-haiku-latest',
  'claude-3-haiku-20240307',
  'gemini-2.5-pro',
  'gemini-2.5-flash-lite',
  'gemini-2.5-flash',
  'gemini-2.0-flash',
];

describe('cache rules', () => {
  it('the chat models of the price table have a cache rule, with sane values', () => {
    for (const model of MODELS) {
      const rule = cacheRuleFor(model);
      assert.ok(rule, `${model} has a cache rule`);
      assert.ok(rule.minCacheableTokens >= 512 && rule.cacheableStep >= 1);
      assert.ok(rule.readMultiplier > 0 && rule.readMultiplier < 1, `${model}: a read costs less than input`);
      assert.ok(rule.write5mMultiplier >= 1, `${model}: a write costs at least input`);
      assert.ok(rule.ttlSeconds.length > 0 && rule.ttlSeconds.every((ttl) => ttl > 0));
      assert.equal(rule.maxBreakpoints !== null, rule.mode === 'explicit_breakpoints', `${model}: breakpoints only where the client places them`);
    }
  });

  it('prices Anthropic reads at 0.1×, 5-minute writes at 1.25× and 1-hour writes at 2× of input', () => {
    assert.deepEqual(cachePricesFor('claude-sonnet-4-5-20250929'), { family: 'claude-sonnet', input: 3, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6 });
    assert.equal(cacheRuleFor('claude-haiku-4-5')?.minCacheableTokens, 4096);
    assert.equal(cacheRuleFor('claude-sonnet-4-5')?.minCacheableTokens, 1024);
  });

  it('OpenAI caches from 1,024 tokens in 128-token steps, with no write surcharge and a per-model read discount', () => {
    const rule = cacheRuleFor('gpt-4o');
    assert.ok(rule);
    assert.equal(cacheableTokens(rule, 1023), 0);
    assert.equal(cacheableTokens(rule, 1024), 1024);
    assert.equal(cacheableTokens(rule, 1300), 1280);
    assert.equal(cachePricesFor('gpt-4o')?.cacheRead, 1.25);
    assert.equal(cachePricesFor('gpt-5')?.cacheWrite5m, 1.25);
    assert.equal(cachePricesFor('gpt-5')?.cacheWrite1h, null);
  });

  it('an unknown model has no rule and no prices (unpriced, never $0)', () => {
    assert.equal(cacheRuleFor('llama-3-70b'), null);
    assert.equal(cachePricesFor('llama-3-70b'), null);
    assert.equal(cachePricesFor(null), null);
  });
});
