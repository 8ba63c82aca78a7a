/**
 * The platform's property suite over every compressor that rewrites text
 * (issue 11, DESIGN "Tests and benchmarks"): for generated inputs of its
 * content kind, with protected block spans (an agent tag pair, a fenced
 * block, JSON over several lines) mixed in,
 * - the output is never larger in tokens;
 * - every marker expands from the store to exactly what it replaced (the
 *   HTML extractor by the summary rule: one marker, last, holding the page);
 * - the same input gives the same outcome (deterministic);
 * - the output given back is left as it is (idempotent);
 * - protected block spans survive verbatim and every line without a marker
 *   is a line of the input, in order (the HTML extract is derived text).
 * Each compressor's own tests cover what it keeps; this file is the one
 * place these invariants are checked over generated inputs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { classifyContent, type ContentKind } from '../../src/analysis/content-kind.js';
import { expandMarkers, findMarkers } from '../../src/ccr/markers.js';
import { defaultConfig, type HeadroomConfig } from '../../src/config/index.js';
import { getTokenCounter } from '../../src/tokens/counter.js';
import { buildTransforms } from '../../src/transforms/index.js';
import { findBlockSpans } from '../../src/transforms/protected-spans.js';
import { isRewrite, type Decline, type Rewrite, type Transform } from '../../src/transforms/types.js';
import { diffArb, renderDiff } from './diff-compressor-support.js';
import { logLineArb } from './log-compressor-support.js';
import { storingContext, toolBlock } from './harness.js';

const counter = await getTokenCounter('o200k_base');
const RUNS = 30;

/** Block spans a tool output may carry: what every compressor must keep whole. */
const BLOCKS = [
  '<system-reminder>\nThe user may have changed these files.\n</system-reminder>',
  '```json\n{ "retry": 3 }\n```',
  JSON.stringify({ session: 'abc', checkpoints: [1, 2] }, null, 2),
];
const blockArb = fc.constantFrom(...BLOCKS);

/** `text` with `block` on lines of its own at `at` (a fraction of its lines): mixed content. */
function withBlock(text: string, block: string, at: number): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(eol);
  const index = Math.min(lines.length - 1, Math.floor(at * lines.length));
  lines.splice(index, 0, block.replace(/\n/g, eol));
  return lines.join(eol);
}

