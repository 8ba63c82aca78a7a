/**
 * The compressors section of `npm run bench`: one row per line compressor
 * (log, search, diff, code outline, HTML, prose) over the real non-JSON
 * tool outputs of ../shared/corpus, and each compressor on about 1 MB of
 * input of its kind against the 200 ms budget.
 *
 * Inputs: every tool output under tool-outputs/ that is not a .json document
 * (logs incl. JSON-lines logs, diffs, grep and rg --json output, kubectl and
 * query text), every file of code-files/, and every distinct tool output
 * inside the transcripts (claude-code/, trajectories/, openai-messages/,
 * llm-api-captures/), read with the library's own format readers and paired
 * with the call that produced it the way optimize pairs them. Each becomes a
 * one-tool-output request with its tool name and call arguments
 * (bench/lib/tool-request.js) and goes through `optimizeRequest` with the
 * default config plus `intercept_tool_results: true` — without it code file
 * reads pass through and code_outline would have no row.
 *
 * Each output counts in the row of the line compressor that rewrote it, or,
 * when none did, of the one the router's content kind goes to (so its
 * declines count there); outputs whose kind no line compressor takes (JSON,
 * tables, unknown) are the "no compressor" row. Tokens are the tool output's
 * own (before → after); latency is the compressor's own stage
 * (`result.timing[name]`) over the outputs of its row, measured on a second
 * run of each so one-time loads (tokenizer, grammars) are not in it.
 *
 * Without ../shared (a user's clone) the section says so and is empty.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inputFiles } from './files.js';
import { buildOneMb } from './one-mb-inputs.js';
import { percentile, toolOutputDecision, toolRequest } from './tool-request.js';

/** The compressors of this section, in the order their rows print. */
export const LINE_COMPRESSORS = ['log_compressor', 'search_compressor', 'diff_compressor', 'code_outline', 'html_extractor', 'text_compressor'];
const NO_COMPRESSOR = 'no compressor';

/** The question asked with each tool-outputs/ folder (the scoreboard's wording), and the default. */
const QUERIES = {
  logs: 'Why is the service failing? Show me the errors.',
  grep: 'Where is this pattern used? I need the exact file and line numbers.',
  diffs: 'Review this change for bugs.',
  'code-files': 'Explain how this file works.',
};
const DEFAULT_QUERY = 'Summarize this and point out anything that failed or looks anomalous.';

/** Manifest commands that a shell tool ran (grep, rg, git, kubectl): the call's command line. */
const COMMAND = /^(?:grep|rg|git|kubectl)\s/;

/** The corpus manifest: local path → source path (for generated outputs, the command that made them). */
function manifest(corpus) {
  const sources = new Map();
  const file = path.join(corpus, 'MANIFEST.tsv');
  if (!existsSync(file)) return sources;
  for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
    const [local, , source] = line.split('\t');
    if (local && source) sources.set(local, source);
  }
  return sources;
}

function walk(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(full));
    else files.push(full);
  }
  return files;
}

/** The non-JSON tool outputs and code files, each with the call that would have produced it. */
function fileOutputs(corpus) {
  const sources = manifest(corpus);
  const outputs = [];
  for (const folder of ['tool-outputs', 'code-files']) {
    const dir = path.join(corpus, folder);
    if (!existsSync(dir)) continue;
    for (const file of walk(dir)) {
      if (file.endsWith('.json')) continue;
      const name = path.relative(corpus, file);
      const group = folder === 'code-files' ? folder : name.split(path.sep)[1];
      const source = sources.get(name.split(path.sep).join('/')) ?? '';
      let call;
      if (folder === 'code-files') call = { tool: 'Read', args: { file_path: `/repo/${source || path.basename(file)}` } };
      else if (COMMAND.test(source)) call = { tool: 'Bash', args: { command: source } };
      else call = { tool: 'Bash', args: { command: `cat ${path.basename(file)}` } };
      outputs.push({ source: name, text: readFileSync(file, 'utf8'), ...call, query: QUERIES[group] ?? DEFAULT_QUERY });
    }
  }
  return outputs;
}

/**
 * Every distinct tool output inside the transcripts, with its tool name and
 * call arguments, found by the library's readers (parseSource) and its
 * call/output pairing (RequestSurroundings, as optimize uses it).
 */
