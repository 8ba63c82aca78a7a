/**
 * A tiny sentence-embedding model directory, built by hand for the tests: an
 * ONNX graph written as protobuf bytes (one Gather node: token id → a row of
 * a fixed embedding table, i.e. `last_hidden_state` of shape
 * [batch, tokens, dim]) and a WordPiece `tokenizer.json` over a small
 * vocabulary. Its embeddings are deterministic and meaningful enough to test
 * with: words sharing a table row point the same way.
 */
import fs from 'node:fs';
import path from 'node:path';

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

/** A varint field. */
function int(field: number, value: number): number[] {
  return [...varint(field << 3), ...varint(value)];
}

/** A length-delimited field (bytes, string or nested message). */
function bytes(field: number, content: readonly number[] | Uint8Array | string): number[] {
  const data = typeof content === 'string' ? [...Buffer.from(content, 'utf8')] : [...content];
  return [...varint((field << 3) | 2), ...varint(data.length), ...data];
}

const FLOAT = 1;
const INT64 = 7;

/** ValueInfoProto: a named tensor of `elemType` with symbolic or fixed dims. */
function valueInfo(name: string, elemType: number, dims: readonly (string | number)[]): number[] {
  const shape = dims.flatMap((dim) => bytes(1, typeof dim === 'string' ? bytes(2, dim) : int(1, dim)));
  const tensorType = [...int(1, elemType), ...bytes(2, shape)];
  return [...bytes(1, name), ...bytes(2, bytes(1, tensorType))];
}

/** ModelProto bytes of `last_hidden_state = Gather(table, input_ids)`; `attention_mask` is declared like a real export's. */
export function gatherModel(table: readonly (readonly number[])[]): Uint8Array {
  const dim = (table[0] as readonly number[]).length;
  const raw = Buffer.alloc(table.length * dim * 4);
  table.flat().forEach((value, i) => raw.writeFloatLE(value, i * 4));
  const initializer = [...int(1, table.length), ...int(1, dim), ...int(2, FLOAT), ...bytes(8, 'table'), ...bytes(9, raw)];
  const node = [...bytes(1, 'table'), ...bytes(1, 'input_ids'), ...bytes(2, 'last_hidden_state'), ...bytes(3, 'lookup'), ...bytes(4, 'Gather')];
  const graph = [
    ...bytes(1, node),
    ...bytes(2, 'tiny-embedder'),
    ...bytes(5, initializer),
    ...bytes(11, valueInfo('input_ids', INT64, ['batch', 'tokens'])),
    ...bytes(11, valueInfo('attention_mask', INT64, ['batch', 'tokens'])),
    ...bytes(12, valueInfo('last_hidden_state', FLOAT, ['batch', 'tokens', dim])),
  ];
  const opset = [...bytes(1, ''), ...int(2, 13)];
  return Uint8Array.from([...int(1, 7), ...bytes(7, graph), ...bytes(8, opset)]);
}

/** Special tokens first, then the words; ids are positions. */
export const TINY_VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'payment', 'invoice', 'billing', 'refund', 'disk', 'storage', 'volume', 'cpu', '##s', 'error'];

/**
 * Embedding rows: three topics (money, storage, compute) on three axes, so
 * "invoice" and "billing" are near and "disk" is far from both. Special
 * tokens and "##s" share a small fourth axis that every text has.
 */
export const TINY_TABLE: readonly (readonly number[])[] = TINY_VOCAB.map((token) => {
  if (['payment', 'invoice', 'billing', 'refund'].includes(token)) return [1, 0, 0, 0];
  if (['disk', 'storage', 'volume'].includes(token)) return [0, 1, 0, 0];
  if (token === 'cpu') return [0, 0, 1, 0];
  if (token === 'error') return [0.5, 0.5, 0.5, 0];
  return [0, 0, 0, 0.2];
});

export function tinyTokenizerJson(): object {
  return {
    version: '1.0',
    truncation: { max_length: 16 },
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_VOCAB.map((token, id) => [token, id])),
    },
  };
}

/** Writes the model directory (model.onnx, tokenizer.json) into `directory`. */
export function writeTinyModel(directory: string): string {
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, 'model.onnx'), gatherModel(TINY_TABLE));
  fs.writeFileSync(path.join(directory, 'tokenizer.json'), JSON.stringify(tinyTokenizerJson()));
  return directory;
}
