/**
 * The text compressor's per-word scores: salience (which words carry facts)
 * and word shingles (near-duplicate detection). ASCII text is scanned by
 * char code; these pin that scan to the rules (and, for shingles, to the
 * Unicode regex path that other text takes).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { salience, shingles } from '../../src/transforms/text-compressor/score.js';

describe('salience', () => {
  // One token after a plain word: 1/3 when the token is salient, 0 when not.
  const cases: [string, boolean][] = [
    ['--force', true],
    ['-v', true],
    ['--', false],
    ['-', false],
    ['---x', false],
    ['example.com', true],
    ['end.', false],
    ['.net', false],
    ['NASA', true],
    ['A', true],
    ['Paris', true],
    ['"Never"', true],
    ["don't", true],
    // A trailing apostrophe stays on the word (`dogs'`): `not'` is not the negation.
    ["'not'", false],
    ['failed,', true],
    ['fails!', true],
    ['camelCase', true],
    ['snake_case', true],
    ['call(', true],
    ['v2', true],
    ['plain', false],
    ["'quoted'", false],
    ['...', false],
    ["'", false],
  ];
  for (const [token, salient] of cases) {
    it(`${JSON.stringify(token)} is ${salient ? '' : 'not '}salient`, () => {
      assert.equal(salience(`word ${token}`), salient ? 1 / 3 : 0);
    });
  }

  it('does not count a capitalised first word as a name', () => {
    assert.equal(salience('The end'), 0);
  });
});

describe('shingles', () => {
  const word = fc.constantFrom('Alpha', 'beta', 'GAMMA', 'x1', '42', "don't", 'a.b', 'snake_case');
  const gap = fc.constantFrom(' ', ', ', '. ', '\n', ' - ', '(');
  const text = fc.array(fc.tuple(word, gap), { maxLength: 10 }).map((parts) => parts.map(([w, g]) => w + g).join(''));
  it('scans ASCII into the same shingles as the Unicode path', () => {
    fc.assert(
      fc.property(text, (ascii) => {
        // A no-break space is not a letter: it only sends the text down the Unicode path.
        assert.deepEqual(shingles(ascii, new Map()), shingles(`${ascii}\u00a0`, new Map()));
      }),
      { numRuns: 100 },
    );
  });

  it('lower-cases words and shares ids across segments', () => {
    const ids = new Map<string, number>();
    assert.deepEqual(shingles('The cat sat', ids), shingles('the CAT sat.', ids));
    assert.equal(ids.size, 3);
    assert.deepEqual(shingles('', ids), []);
  });
});
