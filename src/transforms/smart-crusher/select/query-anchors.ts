/**
 * Items naming something the query names exactly — a UUID, an id number, a
 * host, an e-mail address, a quoted string (extracted by src/relevance) — are
 * kept whatever else is dropped, as long as the anchor singles items out.
 */
import { anchorTests, extractQueryAnchors } from '../../../relevance/index.js';

/** The most items a value may match and still single items out: a tenth of them, at least 3. */
export function singlingOutLimit(n: number): number {
  return Math.max(3, Math.ceil(0.1 * n));
}

/**
 * Items (their lower-cased texts) containing an anchor of `query`. An anchor
 * found in more than a tenth of the items (at least 3) does not single
 * anything out — a year, a domain every row has — and is ignored rather than
 * making the whole array "critical".
 */
export function anchorMatches(query: string | null, lowerTexts: readonly string[]): Set<number> {
  const matched = new Set<number>();
  if (query === null || query.trim() === '') return matched;
  const limit = singlingOutLimit(lowerTexts.length);
  for (const test of anchorTests(extractQueryAnchors(query))) {
    const hits: number[] = [];
    for (let i = 0; i < lowerTexts.length && hits.length <= limit; i++) if (test.matches(lowerTexts[i] ?? '')) hits.push(i);
    if (hits.length <= limit) for (const index of hits) matched.add(index);
  }
  return matched;
}
