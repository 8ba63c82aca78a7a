#!/usr/bin/env node
/**
 * Corpus check for Claude Code transcripts (run from the project root after
 * `npm run build`): over every `.jsonl` under `../shared/corpus/claude-code/`
 *
 *   (a) optimize runs in-process and every request body it writes is checked:
 *       each `tool_use` must be answered by a `tool_result` in the next
 *       message, and — when the test build (`dist-test`, made by `npm test`)
 *       is present — the body must pass the same structural checks as the
 *       property tests (`validityProblems('anthropic', body)`);
 *   (b) audit runs and, per session, prints the median over its calls of
 *       estimate / recorded prompt (recorded = input + cache reads + cache
 *       writes). The estimate stays below the recorded prompt: Claude Code
 *       does not record the system prompt and tool definitions it sends.
 *
 * Without the corpus it prints a note and exits 0.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(fileURLToPath(import.meta.url), '../..');
const corpus = path.resolve(root, '../shared/corpus/claude-code');
if (!existsSync(corpus)) {
  console.log(`transcript-check: no corpus at ${corpus}; nothing to check.`);
  process.exit(0);
}

const { runAudit, runOptimize, MemoryCcrStore } = await import(pathToFileURL(path.join(root, 'dist/index.js')).href);
const validityPath = path.join(root, 'dist-test/test/support/provider-validity.js');
const validity = existsSync(validityPath) ? await import(pathToFileURL(validityPath).href) : null;
if (!validity) console.log('note: dist-test not built (run `npm test` once); only the tool_use/tool_result pairing is checked.\n');

function jsonlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return jsonlFiles(full);
      return entry.isFile() && entry.name.endsWith('.jsonl') ? [full] : [];
    })
    .sort();
}

function blocksOf(message) {
  return message && Array.isArray(message.content) ? message.content : [];
}

/** tool_use blocks of a body and how many of them the next message answers. */
function pairing(body) {
  let uses = 0;
  let unanswered = 0;
  body.messages.forEach((message, index) => {
    if (message.role !== 'assistant') return;
    const ids = blocksOf(message)
      .filter((block) => block.type === 'tool_use')
      .map((block) => block.id);
    uses += ids.length;
    if (index === body.messages.length - 1) return; // A final assistant message is a prefill: nothing answers it yet.
    const next = body.messages[index + 1];
    const answered = new Set(
      next?.role === 'user'
        ? blocksOf(next)
            .filter((block) => block.type === 'tool_result')
            .map((block) => block.tool_use_id)
        : [],
    );
    unanswered += ids.filter((id) => !answered.has(id)).length;
  });
  return { uses, unanswered };
}

async function optimizeFile(file) {
  let output = '';
  const problems = [];
  await runOptimize({
    paths: [file],
    cwd: root,
    mode: 'optimize',
    losslessOnly: false,
    diff: false,
    minTokensToCrush: 200,
    prefixFreeze: { enabled: true, minCachedTokens: 1024 },
    ccr: { enabled: true, injectMarkers: true, injectTool: true },
    ccrStore: new MemoryCcrStore({ ttlSeconds: 1800, maxEntries: 1_000_000 }),
    write: (chunk) => {
      output += chunk;
    },
    onProblem: (problem) => problems.push(problem),
  });
  const bodies = output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
  const row = { bodies: bodies.length, toolUses: 0, unanswered: 0, invalid: 0, firstProblem: '' };
  for (const body of bodies) {
    const { uses, unanswered } = pairing(body);
    row.toolUses += uses;
    row.unanswered += unanswered;
    const found = validity ? validity.validityProblems('anthropic', body) : [];
    if (found.length > 0) {
      row.invalid++;
      row.firstProblem ||= `${found.length} problem(s), e.g. ${found[0]}`;
    }
  }
  return row;
}

function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Per conversation: estimate ÷ recorded prompt of each call with usage, and
 * the gap recorded − estimate, which should be about constant (the system
 * prompt and tools Claude Code sends but does not record).
 */
async function auditFile(file) {
  const calls = new Map();
  await runAudit({
    paths: [file],
    cwd: root,
    onRequest: (report) => {
      if (!report.usage || report.usage.prompt === 0) return;
      const key = report.conversation ?? report.id;
      if (!calls.has(key)) calls.set(key, []);
      calls.get(key).push({ ratio: report.tokens / report.usage.prompt, gap: report.usage.prompt - report.tokens });
    },
  });
  return [...calls].map(([conversation, values]) => {
    const ratios = values.map((value) => value.ratio);
    const gaps = values.map((value) => value.gap);
    return {
      conversation,
      calls: values.length,
      median: median(ratios),
      min: Math.min(...ratios),
      max: Math.max(...ratios),
      gap: median(gaps),
      gapSpread: quantile(gaps, 0.75) - quantile(gaps, 0.25),
    };
  });
}

const fixed = (value) => (value === null ? '—' : value.toFixed(3));
const files = jsonlFiles(corpus);
const totals = { bodies: 0, toolUses: 0, unanswered: 0, invalid: 0 };

console.log('(a) optimize: written bodies');
console.log(['file', 'bodies', 'tool_use', 'no result', 'invalid bodies', 'first problem'].join('\t'));
for (const file of files) {
  const row = await optimizeFile(file);
  for (const key of Object.keys(totals)) totals[key] += row[key];
  console.log([path.relative(corpus, file), row.bodies, row.toolUses, row.unanswered, validity ? row.invalid : 'n/a', row.firstProblem].join('\t'));
}
console.log(['total', totals.bodies, totals.toolUses, totals.unanswered, validity ? totals.invalid : 'n/a', ''].join('\t'));

console.log('\n(b) audit: estimate / recorded prompt per session (main conversations; sub-agents marked /agent);');
console.log('    gap = recorded − estimate in tokens (the unrecorded system prompt and tools: steady when the context is right)');
console.log(['file', 'conversation', 'calls', 'median', 'min', 'max', 'gap median', 'gap IQR'].join('\t'));
for (const file of files) {
  for (const row of await auditFile(file)) {
    const agent = row.conversation.includes('/agent:') ? `/agent:${row.conversation.split('/agent:')[1]}` : 'main';
    console.log([path.relative(corpus, file), agent, row.calls, fixed(row.median), fixed(row.min), fixed(row.max), row.gap, row.gapSpread].join('\t'));
  }
}
