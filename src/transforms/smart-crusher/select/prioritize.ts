/**
 * Turns the signals into the kept index set:
 *  1. every flagged item (errors, anomalies, outliers, change points, query
 *     anchors, hinted items) — all of them, even past the budget K — unless a
 *     flag is carried by more than half the items: then it is the norm, and
 *     its items are only preferred (step 3);
 *  2. the positional anchors;
 *  3. the preferred items (most relevant first, then the strategy's own
 *     ranking: top scores, one line per log template, …) while under K —
 *     the most relevant items get up to a third of K (at most 5) even when
 *     step 1 filled it;
 *  4. evenly spaced fill while under K.
 * With `dedup_identical_items` an item identical to one already kept is never
 * kept again (its content is in the output); steps 3–4 also skip items whose
 * words are `similarity_threshold`-similar to a kept item (step 3 only for the
 * strategy's ranking: a relevant item is kept for itself).
 */
import { NearDuplicateGuard } from './similarity.js';
import { emptyCounts, type SelectionCounts } from './types.js';

/** Relevant items always get up to this many slots (at most a third of K), even when flagged items filled K. */
const RELEVANT_FLOOR = 5;

/** A flag carried by more than this share of the items is the norm rather than an exception. */
const NORM_SHARE = 0.5;

export type FlagName = 'errors' | 'anomalies' | 'outliers' | 'changePoints' | 'queryAnchors' | 'hinted';

export interface SelectionPlan {
  readonly n: number;
  readonly k: number;
  readonly texts: readonly string[];
  /** The words of an item's values, for near-duplicate suppression (see `valueWords`). */
  readonly words: (index: number) => ReadonlySet<string>;
  /** Always-kept items and why. */
  readonly flags: ReadonlyMap<FlagName, ReadonlySet<number>>;
  readonly anchors: readonly number[];
  /** Relevant items, most relevant first. */
  readonly relevant: readonly number[];
  /** The strategy's ranking of the other items, best first. */
  readonly preferred: readonly number[];
  readonly dedupIdentical: boolean;
  readonly similarityThreshold: number;
}

/** The slots the most relevant items get whatever else filled K: up to a third of K, at most RELEVANT_FLOOR. */
export function relevantShare(relevant: number, k: number): number {
  return Math.min(relevant, RELEVANT_FLOOR, Math.ceil(k / 3));
}

export function assemble(plan: SelectionPlan): { keep: number[]; counts: SelectionCounts } {
  const { n, k, texts } = plan;
  const kept = new Set<number>();
  const keptTexts = new Set<string>();
  const guard = new NearDuplicateGuard(plan.words, plan.similarityThreshold);
  const counts = emptyCounts();
  const isDuplicate = (index: number): boolean => plan.dedupIdentical && keptTexts.has(texts[index] ?? '');
  const take = (index: number): boolean => {
    if (index < 0 || index >= n || kept.has(index) || isDuplicate(index)) return false;
    kept.add(index);
    keptTexts.add(texts[index] ?? '');
    guard.add(index);
    return true;
  };
  const always = new Set<number>();
  const usual: number[] = [];
  for (const set of plan.flags.values()) {
    // A signal most items carry (10,000 failed jobs) is the array's norm, not news: its items are ranked, not all kept.
    if (set.size > NORM_SHARE * n) usual.push(...set);
    else for (const index of set) always.add(index);
  }
  for (const index of [...always].sort((a, b) => a - b)) take(index);
  for (const index of plan.anchors) if (take(index)) counts.anchors++;
  const optional = (index: number): boolean => !kept.has(index) && !isDuplicate(index) && !guard.isNearDuplicate(index) && take(index);
  const relevantLimit = kept.size + Math.max(k - kept.size, relevantShare(plan.relevant.length, k));
  for (const index of plan.relevant) {
    if (kept.size >= relevantLimit) break;
    // Relevance speaks for this very item, so looking like a kept one does not disqualify it.
    take(index);
  }
  for (const index of [...new Set(usual)].sort((a, b) => a - b).concat(plan.preferred)) {
    if (kept.size >= k) break;
    if (optional(index)) counts.fill++;
  }
  for (const index of strideOrder(n, kept, k - kept.size)) {
    if (kept.size >= k) break;
    if (optional(index)) counts.fill++;
  }
  const keep = [...kept].sort((a, b) => a - b);
  for (const [name, set] of plan.flags) counts[name] = keep.filter((index) => set.has(index)).length;
  const relevantSet = new Set(plan.relevant);
  counts.relevant = keep.filter((index) => relevantSet.has(index)).length;
  for (let i = 0; i < n; i++) if (!kept.has(i) && keptTexts.has(texts[i] ?? '')) counts.duplicates++;
  return { keep, counts };
}

/**
 * The not-yet-kept indices in the order an even fill takes them: a stride
 * pass that spreads `remaining` picks over the array, then the passes shifted
 * by one, two, … so every candidate is visited once.
 */
function strideOrder(n: number, kept: ReadonlySet<number>, remaining: number): number[] {
  if (remaining <= 0) return [];
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (!kept.has(i)) candidates.push(i);
  const step = Math.max(1, Math.floor(candidates.length / (remaining + 1)));
  const order: number[] = [];
  for (let offset = 0; offset < step; offset++) for (let i = step - 1 - offset; i < candidates.length; i += step) order.push(candidates[i] ?? 0);
  return order;
}
