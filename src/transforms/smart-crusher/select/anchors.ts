/**
 * Positional anchors: a few items kept for where they are, so the reader sees
 * how the array starts, ends and what its middle looks like. How the anchor
 * slots split between front, back and middle depends on the data pattern
 * (search results: the top hits; logs: the latest lines) and on the query
 * ("latest …" pulls anchors to the end, "first …" to the start), all from
 * `AnchorConfig`.
 */
import type { AnchorConfig } from '../../../config/index.js';

export type DataPattern = 'time_series' | 'logs' | 'search_results' | 'generic';

export interface AnchorWeights {
  readonly front: number;
  readonly back: number;
  readonly middle: number;
}

/** Query words move this much weight between front and back. */
const QUERY_SHIFT = 0.15;

/** How many anchor slots a budget of `k` items reserves: `anchor_budget_pct` of k, within [min, max] slots, at most n. */
export function anchorBudget(config: AnchorConfig, k: number, n: number): number {
  const slots = Math.min(config.maxAnchorSlots, Math.max(config.minAnchorSlots, Math.floor(k * config.anchorBudgetPct)));
  return Math.max(0, Math.min(n, slots));
}

/** Front/back/middle weights for the pattern, shifted by recency or historical words in the query, summing to 1. */
export function anchorWeights(config: AnchorConfig, pattern: DataPattern, query: string | null): AnchorWeights {
  let front = config.defaultFrontWeight;
  let back = config.defaultBackWeight;
  let middle = config.defaultMiddleWeight;
  if (pattern === 'search_results') {
    front = config.searchFrontWeight;
    back = config.searchBackWeight;
    middle = Math.max(0, 1 - front - back);
  } else if (pattern === 'logs') {
    front = config.logsFrontWeight;
    back = config.logsBackWeight;
    middle = Math.max(0, 1 - front - back);
  }
  const words = new Set((query ?? '').toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []);
  const recent = config.recencyKeywords.some((word) => words.has(word.toLowerCase()));
  const historical = config.historicalKeywords.some((word) => words.has(word.toLowerCase()));
  if (recent && !historical) {
    front = Math.max(0.1, front - QUERY_SHIFT);
    back = Math.min(0.8, back + QUERY_SHIFT);
  } else if (historical && !recent) {
    front = Math.min(0.8, front + QUERY_SHIFT);
    back = Math.max(0.1, back - QUERY_SHIFT);
  }
  const total = front + back + middle;
  return total > 0 ? { front: front / total, back: back / total, middle: middle / total } : { front: 1 / 3, back: 1 / 3, middle: 1 / 3 };
}

/** Splits `budget` slots: at least one front and one back slot when the budget allows, the rest to the middle. */
export function splitSlots(budget: number, weights: AnchorWeights): { front: number; back: number; middle: number } {
  if (budget <= 0) return { front: 0, back: 0, middle: 0 };
  let front = Math.max(1, Math.floor(budget * weights.front));
  let back = Math.max(budget > 1 ? 1 : 0, Math.floor(budget * weights.back));
  while (front + back > budget) {
    if (back > 1 || (back > 0 && front === 0)) back--;
    else front--;
  }
  return { front, back, middle: budget - front - back };
}

export interface AnchorRequest {
  readonly n: number;
  readonly budget: number;
  readonly weights: AnchorWeights;
  readonly config: AnchorConfig;
  /** Information score of an item in [0, 1] (rarer values, longer, structurally unusual = higher). */
  readonly density: (index: number) => number;
  /** Whether the item is identical to one already picked (used when `dedup_identical_items` is on). */
  readonly duplicateOf: (index: number, picked: ReadonlySet<number>) => boolean;
}

/**
 * The anchor indices: the first items, the last items and the middle picks.
 * Front and back anchors are the very first and last items (skipping
 * identical repeats when dedup is on); middle anchors come from
 * `candidate_multiplier` evenly spaced candidates per slot, the most
 * information-dense first when `use_information_density` is on.
 */
export function selectAnchors(request: AnchorRequest): number[] {
  const { n, config } = request;
  const slots = splitSlots(request.budget, request.weights);
  const picked = new Set<number>();
  const acceptable = (index: number): boolean => !picked.has(index) && !(config.dedupIdenticalItems && request.duplicateOf(index, picked));
  const scanLimit = (count: number): number => Math.max(1, count * config.candidateMultiplier);
  let taken = 0;
  for (let i = 0, looked = 0; i < n && taken < slots.front && looked < scanLimit(slots.front); i++, looked++) {
    if (acceptable(i)) {
      picked.add(i);
      taken++;
    }
  }
  const frontEnd = picked.size === 0 ? 0 : Math.max(...picked) + 1;
  taken = 0;
  const backPicks: number[] = [];
  for (let i = n - 1, looked = 0; i >= frontEnd && taken < slots.back && looked < scanLimit(slots.back); i--, looked++) {
    if (acceptable(i)) {
      picked.add(i);
      backPicks.push(i);
      taken++;
    }
  }
  const backStart = backPicks.length === 0 ? n : Math.min(...backPicks);
  middleAnchors(request, slots.middle, frontEnd, backStart, acceptable, (index) => picked.add(index));
  return [...picked].sort((a, b) => a - b);
}

function middleAnchors(request: AnchorRequest, slots: number, start: number, end: number, acceptable: (index: number) => boolean, pick: (index: number) => void): void {
  const size = end - start;
  if (slots <= 0 || size <= 0) return;
  const candidateCount = Math.min(size, slots * request.config.candidateMultiplier);
  const candidates: number[] = [];
  for (let c = 0; c < candidateCount; c++) {
    const index = start + Math.floor(((c + 0.5) * size) / candidateCount);
    if (candidates[candidates.length - 1] !== index) candidates.push(index);
  }
  const ordered = request.config.useInformationDensity ? [...candidates].sort((a, b) => request.density(b) - request.density(a) || a - b) : spread(candidates, slots);
  let chosen = 0;
  for (const index of ordered) {
    if (chosen >= slots) break;
    if (acceptable(index)) {
      pick(index);
      chosen++;
    }
  }
}

/** Candidates in an order that takes evenly spaced ones first (so the first `slots` cover the region). */
function spread(candidates: readonly number[], slots: number): number[] {
  const step = Math.max(1, Math.floor(candidates.length / slots));
  const order: number[] = [];
  for (let offset = 0; offset < step; offset++) for (let i = offset; i < candidates.length; i += step) order.push(candidates[i] ?? 0);
  return order;
}
