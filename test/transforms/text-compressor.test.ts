import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandMarkers, findMarkers } from '../../src/ccr/markers.js';
import { defaultConfig } from '../../src/config/index.js';
import type { HeadroomConfig } from '../../src/config/headroom-config.js';
import { TRANSFORM_FACTORIES } from '../../src/transforms/index.js';
import { lineSentences } from '../../src/transforms/text-compressor/segments.js';
import { createTextCompressor, textCompressorFactory } from '../../src/transforms/text-compressor/index.js';
import type { RelevanceScorer } from '../../src/relevance/index.js';
import { isRewrite, NO_SERVICES, type Decline, type Rewrite } from '../../src/transforms/types.js';
import { blockOf, contextFor } from './smart-crusher/support.js';

interface Compressed {
  outcome: Rewrite | Decline;
  store: Map<string, string>;
}

async function compress(text: string, options: { query?: string; canOffload?: boolean; config?: (config: HeadroomConfig) => void } = {}): Promise<Compressed> {
  const config = defaultConfig();
  options.config?.(config);
  const transform = textCompressorFactory.create(config, NO_SERVICES);
  assert.ok(transform);
  const store = new Map<string, string>();
  const context = contextFor({ query: options.query ?? null, canOffload: options.canOffload ?? true }, store, []);
  const outcome = await transform.apply(blockOf(text), context);
  return { outcome, store };
}

function rewritten(compressed: Compressed): string {
  assert.ok(isRewrite(compressed.outcome), `rewritten, not ${JSON.stringify(compressed.outcome)}`);
  return compressed.outcome.text;
}

function expands(compressed: Compressed, input: string): void {
  assert.equal(
    expandMarkers(rewritten(compressed), (key) => compressed.store.get(key) ?? null),
    input,
  );
}

const VOCABULARY = (
  'garden river window table morning letter winter orange pencil market bridge candle forest silver ticket ' +
  'harbour blanket mirror ladder violin meadow basket lantern pillow castle rocket saddle tunnel wallet anchor ' +
  'quietly slowly gently often rarely nearly simply warmly kindly boldly carefully brightly'
).split(' ');

