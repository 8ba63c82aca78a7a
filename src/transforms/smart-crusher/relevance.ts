/**
 * The crusher's one link to the relevance scorer (src/relevance/, written in
 * parallel by the RELEVANCE helper).
 *
 * TEMPORARY adapter (swapped by the lead at merge): the scorer does not exist
 * on this branch yet, so `createScorer` returns null and the crusher selects
 * without relevance scores. At merge, delete the interface below, import
 * `RelevanceScorer` and `createRelevanceScorer` from '../../relevance/index.js',
 * and make `createScorer` return `createRelevanceScorer(config, warn)`.
 */
import type { RelevanceConfig } from '../../config/headroom-config.js';

/** As agreed in design.md: scores in [0,1], one per document, deterministic. */
export interface RelevanceScorer {
  readonly tier: 'bm25' | 'embedding' | 'hybrid';
  score(query: string, documents: readonly string[]): Promise<number[]>;
}

/** The scorer for a run, made once in `create`; null while no scorer is available. */
export function createScorer(config: RelevanceConfig, warn: (message: string) => void): RelevanceScorer | null {
  void config;
  void warn;
  return null;
}
