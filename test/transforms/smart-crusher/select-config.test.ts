/** Every SmartCrusherConfig field the selection reads changes what it keeps. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adaptiveK } from '../../../src/transforms/smart-crusher/select/adaptive-k.js';
import { anchorBudget, anchorWeights, selectAnchors, splitSlots } from '../../../src/transforms/smart-crusher/select/anchors.js';
import { valueWords } from '../../../src/transforms/smart-crusher/select/similarity.js';
import { configWith, inputOf, rows, select } from './select-support.js';

/** Distinct lower-case words for item i (no digits, so every item has its own template). */
function word(i: number): string {
  let out = '';
  let v = i + 26;
  while (v > 0) {
    out = String.fromCharCode(97 + (v % 26)) + out;
    v = Math.floor(v / 26);
  }
  return out;
}

/** 200 distinct rows with one failed item (a signal, so the array is crushable). */
const withError = rows(200, (i) => ({ tag: word(i), status: i === 100 ? 'failed' : 'ok' }));

describe('SmartCrusherConfig fields used by the selection', () => {
  it('max_items_after_crush caps the adaptive budget', () => {
    assert.equal(select(withError, { config: { maxItemsAfterCrush: 5 } }).keep.length, 5);
    assert.equal(select(withError, { config: { maxItemsAfterCrush: 30 } }).keep.length, 30);
  });

  it('min_items_to_analyze leaves shorter arrays whole', () => {
    const ten = withError.slice(95, 105);
    assert.ok(select(ten, { config: { maxItemsAfterCrush: 3, minItemsToAnalyze: 5 } }).keep.length < 10);
    const whole = select(ten, { config: { maxItemsAfterCrush: 3, minItemsToAnalyze: 20 } });
    assert.equal(whole.strategy, 'none');
    assert.equal(whole.keep.length, 10);
  });

  it('variance_threshold sets how far from the bulk a value must be to be an anomaly', () => {
    // Values 100..104 (robust σ ≈ 1.5) and one 108, about 4σ out: an anomaly at 2σ (raised to Chauvenet's 2.8σ for 200 values), not at 5σ.
    const numbers = Array.from({ length: 200 }, (_, i) => 100 + (i % 5));
    numbers[101] = 108;
    const anomalies = (threshold: number): number => select(numbers, { config: { varianceThreshold: threshold } }).counts.anomalies;
    assert.equal(anomalies(2), 1);
    assert.equal(anomalies(5), 0);
  });

  it('uniqueness_threshold decides when content counts as repetitive (and so safe to sample)', () => {
    const values = Array.from({ length: 200 }, (_, i) => ({ id: i + 1, category: word(i % 30) }));
    assert.equal(select(values, { config: { uniquenessThreshold: 0.1 } }).strategy, 'skip');
    assert.equal(select(values, { config: { uniquenessThreshold: 0.2 } }).strategy, 'smart_sample');
  });

  it('similarity_threshold suppresses fill items whose words are that similar to a kept item', () => {
    const shared = Array.from({ length: 20 }, (_, i) => word(i + 500)).join(' ');
    const values = Array.from({ length: 200 }, (_, i) => ({ id: i + 1, text: `${shared} ${word(i)}`, status: i === 100 ? 'failed' : 'ok' }));
    const loose = select(values, { config: { similarityThreshold: 0.8 } });
    const strict = select(values, { config: { similarityThreshold: 1 } });
    assert.equal(loose.counts.fill, 0);
    assert.ok(strict.counts.fill > 5);
    assert.ok(loose.keep.includes(100) && strict.keep.includes(100));
  });

  it('similarity compares values, not the keys every row shares', () => {
    const input = inputOf([{ status: 'ok', count: 12, tags: ['Blue Sky'] }]);
    const [item] = input.items;
    assert.ok(item !== undefined);
    assert.deepEqual([...valueWords(input.doc, item)].sort(), ['12', 'blue', 'ok', 'sky']);
  });

  it('preserve_change_points keeps both sides of a level shift', () => {
    const series = [...Array.from({ length: 30 }, (_, i) => 10 + (i % 3)), ...Array.from({ length: 30 }, (_, i) => 50 + (i % 3))];
    const on = select(series, { config: { preserveChangePoints: true } });
    const off = select(series, { config: { preserveChangePoints: false } });
    assert.ok(on.keep.includes(29) && on.keep.includes(30));
    assert.equal(on.counts.changePoints, 2);
    assert.equal(off.counts.changePoints, 0);
    assert.ok(!(off.keep.includes(29) && off.keep.includes(30)));
  });

  it('dedup_identical_items keeps one copy of identical items', () => {
    const beats = Array.from({ length: 40 }, () => ({ event: 'heartbeat', ok: true }));
    const deduped = select(beats, { config: { dedupIdenticalItems: true } });
    assert.deepEqual(deduped.keep, [0]);
    assert.equal(deduped.counts.duplicates, 39);
    const kept = select(beats, { config: { dedupIdenticalItems: false, anchor: { dedupIdenticalItems: false } } });
    assert.equal(kept.keep.length, 3);
  });

  it('first_fraction and last_fraction set the positional share of string arrays', () => {
    const strings = Array.from({ length: 100 }, (_, i) => `entry ${word(i)}`);
    const front = select(strings, { config: { firstFraction: 0.6 } });
    for (let i = 0; i < 9; i++) assert.ok(front.keep.includes(i), `front ${i}`);
    assert.ok(!select(strings, { config: { firstFraction: 0.3 } }).keep.includes(4));
    const back = select(strings, { config: { lastFraction: 0.4 } });
    for (let i = 94; i < 100; i++) assert.ok(back.keep.includes(i), `back ${i}`);
    assert.ok(!select(strings, { config: { lastFraction: 0.15 } }).keep.includes(97));
  });

  it('relevance.relevance_threshold decides which scores count as relevant', () => {
    const relevance = withError.map((_, i) => (i === 60 ? 0.3 : 0));
    assert.equal(select(withError, { relevance, config: { relevance: { relevanceThreshold: 0.25 } } }).counts.relevant, 1);
    assert.equal(select(withError, { relevance, config: { relevance: { relevanceThreshold: 0.5 } } }).counts.relevant, 0);
  });

  it('max_items_after_crush is a text budget too: large records keep as many items as fit max_items × 512 characters', () => {
    // 40 distinct records of about 2,000 characters each (one failed, so the array is crushable).
    const big = rows(40, (i) => ({ tag: word(i), status: i === 20 ? 'failed' : 'ok', body: `${word(i)} `.repeat(400).slice(0, 2000) }));
    const input = inputOf(big);
    const mean = input.itemTexts.reduce((sum, text) => sum + text.length, 0) / input.itemTexts.length;
    assert.equal(adaptiveK(input.doc, input.items, input.itemTexts, 1, 15), Math.floor((15 * 512) / mean));
    assert.equal(adaptiveK(input.doc, input.items, input.itemTexts, 1, 30), Math.floor((30 * 512) / mean));
    // Small records are limited by the item count alone; huge ones never below 3 items.
    const small = inputOf(rows(40, (i) => ({ tag: word(i) })));
    assert.equal(adaptiveK(small.doc, small.items, small.itemTexts, 1, 15), 15);
    const huge = inputOf(rows(40, (i) => ({ tag: word(i), body: `${word(i)} `.repeat(4000) })));
    assert.equal(adaptiveK(huge.doc, huge.items, huge.itemTexts, 1, 15), 3);
    // The always-kept items are not limited by the budget.
    assert.ok(select(big, { config: { maxItemsAfterCrush: 15 } }).keep.includes(20));
  });

  it('when K is too small for the anchors and the relevant share, anchors beyond the first and last give way', () => {
    const big = rows(40, (i) => ({ tag: word(i), status: i === 20 ? 'failed' : 'ok', body: `${word(i)} `.repeat(400).slice(0, 2000) }));
    const relevance = big.map((_, i) => (i === 11 ? 0.9 : 0));
    const selection = select(big, { relevance, config: { maxItemsAfterCrush: 5 } });
    // K = 3 (five ordinary items of text); min_anchor_slots is 3, but the first, the last and the relevant item fill K.
    assert.deepEqual(selection.keep, [0, 11, 20, 39]);
    assert.equal(selection.counts.anchors, 2);
    // With room for both, every anchor slot stays.
    assert.equal(select(big, { relevance, config: { maxItemsAfterCrush: 30 } }).counts.anchors, 3);
  });

  it('bias scales the adaptive budget', () => {
    const input = inputOf(Array.from({ length: 40 }, (_, i) => `line ${word(i % 12)}`));
    const k = (bias: number): number => adaptiveK(input.doc, input.items, input.itemTexts, bias, 100);
    assert.ok(k(2) > k(1));
    assert.ok(k(0.5) < k(1));
  });
});

