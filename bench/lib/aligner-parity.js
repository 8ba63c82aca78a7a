/**
 * The aligner-parity section of `npm run bench` (`--only aligner-parity`):
 * the reference's recorded `cache_aligner` fixtures
 * (../shared/corpus/headroom-fixtures/tests/parity/fixtures/cache_aligner)
 * through our audit, with the fixture's own `cache_aligner` settings. A
 * bench, not a test: the fixtures are not in a user's clone.
 *
 * Each fixture records the reference's legacy rewrite: the dynamic values it
 * found in the system prompt were cut out and appended after
 * `dynamic_tail_separator`. The values it moved are the spans it detected;
 * they are compared with the dynamic values our detector reports for the
 * same system prompt. Their rewritten prompt and its hash are not compared:
 * we never rewrite the prefix (that rewrite changed the cached prefix on
 * every call, the reference's own REALIGNMENT bug), so our stable prefix
 * hash is of the prompt as sent.
 *
 * Without ../shared the section says so and is empty.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const FIXTURES = 'headroom-fixtures/tests/parity/fixtures/cache_aligner';

/** The values the reference moved after its separator, in order. */
function theirValues(fixture) {
  const separator = fixture.config.dynamic_tail_separator;
  const values = [];
  for (const message of fixture.output.messages ?? []) {
    if (message.role !== 'system' || typeof message.content !== 'string') continue;
    const at = message.content.indexOf(separator);
    if (at < 0) continue;
    const tail = message.content.slice(at + separator.length);
    // Three values or fewer are comma-joined; more are one `- value` bullet per line.
    for (const value of tail.includes('\n- ') || tail.startsWith('- ') ? tail.split('\n').map((line) => line.replace(/^- /, '')) : tail.split(', ')) {
      if (value.length > 0) values.push(value);
    }
  }
  return values;
}

export async function benchAlignerParity(corpus, library) {
  const dir = path.join(corpus, FIXTURES);
  if (!existsSync(dir)) return { available: false, rows: [] };
  const rows = [];
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    const fixture = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    const config = library.resolveConfig({ cache_aligner: fixture.config }, `fixture ${name}`);
    const report = await library.auditRequest(JSON.stringify({ model: 'gpt-4o', messages: fixture.input }), { config });
    const ours = report.cache_prefix.dynamic.map((value) => value.sample);
    const theirs = theirValues(fixture);
    rows.push({
      fixture: `cache_aligner/${name.replace(/\.json$/, '')}`,
      theirs,
      ours,
      same: JSON.stringify(ours) === JSON.stringify(theirs),
      types: report.cache_prefix.dynamic.map((value) => value.type),
      cache_alignment_score: report.cache_prefix.cache_alignment_score,
    });
  }
  return { available: true, rows };
}

export function printAlignerParity(section) {
  console.log("\naligner parity: the reference's cache_aligner fixtures (values it moved out of the system prompt) against the dynamic values our detector reports");
  if (!section.available) {
    console.log('  no corpus (../shared/corpus) beside the project: nothing to compare');
    return;
  }
  console.log(`${'fixture'.padEnd(30)} ${'theirs'.padEnd(28)} ${'ours'.padEnd(28)} same  score`);
  for (const row of section.rows) {
    console.log(
      `${row.fixture.padEnd(30)} ${row.theirs.join(', ').padEnd(28)} ${row.ours
        .map((value, index) => `${value} (${row.types[index]})`)
        .join(', ')
        .padEnd(28)} ${(row.same ? 'yes' : 'DIFF').padEnd(5)} ${row.cache_alignment_score}`,
    );
  }
  const same = section.rows.filter((row) => row.same).length;
  console.log(`${same}/${section.rows.length} fixtures: the same dynamic values found in the system prompt (their rewrite of the prompt is not compared: we never move them)`);
}
