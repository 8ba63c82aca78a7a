import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { Tiktoken } from 'js-tiktoken/lite';
import { packageRoot } from '../../src/input/package-root.js';
import { BpeCounter } from '../../src/tokens/bpe.js';
import { ENCODINGS } from '../../src/tokens/models.js';
import { loadRankTable, rankTablePath, tiktokenRanks } from '../../src/tokens/rank-file.js';
import { encodeRankTable, RankTable, RankTableError } from '../../src/tokens/rank-table.js';

/** Text of every kind that splits differently into pieces and merges differently. */
const SAMPLES = [
  'Hello, world!',
  'function add(a: number, b: number): number {\n\treturn a + b; // sum\n}\n',
  'def f(x):\r\n    return {"k": [1, 2.5e-3, None]}\r\n',
  ' '.repeat(200),
  '\n\n\n\t\t\t   \n  \r\n',
  'a'.repeat(250),
  '-'.repeat(120) + '='.repeat(90),
  'pneumonoultramicroscopicsilicovolcanoconiosis Donaudampfschiffahrtsgesellschaftskapitän',
  '日本語のテキストです。中文文本没有空格。한국어 텍스트.',
  'Ünïcödé ЖЖЖ Ελληνικά עברית العربية हिन्दी ไทย',
  'emoji 🎉👩‍👩‍👧🏳️‍🌈 and combining e\u0301\u0302\u0303',
  'lone surrogate \ud800 here',
  '<|endoftext|><|endofprompt|> as plain text',
  '12345678901234567890 3.14159 0xDEADBEEF 1e100',
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  "it's they're we've I'M YOU'LL she'd",
];

for (const encoding of ENCODINGS) {
  describe(`rank table (${encoding})`, async () => {
    const bpe = await tiktokenRanks(encoding);
    const reference = new Tiktoken(bpe);
    const built = await loadRankTable(encoding);
    const ours = new BpeCounter(built);

    it('is the file npm run build wrote, not the slower in-memory fallback', () => {
      const root = packageRoot();
      assert.ok(root, 'runs inside the headroom package');
      const file = fs.readFileSync(rankTablePath(root.dir, encoding));
      assert.ok(file.equals(encodeRankTable(bpe)), 'the built table encodes the installed js-tiktoken ranks');
    });

    it('maps every token of js-tiktoken to its rank, and nothing else to one', () => {
      let tokens = 0;
      for (const line of bpe.bpe_ranks.split('\n')) {
        if (line === '') continue;
        const fields = line.split(' ');
        const offset = Number(fields[1]);
        for (let index = 2; index < fields.length; index++) {
          const bytes = Buffer.from(fields[index] ?? '', 'base64').toString('latin1');
          // Looked up inside a longer string, as the merge loop does.
          const padded = `\u00ff${bytes}\u00fe`;
          assert.equal(built.rank(padded, 1, bytes.length + 1), offset + index - 2);
          tokens++;
        }
      }
      assert.equal(built.size, tokens);
      assert.equal(built.pattern, bpe.pat_str);
      assert.equal(built.rank('\u00ff\u00fe\u00fd\u00fc', 0, 4), -1);
      assert.equal(built.rank('x', 0, 0), -1);
    });

    // bpe.test.ts also compares these tables with js-tiktoken on generated text.
    it('counts exactly like js-tiktoken on varied samples', () => {
      for (const text of SAMPLES) assert.equal(ours.count(text), reference.encode(text, [], []).length, JSON.stringify(text.slice(0, 30)));
    });
  });
}

describe('RankTable.decode', () => {
  it('refuses a file that is not a rank table, or is cut short', async () => {
    const good = encodeRankTable(await tiktokenRanks('cl100k_base'));
    assert.throws(() => RankTable.decode(Buffer.from('{"not": "a table"}')), RankTableError);
    assert.throws(() => RankTable.decode(good.subarray(0, good.length - 1)), RankTableError);
    assert.equal(RankTable.decode(good).size, 100_256);
  });

  it('reads a table at an offset not aligned to 4 bytes', async () => {
    const good = encodeRankTable(await tiktokenRanks('cl100k_base'));
    const shifted = Buffer.alloc(good.length + 1);
    good.copy(shifted, 1);
    const table = RankTable.decode(shifted.subarray(1));
    assert.equal(table.rank('hello', 0, 5), RankTable.decode(good).rank('hello', 0, 5));
    assert.notEqual(table.rank('hello', 0, 5), -1);
  });
});