/** A generator that sometimes mixes a block span into `arb`'s text, anywhere or only at the end. */
function mixed(arb: fc.Arbitrary<string>, where: 'anywhere' | 'end'): fc.Arbitrary<string> {
  return fc
    .tuple(arb, fc.option(blockArb, { nil: null }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([text, block, at]) => (block === null ? text : where === 'end' ? `${text}${block}\n` : withBlock(text, block, at)));
}

// --- Generators missing from the per-compressor supports ---------------------------------------

/** Logs of every kind of line, mostly routine ones: a log that is mostly errors has little to omit (its own test). */
const quietLogArb = fc
  .tuple(
    fc.array(fc.oneof({ weight: 12, arbitrary: fc.nat(500).map((n) => `2026-11-30T10:00:00Z INFO worker finished batch ${n}`) }, { weight: 1, arbitrary: logLineArb }), {
      minLength: 1,
      maxLength: 200,
    }),
    fc.constantFrom('\n', '\r\n'),
  )
  .map(([lines, eol]) => lines.join(eol) + eol);

const searchArb = fc
  .record({
    files: fc.array(fc.record({ dir: fc.constantFrom('src', 'lib/core', 'test/unit'), name: fc.stringMatching(/^[a-z]{1,8}$/), matches: fc.integer({ min: 1, max: 12 }) }), {
      minLength: 2,
      maxLength: 20,
    }),
    words: fc.array(fc.constantFrom('error', 'token', 'parse', 'TODO', 'return', 'x'), { minLength: 1, maxLength: 6 }),
    crlf: fc.boolean(),
  })
  .map(({ files, words, crlf }) => {
    const eol = crlf ? '\r\n' : '\n';
    const lines = files.flatMap((file, f) =>
      Array.from({ length: file.matches }, (_, m) => `./${file.dir}/${file.name}${f}.ts:${1 + m * 3}:  ${words[(f + m) % words.length]} value${m}`),
    );
    return lines.join(eol) + eol;
  });

const codeArb = fc
  .tuple(
    fc.array(fc.record({ name: fc.constantFrom('alpha', 'beta', 'gamma', 'delta'), lines: fc.integer({ min: 0, max: 12 }), doc: fc.boolean() }), { minLength: 1, maxLength: 6 }),
    fc.boolean(),
  )
  .map(([fns, crlf]) => {
    const source = fns
      .map(({ name, lines, doc }, i) => {
        const statements = Array.from({ length: lines }, (_, j) => `x${j} = ${i} + ${j}`);
        return `${doc ? '/** doc */\n' : ''}function ${name}${i}(x) {\n  ${[...statements, 'return x;'].join('\n  ')}\n}\n`;
      })
      .join('\n');
    return crlf ? source.replace(/\n/g, '\r\n') : source;
  });

const htmlWord = fc.constantFrom('cache', 'entry', 'expires', 'widget', 'server', 'the', 'a', 'of', '42', 'ms', 'x<y', 'R&D', 'naïve', '東京');
const htmlSentence = fc.array(htmlWord, { minLength: 3, maxLength: 14 }).map((words) => words.join(' '));
const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const htmlArb = fc
  .tuple(
    fc.array(
      fc.oneof(
        htmlSentence.map((text) => `<p>${escapeHtml(text)}</p>`),
        fc.tuple(fc.integer({ min: 1, max: 6 }), htmlSentence).map(([level, text]) => `<h${level}>${escapeHtml(text)}</h${level}>`),
        fc.array(htmlSentence, { minLength: 1, maxLength: 4 }).map((items) => `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`),
        htmlSentence.map((text) => `<pre><code>${escapeHtml(text)}\n  ${escapeHtml(text)}</code></pre>`),
        htmlSentence.map((text) => `<p><a href="/x/${encodeURIComponent(text.slice(0, 8))}">${escapeHtml(text)}</a></p>`),
        fc.constantFrom(`<style>${'.a{color:red}'.repeat(60)}</style>`, '<nav><a href="/">Home</a><a href="/a">A</a></nav>', '<footer>© 2026</footer>'),
      ),
      { minLength: 1, maxLength: 25 },
    ),
    fc.boolean(),
    fc.constantFrom('\n', '\r\n', ''),
  )
  .map(
    ([parts, main, eol]) =>
      `<!DOCTYPE html>${eol}<html><head><title>T</title><script>${'init();'.repeat(80)}</script></head>${eol}<body>${main ? '<main>' : ''}${parts.join(eol)}${main ? '</main>' : ''}</body></html>`,
  );

const proseSentence = fc
  .tuple(
    fc.array(fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'report', 'server', 'not', 'Paris', '42', 'value', 'the', 'of', 'and', 'e.g.', 'v1.2'), { minLength: 8, maxLength: 20 }),
    // Mostly plain sentences: protected ones are never dropped, and prose that is all protected has nothing to compress.
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('.', '!', '?') },
      { weight: 1, arbitrary: fc.constantFrom('. See https://x.org/a.', ' at src/a.ts:9.', ' {"k": [1]}.', ' <example>a. b</example>.') },
    ),
  )
  .map(([words, end]) => `${words[0]!.charAt(0).toUpperCase()}${words[0]!.slice(1)} ${words.slice(1).join(' ')}${end}`);
const proseArb = fc
  .tuple(fc.array(fc.tuple(fc.array(proseSentence, { minLength: 2, maxLength: 8 }), fc.boolean()), { minLength: 3, maxLength: 20 }), fc.constantFrom('\n', '\r\n'))
  .map(([paragraphs, eol]) => paragraphs.map(([sentences, wrap]) => sentences.join(wrap ? eol : ' ')).join(eol + eol) + eol);

// --- The harness ---------------------------------------------------------------------------------

interface Subject {
  readonly name: string;
  readonly kind: ContentKind;
  readonly input: fc.Arbitrary<string>;
  /** A summary transform: derived text, then one marker holding the whole input. */
  readonly summary?: boolean;
  readonly language?: string;
  readonly configure?: (config: HeadroomConfig) => void;
  /** What else holds for this compressor's rewrites. */
  readonly also?: (input: string, output: string, store: Map<string, string>) => void;
}

