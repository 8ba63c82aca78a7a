/**
 * A local sentence-embedding model: an ONNX graph and its WordPiece
 * tokenizer, read from one directory on disk (a sentence-transformers ONNX
 * export: `model.onnx` or `onnx/model.onnx`, and `tokenizer.json`). Nothing is
 * ever downloaded: a missing file is a reason to fall back, not a fetch.
 *
 * Texts are embedded in small batches; token embeddings are mean-pooled over
 * the attention mask (unless the graph already outputs `sentence_embedding`)
 * and L2-normalised, so cosine similarity is a dot product.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { OrtModule, OrtSession, OrtTensor } from './onnx-runtime.js';
import { wordPieceTokenizer } from './wordpiece.js';
import type { WordPieceTokenizer } from './wordpiece.js';

export interface Embedder {
  /** One unit-length vector per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** Texts per model run: bounds the padded tensor (batch × longest text) and so memory. */
const BATCH_SIZE = 16;

const MODEL_FILES = ['model.onnx', path.join('onnx', 'model.onnx')];

/** The embedder for the model in `directory`, or why it cannot be used. */
export async function loadEmbedder(directory: string, runtime: OrtModule): Promise<Embedder | string> {
  if (!fs.existsSync(directory) || !fs.statSync(directory).isDirectory()) return `embedding model directory ${directory} does not exist`;
  const modelFile = MODEL_FILES.map((file) => path.join(directory, file)).find((file) => fs.existsSync(file));
  if (modelFile === undefined) return `no model.onnx in ${directory}`;
  const tokenizerFile = path.join(directory, 'tokenizer.json');
  if (!fs.existsSync(tokenizerFile)) return `no tokenizer.json in ${directory}`;
  let tokenizerJson: unknown;
  try {
    tokenizerJson = JSON.parse(fs.readFileSync(tokenizerFile, 'utf8'));
  } catch (error) {
    return `${tokenizerFile} is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  const tokenizer = wordPieceTokenizer(tokenizerJson);
  if (typeof tokenizer === 'string') return tokenizer;
  let session: OrtSession;
  try {
    session = await runtime.InferenceSession.create(modelFile);
  } catch (error) {
    return `${modelFile} could not be loaded (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
  if (!session.inputNames.includes('input_ids')) return `${modelFile} has no input_ids input`;
  return { embed: (texts) => embedAll(texts, tokenizer, session, runtime) };
}

async function embedAll(texts: readonly string[], tokenizer: WordPieceTokenizer, session: OrtSession, runtime: OrtModule): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += BATCH_SIZE) {
    vectors.push(...(await embedBatch(texts.slice(start, start + BATCH_SIZE), tokenizer, session, runtime)));
  }
  return vectors;
}

async function embedBatch(texts: readonly string[], tokenizer: WordPieceTokenizer, session: OrtSession, runtime: OrtModule): Promise<Float32Array[]> {
  const encoded = texts.map((text) => tokenizer.encode(text));
  const width = Math.max(...encoded.map((ids) => ids.length));
  const ids = new BigInt64Array(texts.length * width);
  const mask = new BigInt64Array(texts.length * width);
  encoded.forEach((row, r) =>
    row.forEach((id, c) => {
      ids[r * width + c] = BigInt(id);
      mask[r * width + c] = 1n;
    }),
  );
  const dims = [texts.length, width];
  // Feed only what the graph declares: some exports take no token_type_ids (all zeros for one segment).
  const available: Record<string, () => OrtTensor> = {
    input_ids: () => new runtime.Tensor('int64', ids, dims),
    attention_mask: () => new runtime.Tensor('int64', mask, dims),
    token_type_ids: () => new runtime.Tensor('int64', new BigInt64Array(ids.length), dims),
  };
  const feeds: Record<string, OrtTensor> = {};
  for (const name of session.inputNames) {
    const make = available[name];
    if (make === undefined) throw new Error(`embedding model input ${name} is not one of ${Object.keys(available).join(', ')}`);
    feeds[name] = make();
  }
  const outputs = await session.run(feeds);
  const pooled = outputs['sentence_embedding'];
  if (pooled !== undefined) return rows(pooled).map(normalise);
  const hidden = outputs['last_hidden_state'] ?? outputs[session.outputNames[0] as string];
  if (hidden === undefined || hidden.dims.length !== 3) throw new Error('embedding model returned no [batch, tokens, dim] output');
  return meanPool(hidden, mask).map(normalise);
}

function rows(tensor: OrtTensor): Float32Array[] {
  const data = tensor.data as Float32Array;
  const [count, dim] = tensor.dims as [number, number];
  return Array.from({ length: count }, (_, r) => data.slice(r * dim, (r + 1) * dim));
}

/** Mean of each text's token vectors over the tokens its attention mask keeps (padding excluded). */
export function meanPool(hidden: OrtTensor, mask: BigInt64Array): Float32Array[] {
  const data = hidden.data as Float32Array;
  const [count, width, dim] = hidden.dims as [number, number, number];
  const pooled: Float32Array[] = [];
  for (let r = 0; r < count; r++) {
    const sum = new Float32Array(dim);
    let tokens = 0;
    for (let c = 0; c < width; c++) {
      if (mask[r * width + c] === 0n) continue;
      tokens++;
      const offset = (r * width + c) * dim;
      for (let d = 0; d < dim; d++) sum[d] = (sum[d] as number) + (data[offset + d] as number);
    }
    pooled.push(sum.map((value) => value / Math.max(tokens, 1)));
  }
  return pooled;
}

function normalise(vector: Float32Array): Float32Array {
  const length = Math.hypot(...vector);
  return length === 0 ? vector : vector.map((value) => value / length);
}

/** Cosine similarity of two unit vectors, clamped to [0,1] (opposite meanings are just irrelevant). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] as number);
  return Math.min(1, Math.max(0, dot));
}
