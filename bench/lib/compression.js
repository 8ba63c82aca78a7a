/**
 * The compression section of `npm run bench`: what optimize does to each
 * benchmark scenario (../shared/corpus/headroom-scenarios/*.json) and each
 * real JSON tool output (../shared/corpus/tool-outputs/**.json), in process,
 * through the library API with the default configuration — so every
 * registered, enabled transform takes part and a new compressor adds its
 * numbers here without a change to this file.
 *
 * Each file is wrapped as the scoreboard wraps it (../shared/tools/scoreboard.mjs):
 * a system prompt, a user question, one tool call and the file as its result.
 * A scenario that is itself a conversation (an array of chat messages) is
 * sent as the request's messages instead. Per file: tokens before → after
 * (whole request), the path each tool output took (its block decision:
 * `compressed:<labels>`, `skipped:<reasons>`, with a count when a
 * conversation has several), latency p50/p95 of `optimizeRequest` over
 * several runs after one warm-up (so the one-time tokenizer load is not in
 * it), and a check that no block and no request came out larger than it went in.
 *
 * Without ../shared (a user's clone) the section says so and is empty.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { inputFiles } from './files.js';

/** The scoreboard's question for JSON it has no more specific question for. */
const QUERY = 'Summarize this and point out anything that failed or looks anomalous.';

/** Widest file name column. */
const MAX_NAME = 60;

/** The files of the section, scenario files first, each as {name, file}. */
export function compressionInputs(corpus) {
  const inputs = [];
  const scenarios = path.join(corpus, 'headroom-scenarios');
  if (existsSync(scenarios)) {
    for (const name of readdirSync(scenarios).sort()) {
      // index.json describes the scenarios; it is not one.
      if (name.endsWith('.json') && name !== 'index.json') inputs.push({ name: `scenarios/${name}`, file: path.join(scenarios, name) });
    }
  }
  const toolOutputs = path.join(corpus, 'tool-outputs');
  if (existsSync(toolOutputs)) {
    for (const file of inputFiles([toolOutputs])) {
      if (file.endsWith('.json')) inputs.push({ name: path.relative(corpus, file), file });
    }
  }
  return inputs;
}

function isConversation(value) {
  return Array.isArray(value) && value.length > 0 && value.every((item) => item !== null && typeof item === 'object' && typeof item.role === 'string');
}

/** The request body for one file, as JSON text; null when the file is not JSON. */
export function requestFor(text, name) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (isConversation(value)) return JSON.stringify({ model: 'gpt-4o', messages: value });
  return JSON.stringify({
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'You are an operations assistant.' },
      { role: 'user', content: QUERY },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_0001', type: 'function', function: { name: 'fetch_data', arguments: JSON.stringify({ source: path.basename(name) }) } }],
      },
      { role: 'tool', tool_call_id: 'call_0001', content: text },
    ],
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** `compressed:json-compact`, or `compressed:json-compact×12, skipped:small×3` for a conversation. */
function pathOf(blocks, decisionKey) {
  const counts = new Map();
  for (const block of blocks) {
    if (block.kind !== 'tool_result') continue;
    const key = decisionKey(block);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (counts.size === 0) return 'no tool output';
  return [...counts].map(([key, count]) => (count > 1 ? `${key}×${count}` : key)).join(', ');
}

/**
 * Runs the section. `library` is dist/index.js and `decisionKey` the
 * reporters' wording of a block decision (dist/cli/reporters/decision.js).
 */
export async function benchCompression(corpus, library, decisionKey, runs) {
  const rows = [];
  const config = library.defaultConfig();
  for (const { name, file } of compressionInputs(corpus)) {
    const body = requestFor(readFileSync(file, 'utf8'), name);
    if (body === null) {
      rows.push({ file: name, error: 'not JSON' });
      continue;
    }
    try {
      // Warm-up: the tokenizer's rank table loads once per process.
      const first = await library.optimizeRequest(body, { config });
      const times = [];
      for (let run = 0; run < runs; run++) {
        const start = performance.now();
        await library.optimizeRequest(body, { config });
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      const { result } = first;
      const larger = result.blocks.filter((block) => block.tokens_after > block.tokens_before).length + (result.tokens_after > result.tokens_before ? 1 : 0);
      rows.push({
        file: name,
        tokens_before: result.tokens_before,
        tokens_after: result.tokens_after,
        saved: result.tokens_before === 0 ? 0 : 1 - result.tokens_after / result.tokens_before,
        path: pathOf(result.blocks, decisionKey),
        p50_ms: percentile(times, 50),
        p95_ms: percentile(times, 95),
        not_larger: larger === 0,
      });
    } catch (error) {
      rows.push({ file: name, error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    }
  }
  return rows;
}

export function printCompression(rows, runs) {
  console.log(`\ncompression (default config, in process; latency over ${runs} runs after a warm-up)`);
  if (rows.length === 0) {
    console.log('  no corpus (../shared/corpus) beside the project: nothing to measure');
    return;
  }
  // Long fixture names are cut from the front: their ends tell them apart.
  const width = Math.min(MAX_NAME, Math.max(...rows.map((row) => row.file.length)));
  const name = (file) => (file.length <= width ? file : `…${file.slice(file.length - width + 1)}`);
  console.log(`${'file'.padEnd(width)} ${'tokens before → after'.padStart(24)} ${'saved'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'≤ input'.padStart(7)}  path`);
  for (const row of rows) {
    if (row.error) {
      console.log(`${name(row.file).padEnd(width)} error: ${row.error}`);
      continue;
    }
    console.log(
      [
        name(row.file).padEnd(width),
        `${row.tokens_before} → ${row.tokens_after}`.padStart(24),
        `${(row.saved * 100).toFixed(1)}%`.padStart(6),
        row.p50_ms.toFixed(1).padStart(8),
        row.p95_ms.toFixed(1).padStart(8),
        (row.not_larger ? 'ok' : 'LARGER').padStart(7),
        ` ${row.path}`,
      ].join(' '),
    );
  }
  const measured = rows.filter((row) => !row.error);
  const before = measured.reduce((sum, row) => sum + row.tokens_before, 0);
  const after = measured.reduce((sum, row) => sum + row.tokens_after, 0);
  const larger = measured.filter((row) => !row.not_larger).length;
  console.log(
    `${'total'.padEnd(width)} ${`${before} → ${after}`.padStart(24)} ${`${before === 0 ? '0.0' : ((1 - after / before) * 100).toFixed(1)}%`.padStart(6)}  ${measured.length} files, ${larger === 0 ? 'none larger than its input' : `${larger} LARGER than the input`}${rows.length > measured.length ? `, ${rows.length - measured.length} errors` : ''}`,
  );
}
