/**
 * The relevance scorer's tiers: BM25 alone, the embedding tier and the
 * hybrid mix (with a runtime double that evaluates the tiny model's one
 * Gather node, so the tokenizer, feeds, pooling and mixing are the real
 * code), the fallback to BM25 with one warning, and the real ONNX runtime on
 * a model the test writes, when `onnxruntime-node` is installed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { defaultConfig } from '../../src/config/index.js';
import type { RelevanceConfig } from '../../src/config/index.js';
import { loadEmbedder } from '../../src/relevance/embedding/embedder.js';
import { loadOnnxRuntime } from '../../src/relevance/embedding/onnx-runtime.js';
import type { OrtModule, OrtSession, OrtTensor } from '../../src/relevance/embedding/onnx-runtime.js';
import { bm25Scores, createRelevanceScorer } from '../../src/relevance/index.js';
import { TINY_TABLE, writeTinyModel } from './tiny-model.js';

const TEMP = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-relevance-'));
after(() => fs.rmSync(TEMP, { recursive: true, force: true }));
const MODEL_DIR = writeTinyModel(path.join(TEMP, 'tiny'));

function relevance(overrides: Partial<RelevanceConfig> = {}): RelevanceConfig {
  return { ...defaultConfig().smartCrusher.relevance, ...overrides };
}

const DOCS = ['{"note":"invoice overdue"}', '{"note":"disk volume full"}', '{"note":"cpu throttled"}', '{"note":"refunds pending billing"}'];

/** Evaluates the tiny model's graph (last_hidden_state = table[input_ids]) and records what it was fed. */
function gatherRuntime(fed: string[][] = []): OrtModule {
  const session: OrtSession = {
    inputNames: ['input_ids', 'attention_mask'],
    outputNames: ['last_hidden_state'],
    async run(feeds) {
      fed.push(Object.keys(feeds).sort());
      const ids = feeds['input_ids'] as OrtTensor;
      const [batch, tokens] = ids.dims as [number, number];
      const dim = (TINY_TABLE[0] as readonly number[]).length;
      const data = new Float32Array(batch * tokens * dim);
      [...(ids.data as BigInt64Array)].forEach((id, at) => data.set(TINY_TABLE[Number(id)] as readonly number[], at * dim));
      return { last_hidden_state: { dims: [batch, tokens, dim], data } };
    },
  };
  return {
    InferenceSession: { create: async () => session },
    Tensor: class {
      constructor(
        readonly type: 'int64',
        readonly data: BigInt64Array,
        readonly dims: readonly number[],
      ) {}
    },
  };
}

describe('createRelevanceScorer: bm25', () => {
  it('scores exactly like BM25 and never loads the runtime', async () => {
    let loads = 0;
    const scorer = createRelevanceScorer(relevance({ tier: 'bm25', embeddingModelPath: MODEL_DIR }), assert.fail, {
      loadRuntime: async () => {
        loads++;
        return gatherRuntime();
      },
    });
    assert.equal(scorer.tier, 'bm25');
    assert.deepEqual(await scorer.score('billing refunds', DOCS), bm25Scores('billing refunds', DOCS, { k1: 1.5, b: 0.75 }));
    assert.equal(loads, 0);
  });

  it('passes bm25_k1 and bm25_b through', async () => {
    const docs = ['alpha alpha alpha beta', 'alpha beta gamma delta epsilon zeta', 'gamma', 'delta'];
    const scored = await createRelevanceScorer(relevance({ tier: 'bm25', bm25K1: 3, bm25B: 0.2 }), assert.fail).score('alpha', docs);
    assert.deepEqual(scored, bm25Scores('alpha', docs, { k1: 3, b: 0.2 }));
    assert.notDeepEqual(scored, bm25Scores('alpha', docs, { k1: 1.5, b: 0.75 }));
  });
});

