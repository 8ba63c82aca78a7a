#!/usr/bin/env node
/**
 * `node bench/diff-parity.js` (after `npm run build`): the reference's
 * recorded DiffCompressor fixtures
 * (../shared/corpus/headroom-fixtures/tests/parity/fixtures/diff_compressor)
 * through our router and diff compressor. Per fixture: the kind our router
 * detects, our size against the reference's, and whether every changed line
 * and file header the reference kept is still in our output — verbatim, or
 * behind a file-summary marker (counted separately). Then the speed row: a
 * 1 MB diff built from the corpus diffs through the transform.
 *
 * A report, not a test: the fixtures are not in a user's clone. Exit 1 when
 * a fixture loses a line the reference kept.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyContent } from '../dist/analysis/content-kind.js';
import { defaultConfig } from '../dist/config/index.js';
import { getTokenCounter } from '../dist/tokens/counter.js';
import { createDiffCompressor } from '../dist/transforms/diff-compressor/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = join(root, '..', 'shared', 'corpus');
const fixtures = join(shared, 'headroom-fixtures', 'tests', 'parity', 'fixtures', 'diff_compressor');
if (!existsSync(fixtures)) {
  console.error(`no fixtures at ${fixtures}`);
  process.exit(2);
}

const counter = await getTokenCounter('o200k_base');
const count = (text) => counter.count(text);
const transform = createDiffCompressor(defaultConfig());

/** A context whose offload writes a real-shaped marker and remembers what it stands for. */
function contextFor() {
  const stored = [];
  return {
    stored,
    context: {
      request: { provider: 'openai', format: 'openai-chat', model: null, query: null },
      call: null,
      toolName: null,
      filePath: null,
      count,
      canOffload: true,
      offload(span) {
        stored.push(span);
        const key = stored.length.toString(16).padStart(24, '0');
        return `[headroom: omitted ${span.count} ${span.unit}${span.detail ? ` (${span.detail})` : ''}; headroom_retrieve hash=${key}]`;
      },
    },
  };
}

const HEADER = /^(?:diff --|index |--- |\+\+\+ |@@|new file mode|deleted file mode|old mode|new mode|rename |copy |similarity |Binary files)/;
const changedOrHeader = (line) => HEADER.test(line) || (/^[+-]/.test(line) && !/^(?:\+\+\+|---)( |$)/.test(line));

let lost = 0;
console.log(`${'fixture'.padEnd(18)} ${'kind'.padEnd(8)} ${'lines'.padStart(5)} ${'ref'.padStart(5)} ${'ours'.padStart(5)}  kept-by-ref  decision`);
for (const name of readdirSync(fixtures)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const fixture = JSON.parse(readFileSync(join(fixtures, name), 'utf8'));
  const input = fixture.input;
  const reference = fixture.output.compressed;
  const kind = classifyContent(input).kind;
  const { context, stored } = contextFor();
  // The pipeline leaves blocks under smart_crusher.min_tokens_to_crush alone; here the transform is called directly, so small fixtures are exercised too.
  const outcome = transform.apply(
    { index: 0, messageIndex: 0, kind: 'tool_result', text: input, tokens: count(input), flags: {}, content: classifyContent(input), structured: false },
    context,
  );
  const ours = 'text' in outcome ? outcome.text : input;
  const ourLines = new Set(ours.split('\n'));
  const hidden = stored
    .filter((span) => span.unit === 'diff lines')
    .map((span) => span.original)
    .join('\n');
  const refKept = reference.split('\n').filter((line) => line.length > 1 && changedOrHeader(line) && input.split('\n').includes(line));
  const verbatim = refKept.filter((line) => ourLines.has(line)).length;
  const summarized = refKept.filter((line) => !ourLines.has(line) && hidden.split('\n').includes(line)).length;
  const missing = refKept.length - verbatim - summarized;
  lost += missing;
  const decision = 'text' in outcome ? outcome.label : `declined ${outcome.decline}`;
  const keptText = `${verbatim}/${refKept.length}${summarized ? ` +${summarized} summarized` : ''}${missing ? ` LOST ${missing}` : ''}`;
  console.log(
    `${name.slice(0, 16).padEnd(18)} ${kind.padEnd(8)} ${String(input.split('\n').length).padStart(5)} ${String(reference.split('\n').length).padStart(5)} ${String(ours.split('\n').length).padStart(5)}  ${keptText.padEnd(11)}  ${decision}`,
  );
}

// Speed: about 1 MB of real diffs, repeated, through the transform alone (median of 5 runs).
const diffs = join(shared, 'tool-outputs', 'diffs');
const sources = readdirSync(diffs)
  .filter((f) => /\.(?:diff|patch)$/.test(f))
  .map((f) => readFileSync(join(diffs, f), 'utf8'));
let big = '';
for (let i = 0; big.length < 1_000_000; i++) big += sources[i % sources.length];
const tokens = count(big);
const times = [];
for (let run = 0; run < 5; run++) {
  const { context } = contextFor();
  const start = performance.now();
  transform.apply({ index: 0, messageIndex: 0, kind: 'tool_result', text: big, tokens, flags: {}, content: { kind: 'diff', confidence: 1 }, structured: false }, context);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(`speed: ${(big.length / 1e6).toFixed(2)} MB diff through diff_compressor: median ${times[2].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[4].toFixed(0)})`);
console.log(lost === 0 ? 'no fixture lost a changed line or header the reference kept' : `${lost} changed or header lines the reference kept are missing`);
process.exit(lost === 0 ? 0 : 1);
