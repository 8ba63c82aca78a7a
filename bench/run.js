#!/usr/bin/env node
/**
 * `npm run bench`: audit throughput and peak memory against the floor.
 *
 * For each input set it runs, each in a fresh process (so peak RSS belongs to
 * one job):
 *   - audit: the real `runAudit` over the set;
 *   - floor: read every file, JSON.parse every record and count the tokens of
 *     every distinct string value once (this counts more text than audit
 *     does: transcripts also store copies of tool results the model never sees);
 *   - texts floor: read, parse, turn records into requests and count each
 *     distinct text the model sees once — the least any audit must do, so
 *     audit ÷ texts floor is the cost of the analysis itself.
 * It also measures the token-count guard's deviation from exact js-tiktoken
 * counts on the guarded texts of each set.
 *
 * Then, per set, optimize and simulate latency per request (p50/p95) and the
 * share of it spent counting tokens.
 *
 * Then cold start: whole `headroom --help`, `audit` of a one-message request
 * and `optimize` of a small request, each the median of --cold-runs (11)
 * fresh processes, and the rank-table load time per encoding.
 *
 * Then the waste detectors' worst-case inputs, timed (tests check them by
 * result and counted work only).
 *
 * Then compression: optimize (default config, in process) on each benchmark
 * scenario and each real JSON tool output of ../shared/corpus — tokens
 * before → after, the path each tool output took, latency p50/p95 over
 * --compression-runs (5) runs, and a check that nothing grew
 * (bench/lib/compression.js; skipped without ../shared).
 *
 * Then compressors: a row per line compressor (log, search, diff, code
 * outline, HTML, prose) over the real non-JSON tool outputs of
 * ../shared/corpus — tool-outputs/, code-files/ and every distinct tool
 * output inside its transcripts, each sent with its real tool name and call
 * arguments — with default config plus intercept_tool_results (so code reads
 * reach code_outline): outputs, tokens before → after, saved, the
 * compressor's stage latency p50/p95 and why outputs were left alone; then
 * each compressor on ~1 MB of its kind (stage time p50/p95 over
 * --compression-runs runs, ≤ 200 ms ok/OVER) (bench/lib/compressors.js).
 *
 * Then parity: the reference's recorded content_detector, log_compressor and
 * diff_compressor fixtures through optimizeRequest — their kind vs ours,
 * their size vs ours, and every error line, changed line and file header
 * the reference kept that we lost (printed loudly; bench/lib/parity.js).
 * Then cache parity: the reference's recorded ccr fixtures (its retrieval
 * tool added to a tools list) against the tools list optimize writes
 * (bench/lib/cache-parity.js). All three are skipped without ../shared.
 *
 * Options: --big generates a ≥1 GB JSONL in the temp dir and audits it
 * (streaming check); --single-line generates the same ~200 MB of request
 * bodies as JSONL and as one single-line JSON array and audits both (the
 * document must stay in the time and memory class of the JSONL); --only NAME
 * runs one set (`--only json`: only the JSON text row — minify and array
 * element ranges over a 10 MB pretty document; `--only detectors`: only the
 * detector rows; `--only cold`: only the cold-start rows; `--only compression`: only the compression rows;
 * `--only compressors`, `--only parity`, `--only cache-parity`: only those sections). Results are printed as a table
 * and written to bench/results/audit-<date>.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { coldStart } from './lib/cold-start.js';
import { detectorWorstCases } from './lib/detector-worst-cases.js';
import { inputBytes } from './lib/files.js';

const root = path.resolve(fileURLToPath(import.meta.url), '../..');
const corpus = path.resolve(root, '../shared/corpus');
const reference = path.resolve(root, '../shared/reference');
const worker = path.join(root, 'bench/lib/worker.js');

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const big = args.includes('--big');
const singleLine = args.includes('--single-line');
const coldRuns = args.includes('--cold-runs') ? Number(args[args.indexOf('--cold-runs') + 1]) : 11;
const compressionRuns = args.includes('--compression-runs') ? Number(args[args.indexOf('--compression-runs') + 1]) : 5;

const sets = [{ name: 'fixtures', paths: [path.join(root, 'fixtures')] }];
for (const folder of ['claude-code', 'llm-api-captures', 'openai-messages', 'trajectories', 'headroom-fixtures']) {
  const dir = path.join(corpus, folder);
  if (existsSync(dir)) sets.push({ name: `corpus/${folder}`, paths: [dir] });
}

function runWorker(job, paths) {
  const result = spawnSync(process.execPath, [worker, job, ...paths], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`${job} worker failed: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

const rows = [];
for (const set of sets) {
  if (only && set.name !== only) continue;
  const bytes = inputBytes(set.paths);
  const audit = runWorker('audit', set.paths);
  const floor = runWorker('floor', set.paths);
  const floorTexts = runWorker('floor-texts', set.paths);
  const guard = runWorker('guard', set.paths);
  rows.push({
    set: set.name,
    mb: bytes / 1e6,
    audit_ms: audit.ms,
    audit_mb_s: bytes / 1e6 / (audit.ms / 1000),
    audit_peak_rss_mb: audit.peakRssMb,
    floor_ms: floor.ms,
    floor_mb_s: bytes / 1e6 / (floor.ms / 1000),
    floor_peak_rss_mb: floor.peakRssMb,
    audit_over_floor: audit.ms / floor.ms,
    floor_texts_ms: floorTexts.ms,
    floor_texts_mb_s: bytes / 1e6 / (floorTexts.ms / 1000),
    audit_over_floor_texts: audit.ms / floorTexts.ms,
    requests: audit.requests,
    input_errors: audit.errors,
    guarded_texts: guard.texts,
    guard_exact_tokens: guard.exactTokens,
    guard_counted_tokens: guard.guardedTokens,
    guard_deviation: guard.exactTokens ? (guard.guardedTokens - guard.exactTokens) / guard.exactTokens : 0,
    guard_skipped_texts: guard.skipped,
  });
  printRow(rows[rows.length - 1]);
}

/**
 * Optimize latency per request (p50/p95) and the share of it spent counting
 * tokens. `optimize` writes only the final request of each transcript
 * conversation; `simulate` runs the same pipeline on every call.
 */
