/**
 * The parity section of `npm run bench`: the reference's recorded fixtures
 * (../shared/corpus/headroom-fixtures/tests/parity/fixtures/{content_detector,
 * log_compressor,diff_compressor}) through our router and compressors. A
 * bench, not a test: the fixtures are not in a user's clone.
 *
 * Each fixture's input is sent as one tool output (bench/lib/tool-request.js)
 * through `optimizeRequest`, with the default config except the size floor
 * (`smart_crusher.min_tokens_to_crush` 0): the fixtures are small, and with
 * the floor every one under 200 tokens would pass through untouched, proving
 * nothing. Per fixture: their detected kind against ours (the router's
 * content kind; their type names mapped to ours in KIND_MAP), their output
 * size against ours (characters and tokens), whether our markers expand back
 * to the input (where only line compressors rewrote it), and for log and diff fixtures the lines the reference kept
 * that must survive — error lines (logs), changed lines and file headers
 * (diffs) — with how many we kept verbatim, how many sit behind a file-summary
 * marker (diffs: the whole file's lines are one retrieval away), and how many
 * we lost. A loss is printed loudly and counted in the results.
 *
 * Without ../shared the section says so and is empty.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expandMarkers } from '../../dist/ccr/markers.js';
import { lineRole, plainLine } from '../../dist/transforms/log-compressor/roles.js';
import { LINE_COMPRESSORS } from './compressors.js';
import { toolOutputDecision, toolOutputText, toolRequest } from './tool-request.js';

const FIXTURES = 'headroom-fixtures/tests/parity/fixtures';

/**
 * The reference's content types (headroom-reference.md §4.2) and the kinds of
 * ours that mean the same: its `build` covers every log (we tell build and
 * application logs apart), its `text` is also its fallback (our `unknown`).
 */
const KIND_MAP = {
  json_array: ['json-array'],
  source_code: ['code'],
  search: ['search'],
  build: ['build-log', 'app-log'],
  diff: ['diff'],
  html: ['html'],
  tabular: ['table'],
  text: ['prose', 'unknown'],
};

/** The reference's own error test (§4.5: ERROR/FATAL/CRITICAL, FAIL/FAILED, word-bounded, any case). */
const REFERENCE_ERROR = /\b(?:ERROR|FATAL|CRITICAL|FAIL|FAILED)\b/i;
const isErrorLine = (line) => REFERENCE_ERROR.test(line) || lineRole(plainLine(line)).severity === 'error';

/** A diff's file header lines (hunk headers included: they locate every changed line). */
const DIFF_HEADER =
  /^(?:diff --|index |--- |\+\+\+ |@@|new file mode|deleted file mode|old mode|new mode|rename (?:from|to) |copy (?:from|to) |similarity index|dissimilarity index|Binary files)/;
const isChangedLine = (line) => /^[+-]/.test(line) && !/^(?:\+\+\+|---)(?: |$)/.test(line) && line.length > 1;

/** The marker unit of the diff compressor's whole-file summaries. */
const FILE_SUMMARY_UNIT = 'diff lines';

function fixturesIn(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ id: name.replace(/\.json$/, ''), fixture: JSON.parse(readFileSync(path.join(dir, name), 'utf8')) }));
}

/**
 * How the lines the reference kept that `matters` picks fared in ours:
 * verbatim, behind a file-summary marker, or lost (examples of the lost ones).
 */
function survival(category, input, reference, ours, summarized, matters) {
  const inputLines = new Set(input.split('\n'));
  const ourLines = new Set(ours.split('\n'));
  const result = { category, kept_by_reference: 0, verbatim: 0, summarized: 0, lost: 0, lost_examples: [] };
  for (const line of new Set(reference.split('\n'))) {
    if (!inputLines.has(line) || !matters(line)) continue;
    result.kept_by_reference++;
    if (ourLines.has(line)) result.verbatim++;
    else if (summarized.has(line)) result.summarized++;
    else {
      result.lost++;
      if (result.lost_examples.length < 3) result.lost_examples.push(line.slice(0, 100));
    }
  }
  return result;
}

