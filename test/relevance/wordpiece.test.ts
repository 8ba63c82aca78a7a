/** The WordPiece tokenizer read from a model's tokenizer.json. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meanPool } from '../../src/relevance/embedding/embedder.js';
import { wordPieceTokenizer } from '../../src/relevance/embedding/wordpiece.js';
import { TINY_VOCAB, tinyTokenizerJson } from './tiny-model.js';

const id = (token: string): number => TINY_VOCAB.indexOf(token);

describe('wordPieceTokenizer', () => {
  const tokenizer = wordPieceTokenizer(tinyTokenizerJson());
  if (typeof tokenizer === 'string') throw new Error(tokenizer);

  it('lower-cases, splits punctuation, takes the longest pieces and wraps in [CLS] … [SEP]', () => {
    assert.deepEqual(tokenizer.encode('Refunds: DISK-error!'), [id('[CLS]'), id('refund'), id('##s'), id('[UNK]'), id('disk'), id('[UNK]'), id('error'), id('[UNK]'), id('[SEP]')]);
  });

  it('strips accents and maps a word with no fitting piece to [UNK]', () => {
    assert.deepEqual(tokenizer.encode('Ínvoice zzz'), [id('[CLS]'), id('invoice'), id('[UNK]'), id('[SEP]')]);
  });

  it('truncates to the tokenizer max_length, keeping [SEP] last', () => {
    const ids = tokenizer.encode(Array.from({ length: 40 }, () => 'cpu').join(' '));
    assert.equal(ids.length, 16);
    assert.equal(ids.at(-1), id('[SEP]'));
  });

  it('refuses tokenizers it does not implement', () => {
    assert.match(String(wordPieceTokenizer({ model: { type: 'Unigram' } })), /not a WordPiece tokenizer/);
    assert.match(String(wordPieceTokenizer({ model: { type: 'WordPiece', vocab: { a: 0 } } })), /lacks \[UNK\], \[CLS\] or \[SEP\]/);
  });
});

describe('meanPool', () => {
  it('averages token vectors over the attention mask, ignoring padding', () => {
    const hidden = { dims: [2, 3, 2], data: Float32Array.from([1, 0, 3, 2, 100, 100, 4, 4, 9, 9, 9, 9]) };
    const pooled = meanPool(hidden, BigInt64Array.from([1n, 1n, 0n, 1n, 0n, 0n]));
    assert.deepEqual(
      pooled.map((vector) => [...vector]),
      [
        [2, 1],
        [4, 4],
      ],
    );
  });
});
