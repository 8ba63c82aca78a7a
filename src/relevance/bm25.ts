/**
 * BM25 over one batch of documents (a tool output's items), normalised to
 * [0,1] so one threshold means the same thing on every batch.
 *
 * IDF comes from the batch itself: a term every item contains (a JSON key, a
 * constant field) weighs almost nothing, a term one item contains weighs most.
 * The normalised score is `1 − exp(−raw / ideal)` where `ideal` is what an
 * item would score if it held each query term that occurs in the batch once,
 * at average length, with the weight of a term found in a single item. So:
 * - an item holding every matchable term, each as rare as it gets, scores
 *   ≈ 0.63 (more with repeats, up to 1 − e^−(k1+1));
 * - an item sharing only a term that half the batch contains scores ≈ 0.15,
 *   and one sharing a term all items contain ≈ 0 — a single shared token does
 *   not make an item relevant (the reference's fallback lifts any such item to
 *   0.3, above its threshold);
 * - query terms no item contains do not dilute the others: they cannot tell
 *   items apart, and a long user question should not push real matches down.
 */
import { countWords, queryTerms, stem, termClues, words } from './tokenize.js';

export interface Bm25Parameters {
  /** Term-frequency saturation: higher lets repeats of a term keep adding score. */
  k1: number;
  /** Length normalisation in [0,1]: 1 fully penalises long items, 0 ignores length. */
  b: number;
}

/** Robertson–Spärck Jones IDF with +1 inside the log, so it is never negative. */
function idf(documents: number, containing: number): number {
  return Math.log((documents - containing + 0.5) / (containing + 0.5) + 1);
}

/** The query-term frequencies of a document holding none (shared: never written). */
const NO_TERMS: ReadonlyMap<string, number> = new Map();

/** One normalised score per document; all zeros when the query has no usable term or there are no documents. */
export function bm25Scores(query: string, documents: readonly string[], parameters: Bm25Parameters): number[] {
  const scores = new Array<number>(documents.length).fill(0);
  const terms = queryTerms(query);
  if (terms.length === 0 || documents.length === 0) return scores;

  const queryFrequency = new Map<string, number>();
  for (const term of terms) queryFrequency.set(term, (queryFrequency.get(term) ?? 0) + 1);

  // Per document: its length and the frequency of each query term in it.
  const lengths: number[] = [];
  const frequencies: ReadonlyMap<string, number>[] = [];
  const containing = new Map<string, number>();
  // The items of one tool output repeat the same keys and words: each distinct
  // word is stemmed and looked up once (null: not a query term).
  const termOf = new Map<string, string | null>();
  const clues = termClues(queryFrequency.keys());
  for (const document of documents) {
    // A document holding no query term counts only its length: a long document of many short items is mostly these.
    const lowered = document.toLowerCase();
    if (!clues.some((clue) => lowered.includes(clue))) {
      lengths.push(countWords(lowered));
      frequencies.push(NO_TERMS);
      continue;
    }
    const tokens = words(document);
    const counts = new Map<string, number>();
    for (const word of tokens) {
      let term = termOf.get(word);
      if (term === undefined) {
        const stemmed = stem(word);
        termOf.set(word, (term = queryFrequency.has(stemmed) ? stemmed : null));
      }
      if (term !== null) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    for (const term of counts.keys()) containing.set(term, (containing.get(term) ?? 0) + 1);
    lengths.push(tokens.length);
    frequencies.push(counts);
  }

  const n = documents.length;
  const averageLength = lengths.reduce((sum, length) => sum + length, 0) / n;
  const rarest = idf(n, 1);
  let ideal = 0;
  for (const [term, frequency] of queryFrequency) if (containing.has(term)) ideal += frequency * rarest;
  if (ideal === 0) return scores;

  const { k1, b } = parameters;
  for (let i = 0; i < n; i++) {
    const counts = frequencies[i] as ReadonlyMap<string, number>;
    if (counts.size === 0) continue;
    // An empty batch-average (every document empty) cannot occur here: this document matched a term.
    const lengthRatio = (lengths[i] as number) / averageLength;
    let raw = 0;
    for (const [term, f] of counts) {
      const saturated = (f * (k1 + 1)) / (f + k1 * (1 - b + b * lengthRatio));
      raw += (queryFrequency.get(term) as number) * idf(n, containing.get(term) as number) * saturated;
    }
    scores[i] = 1 - Math.exp(-raw / ideal);
  }
  return scores;
}
