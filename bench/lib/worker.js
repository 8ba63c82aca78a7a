/**
 * One benchmark job in its own process, so its peak RSS is its own:
 *   audit PATHS…  the real audit pipeline
 *   floor PATHS…  read + JSON.parse + count each distinct string once
 *   floor-texts PATHS…  read + parse formats + count each distinct part text once
 *   guard PATHS…  guarded vs exact token counts on texts the guard splits
 *   optimize MODE PATHS…  the optimize pipeline (MODE optimize or simulate):
 *                 per-request latency and the share of it spent counting tokens
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { contentHash } from '../../dist/formats/hash.js';
import { MemoryCcrStore, parseSource, readRecords, runAudit, runOptimize } from '../../dist/index.js';
import { findLongRuns, getTokenCounter } from '../../dist/tokens/counter.js';
import { inputFiles } from './files.js';

const [job, ...paths] = process.argv.slice(2);

function peakRssMb() {
  return process.resourceUsage().maxRSS / 1024;
}

/** Every string value of every record in the files, each once. */
async function* distinctStrings(files) {
  const seen = new Set();
  const walk = function* (value) {
    if (typeof value === 'string') {
      if (!seen.has(value)) {
        seen.add(value);
        yield value;
      }
    } else if (Array.isArray(value)) {
      for (const item of value) yield* walk(item);
    } else if (value && typeof value === 'object') {
      for (const item of Object.values(value)) yield* walk(item);
    }
  };
  for (const file of files) {
    for await (const record of records(file)) yield* walk(record);
  }
}

/** A file's records: the whole file if it is one JSON document, else its lines. */
async function* records(file) {
  const text = readFileSync(file, 'utf8');
  try {
    yield JSON.parse(text);
    return;
  } catch {
    // Not one document: read it as JSONL.
  }
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line);
    } catch {
      // Malformed lines cost the floor nothing more.
    }
  }
}

async function audit() {
  const start = performance.now();
  const result = await runAudit({ paths, cwd: process.cwd() });
  return { ms: performance.now() - start, requests: result.summary.requests, errors: result.errors, peakRssMb: peakRssMb() };
}

async function floor() {
  const start = performance.now();
  const counter = await getTokenCounter('o200k_base');
  let tokens = 0;
  for await (const text of distinctStrings(inputFiles(paths))) tokens += counter.count(text);
  return { ms: performance.now() - start, tokens, peakRssMb: peakRssMb() };
}

/**
 * The floor for the texts the model actually sees: read, JSON.parse, parse the
 * format into requests, and count each distinct part text once. Audit minus
 * this is the cost of the analysis itself.
 */
async function floorTexts() {
  const start = performance.now();
  const counter = await getTokenCounter('o200k_base');
  const seen = new Set();
  let tokens = 0;
  const countOnce = (text) => {
    const hash = contentHash(text);
    if (seen.has(hash)) return;
    seen.add(hash);
    tokens += counter.count(text);
  };
  for (const file of inputFiles(paths)) {
    const source = { name: file, kind: 'file', path: file, discovered: true };
    for await (const event of parseSource(source, readRecords(source))) {
      if (event.kind !== 'request') continue;
      for (const message of event.request.messages) for (const part of message.parts) countOnce(part.text);
      for (const tool of event.request.tools) countOnce(tool.text);
    }
  }
  return { ms: performance.now() - start, tokens, peakRssMb: peakRssMb() };
}

/** Exact BPE is quadratic in a piece's length; runs longer than this are not checked. */
const EXACT_RUN_LIMIT = 4000;
const GUARD_TIME_LIMIT_MS = 60_000;

async function guard() {
  const { Tiktoken } = await import('js-tiktoken/lite');
  const ranks = (await import('js-tiktoken/ranks/o200k_base')).default;
  const exact = new Tiktoken(ranks);
  const counter = await getTokenCounter('o200k_base');
  const start = performance.now();
  let texts = 0;
  let skipped = 0;
  let exactTokens = 0;
  let guardedTokens = 0;
  for await (const text of distinctStrings(inputFiles(paths))) {
    const runs = findLongRuns(text);
    if (runs.length === 0) continue;
    const longest = Math.max(...runs.map((run) => run.end - run.start));
    if (longest > EXACT_RUN_LIMIT || performance.now() - start > GUARD_TIME_LIMIT_MS) {
      skipped++;
      continue;
    }
    texts++;
    exactTokens += exact.encode(text, [], []).length;
    guardedTokens += counter.count(text);
  }
  return { texts, skipped, exactTokens, guardedTokens, ms: performance.now() - start };
}

/**
 * Optimize latency per request. Token counting is timed by wrapping the
 * shared counters' `count` (the pipeline's only tokenizer entry point), so
 * the share is measured, not estimated.
 */
async function optimize() {
  const [mode, ...inputs] = paths;
  let countMs = 0;
  for (const encoding of ['o200k_base', 'cl100k_base']) {
    const counter = await getTokenCounter(encoding);
    const count = counter.count.bind(counter);
    counter.count = (text, key) => {
      const started = performance.now();
      try {
        return count(text, key);
      } finally {
        countMs += performance.now() - started;
      }
    };
  }
  const latencies = [];
  const countShares = [];
  let countBefore = 0;
  let outputBytes = 0;
  let tokensBefore = 0;
  let tokensAfter = 0;
  const start = performance.now();
  const result = await runOptimize({
    paths: inputs,
    cwd: process.cwd(),
    mode,
    losslessOnly: false,
    diff: false,
    minTokensToCrush: 200,
    prefixFreeze: { enabled: true, minCachedTokens: 1024 },
    ccr: { enabled: true, injectMarkers: true, injectTool: true },
    ccrStore: new MemoryCcrStore({ ttlSeconds: 1800, maxEntries: 1000 }),
    write: (text) => {
      outputBytes += text.length;
    },
    onResult: (optimized) => {
      const total = optimized.result.timing.pipeline_total;
      latencies.push(total);
      countShares.push({ total, counting: countMs - countBefore });
      countBefore = countMs;
      tokensBefore += optimized.result.tokens_before;
      tokensAfter += optimized.result.tokens_after;
    },
  });
  latencies.sort((a, b) => a - b);
  const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const pipelineMs = latencies.reduce((sum, ms) => sum + ms, 0);
  const countingMs = countShares.reduce((sum, entry) => sum + entry.counting, 0);
  return {
    ms: performance.now() - start,
    requests: result.requests,
    errors: result.errors,
    p50Ms: pick(0.5),
    p95Ms: pick(0.95),
    maxMs: latencies[latencies.length - 1] ?? 0,
    tokenizeShare: pipelineMs > 0 ? countingMs / pipelineMs : 0,
    tokensBefore,
    tokensAfter,
    outputBytes,
    peakRssMb: peakRssMb(),
  };
}

const jobs = { audit, floor, 'floor-texts': floorTexts, guard, optimize };
if (!jobs[job]) {
  console.error(`unknown job ${job}`);
  process.exit(2);
}
console.log(JSON.stringify(await jobs[job]()));