describe('createRelevanceScorer: fallback to BM25', () => {
  it('embedding without a model path warns once per scorer and scores like bm25', async () => {
    const warnings: string[] = [];
    const scorer = createRelevanceScorer(relevance({ tier: 'embedding' }), (message) => warnings.push(message));
    const first = await scorer.score('billing refunds', DOCS);
    const second = await scorer.score('disk', DOCS);
    assert.deepEqual(first, bm25Scores('billing refunds', DOCS, { k1: 1.5, b: 0.75 }));
    assert.deepEqual(second, bm25Scores('disk', DOCS, { k1: 1.5, b: 0.75 }));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] as string, /embedding tier .*embedding_model_path is not set.*BM25/);
  });

  it('hybrid, the default, without a model path is plain bm25 and says nothing', async () => {
    const warnings: string[] = [];
    const scorer = createRelevanceScorer(relevance({ tier: 'hybrid' }), (message) => warnings.push(message));
    assert.deepEqual(await scorer.score('billing refunds', DOCS), bm25Scores('billing refunds', DOCS, { k1: 1.5, b: 0.75 }));
    assert.deepEqual(warnings, []);
  });

  it('warns with the reason when the runtime is missing or the directory holds no model', async () => {
    const missingRuntime: string[] = [];
    await createRelevanceScorer(relevance({ tier: 'embedding', embeddingModelPath: MODEL_DIR }), (m) => missingRuntime.push(m), {
      loadRuntime: () => loadOnnxRuntime('headroom-no-such-runtime'),
    }).score('disk', DOCS);
    assert.match(missingRuntime.join('\n'), /headroom-no-such-runtime could not be loaded.*npm install onnxruntime-node/);

    const empty = fs.mkdtempSync(path.join(TEMP, 'empty-'));
    const noModel: string[] = [];
    const scores = await createRelevanceScorer(relevance({ tier: 'hybrid', embeddingModelPath: empty }), (m) => noModel.push(m), {
      loadRuntime: async () => gatherRuntime(),
    }).score('disk', DOCS);
    assert.deepEqual(noModel, [`relevance: the hybrid tier needs a local embedding model (all-MiniLM-L6-v2); no model.onnx in ${empty}; scoring with BM25 instead`]);
    assert.deepEqual(scores, bm25Scores('disk', DOCS, { k1: 1.5, b: 0.75 }));
  });

  it('does not load anything for an empty query, which scores all zeros', async () => {
    const warnings: string[] = [];
    const scorer = createRelevanceScorer(relevance({ tier: 'hybrid' }), (m) => warnings.push(m));
    assert.deepEqual(await scorer.score('   ', DOCS), [0, 0, 0, 0]);
    assert.deepEqual(warnings, []);
  });
});

describe('loadEmbedder', () => {
  it('says why a directory cannot be used', async () => {
    const runtime = gatherRuntime();
    assert.match(String(await loadEmbedder(path.join(TEMP, 'absent'), runtime)), /does not exist/);
    const noTokenizer = fs.mkdtempSync(path.join(TEMP, 'no-tokenizer-'));
    fs.copyFileSync(path.join(MODEL_DIR, 'model.onnx'), path.join(noTokenizer, 'model.onnx'));
    assert.match(String(await loadEmbedder(noTokenizer, runtime)), /no tokenizer\.json/);
    fs.writeFileSync(path.join(noTokenizer, 'tokenizer.json'), JSON.stringify({ model: { type: 'BPE', vocab: {} } }));
    assert.match(String(await loadEmbedder(noTokenizer, runtime)), /not a WordPiece tokenizer \(type BPE\)/);
    fs.writeFileSync(path.join(noTokenizer, 'tokenizer.json'), '{');
    assert.match(String(await loadEmbedder(noTokenizer, runtime)), /not valid JSON/);
  });
});