describe('AnchorConfig', () => {
  const anchor = configWith().anchor;

  it('anchor_budget_pct, min_anchor_slots and max_anchor_slots size the anchor budget', () => {
    assert.equal(anchorBudget(anchor, 15, 1000), 3);
    assert.equal(anchorBudget({ ...anchor, anchorBudgetPct: 0.5 }, 15, 1000), 7);
    assert.equal(anchorBudget({ ...anchor, minAnchorSlots: 5 }, 15, 1000), 5);
    assert.equal(anchorBudget({ ...anchor, anchorBudgetPct: 1, maxAnchorSlots: 4 }, 15, 1000), 4);
  });

  it('front/back/middle weights follow the data pattern', () => {
    assert.deepEqual(splitSlots(10, anchorWeights(anchor, 'generic', null)), { front: 5, back: 4, middle: 1 });
    assert.deepEqual(splitSlots(10, anchorWeights(anchor, 'search_results', null)), { front: 7, back: 1, middle: 2 });
    assert.deepEqual(splitSlots(10, anchorWeights(anchor, 'logs', null)), { front: 1, back: 7, middle: 2 });
    assert.deepEqual(splitSlots(10, anchorWeights({ ...anchor, defaultFrontWeight: 0.1, defaultBackWeight: 0.1, defaultMiddleWeight: 0.8 }, 'generic', null)), {
      front: 1,
      back: 1,
      middle: 8,
    });
    assert.deepEqual(splitSlots(10, anchorWeights({ ...anchor, searchFrontWeight: 0.2, searchBackWeight: 0.7 }, 'search_results', null)), { front: 2, back: 7, middle: 1 });
    assert.deepEqual(splitSlots(10, anchorWeights({ ...anchor, logsFrontWeight: 0.7, logsBackWeight: 0.2 }, 'logs', null)), { front: 7, back: 2, middle: 1 });
  });

  it('recency and historical keywords in the query move weight to the back or the front', () => {
    const plain = anchorWeights(anchor, 'generic', 'show the items');
    const recent = anchorWeights(anchor, 'generic', 'show the latest items');
    const historical = anchorWeights(anchor, 'generic', 'show the earliest items');
    assert.ok(recent.back > plain.back && recent.front < plain.front);
    assert.ok(historical.front > plain.front && historical.back < plain.back);
    assert.deepEqual(anchorWeights({ ...anchor, recencyKeywords: ['newer'] }, 'generic', 'show the latest items'), plain);
    assert.ok(anchorWeights({ ...anchor, historicalKeywords: ['genesis'] }, 'generic', 'the genesis block').front > plain.front);
  });

  const base = { n: 100, budget: 3, weights: { front: 0, back: 0, middle: 1 }, duplicateOf: () => false };

  it('use_information_density and candidate_multiplier choose the middle anchors', () => {
    // Budget 5 = one front, one back and three middle slots; the middle region 1..98 has 9 evenly
    // spaced candidates (6, 17, 28, 39, 50, 61, 71, …) at multiplier 3, 3 (17, 50, 82) at multiplier 1.
    const density = (index: number): number => (index === 28 ? 1 : 0);
    const request = { ...base, budget: 5, density };
    const dense = selectAnchors({ ...request, config: anchor });
    assert.deepEqual(dense, [0, 6, 17, 28, 99]);
    assert.deepEqual(selectAnchors({ ...request, config: { ...anchor, useInformationDensity: false } }), [0, 6, 39, 71, 99]);
    assert.deepEqual(selectAnchors({ ...request, config: { ...anchor, candidateMultiplier: 1 } }), [0, 17, 50, 82, 99]);
  });

  it('dedup_identical_items skips identical items when choosing anchors', () => {
    const texts = ['a', 'a', 'a', 'b', ...Array.from({ length: 96 }, (_, i) => `x${i}`)];
    const duplicateOf = (index: number, picked: ReadonlySet<number>): boolean => [...picked].some((other) => texts[other] === texts[index]);
    // Budget 3 with all weight in front = two front slots and the one back slot every split keeps.
    const request = { ...base, weights: { front: 1, back: 0, middle: 0 }, duplicateOf, density: () => 0 };
    assert.deepEqual(selectAnchors({ ...request, config: anchor }), [0, 3, 99]);
    assert.deepEqual(selectAnchors({ ...request, config: { ...anchor, dedupIdenticalItems: false } }), [0, 1, 99]);
  });
});
