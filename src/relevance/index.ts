/** Relevance of a tool output's items to the query: BM25, local embeddings, their hybrid, and exact query anchors. */
export { createRelevanceScorer, RELEVANCE_SCORER_READS } from './scorer.js';
export type { RelevanceScorer, RelevanceTier, ScorerDependencies } from './scorer.js';
export { anchorTests, extractQueryAnchors, hasAnchors, matchesAnchor } from './anchors.js';
export type { AnchorTest, QueryAnchors } from './anchors.js';
export { bm25Scores } from './bm25.js';
export type { Bm25Parameters } from './bm25.js';
export { adaptiveAlpha } from './alpha.js';
export { tokenize, queryTerms } from './tokenize.js';
