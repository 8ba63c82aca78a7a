/**
 * The platform's invariants over generated diffs: output never larger,
 * markers expand to exactly the input, deterministic, idempotent, and every
 * changed line of a file that is not summarized is kept byte for byte.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { expandMarkers, findMarkers } from '../../src/ccr/markers.js';
import type { HeadroomConfig } from '../../src/config/index.js';
import { optimizeText } from '../pipeline/helpers.js';
import { compress, contextLines, countQuarter } from './diff-compressor-support.js';

interface HunkSpec {
  before: number;
  removed: number;
  added: number;
  after: number;
}

const hunkArb = fc.record({ before: fc.nat(14), removed: fc.nat(4), added: fc.nat(4), after: fc.nat(14) });
const fileArb = fc.record({
  name: fc.constantFrom('src/app.ts', 'lib/util.py', 'yarn.lock', 'dist/bundle.js', 'docs/a b.md', 'x(1).go'),
  deleted: fc.boolean(),
  hunks: fc.array(hunkArb, { minLength: 1, maxLength: 4 }),
});
const diffArb = fc.record({
  files: fc.array(fileArb, { minLength: 1, maxLength: 4 }),
  crlf: fc.boolean(),
  ansi: fc.boolean(),
  preamble: fc.boolean(),
  noNewline: fc.boolean(),
});

interface GeneratedDiff {
  files: { name: string; deleted: boolean; hunks: HunkSpec[] }[];
  crlf: boolean;
  ansi: boolean;
  preamble: boolean;
  noNewline: boolean;
}

function hunkLines(spec: HunkSpec, start: number, deleted: boolean): string[] {
  if (deleted) {
    const removed = spec.before + spec.removed + spec.after;
    return [`@@ -${start},${removed} +0,0 @@`, ...Array.from({ length: removed }, (_, i) => `-deleted line ${i} of the old file`)];
  }
  const header = `@@ -${start},${spec.before + spec.removed + spec.after} +${start},${spec.before + spec.added + spec.after} @@`;
  return [
    header,
    ...contextLines('', start, spec.before),
    ...Array.from({ length: spec.removed }, (_, i) => `-old line ${start + i} removed here`),
    ...Array.from({ length: spec.added }, (_, i) => `+new line ${start + i} added here`),
    ...contextLines('', start + spec.before, spec.after),
  ];
}

function render(diff: GeneratedDiff): string {
  const lines: string[] = diff.preamble ? ['commit 0123456789abcdef0123456789abcdef01234567', 'Author: A <a@example.com>', '', '    message', ''] : [];
  for (const file of diff.files) {
    lines.push(`diff --git a/${file.name} b/${file.name}`);
    if (file.deleted) lines.push('deleted file mode 100644');
    lines.push('index 1111111..2222222 100644', `--- a/${file.name}`, file.deleted ? '+++ /dev/null' : `+++ b/${file.name}`);
    let start = 1;
    for (const hunk of file.deleted ? file.hunks.slice(0, 1) : file.hunks) {
      lines.push(...hunkLines(hunk, start, file.deleted));
      start += hunk.before + hunk.removed + hunk.after + 20;
    }
  }
  if (diff.noNewline) lines.push('\\ No newline at end of file');
  const coloured = diff.ansi ? lines.map((line) => (line.startsWith('+') ? `\x1b[32m${line}\x1b[m` : line.startsWith('-') ? `\x1b[31m${line}\x1b[m` : line)) : lines;
  return coloured.join(diff.crlf ? '\r\n' : '\n') + (diff.crlf ? '\r\n' : '\n');
}

const SETTINGS = (config: HeadroomConfig): void => {
  config.diffCompressor.minSavingsRatio = 0;
  config.diffCompressor.maxFileLines = 40;
};

describe('diff compressor properties', () => {
  it('never larger, markers expand to exactly the input, deterministic, idempotent, changed lines of unsummarized files kept', () => {
    fc.assert(
      fc.property(diffArb, (diff) => {
        const input = render(diff);
        const first = compress(input, { config: SETTINGS });
        assert.ok(countQuarter(first.text) <= countQuarter(input), 'never larger');
        assert.equal(
          expandMarkers(first.text, (key) => first.store.get(key) ?? null),
          input,
        );
        assert.deepEqual(compress(input, { config: SETTINGS }).text, first.text, 'deterministic');
        const second = compress(first.text, { config: SETTINGS });
        assert.equal(second.text, first.text, 'idempotent');
        const summarized = first.spans.filter((span) => span.unit === 'diff lines').map((span) => span.original);
        const kept = new Set(first.text.split(/\r?\n/));
        for (const line of input.split(/\r?\n/)) {
          if (!/^(?:\x1b\[3[12]m)?[+-]/.test(line) || line.startsWith('--- ') || line.startsWith('+++ ')) continue;
          assert.ok(kept.has(line) || summarized.some((original) => original.includes(line)), `changed line kept or summarized: ${JSON.stringify(line)}`);
        }
        for (const marker of findMarkers(first.text)) assert.ok(marker.unit === 'diff lines' || marker.unit === 'context lines' || marker.unit === 'lines');
      }),
      { numRuns: 200 },
    );
  });
});

describe('diff compressor in the pipeline', () => {
  it('a diff tool result is compressed by diff_compressor, and the stored originals restore it', async () => {
    const lock = ['diff --git a/package-lock.json b/package-lock.json', 'index 1..2 100644', '--- a/package-lock.json', '+++ b/package-lock.json', '@@ -1,400 +1,400 @@'];
    for (let i = 0; i < 400; i++) lock.push(`-    "node_modules/pkg-${i}": { "version": "1.0.${i}" },`, `+    "node_modules/pkg-${i}": { "version": "1.1.${i}" },`);
    const diff = lock.join('\n');
    const request = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Review this change.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'git_diff', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: diff },
      ],
    };
    const { output, results, store } = await optimizeText(JSON.stringify(request));
    const content = JSON.parse(output).messages[2].content as string;
    assert.ok(content.startsWith(lock.slice(0, 4).join('\n') + '\n[headroom: omitted 801 diff lines (1 hunk +400 -400, generated file pattern); headroom_retrieve hash='));
    const restored = expandMarkers(content, (key) => {
      const lookup = store.peek(key);
      return lookup.status === 'available' ? lookup.entry.original : null;
    });
    assert.equal(restored, diff);
    assert.match(JSON.stringify(results[0]), /diff_compressor/);
  });
});