async function transcriptOutputs(corpus, dist) {
  const { parseSource, readRecords, BlockBuilder, getTokenCounter } = dist.library;
  const { RequestSurroundings } = dist.transformContext;
  const { contentHash } = dist.hash;
  const builder = new BlockBuilder(await getTokenCounter('o200k_base'));
  const seen = new Set();
  const outputs = [];
  const folders = [];
  for (const folder of ['claude-code', 'trajectories', 'openai-messages', 'llm-api-captures']) {
    const dir = path.join(corpus, folder);
    if (!existsSync(dir)) continue;
    // Files the readers report a problem with (not a conversation, a bad line) are counted, not hidden.
    const tally = { folder, files: 0, unreadable_files: 0, outputs: 0 };
    folders.push(tally);
    for (const file of inputFiles([dir])) {
      tally.files++;
      const source = { name: file, kind: 'file', path: file, discovered: true };
      let problem = false;
      for await (const event of parseSource(source, readRecords(source))) {
        problem ||= event.kind === 'problem';
        if (event.kind !== 'request') continue;
        const blocks = builder.blocksOf(event.request);
        const surroundings = new RequestSurroundings(event.request, blocks);
        blocks.forEach((block, index) => {
          if (block.kind !== 'tool_result' || block.media || block.text.trim() === '') return;
          const { call, toolName } = surroundings.producerOf(index);
          const tool = call?.name ?? toolName ?? 'tool';
          const args = call?.arguments ?? {};
          // Transcripts resend every earlier output with each call: each distinct (call, output) once.
          const key = contentHash(`${tool}\u0000${JSON.stringify(args)}\u0000${block.text}`);
          if (seen.has(key)) return;
          seen.add(key);
          tally.outputs++;
          outputs.push({ source: path.relative(corpus, file), text: block.text, tool, args, query: DEFAULT_QUERY });
        });
      }
      if (problem) tally.unreadable_files++;
    }
  }
  return { outputs, folders };
}

/** The line compressor each content kind is routed to, from the transforms' own `accepts`. */
function routeTable(transforms) {
  const route = new Map();
  for (const transform of transforms) {
    if (!LINE_COMPRESSORS.includes(transform.name)) continue;
    for (const kind of transform.accepts) if (!route.has(kind)) route.set(kind, transform.name);
  }
  return route;
}

/** The row an output's decision belongs to. */
function rowOf(decision, kind, route) {
  const rewrote = decision.steps.map((step) => step.transform).find((name) => LINE_COMPRESSORS.includes(name));
  return rewrote ?? route.get(kind) ?? NO_COMPRESSOR;
}

/** Why an output of this row was left alone: the pipeline's skip reason or the row compressor's (or the pipeline's) decline. */
function declineReasons(decision, row) {
  if (decision.outcome === 'compressed') return [];
  if (decision.reason) return [`skipped:${decision.reason}`];
  return decision.declines.filter((decline) => decline.transform === null || decline.transform === row).map((decline) => decline.reason);
}

function emptyRow(name) {
  return { compressor: name, outputs: 0, compressed: 0, tokens_before: 0, tokens_after: 0, times: [], declines: {} };
}

/** The section's configuration: the default plus intercept_tool_results, so code reads reach code_outline. */
function sectionConfig(library) {
  const config = library.defaultConfig();
  config.interceptToolResults = true;
  return config;
}

/**
 * Runs the section. `dist` holds the modules it uses: `library`
 * (dist/index.js), `transformContext` (dist/pipeline/transform-context.js),
 * `hash` (dist/formats/hash.js).
 */
