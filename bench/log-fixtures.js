#!/usr/bin/env node
// The reference's recorded LogCompressor fixtures through our router and log compressor: per fixture, the
// content kind we detect, our size against the reference's, and every error or failure line the reference
// kept that our output lost (there must be none). Reads ../shared/corpus (not in a user's clone), so it is a
// bench script, not a test. Run after `npm run build`:  node bench/log-fixtures.js [fixtures-dir]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyContent } from '../dist/analysis/content-kind.js';
import { ccrKey } from '../dist/ccr/key.js';
import { expandMarkers, formatMarker } from '../dist/ccr/markers.js';
import { defaultConfig } from '../dist/config/index.js';
import { getTokenCounter } from '../dist/tokens/counter.js';
import { logCompressor } from '../dist/transforms/log-compressor/index.js';
import { lineRole, plainLine } from '../dist/transforms/log-compressor/roles.js';

const dir = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'corpus', 'headroom-fixtures', 'tests', 'parity', 'fixtures', 'log_compressor');
if (!existsSync(dir)) {
  console.error(`no fixtures at ${dir}`);
  process.exit(2);
}
const tokens = await getTokenCounter('o200k_base');
const transform = logCompressor(defaultConfig().logCompressor);
// The reference's own notion of an error line (§4.5: ERROR/FATAL/CRITICAL, FAIL/FAILED, word-bounded) or ours.
const REFERENCE_ERROR = /\b(?:ERROR|FATAL|CRITICAL|FAIL|FAILED)\b/i;

let lost = 0;
console.log(
  `${'fixture'.padEnd(22)} ${'our kind'.padEnd(10)} ${'lines'.padStart(6)} ${'ref chars'.padStart(10)} ${'our chars'.padStart(10)} ${'our outcome'.padEnd(32)} lost error lines`,
);
for (const file of readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .sort()) {
  const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const input = fixture.input;
  const reference = fixture.output.compressed;
  const originals = new Map();
  const context = {
    request: { provider: 'openai', format: 'openai-chat', model: 'gpt-4o', query: null },
    call: null,
    toolName: null,
    filePath: null,
    canOffload: true,
    count: (text) => tokens.count(text),
    offload(span) {
      const key = ccrKey(span.original);
      originals.set(key, span.original);
      return formatMarker({ key, count: span.count, unit: span.unit, ...(span.detail === undefined ? {} : { detail: span.detail }) });
    },
  };
  const kind = classifyContent(input);
  const outcome = await transform.apply(
    { index: 0, messageIndex: 0, kind: 'tool_result', text: input, tokens: tokens.count(input), flags: {}, content: kind, structured: false },
    context,
  );
  const ours = 'text' in outcome ? outcome.text : input;
  if (expandMarkers(ours, (key) => originals.get(key) ?? null) !== input) throw new Error(`${file}: markers do not expand to the input`);
  const ourLines = new Set(ours.split('\n'));
  const missing = reference.split('\n').filter((line) => (REFERENCE_ERROR.test(line) || lineRole(plainLine(line)).severity === 'error') && input.includes(line) && !ourLines.has(line));
  lost += missing.length;
  const label = 'text' in outcome ? outcome.label : `declined: ${outcome.decline}`;
  console.log(
    `${file.replace('.json', '').padEnd(22)} ${kind.kind.padEnd(10)} ${String(input.split('\n').length).padStart(6)} ${String(reference.length).padStart(10)} ${String(ours.length).padStart(10)} ${label.slice(0, 32).padEnd(32)} ${missing.length}${missing.length ? ` e.g. ${JSON.stringify(missing[0].slice(0, 80))}` : ''}`,
  );
}
console.log(`error lines the reference kept and we lost: ${lost}`);
process.exit(lost === 0 ? 0 : 1);