const optimizeRows = [];
for (const set of sets) {
  if (only && set.name !== only) continue;
  for (const mode of ['optimize', 'simulate']) {
    const run = runWorker('optimize', [mode, ...set.paths]);
    const row = {
      set: set.name,
      mode,
      requests: run.requests,
      p50_ms: run.p50Ms,
      p95_ms: run.p95Ms,
      max_ms: run.maxMs,
      tokenize_share: run.tokenizeShare,
      tokens_before: run.tokensBefore,
      tokens_after: run.tokensAfter,
      total_ms: run.ms,
      peak_rss_mb: run.peakRssMb,
      input_errors: run.errors,
    };
    optimizeRows.push(row);
    if (optimizeRows.length === 1) {
      console.log(
        `\n${['set'.padEnd(28), 'mode'.padEnd(9), 'requests'.padStart(9), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), 'tokenize'.padStart(9), 'tokens before → after'.padStart(26), 'RSS'.padStart(8)].join(' ')}`,
      );
    }
    console.log(
      [
        row.set.padEnd(28),
        mode.padEnd(9),
        String(row.requests).padStart(9),
        row.p50_ms.toFixed(2).padStart(8),
        row.p95_ms.toFixed(2).padStart(8),
        `${(row.tokenize_share * 100).toFixed(0)}%`.padStart(9),
        `${row.tokens_before} → ${row.tokens_after}`.padStart(26),
        `${row.peak_rss_mb.toFixed(0)} MB`.padStart(8),
      ].join(' '),
    );
  }
}

/** Worst-case inputs of the waste detectors (the tests check their results, not their times). */
let detectorRows = [];
if (!only || only === 'detectors') {
  detectorRows = await detectorWorstCases();
  console.log(`\n${'detector worst case'.padEnd(52)} ${'chars'.padStart(9)} ${'ms'.padStart(8)}`);
  for (const row of detectorRows) console.log(`${row.case.padEnd(52)} ${String(row.chars).padStart(9)} ${row.ms.toFixed(1).padStart(8)}`);
}