const SUBJECTS: Subject[] = [
  { name: 'log_compressor', kind: 'build-log', input: mixed(quietLogArb, 'anywhere') },
  {
    name: 'search_compressor',
    kind: 'search',
    input: mixed(searchArb, 'end'),
    // Small generated outputs: a budget they exceed.
    configure: (config) => (config.searchCompressor.maxTotalMatches = 12),
  },
  {
    name: 'diff_compressor',
    kind: 'diff',
    input: mixed(diffArb.map(renderDiff), 'end'),
    // Small generated diffs: a file limit they reach. min_savings_ratio stays: at 0, a plan weighed by estimate may write more tokens than it drops.
    configure: (config) => (config.diffCompressor.maxFileLines = 40),
    also: (input, output, store) => {
      const summarized = [...store.values()].filter((original) => /^@@ /m.test(original));
      const kept = new Set(output.split(/\r?\n/));
      for (const line of input.split(/\r?\n/)) {
        if (!/^(?:\x1b\[3[12]m)?[+-]/.test(line) || line.startsWith('--- ') || line.startsWith('+++ ')) continue;
        assert.ok(kept.has(line) || summarized.some((original) => original.includes(line)), `changed line kept or in a summarized file: ${JSON.stringify(line)}`);
      }
    },
  },
  { name: 'code_outline', kind: 'code', language: 'javascript', input: mixed(codeArb, 'end'), configure: (config) => (config.interceptToolResults = true) },
  {
    name: 'html_extractor',
    kind: 'html',
    summary: true,
    // A harness's note after the page (an agent tag pair) is the only block an extract keeps verbatim.
    input: fc.tuple(htmlArb, fc.boolean()).map(([page, note]) => (note ? `${page}\n${BLOCKS[0]}\n` : page)),
    also: (input, output) => {
      assert.notEqual(classifyContent(output).kind, 'html', 'the router never hands the extract back');
      if (input.endsWith(`${BLOCKS[0]}\n`)) assert.ok(output.includes(BLOCKS[0]!), 'the note after the page is kept verbatim');
    },
  },
  {
    name: 'text_compressor',
    kind: 'prose',
    input: mixed(proseArb, 'anywhere'),
    configure: (config) => (config.textCompressor.targetRatio = 0.3),
    also: (input, output) => {
      const before = counter.count(input);
      assert.ok((before - counter.count(output)) / before >= defaultConfig().textCompressor.minSavingsRatio, 'saves at least min_savings_ratio');
    },
  },
];

function transformOf(subject: Subject): Transform {
  const config = defaultConfig();
  subject.configure?.(config);
  const transform = buildTransforms(config).find((candidate) => candidate.name === subject.name);
  assert.ok(transform, `${subject.name} is registered and on`);
  return transform;
}

async function apply(transform: Transform, subject: Subject, text: string): Promise<{ outcome: Rewrite | Decline; store: Map<string, string> }> {
  const count = (value: string): number => counter.count(value);
  const { context, originals: store } = storingContext({ count });
  const block = toolBlock(text, { count, content: { kind: subject.kind, confidence: 1, ...(subject.language === undefined ? {} : { language: subject.language }) } });
  return { outcome: await transform.apply(block, context), store };
}

/** Every line of `output` without a marker is a line of `input`, in order. */
function assertLinesOfInput(input: string, output: string): void {
  const inputLines = input.split(/\r?\n/);
  let at = 0;
  for (const line of output.split(/\r?\n/)) {
    if (findMarkers(line).length > 0) continue;
    const found = inputLines.indexOf(line, at);
    assert.ok(found >= 0, `a kept line is a line of the input, unaltered and in order: ${JSON.stringify(line)}`);
    at = found + 1;
  }
}

function assertReversible(subject: Subject, input: string, output: string, store: Map<string, string>): void {
  const markers = findMarkers(output);
  if (subject.summary) {
    assert.equal(markers.length, 1, 'a summary has one marker');
    assert.ok(output.endsWith(']'), 'its marker is last');
    assert.equal(store.get(markers[0]!.key), input, 'it holds the whole input');
    return;
  }
  assert.equal(
    expandMarkers(output, (key) => store.get(key) ?? null),
    input,
    'markers expand to exactly what they replaced',
  );
}

describe('compressor properties: every text compressor', () => {
  it('every registered compressor of text kinds is covered here', () => {
    const config = defaultConfig();
    config.interceptToolResults = true;
    const textKinds = new Set<ContentKind>(['build-log', 'app-log', 'search', 'diff', 'code', 'html', 'prose']);
    const covered = new Set(SUBJECTS.map((subject) => subject.name));
    for (const transform of buildTransforms(config)) {
      if (transform.lossless || !transform.accepts.some((kind) => textKinds.has(kind))) continue;
      assert.ok(covered.has(transform.name), `${transform.name} is in the property suite`);
    }
  });

  for (const subject of SUBJECTS) {
    it(`${subject.name}: never larger, markers restore, deterministic, idempotent, protected spans and kept lines verbatim`, async () => {
      const transform = transformOf(subject);
      let rewrites = 0;
      await fc.assert(
        fc.asyncProperty(subject.input, async (input) => {
          const first = await apply(transform, subject, input);
          const again = await apply(transform, subject, input);
          assert.deepEqual(again.outcome, first.outcome, 'deterministic');
          if (!isRewrite(first.outcome)) return;
          rewrites++;
          const output = first.outcome.text;
          assert.ok(counter.count(output) <= counter.count(input), 'never larger');
          assertReversible(subject, input, output, first.store);
          const second = await apply(transform, subject, output);
          assert.ok(!isRewrite(second.outcome) || second.outcome.text === output, 'idempotent');
          if (!subject.summary) {
            for (const span of findBlockSpans(input)) assert.ok(output.includes(input.slice(span.start, span.end)), `protected span kept: ${input.slice(span.start, span.end)}`);
            assertLinesOfInput(input, output);
          }
          subject.also?.(input, output, first.store);
        }),
        { numRuns: RUNS },
      );
      assert.ok(rewrites > 0, `${subject.name} rewrote some generated inputs`);
    });
  }
});
