import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { findLongRuns, getTokenCounter, LONG_RUN, LONG_RUN_BUDGET, WINDOW_CHARS } from '../../src/tokens/counter.js';
import { providerForModel, tokenizerForModel } from '../../src/tokens/models.js';

const exact = new Tiktoken(o200k);
const exactCount = (text: string): number => exact.encode(text, [], []).length;

describe('tokenizerForModel', () => {
  it('uses o200k for current OpenAI models and cl100k for gpt-4 / 3.5', () => {
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-5', 'o3-mini', 'openai/gpt-4o']) {
      assert.deepEqual(tokenizerForModel(model), { encoding: 'o200k_base', exact: true }, model);
    }
    for (const model of ['gpt-4', 'gpt-4-turbo', 'gpt-3.5-turbo']) {
      assert.deepEqual(tokenizerForModel(model), { encoding: 'cl100k_base', exact: true }, model);
    }
  });

  it('labels Claude, Gemini and unknown models as estimates', () => {
    for (const model of ['claude-sonnet-4-5', 'gemini-2.5-pro', 'llama-3', null]) {
      assert.deepEqual(tokenizerForModel(model), { encoding: 'o200k_base', exact: false }, String(model));
    }
    assert.equal(providerForModel('claude-opus-4'), 'anthropic');
    assert.equal(providerForModel('gemini-2.0-flash'), 'google');
    assert.equal(providerForModel('gpt-4o'), 'openai');
  });
});

describe('token counter', () => {
  it('matches js-tiktoken exactly on ordinary text', async () => {
    const counter = await getTokenCounter('o200k_base');
    for (const text of ['Hello, world!', 'function add(a, b) {\n  return a + b;\n}\n', '日本語のテキストです。', '{"id": 1, "name": "x"}']) {
      assert.equal(counter.count(text), exactCount(text), text);
    }
  });

  it('counts cl100k differently from o200k', async () => {
    const cl100k = await getTokenCounter('cl100k_base');
    const o200k = await getTokenCounter('o200k_base');
    const text = 'Ünïcödé and emoji 🎉 counted by two different vocabularies, 日本語.';
    assert.notEqual(cl100k.count(text), o200k.count(text));
  });

  it('memoizes by key', async () => {
    const counter = await getTokenCounter('o200k_base');
    const text = `memo test ${Math.random()}`;
    const before = counter.stats.memoHits;
    const first = counter.count(text, `key-${text}`);
    assert.equal(counter.count(text, `key-${text}`), first);
    assert.equal(counter.stats.memoHits, before + 1);
  });

  it('finds long runs of one character class, not of digits', () => {
    assert.deepEqual(findLongRuns('short text'), []);
    const runs = findLongRuns(`abc ${'='.repeat(LONG_RUN + 10)} def`);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]?.runClass, 'punctuation');
    assert.deepEqual(findLongRuns('1'.repeat(500)), []);
  });

  it('bounds the cost of pathological runs and stays close to the exact count', async () => {
    const counter = await getTokenCounter('o200k_base');
    const huge = 'a'.repeat(200_000);
    const extrapolated = counter.stats.extrapolatedChars;
    const tokens = counter.count(huge);
    // The cost bound, counted rather than timed: only LONG_RUN_BUDGET characters
    // of the run go through byte-pair merges, the rest is extrapolated.
    assert.equal(counter.stats.extrapolatedChars - extrapolated, huge.length - LONG_RUN_BUDGET);
    assert.ok(tokens > 0);
    // Short enough to count exactly: the guard's chunking must agree closely.
    for (const text of ['-'.repeat(3000), ' '.repeat(2500) + 'x', 'ab'.repeat(1500), '漢字'.repeat(600)]) {
      const guarded = counter.count(text);
      const truth = exactCount(text);
      assert.ok(Math.abs(guarded - truth) <= Math.max(2, truth * 0.05), `${text.slice(0, 4)}…: ${guarded} vs ${truth}`);
    }
  });

  it('bounds the cost of one long pre-tokenizer piece that mixes character classes', async () => {
    // Letters with combining accents, Latin with CJK, ASCII with Unicode
    // punctuation: no run of one class, yet one piece, whose byte-pair merge
    // took time growing with its square (a 10 MB piece never finished).
    const counter = await getTokenCounter('o200k_base');
    for (const unit of ['a\u0301', 'a的', '!—']) {
      // Short enough to count exactly (js-tiktoken's own merge is cubic): chunking agrees closely.
      const short = `before ${unit.repeat(500)} after`;
      const shortTokens = counter.count(short);
      const truth = exactCount(short);
      assert.ok(Math.abs(shortTokens - truth) <= truth * 0.02, `${unit}: ${shortTokens} vs ${truth}`);
      // Past the budget the rest is extrapolated at the measured rate.
      const extrapolated = counter.stats.extrapolatedChars;
      const tokens = counter.count(`before ${unit.repeat(10_000)} after`);
      assert.ok(counter.stats.extrapolatedChars > extrapolated, `${unit}: the piece beyond the budget is extrapolated`);
      assert.ok(Math.abs(tokens - shortTokens * 20) <= shortTokens * 20 * 0.02, `${unit}: ${tokens} vs ~${shortTokens * 20}`);
    }
  });

  it('counts a piece of several MB, which overflowed the pre-tokenizer regex, in windows', async () => {
    const counter = await getTokenCounter('o200k_base');
    const tokens = counter.count('a的'.repeat(5_000_000));
    assert.ok(tokens > 5_000_000 && tokens < 15_000_000, String(tokens));
  });

  it('cuts windows only where a piece ends: counts across a window edge stay exact', async () => {
    const counter = await getTokenCounter('o200k_base');
    const words = ['alpha', 'Beta', "it's", '  spaced', '\n', '42', 'x.y', '—', '日本'];
    let text = '';
    for (let index = 0; text.length < WINDOW_CHARS * 2.5; index++) text += `${words[index % words.length]} `;
    assert.equal(counter.count(text), exactCount(text));
  });
});