/** A deterministic sentence of ordinary words (no names, numbers or code): `seed` picks them. */
function sentence(seed: number, words = 14): string {
  const out: string[] = [];
  let state = (seed * 2654435761) >>> 0;
  for (let i = 0; i < words; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    out.push(VOCABULARY[(state >>> 8) % VOCABULARY.length] as string);
  }
  const text = out.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

const FILLER = [0, 1, 2, 3, 4, 5].map((i) => sentence(1000 + i));

/** A document of `paragraphs` one-line paragraphs of three distinct sentences, blank lines between. */
function document(paragraphs: number, extra: Record<number, string> = {}): string {
  const out: string[] = [];
  for (let p = 0; p < paragraphs; p++) out.push(extra[p] ?? [0, 1, 2].map((s) => sentence(p * 3 + s)).join(' '));
  return out.join('\n\n') + '\n';
}

describe('text_compressor: sentences', () => {
  const sentences = (line: string) => lineSentences(line, 0, line.length).map(([start, end]) => line.slice(start, end));

  it('splits after . ! ? before a new sentence; abbreviations, initials, decimals, URLs and list numbers do not end one', () => {
    assert.deepEqual(sentences('Dr. Smith paid 3.50 dollars, e.g. for tea. He left! Did he? J. R. Tolkien wrote it.'), [
      'Dr. Smith paid 3.50 dollars, e.g. for tea.',
      'He left!',
      'Did he?',
      'J. R. Tolkien wrote it.',
    ]);
    assert.deepEqual(sentences('See https://example.com/a.b. It works (mostly.) Then "quoted." Next'), ['See https://example.com/a.b.', 'It works (mostly.)', 'Then "quoted."', 'Next']);
    assert.deepEqual(sentences('1. Install the tool. 2. Run it.'), ['1. Install the tool.', '2. Run it.']);
    assert.deepEqual(sentences('   indented text.  '), ['indented text.']);
    assert.deepEqual(sentences(''), []);
  });
});

describe('text_compressor', () => {
  it('is registered after json_table, reads its own section and declines through savesEnough', () => {
    const names = TRANSFORM_FACTORIES.map((factory) => factory.name);
    assert.ok(names.indexOf('text_compressor') > names.indexOf('json_table'));
    assert.ok(textCompressorFactory.reads.includes('text_compressor.min_savings_ratio'));
    const config = defaultConfig();
    config.textCompressor.enabled = false;
    assert.equal(textCompressorFactory.create(config, NO_SERVICES), null);
  });

  it('keeps about target_ratio of the characters, whole lines dropped behind line markers', async () => {
    const input = document(40);
    for (const ratio of [0.3, 0.5]) {
      const compressed = await compress(input, { config: (config) => (config.textCompressor.targetRatio = ratio) });
      const out = rewritten(compressed);
      const kept = out.replace(/\[headroom: omitted [^\]]*\]/g, '').replace(/\s+/g, '').length;
      const total = input.replace(/\s+/g, '').length;
      assert.ok(kept >= ratio * total * 0.8 && kept <= ratio * total * 1.3, `ratio ${ratio}: kept ${kept} of ${total}`);
      assert.ok(findMarkers(out).every((marker) => marker.unit === 'lines'));
      expands(compressed, input);
    }
  });

  it('keeps the sentences relevant to the query', async () => {
    const needle = 'The small invoice for the harbour office was approved after the long review.';
    const input = document(40, { 23: needle });
    const out = rewritten(await compress(input, { query: 'Was the invoice approved?', config: (config) => (config.textCompressor.targetRatio = 0.1) }));
    assert.ok(out.includes(needle));
    const without = rewritten(await compress(input, { config: (config) => (config.textCompressor.targetRatio = 0.1) }));
    assert.ok(!without.includes(needle), 'without the query the same sentence is not kept (the test can fail)');
  });

  it('scores relevance with the configured tier: a configured model decides, and asking for embeddings without one warns once and uses BM25', async () => {
    const needle = 'The small invoice for the harbour office was approved after the long review.';
    const input = document(40, { 23: needle });
    const narrow = (config: HeadroomConfig): void => {
      config.textCompressor.targetRatio = 0.1;
    };
    // A scorer standing in for a configured embedding model: it finds the needle without sharing a word with the query.
    const semantic: RelevanceScorer = { tier: 'embedding', score: async (_query, texts) => texts.map((text) => (text === needle ? 1 : 0)) };
    const config = defaultConfig();
    narrow(config);
    const store = new Map<string, string>();
    const outcome = await createTextCompressor({ config: config.textCompressor, scorer: semantic }).apply(
      blockOf(input),
      contextFor({ query: 'Which payment got signed off?', canOffload: true }, store, []),
    );
    assert.ok(rewritten({ outcome, store }).includes(needle));
    assert.ok(!rewritten(await compress(input, { query: 'Which payment got signed off?', config: narrow })).includes(needle), 'BM25 alone does not find it (the test can fail)');

    const warnings: string[] = [];
    const embedding = defaultConfig();
    narrow(embedding);
    embedding.smartCrusher.relevance.tier = 'embedding';
    const transform = textCompressorFactory.create(embedding, { feedback: null, warn: (message) => warnings.push(message) });
    assert.ok(transform);
    for (let run = 0; run < 2; run++) await transform.apply(blockOf(input), contextFor({ query: 'Was the invoice approved?', canOffload: true }, new Map(), []));
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] as string, /embedding_model_path is not set/);
  });

  it('keeps every protected span verbatim: tags, fenced code, JSON, path:line, URLs, error lines', async () => {
    const kept = [
      '<system-reminder>\nThe user prefers short answers. Never delete files.\n</system-reminder>',
      '```python\ndef f(x):\n    return x. upper()\n```',
      'The service replied {"status": "degraded", "region": "eu-west-1"} to the probe.',
      'The handler lives at src/server/routes.ts:118 in the repository.',
      'Details are on https://status.example.com/incidents/42 for everyone.',
      'TypeError: cannot read properties of undefined',
    ];
    const extra: Record<number, string> = {};
    kept.forEach((text, i) => (extra[3 + i * 6] = text));
    const input = document(40, extra);
    const compressed = await compress(input, { config: (config) => (config.textCompressor.targetRatio = 0.1) });
    const out = rewritten(compressed);
    for (const text of kept) assert.ok(out.includes(text), `kept: ${text}`);
    expands(compressed, input);
  });

  it('never cuts inside a protected span that covers several sentences of a line', async () => {
    const tag = '<example>First. Second. Third sentence here.</example>';
    const line = `${FILLER[0]} ${FILLER[1]} ${tag}. ${FILLER[2]} ${FILLER[3]} ${FILLER[4]} ${FILLER[5]}`;
    const input = `${line}\n`;
    const compressed = await compress(input, { config: (config) => (config.textCompressor.targetRatio = 0.2) });
    const out = rewritten(compressed);
    assert.ok(out.includes(tag));
    assert.ok(findMarkers(out).every((marker) => marker.unit === 'sentences' && marker.detail === 'line 1'));
    expands(compressed, input);
  });

  it('a Markdown table row is kept or dropped whole', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `| ${i} | ${sentence(i)} ${sentence(i + 100)} ${sentence(i + 200)} |`);
    const input = `| # | text |\n|---|---|\n${rows.join('\n')}\n`;
    const compressed = await compress(input, { config: (config) => (config.textCompressor.targetRatio = 0.3) });
    assert.ok(findMarkers(rewritten(compressed)).every((marker) => marker.unit === 'lines'));
    expands(compressed, input);
  });

  it('drops near-duplicate sentences before distinct ones', async () => {
    const repeated = [sentence(7001, 20), sentence(7002, 20), sentence(7003, 20)].join(' ');
    const extra: Record<number, string> = {};
    for (let p = 0; p < 30; p += 2) extra[p] = repeated;
    const out = rewritten(await compress(document(30, extra), { config: (config) => (config.textCompressor.targetRatio = 0.6) }));
    assert.equal(out.split(repeated).length - 1, 1, 'one copy kept');
  });

  it('a hard-wrapped paragraph goes as whole lines; lines are never joined', async () => {
    const wrapped = Array.from({ length: 12 }, (_, p) => `${FILLER[p % 6]!.slice(0, 50)}\n${FILLER[p % 6]!.slice(50)} Paragraph ${p} ends\nhere with more words.`).join('\n\n');
    const compressed = await compress(wrapped, { config: (config) => (config.textCompressor.targetRatio = 0.3) });
    const out = rewritten(compressed);
    const inputLines = new Set(wrapped.split('\n'));
    for (const line of out.split('\n')) assert.ok(inputLines.has(line) || /^\[headroom: omitted \d+ lines/.test(line), `an input line or a line marker: ${line}`);
    expands(compressed, wrapped);
  });

  it('CRLF, ANSI colour codes and binary junk: kept bytes stay as they were and markers expand exactly', async () => {
    const input = document(20).replace(/\n/g, '\r\n').replace('committee', '\x1b[31mcommittee\x1b[0m') + '\u0000\u0001\uFFFD junk line.\r\n';
    const compressed = await compress(input, { config: (config) => (config.textCompressor.targetRatio = 0.3) });
    expands(compressed, input);
    assert.ok(rewritten(compressed).includes('\r\n'));
  });

  it('declines: too few sentences, no offload, already marked, too small a gain', async () => {
    assert.deepEqual((await compress('One sentence. Two sentences.')).outcome, { decline: 'too-small' });
    assert.deepEqual((await compress('')).outcome, { decline: 'too-small' });
    assert.deepEqual((await compress(document(20), { canOffload: false })).outcome, { decline: 'needs-offload' });
    const once = rewritten(await compress(document(20)));
    assert.deepEqual((await compress(once)).outcome, { decline: 'already-marked' });
    assert.deepEqual((await compress(document(20), { config: (config) => (config.textCompressor.minSavingsRatio = 0.9) })).outcome, { decline: 'small-gain' });
    // Everything protected: nothing to drop.
    const errors = Array.from({ length: 10 }, (_, i) => `Error ${i}: the request failed.`).join('\n');
    assert.deepEqual((await compress(errors)).outcome, { decline: 'too-small' });
  });

  it('whitespace-only input is too small', async () => {
    for (const blank of [' ', '\n\n\n', '\r\n\t\r\n']) assert.deepEqual((await compress(blank)).outcome, { decline: 'too-small' });
  });

  it('a very long line without sentence ends is one segment', async () => {
    const input = `${'word '.repeat(20_000)}\n${document(10)}`;
    const compressed = await compress(input, { config: (config) => (config.textCompressor.targetRatio = 0.3) });
    expands(compressed, input);
  });
});