describe('createRelevanceScorer: embedding and hybrid with a model', () => {
  const withModel = (overrides: Partial<RelevanceConfig>, fed: string[][] = []) =>
    createRelevanceScorer(relevance({ embeddingModelPath: MODEL_DIR, ...overrides }), assert.fail, { loadRuntime: async () => gatherRuntime(fed) });

  it('embedding: items about the query topic score high even without a shared word', async () => {
    const fed: string[][] = [];
    const scores = await withModel({ tier: 'embedding' }, fed).score('payment', DOCS);
    // "invoice" and "billing" share the money axis with "payment"; "disk" and "cpu" do not.
    // (JSON punctuation is [UNK] to this vocabulary and pulls every vector toward the same small axis.)
    assert.ok((scores[0] as number) > 0.7 && (scores[3] as number) > 0.7, String(scores));
    assert.ok((scores[1] as number) < 0.4 && (scores[2] as number) < 0.4, String(scores));
    assert.deepEqual(bm25Scores('payment', DOCS, { k1: 1.5, b: 0.75 }), [0, 0, 0, 0]);
    // Only the inputs the graph declares are fed.
    assert.deepEqual(fed, [['attention_mask', 'input_ids']]);
  });

  it('embedding: batches of more than 16 texts give the same scores as one by one', async () => {
    const many = Array.from({ length: 40 }, (_, i) => DOCS[i % DOCS.length] as string);
    const scores = await withModel({ tier: 'embedding' }).score('storage', many);
    const single = await withModel({ tier: 'embedding' }).score('storage', DOCS);
    assert.deepEqual(
      scores,
      Array.from({ length: 40 }, (_, i) => single[i % DOCS.length]),
    );
  });

  it('hybrid: alpha·bm25 + (1−alpha)·embedding, hybrid_alpha taken as given without identifiers', async () => {
    const query = 'billing disk';
    const lexical = bm25Scores(query, DOCS, { k1: 1.5, b: 0.75 });
    const semantic = await withModel({ tier: 'embedding' }).score(query, DOCS);
    for (const alpha of [0, 0.3, 1]) {
      const mixed = await withModel({ tier: 'hybrid', hybridAlpha: alpha }).score(query, DOCS);
      mixed.forEach((score, i) => assert.ok(Math.abs(score - (alpha * (lexical[i] as number) + (1 - alpha) * (semantic[i] as number))) < 1e-12));
    }
  });

  it('hybrid: adaptive_alpha leans on BM25 for a query naming an id, and not when off', async () => {
    const docs = ['{"order":48213,"note":"disk"}', '{"order":11111,"note":"billing"}', '{"order":22222,"note":"cpu"}'];
    const query = 'invoice for order 48213';
    const lexical = bm25Scores(query, docs, { k1: 1.5, b: 0.75 });
    const semantic = await withModel({ tier: 'embedding' }).score(query, docs);
    const mix = (alpha: number) => lexical.map((score, i) => alpha * score + (1 - alpha) * (semantic[i] as number));
    const adaptive = await withModel({ tier: 'hybrid', hybridAlpha: 0.5, adaptiveAlpha: true }).score(query, docs);
    const fixed = await withModel({ tier: 'hybrid', hybridAlpha: 0.5, adaptiveAlpha: false }).score(query, docs);
    adaptive.forEach((score, i) => assert.ok(Math.abs(score - (mix(0.65)[i] as number)) < 1e-12));
    fixed.forEach((score, i) => assert.ok(Math.abs(score - (mix(0.5)[i] as number)) < 1e-12));
    // The item holding the id leads the item about billing by more with the adaptive weight.
    assert.ok((adaptive[0] as number) - (adaptive[1] as number) > (fixed[0] as number) - (fixed[1] as number) + 0.01, `${adaptive} vs ${fixed}`);
  });

  it('is deterministic and in [0,1]', async () => {
    const a = await withModel({ tier: 'hybrid' }).score('refund error', DOCS);
    const b = await withModel({ tier: 'hybrid' }).score('refund error', DOCS);
    assert.deepEqual(a, b);
    for (const score of a) assert.ok(score >= 0 && score <= 1);
  });
});

describe('embedding tier on the real ONNX runtime', () => {
  it('loads the hand-written ONNX model and ranks by meaning', async (t) => {
    const runtime = await loadOnnxRuntime();
    if (typeof runtime === 'string') {
      // onnxruntime-node is an optional dependency (about 290 MB installed); without it the fallback tests above apply.
      t.skip(runtime);
      return;
    }
    const warnings: string[] = [];
    const scorer = createRelevanceScorer(relevance({ tier: 'embedding', embeddingModelPath: MODEL_DIR }), (m) => warnings.push(m));
    const real = await scorer.score('payment', DOCS);
    const double = await createRelevanceScorer(relevance({ tier: 'embedding', embeddingModelPath: MODEL_DIR }), assert.fail, {
      loadRuntime: async () => gatherRuntime(),
    }).score('payment', DOCS);
    assert.deepEqual(warnings, []);
    real.forEach((score, i) => assert.ok(Math.abs(score - (double[i] as number)) < 1e-6, `${score} vs ${double[i]}`));
    assert.ok((real[0] as number) > 0.7 && (real[1] as number) < 0.4);
  });
});