export async function benchCompressors(corpus, reference, dist, runs) {
  if (!existsSync(corpus)) return null;
  const { library } = dist;
  const config = sectionConfig(library);
  const route = routeTable(library.buildTransforms(config));
  const rows = new Map([...LINE_COMPRESSORS, NO_COMPRESSOR].map((name) => [name, emptyRow(name)]));
  const files = fileOutputs(corpus);
  const transcripts = await transcriptOutputs(corpus, dist);
  const outputs = [...files, ...transcripts.outputs];
  const errors = [];
  for (const output of outputs) {
    const body = toolRequest(output.text, output);
    try {
      await library.optimizeRequest(body, { config });
      const { result } = await library.optimizeRequest(body, { config });
      const decision = toolOutputDecision(result);
      const kind = decision.content_kind ?? library.classifyContent(output.text).kind;
      const row = rows.get(rowOf(decision, kind, route));
      row.outputs++;
      if (decision.outcome === 'compressed') row.compressed++;
      row.tokens_before += decision.tokens_before;
      row.tokens_after += decision.tokens_after;
      if (row.compressor !== NO_COMPRESSOR && result.timing[row.compressor] !== undefined && decision.reason === null) row.times.push(result.timing[row.compressor]);
      for (const reason of declineReasons(decision, row.compressor)) row.declines[reason] = (row.declines[reason] ?? 0) + 1;
    } catch (error) {
      errors.push({ source: output.source, error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    }
  }
  const summary = [...rows.values()].map(({ times, ...row }) => {
    times.sort((a, b) => a - b);
    return {
      ...row,
      saved: row.tokens_before === 0 ? null : 1 - row.tokens_after / row.tokens_before,
      stage_runs: times.length,
      p50_ms: percentile(times, 50),
      p95_ms: percentile(times, 95),
    };
  });
  const oneMb = await benchOneMb(corpus, reference, library, config, runs);
  return { inputs: outputs.length, from_files: files.length, transcripts: transcripts.folders, rows: summary, one_mb: oneMb, errors };
}

/** Budget per compressor for about 1 MB of input (issue 11). */
const BUDGET_MS = 200;

/** Each compressor on ~1 MB of its kind: its stage time p50/p95 over `runs` runs after a warm-up. */
async function benchOneMb(corpus, reference, library, config, runs) {
  const rows = [];
  for (const input of buildOneMb(corpus, reference)) {
    const body = toolRequest(input.text, input);
    await library.optimizeRequest(body, { config });
    const times = [];
    let last;
    for (let run = 0; run < runs; run++) {
      last = (await library.optimizeRequest(body, { config })).result;
      times.push(last.timing[input.compressor] ?? null);
    }
    const decision = toolOutputDecision(last);
    const ran = decision.reason === null && times.every((ms) => ms !== null);
    times.sort((a, b) => a - b);
    const p50 = ran ? percentile(times, 50) : null;
    rows.push({
      compressor: input.compressor,
      built_from: input.builtFrom,
      chars: input.text.length,
      content_kind: decision.content_kind,
      outcome: decision.outcome === 'compressed' ? decision.steps.map((step) => step.transform).join('+') : `skipped: ${declineReasons(decision, input.compressor).join(', ')}`,
      tokens_before: decision.tokens_before,
      tokens_after: decision.tokens_after,
      p50_ms: p50,
      p95_ms: ran ? percentile(times, 95) : null,
      within_budget: p50 === null ? null : p50 <= BUDGET_MS,
    });
  }
  return rows;
}

function declineText(declines) {
  const entries = Object.entries(declines).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? '-' : entries.map(([reason, count]) => `${reason} ${count}`).join(', ');
}

const ms = (value) => (value === null ? '-' : value.toFixed(1));

export function printCompressors(section, runs) {
  console.log('\ncompressors (default config + intercept_tool_results=true, so code file reads reach code_outline; in process)');
  if (section === null) {
    console.log('  no corpus (../shared/corpus) beside the project: nothing to measure');
    return;
  }
  const transcripts = section.transcripts
    .map((t) => `${t.folder}/ ${t.outputs}${t.unreadable_files ? ` (${t.unreadable_files} of ${t.files} files with problems reading them)` : ''}`)
    .join(', ');
  console.log(`  ${section.inputs} real tool outputs: ${section.from_files} files of tool-outputs/ (non-JSON) and code-files/; distinct outputs in transcripts: ${transcripts}`);
  console.log(
    `  tokens are the tool outputs' own; latency is the compressor's stage, on a second run of each output; "no compressor": kinds no line compressor takes (JSON, tables, unknown) — its "rewrote" are JSON transforms`,
  );
  console.log(
    `${'compressor'.padEnd(18)} ${'outputs'.padStart(7)} ${'rewrote'.padStart(7)} ${'tokens before → after'.padStart(24)} ${'saved'.padStart(6)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)}  left alone (reason count)`,
  );
  for (const row of section.rows) {
    console.log(
      [
        row.compressor.padEnd(18),
        String(row.outputs).padStart(7),
        String(row.compressed).padStart(7),
        `${row.tokens_before} → ${row.tokens_after}`.padStart(24),
        (row.saved === null ? '-' : `${(row.saved * 100).toFixed(1)}%`).padStart(6),
        ms(row.p50_ms).padStart(7),
        ms(row.p95_ms).padStart(7),
        ` ${declineText(row.declines)}`,
      ].join(' '),
    );
  }
  for (const { source, error } of section.errors) console.log(`  error on ${source}: ${error}`);

  console.log(`\n1 MB per compressor (stage time over ${runs} runs after a warm-up; budget ${BUDGET_MS} ms on the median)`);
  console.log(
    `${'compressor'.padEnd(18)} ${'MB'.padStart(5)} ${'kind'.padEnd(10)} ${'tokens before → after'.padStart(24)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'budget'.padStart(6)}  outcome; built from`,
  );
  for (const row of section.one_mb) {
    const verdict = row.within_budget === null ? 'NOT RUN' : row.within_budget ? 'ok' : 'OVER';
    console.log(
      [
        row.compressor.padEnd(18),
        (row.chars / 1e6).toFixed(2).padStart(5),
        String(row.content_kind).padEnd(10),
        `${row.tokens_before} → ${row.tokens_after}`.padStart(24),
        ms(row.p50_ms).padStart(7),
        ms(row.p95_ms).padStart(7),
        verdict.padStart(6),
        ` ${row.outcome}; ${row.built_from}`,
      ].join(' '),
    );
  }
}
