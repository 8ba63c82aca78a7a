#!/usr/bin/env node
/**
 * Estimate vs billed: audits every recorded capture in
 * ../shared/corpus/llm-api-captures/pydantic-ai and prints, per request with
 * recorded usage, our prompt estimate, the billed prompt and their ratio.
 *
 *   node bench/usage-accuracy.js              # this checkout's dist/
 *   node bench/usage-accuracy.js --dist DIR   # another build (e.g. before a change)
 *
 * Without the shared corpus (a user's clone) it prints a note and exits 0.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(fileURLToPath(import.meta.url), '../..');
const captures = path.resolve(root, '../shared/corpus/llm-api-captures/pydantic-ai');
const args = process.argv.slice(2);
const dist = args.includes('--dist') ? path.resolve(args[args.indexOf('--dist') + 1]) : path.join(root, 'dist');

if (!existsSync(captures)) {
  console.log(`note: ${captures} not found; the usage-accuracy bench needs the shared corpus`);
  process.exit(0);
}

const { runAudit } = await import(pathToFileURL(path.join(dist, 'pipeline/audit.js')).href);
const files = readdirSync(captures)
  .filter((name) => name.endsWith('.jsonl'))
  .sort();
const rows = [];
for (const file of files) {
  const reports = [];
  await runAudit({ paths: [path.join(captures, file)], cwd: captures, onRequest: (report) => reports.push(report) });
  for (const report of reports) {
    if (!report.usage) continue;
    rows.push({
      request: `${file}:${report.where.line}`,
      model: report.model ?? '?',
      estimate: report.tokens,
      billed: report.usage.prompt,
      ratio: report.usage.prompt ? report.tokens / report.usage.prompt : null,
      estimated: report.estimated_kinds ? report.estimated_kinds.join(',') || '(none)' : '(no labels)',
    });
  }
}

const header = ['request', 'model', 'estimate', 'billed', 'ratio', 'estimated kinds'];
const table = rows.map((row) => [row.request, row.model, String(row.estimate), String(row.billed), row.ratio === null ? '–' : row.ratio.toFixed(2), row.estimated]);
const widths = header.map((title, index) => Math.max(title.length, ...table.map((cells) => cells[index].length)));
const line = (cells) => cells.map((cell, index) => (index >= 2 && index <= 4 ? cell.padStart(widths[index]) : cell.padEnd(widths[index]))).join('  ');
console.log(line(header));
for (const cells of table) console.log(line(cells));
const ratios = rows
  .map((row) => row.ratio)
  .filter((ratio) => ratio !== null)
  .sort((a, b) => a - b);
const median = ratios.length ? ratios[Math.floor(ratios.length / 2)] : null;
console.log(`\n${rows.length} requests with recorded usage; median ratio ${median === null ? '–' : median.toFixed(2)}`);
