/**
 * Adaptive K: how many items an array needs to keep to show what it holds.
 * The information curve counts the distinct values seen after each item
 * (field=value pairs for objects, the values themselves otherwise); where it
 * bends (the knee — new items stop bringing new values) more items add
 * little. Arrays of near-identical items need only a few; arrays of distinct
 * items need up to the cap (`max_items_after_crush`). `bias` scales the
 * result (a tool profile that wants more or fewer items).
 *
 * The cap is a budget of text as much as of items: `max_items_after_crush`
 * ordinary items (ITEM_CHARS each, about 128 tokens) is what a reader is
 * given of one array, so an array of large records (an EC2 reservation, a
 * package version with its dependencies: 1,500–2,000 characters each) keeps
 * as many items as fit that much text — never fewer than MIN_K. The items a
 * selection always keeps (errors, anomalies, query anchors…) are not
 * limited by K; only the sample around them shrinks.
 */
import { rawText, type RawDocument, type RawNode } from '../../../json/index.js';
import { valueKey } from './field-stats.js';
import { countDistinct } from './similarity.js';

const MIN_K = 3;
/** Arrays this small are their own budget: there is nothing to saturate. */
const SMALL_ARRAY = 8;
/** The size of an ordinary item in compact JSON characters (about 128 tokens): K items of this size is the array's text budget. */
export const ITEM_CHARS = 512;

export function adaptiveK(doc: RawDocument, items: readonly RawNode[], texts: readonly string[], bias: number, maxK: number): number {
  const n = texts.length;
  if (n <= SMALL_ARRAY) return Math.min(n, maxK);
  const cap = Math.min(n, maxK, Math.max(MIN_K, textBudgetK(texts, maxK)));
  const floor = Math.min(MIN_K, cap);
  // Numbers are the information of a number array: only identical values count once there.
  const distinct = items.every((item) => item.type === 'number') ? new Set(texts).size : countDistinct(texts);
  if (distinct <= MIN_K) return Math.min(Math.max(floor, distinct), cap);
  const diversity = distinct / n;
  const byDiversity = Math.max(MIN_K, Math.floor(n * (0.3 + 0.7 * diversity)));
  let knee = kneeOf(valueCurve(doc, items));
  if (knee === null) knee = byDiversity;
  else if (diversity > 0.7) knee = Math.max(knee, byDiversity);
  const scaled = Math.floor(knee * (Number.isFinite(bias) && bias > 0 ? bias : 1));
  return Math.max(floor, Math.min(scaled, cap));
}

/** How many items of this array's mean size fit the text of `maxK` ordinary items. */
function textBudgetK(texts: readonly string[], maxK: number): number {
  let chars = 0;
  for (const text of texts) chars += text.length;
  const mean = chars / Math.max(1, texts.length);
  return mean <= ITEM_CHARS ? maxK : Math.floor((maxK * ITEM_CHARS) / mean);
}

/** Distinct values (field=value pairs inside objects) seen after each item. */
function valueCurve(doc: RawDocument, items: readonly RawNode[]): number[] {
  const seen = new Set<string>();
  return items.map((item) => {
    if (item.type === 'object') for (const entry of item.entries) seen.add(`${entry.key}\u0000${valueKey(doc, entry.value)}`);
    else seen.add(item.type === 'string' ? item.value : rawText(doc, item));
    return seen.size;
  });
}

/**
 * Kneedle: the 1-based position where the normalised curve is furthest above
 * the diagonal, or null when it never rises 5% above it (no saturation).
 */
export function kneeOf(curve: readonly number[]): number | null {
  const n = curve.length;
  if (n < 3) return null;
  const first = curve[0] ?? 0;
  const span = (curve[n - 1] ?? 0) - first;
  if (span === 0) return 1;
  let best = -Infinity;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const gap = ((curve[i] ?? 0) - first) / span - i / (n - 1);
    if (gap > best) {
      best = gap;
      at = i;
    }
  }
  return best < 0.05 ? null : at + 1;
}
