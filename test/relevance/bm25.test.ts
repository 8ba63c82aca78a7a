/**
 * BM25 over a batch: ordering, each parameter's effect, batch IDF (a term
 * every item holds does not make items relevant), stop words, normalisation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bm25Scores, queryTerms, tokenize } from '../../src/relevance/index.js';
import { countWords, words } from '../../src/relevance/tokenize.js';

const DEFAULTS = { k1: 1.5, b: 0.75 };

describe('tokenize', () => {
  it('keeps UUIDs and long numbers whole and lower-cases words', () => {
    assert.deepEqual(tokenize('Job 3F2504E0-4F89-11D3-9A0C-0305E82C3301 failed at step 48213, code E_42'), [
      'job',
      '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      'fail',
      'at',
      'step',
      '48213',
      'code',
      'e_42',
    ]);
  });

  it('strips inflections the same way on both sides, and leaves ids whole', () => {
    assert.deepEqual(tokenize('Errors failing failed queries boxes class status v1.20s'), ['error', 'fail', 'fail', 'query', 'box', 'class', 'status', 'v1', '20s']);
  });

  it('drops stop words and one-letter words from the query only', () => {
    assert.deepEqual(queryTerms('What is the status of a job in us-east?'), ['status', 'job', 'us', 'east']);
    assert.deepEqual(tokenize('the job'), ['the', 'job']);
  });
});

describe('countWords', () => {
  const piece = fc.constantFrom('3f2504e0-4f89-11d3-9a0c-0305e82c3301', '3F2504E0-4F89-11D3-9A0C-0305E82C33011', 'x', 'E_42', '48213', '1234a', '-', ' ', '.', 'İ', 'é', '\u212a', 'ab');
  it('counts exactly the words `words` makes (UUIDs, long numbers, runs)', () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join('')),
        (text) => {
          assert.equal(countWords(text.toLowerCase()), words(text).length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('bm25Scores', () => {
  const docs = [
    '{"id":1,"name":"checkout service","status":"ok"}',
    '{"id":2,"name":"payment gateway","status":"timeout"}',
    '{"id":3,"name":"payment gateway payment retries","status":"ok"}',
    '{"id":4,"name":"search","status":"ok"}',
  ];

  it('ranks items holding more (and rarer) query terms higher, and items with none at zero', () => {
    const scores = bm25Scores('payment timeout', docs, DEFAULTS);
    assert.equal(scores[0], 0);
    assert.equal(scores[3], 0);
    // Item 2 holds both terms; item 3 holds "payment" twice but not the rarer "timeout".
    assert.ok((scores[1] as number) > (scores[2] as number));
    assert.ok((scores[2] as number) > 0);
  });

  it('gives a term every item contains almost no weight (batch IDF)', () => {
    for (const score of bm25Scores('status', docs, DEFAULTS)) assert.ok(score < 0.1, `score ${score}`);
    // The larger the batch, the less a term all items share can weigh.
    const hundred = Array.from({ length: 100 }, (_, i) => `{"id":${i},"status":"ok"}`);
    for (const score of bm25Scores('status', hundred, DEFAULTS)) assert.ok(score < 0.01, `score ${score}`);
    // Whereas a term one item holds makes that item clearly relevant.
    const rare = bm25Scores('search', docs, DEFAULTS);
    assert.ok((rare[3] as number) > 0.5);
  });

  it('finds items by an inflected form of the query word', () => {
    const scores = bm25Scores('which results have errors?', ['{"id":1,"error":"timeout"}', '{"id":2}', '{"id":3}', '{"id":4}'], DEFAULTS);
    assert.ok((scores[0] as number) > 0.5 && scores[1] === 0, String(scores));
  });

  it('does not let query terms no item holds dilute the ones that match', () => {
    const short = bm25Scores('timeout', docs, DEFAULTS);
    const long = bm25Scores('timeout kubernetes ingress certificate rotation', docs, DEFAULTS);
    assert.deepEqual(long, short);
  });

  it('k1: a higher k1 lets repeated terms add more', () => {
    const repeated = ['alpha alpha alpha alpha beta', 'alpha beta gamma delta', 'beta gamma delta epsilon', 'gamma delta epsilon zeta'];
    const gap = (k1: number): number => {
      const [many, once] = bm25Scores('alpha', repeated, { k1, b: 0 });
      return (many as number) - (once as number);
    };
    assert.equal(gap(0), 0, 'k1 = 0 ignores term frequency');
    assert.ok(gap(3) > gap(1.2) && gap(1.2) > 0);
  });

  it('b: a higher b penalises long items more', () => {
    const lengths = ['alpha beta', 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu', 'nu xi', 'omicron pi'];
    const ratio = (b: number): number => {
      const [short, long] = bm25Scores('alpha', lengths, { k1: 1.5, b });
      return (short as number) - (long as number);
    };
    assert.equal(ratio(0), 0, 'b = 0 ignores length');
    assert.ok(ratio(1) > ratio(0.5) && ratio(0.5) > 0);
  });

  it('is all zeros for an empty query, a stop-word query and no documents', () => {
    assert.deepEqual(bm25Scores('', docs, DEFAULTS), [0, 0, 0, 0]);
    assert.deepEqual(bm25Scores('what is the', docs, DEFAULTS), [0, 0, 0, 0]);
    assert.deepEqual(bm25Scores('payment', [], DEFAULTS), []);
  });

  it('counts the length of documents holding no query term (UUIDs as one word), and finds -ies forms', () => {
    const match = 'payment failed for the order';
    // Only the other document's length differs: a longer batch average makes the match relatively short, so it scores higher.
    const short = bm25Scores('payment', [match, 'one two'], DEFAULTS)[0] as number;
    const long = bm25Scores('payment', [match, 'one two three four five six seven eight'], DEFAULTS)[0] as number;
    assert.ok(long > short, `${long} > ${short}`);
    assert.deepEqual(bm25Scores('payment', [match, 'one 3f2504e0-4f89-11d3-9a0c-0305e82c3301'], DEFAULTS), bm25Scores('payment', [match, 'one two'], DEFAULTS));
    assert.ok((bm25Scores('policy', ['Two policies apply', 'nothing here'], DEFAULTS)[0] as number) > 0);
  });

  it('scores are in [0,1], one per document, and deterministic', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.string(), { maxLength: 12 }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (query, documents, k1, b) => {
          const scores = bm25Scores(query, documents, { k1, b });
          assert.equal(scores.length, documents.length);
          for (const score of scores) assert.ok(score >= 0 && score <= 1, `score ${score}`);
          assert.deepEqual(bm25Scores(query, documents, { k1, b }), scores);
        },
      ),
    );
  });
});
