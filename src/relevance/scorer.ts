/**
 * The relevance scorer SmartCrusher asks which items of a tool output matter
 * to the query (the user's request plus the tool call's arguments). Scores are
 * in [0,1], one per document, deterministic; the caller compares them with
 * `relevance_threshold` (this module applies no threshold: selection decides
 * what "relevant" costs).
 *
 * Tiers:
 * - `bm25`: lexical, batch IDF (see bm25.ts);
 * - `embedding`: cosine similarity of a local sentence-embedding model;
 * - `hybrid`: `α·bm25 + (1−α)·embedding`, α = `hybrid_alpha`, raised for
 *   identifier-like queries when `adaptive_alpha` is on (see alpha.ts).
 * The model is loaded on the first non-empty query, only from
 * `embedding_model_path`, with `onnxruntime-node` imported then. When there is
 * no path, no runtime or no usable model, the embedding and hybrid tiers score
 * exactly like `bm25`, and `onWarning` is told why once per scorer (the
 * pipeline makes one scorer per run) — except for the default, `hybrid` with
 * no model path configured, which is plain BM25 without a warning.
 */
import type { RelevanceConfig } from '../config/headroom-config.js';
import { adaptiveAlpha } from './alpha.js';
import { extractQueryAnchors } from './anchors.js';
import { bm25Scores } from './bm25.js';
import { cosine, loadEmbedder } from './embedding/embedder.js';
import type { Embedder } from './embedding/embedder.js';
import { loadOnnxRuntime } from './embedding/onnx-runtime.js';
import type { OrtModule } from './embedding/onnx-runtime.js';

export type RelevanceTier = 'bm25' | 'embedding' | 'hybrid';

/** The configuration keys a scorer made by `createRelevanceScorer` reads: a transform that makes one lists them in its `reads`. */
export const RELEVANCE_SCORER_READS = [
  'smart_crusher.relevance.tier',
  'smart_crusher.relevance.bm25_k1',
  'smart_crusher.relevance.bm25_b',
  'smart_crusher.relevance.embedding_model',
  'smart_crusher.relevance.embedding_model_path',
  'smart_crusher.relevance.hybrid_alpha',
  'smart_crusher.relevance.adaptive_alpha',
] as const;

export interface RelevanceScorer {
  /** The configured tier (the embedding and hybrid tiers score like bm25 after a fallback warning). */
  readonly tier: RelevanceTier;
  /** One score in [0,1] per document; all zeros for an empty query. */
  score(query: string, documents: readonly string[]): Promise<number[]>;
}

export interface ScorerDependencies {
  /** Loads the ONNX runtime; tests pass their own to point at a runtime they have. */
  loadRuntime: () => Promise<OrtModule | string>;
}

const DEFAULT_DEPENDENCIES: ScorerDependencies = { loadRuntime: () => loadOnnxRuntime() };

export function createRelevanceScorer(config: RelevanceConfig, onWarning: (message: string) => void, dependencies: ScorerDependencies = DEFAULT_DEPENDENCIES): RelevanceScorer {
  const parameters = { k1: config.bm25K1, b: config.bm25B };
  const tier = config.tier;
  let embedder: Promise<Embedder | null> | null = null;

  /** The model, loaded once; null (after one warning) when the tier must fall back to BM25. */
  const model = (): Promise<Embedder | null> => {
    embedder ??= (async () => {
      const unavailable = (reason: string): null => {
        onWarning(`relevance: the ${tier} tier needs a local embedding model (${config.embeddingModel}); ${reason}; scoring with BM25 instead`);
        return null;
      };
      if (config.embeddingModelPath === null) {
        // The default (hybrid, no model) is BM25 without a word: a warning on every run would be noise users cannot act on
        // unless they want embeddings. Asking for the embedding tier alone without a model is a mistake worth saying.
        return tier === 'hybrid' ? null : unavailable('smart_crusher.relevance.embedding_model_path is not set (set it to the model directory, or set tier to bm25)');
      }
      const runtime = await dependencies.loadRuntime();
      if (typeof runtime === 'string') return unavailable(runtime);
      const loaded = await loadEmbedder(config.embeddingModelPath, runtime);
      return typeof loaded === 'string' ? unavailable(loaded) : loaded;
    })();
    return embedder;
  };

  return {
    tier,
    async score(query, documents) {
      if (query.trim() === '' || documents.length === 0) return new Array<number>(documents.length).fill(0);
      const lexical = tier === 'embedding' ? null : bm25Scores(query, documents, parameters);
      if (tier === 'bm25') return lexical as number[];
      const embeddings = await model();
      if (embeddings === null) return lexical ?? bm25Scores(query, documents, parameters);
      const [queryVector, ...vectors] = await embeddings.embed([query, ...documents]);
      const semantic = vectors.map((vector) => cosine(queryVector as Float32Array, vector));
      if (lexical === null) return semantic;
      const alpha = config.adaptiveAlpha ? adaptiveAlpha(config.hybridAlpha, extractQueryAnchors(query)) : config.hybridAlpha;
      return lexical.map((score, i) => alpha * score + (1 - alpha) * (semantic[i] as number));
    },
  };
}
