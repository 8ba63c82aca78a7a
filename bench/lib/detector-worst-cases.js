/**
 * The waste detectors' worst cases, timed: the inputs the tests in
 * test/waste/ and test/tokens/counter.test.ts check by result and by work
 * counted (tests assert no times; the times are these `npm run bench` rows).
 */
import { detectJsonBloat } from '../../dist/analysis/waste/json-bloat.js';
import { detectTextWaste } from '../../dist/analysis/waste/text-detectors.js';
import { detectWhitespace } from '../../dist/analysis/waste/whitespace.js';
import { getTokenCounter } from '../../dist/tokens/counter.js';

const SIZE = 1_000_000;

/** Adversarial megabyte texts for detectTextWaste (unclosed constructs, long runs). */
const ADVERSARIAL = {
  'unclosed tags': '<div '.repeat(SIZE / 5),
  'tags only': '<b>'.repeat(SIZE / 3),
  'unclosed scripts': '<script>'.repeat(SIZE / 8),
  'unclosed comments': '<!--'.repeat(SIZE / 4),
  'open brackets': '{\n  '.repeat(SIZE / 4),
  'unterminated strings': '{"a'.repeat(SIZE / 3),
  spaces: ' '.repeat(SIZE),
  padding: 'a    '.repeat(SIZE / 5),
  'blank lines': ' \n'.repeat(SIZE / 2),
  'low-entropy base64 alphabet': 'aB3+'.repeat(SIZE / 4),
  'data uri prefixes': 'data:image/png;base64,'.repeat(SIZE / 22),
  dates: '2026-11-24 '.repeat(SIZE / 11),
};

function timed(run) {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/** One row per case: { case, chars, ms }. */
export async function detectorWorstCases() {
  const counter = await getTokenCounter('o200k_base');
  const count = (text) => counter.count(text);
  const rows = [];
  const add = (name, text, run) => rows.push({ case: name, chars: text.length, ms: timed(() => run(text)) });
  add('whitespace: 200K-space run', `a${' '.repeat(200_000)}b\n`, (text) => detectWhitespace(text, count));
  add('json_bloat: unbalanced bracket, 1 MB of lines', `[\n${'  "item",\n'.repeat(100_000)}`, (text) => detectJsonBloat(text, count));
  add('counter: 200K-letter run', 'a'.repeat(200_000), (text) => counter.count(text));
  for (const [name, text] of Object.entries(ADVERSARIAL)) add(`text waste: ${name}`, text, (input) => detectTextWaste(input, count, { cacheablePrefix: true }));
  return rows;
}