let singleLineResult = null;
if (singleLine) {
  const generate = (file, shape) => {
    const gen = spawnSync(process.execPath, [path.join(root, 'bench/lib/generate-big.js'), file, String(2e8), shape], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (gen.status !== 0) throw new Error(`generating the ${shape} input failed`);
    return statSync(file).size;
  };
  const jsonlFile = path.join(os.tmpdir(), 'headroom-bench-200mb.jsonl');
  const arrayFile = path.join(os.tmpdir(), 'headroom-bench-200mb-array.json');
  const jsonlBytes = generate(jsonlFile, 'jsonl');
  const arrayBytes = generate(arrayFile, 'array');
  const jsonl = runWorker('audit', [jsonlFile]);
  const array = runWorker('audit', [arrayFile]);
  singleLineResult = {
    jsonl: { mb: jsonlBytes / 1e6, audit_ms: jsonl.ms, peak_rss_mb: jsonl.peakRssMb, requests: jsonl.requests },
    single_line_array: { mb: arrayBytes / 1e6, audit_ms: array.ms, peak_rss_mb: array.peakRssMb, requests: array.requests },
    time_ratio: array.ms / jsonl.ms,
  };
  console.log(`\nsingle-line document vs JSONL (${singleLineResult.jsonl.mb.toFixed(0)} MB, ${jsonl.requests} requests each)`);
  console.log(`  JSONL:                 ${(jsonl.ms / 1000).toFixed(1)} s, peak RSS ${jsonl.peakRssMb.toFixed(0)} MB`);
  console.log(`  one-line JSON array:   ${(array.ms / 1000).toFixed(1)} s, peak RSS ${array.peakRssMb.toFixed(0)} MB  (${singleLineResult.time_ratio.toFixed(2)}× the JSONL time)`);
}

let bigResult = null;
if (big) {
  const file = path.join(os.tmpdir(), 'headroom-bench-1gb.jsonl');
  const gen = spawnSync(process.execPath, [path.join(root, 'bench/lib/generate-big.js'), file, String(1.05e9)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (gen.status !== 0) throw new Error('generating the big JSONL failed');
  const bytes = statSync(file).size;
  const audit = runWorker('audit', [file]);
  bigResult = { file, gb: bytes / 1e9, audit_ms: audit.ms, audit_mb_s: bytes / 1e6 / (audit.ms / 1000), peak_rss_mb: audit.peakRssMb, requests: audit.requests };
  console.log(
    `\n1 GB streaming check: ${bigResult.gb.toFixed(2)} GB, ${bigResult.requests} requests, ${(audit.ms / 1000).toFixed(1)} s, ${bigResult.audit_mb_s.toFixed(1)} MB/s, peak RSS ${bigResult.peak_rss_mb.toFixed(0)} MB`,
  );
}

function printRow(row) {
  if (rows.length === 1) {
    console.log(
      [
        'set'.padEnd(28),
        'MB'.padStart(7),
        'audit MB/s'.padStart(11),
        'floor MB/s'.padStart(11),
        'audit/floor'.padStart(12),
        'texts floor'.padStart(12),
        'audit/texts'.padStart(12),
        'audit RSS'.padStart(10),
        'floor RSS'.padStart(10),
        'guard dev'.padStart(10),
      ].join(' '),
    );
  }
  console.log(
    [
      row.set.padEnd(28),
      row.mb.toFixed(2).padStart(7),
      row.audit_mb_s.toFixed(2).padStart(11),
      row.floor_mb_s.toFixed(2).padStart(11),
      `${row.audit_over_floor.toFixed(2)}×`.padStart(12),
      row.floor_texts_mb_s.toFixed(2).padStart(12),
      `${row.audit_over_floor_texts.toFixed(2)}×`.padStart(12),
      `${row.audit_peak_rss_mb.toFixed(0)} MB`.padStart(10),
      `${row.floor_peak_rss_mb.toFixed(0)} MB`.padStart(10),
      `${(row.guard_deviation * 100).toFixed(3)}%`.padStart(10),
    ].join(' '),
  );
}

let coldRows = null;
if (!only || only === 'cold') {
  coldRows = coldStart(root, coldRuns);
  console.log(`\ncold start (whole process, median of ${coldRuns} runs)`);
  for (const row of coldRows) console.log(`  ${row.what.padEnd(40)} ${row.ms.toFixed(0).padStart(6)} ms`);
}

let jsonTextResult = null;
if (!only || only === 'json') {
  const { benchJsonText } = await import('./lib/json-text.js');
  jsonTextResult = benchJsonText(await import('../dist/json/index.js'));
  const ranges = jsonTextResult.element_ranges_mb_s === undefined ? '' : `, element ranges ${jsonTextResult.element_ranges_mb_s.toFixed(0)} MB/s`;
  console.log(`\nJSON text (${jsonTextResult.mb.toFixed(1)} MB pretty-printed): minify ${jsonTextResult.minify_mb_s.toFixed(0)} MB/s${ranges}`);
}

let compressionRows = null;
if (!only || only === 'compression') {
  const { benchCompression, printCompression } = await import('./lib/compression.js');
  const { decisionKey } = await import('../dist/cli/reporters/decision.js');
  compressionRows = await benchCompression(corpus, await import('../dist/index.js'), decisionKey, compressionRuns);
  printCompression(compressionRows, compressionRuns);
}

let compressorsResult = null;
if (!only || only === 'compressors') {
  const { benchCompressors, printCompressors } = await import('./lib/compressors.js');
  const dist = {
    library: await import('../dist/index.js'),
    transformContext: await import('../dist/pipeline/transform-context.js'),
    hash: await import('../dist/formats/hash.js'),
  };
  compressorsResult = await benchCompressors(corpus, reference, dist, compressionRuns);
  printCompressors(compressorsResult, compressionRuns);
}

let parityResult = null;
if (!only || only === 'parity') {
  const { benchParity, printParity } = await import('./lib/parity.js');
  parityResult = await benchParity(corpus, await import('../dist/index.js'));
  printParity(parityResult);
}

let cacheParityResult = null;
if (!only || only === 'cache-parity') {
  const { benchCacheParity, printCacheParity } = await import('./lib/cache-parity.js');
  cacheParityResult = await benchCacheParity(corpus, await import('../dist/index.js'));
  printCacheParity(cacheParityResult);
}

const resultsDir = path.join(root, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const out = path.join(resultsDir, `audit-${new Date().toISOString().slice(0, 10)}.json`);
writeFileSync(
  out,
  `${JSON.stringify({ node: process.version, cpus: os.cpus().length, sets: rows, optimize: optimizeRows, detectors: detectorRows, big: bigResult, single_line: singleLineResult, json_text: jsonTextResult, cold_start: coldRows, compression: compressionRows, compressors: compressorsResult, parity: parityResult, cache_parity: cacheParityResult }, null, 2)}\n`,
);
console.log(`\nresults written to ${path.relative(process.cwd(), out)}`);
