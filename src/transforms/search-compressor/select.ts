/**
 * Which units of a search output to keep. Budgets count match lines:
 * 1. units relevant to the query or pattern (relevance at or above the
 *    threshold), best first, up to `max_total_matches`;
 * 2. then files in order of their best unit's score (ties: more matches,
 *    then earlier), up to `max_files` files in all, each up to
 *    `max_matches_per_file`: its first and last unit (when configured), then
 *    its best-scored others, while the total budget lasts.
 * Files that keep nothing are still named with their match count by the
 * caller's markers. Deterministic: every tie falls back to output order.
 */
import type { SearchLayout } from './parse.js';

export interface SelectionSettings {
  readonly maxMatchesPerFile: number;
  readonly maxTotalMatches: number;
  readonly maxFiles: number;
  readonly alwaysKeepFirst: boolean;
  readonly alwaysKeepLast: boolean;
  readonly relevanceThreshold: number;
}

/** One flag per unit: kept or not. `relevance` is the query score alone; `scores` adds the keyword boosts. */
export function selectUnits(layout: SearchLayout, relevance: readonly number[], scores: readonly number[], settings: SelectionSettings): boolean[] {
  const { units, files } = layout;
  const keep = units.map((unit) => unit.matchLines.length === 0);
  const keptInFile = new Array<number>(files.length).fill(0);
  let used = 0;
  const cost = (unit: number): number => Math.max(1, (units[unit] as { matchLines: unknown[] }).matchLines.length);
  const take = (unit: number, fileBudget: number): boolean => {
    const file = (units[unit] as { file: number }).file;
    if (keep[unit]) return true;
    const c = cost(unit);
    if (used + c > settings.maxTotalMatches || (keptInFile[file] as number) + c > fileBudget) return false;
    keep[unit] = true;
    used += c;
    keptInFile[file] = (keptInFile[file] as number) + c;
    return true;
  };
  const byScore = (a: number, b: number): number => (scores[b] as number) - (scores[a] as number) || a - b;

  const relevant = units.map((_, index) => index).filter((index) => (relevance[index] as number) >= settings.relevanceThreshold && (relevance[index] as number) > 0);
  for (const unit of relevant.sort(byScore)) take(unit, Infinity);

  const best = files.map((file) => Math.max(0, ...file.units.map((unit) => scores[unit] as number)));
  const order = files
    .map((_, index) => index)
    .sort((a, b) => (best[b] as number) - (best[a] as number) || (files[b] as { matches: number }).matches - (files[a] as { matches: number }).matches || a - b);
  let filesKept = keptInFile.filter((kept) => kept > 0).length;
  for (const index of order) {
    if (used >= settings.maxTotalMatches) break;
    const file = files[index] as SearchLayout['files'][number];
    if ((keptInFile[index] as number) === 0) {
      if (filesKept >= settings.maxFiles) continue;
      filesKept++;
    }
    const candidates: number[] = [];
    if (settings.alwaysKeepFirst) candidates.push(file.units[0] as number);
    if (settings.alwaysKeepLast) candidates.push(file.units[file.units.length - 1] as number);
    candidates.push(...[...file.units].sort(byScore));
    for (const unit of candidates) take(unit, settings.maxMatchesPerFile);
  }
  return keep;
}