async function runFixture(folder, id, fixture, library, config, counter) {
  const input = fixture.input;
  const { body, result, ccrEntries } = await library.optimizeRequest(toolRequest(input, { tool: 'fetch_data', args: { source: id }, query: 'What failed, and what changed?' }), {
    config,
  });
  const ours = toolOutputText(body);
  // An empty output makes no block: nothing reaches the router, and nothing changes.
  const decision = toolOutputDecision(result) ?? { content_kind: null, outcome: 'skipped', reason: 'empty', steps: [], declines: [] };
  const originals = new Map(ccrEntries.map((entry) => [entry.key, entry.original]));
  const kind = decision.content_kind ?? library.classifyContent(input).kind;
  const theirs = folder === 'content_detector' ? fixture.output.content_type : folder === 'log_compressor' ? 'build' : 'diff';
  const referenceText = fixture.output.compressed ?? null;
  const row = {
    folder,
    id,
    their_kind: theirs,
    their_detail: folder === 'log_compressor' ? fixture.output.format_detected : folder === 'content_detector' ? fixture.output.confidence : null,
    our_kind: kind,
    kind_match: (KIND_MAP[theirs] ?? []).includes(kind),
    input_chars: input.length,
    their_chars: referenceText?.length ?? null,
    their_tokens: referenceText === null ? null : counter.count(referenceText),
    our_chars: ours.length,
    our_tokens: counter.count(ours),
    outcome:
      decision.outcome === 'compressed'
        ? decision.steps.map((step) => `${step.transform}:${step.label}`).join(' + ')
        : decision.reason
          ? `skipped:${decision.reason}`
          : `declined:${decision.declines.map((d) => d.reason).join(',')}`,
    // Line compressors keep every line byte-identical, so their markers expand to exactly the input; JSON rewrites reformat (null: not checked).
    markers_expand: decision.steps.every((step) => LINE_COMPRESSORS.includes(step.transform)) ? expandMarkers(ours, (key) => originals.get(key) ?? null) === input : null,
    checks: [],
  };
  if (folder === 'log_compressor') row.checks.push(survival('error lines', input, referenceText, ours, new Set(), isErrorLine));
  if (folder === 'diff_compressor') {
    // Lines behind a whole-file summary marker: one retrieval brings the file's diff back.
    const summarized = new Set();
    for (const entry of ccrEntries) if (entry.unit === FILE_SUMMARY_UNIT) for (const line of entry.original.split('\n')) summarized.add(line);
    row.checks.push(survival('changed lines', input, referenceText, ours, summarized, isChangedLine));
    row.checks.push(survival('file headers', input, referenceText, ours, summarized, (line) => DIFF_HEADER.test(line)));
  }
  row.lost = row.checks.reduce((sum, check) => sum + check.lost, 0);
  return row;
}

/** Runs the section; null without the fixtures. */
export async function benchParity(corpus, library) {
  const root = path.join(corpus, FIXTURES);
  if (!existsSync(root)) return null;
  const config = library.defaultConfig();
  config.smartCrusher.minTokensToCrush = 0;
  const counter = await library.getTokenCounter('o200k_base');
  const rows = [];
  for (const folder of ['content_detector', 'log_compressor', 'diff_compressor']) {
    for (const { id, fixture } of fixturesIn(path.join(root, folder))) rows.push(await runFixture(folder, id, fixture, library, config, counter));
  }
  const lost = rows.reduce((sum, row) => sum + row.lost, 0);
  return {
    fixtures: rows.length,
    kind_matches: rows.filter((row) => row.kind_match).length,
    lost_lines: lost,
    fixtures_with_losses: rows.filter((row) => row.lost > 0).map((row) => `${row.folder}/${row.id}`),
    markers_not_expanding: rows.filter((row) => row.markers_expand === false).map((row) => `${row.folder}/${row.id}`),
    rows,
  };
}

const checkText = (check) =>
  `${check.category} ${check.verbatim}/${check.kept_by_reference}${check.summarized ? ` +${check.summarized} summarized` : ''}${check.lost ? ` LOST ${check.lost}` : ''}`;

export function printParity(section) {
  console.log("\nparity: the reference's recorded fixtures through our router and compressors (default config, size floor 0 so small fixtures reach the compressors)");
  if (section === null) {
    console.log(`  no fixtures (../shared/corpus/${FIXTURES}) beside the project: nothing to compare`);
    return;
  }
  console.log(
    `${'fixture'.padEnd(34)} ${'their kind'.padEnd(17)} ${'our kind'.padEnd(10)} ${'kind'.padEnd(7)} ${'input'.padStart(6)} ${'theirs ch/tok'.padStart(13)} ${'ours ch/tok'.padStart(12)}  kept of what the reference kept; our outcome`,
  );
  for (const row of section.rows) {
    const their = row.their_detail === null ? row.their_kind : `${row.their_kind} (${typeof row.their_detail === 'number' ? row.their_detail.toFixed(2) : row.their_detail})`;
    const size = (chars, tokens) => (chars === null ? '-' : `${chars}/${tokens}`);
    const checks = row.checks.map(checkText).join('; ');
    console.log(
      [
        `${row.folder}/${row.id}`.padEnd(34),
        their.padEnd(17),
        row.our_kind.padEnd(10),
        (row.kind_match ? 'match' : 'differs').padEnd(7),
        String(row.input_chars).padStart(6),
        size(row.their_chars, row.their_tokens).padStart(13),
        size(row.our_chars, row.our_tokens).padStart(12),
        ` ${checks ? `${checks}; ` : ''}${row.outcome}${row.markers_expand === false ? ' MARKERS DO NOT EXPAND' : ''}`,
      ].join(' '),
    );
    for (const check of row.checks) for (const line of check.lost_examples) console.log(`  !! LOST (${check.category}, kept by the reference): ${JSON.stringify(line)}`);
  }
  console.log(`${section.kind_matches}/${section.fixtures} kinds match the reference's`);
  if (section.lost_lines === 0) console.log('no fixture lost an error line, changed line or file header the reference kept');
  else console.log(`!! ${section.lost_lines} lines the reference kept were LOST, in ${section.fixtures_with_losses.join(', ')}`);
  if (section.markers_not_expanding.length > 0) console.log(`!! markers do not expand back to the input in ${section.markers_not_expanding.join(', ')}`);
}
