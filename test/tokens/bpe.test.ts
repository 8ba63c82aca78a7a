import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { BpeCounter } from '../../src/tokens/bpe.js';
import { loadRankTable } from '../../src/tokens/rank-file.js';

// The tables the tokenizer loads (the binary files `npm run build` writes).
const encodings = [
  { name: 'o200k_base', ours: new BpeCounter(await loadRankTable('o200k_base')), reference: new Tiktoken(o200k) },
  { name: 'cl100k_base', ours: new BpeCounter(await loadRankTable('cl100k_base')), reference: new Tiktoken(cl100k) },
];

const SAMPLES = [
  '',
  'Hello, world!',
  '  indented\n\tcode();\r\n\n\n',
  '{"id": 12345678901234567890, "name": "Zoë", "tags": ["a","b"]}',
  '日本語のテキストです。中文文本。한국어 텍스트.',
  'emoji 🎉👩‍👩‍👧 and combining é (e\u0301)',
  '<|endoftext|> is plain text here',
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'x'.repeat(300),
  'supercalifragilisticexpialidocious antidisestablishmentarianism',
];

describe('BpeCounter', () => {
  for (const { name, ours, reference } of encodings) {
    it(`counts exactly like js-tiktoken (${name}) on samples`, () => {
      for (const text of SAMPLES) assert.equal(ours.count(text), reference.encode(text, [], []).length, JSON.stringify(text.slice(0, 30)));
    });

    it(`counts exactly like js-tiktoken (${name}) on generated text`, () => {
      const text = fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.array(fc.constantFrom('the', ' ', 'ing', '\n', '{', '"', ':', '123', 'é', '日本', '  ', '\t', 'Zz', '=='), { maxLength: 60 }).map((parts) => parts.join('')),
      );
      fc.assert(
        fc.property(text, (value) => ours.count(value) === reference.encode(value, [], []).length),
        { numRuns: 400 },
      );
    });
  }
});
