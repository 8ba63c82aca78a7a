/**
 * FitTable and the text helpers: every line within the width, numbers never
 * cut, paths shortened relative to the working directory.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Chalk } from 'chalk';
import fc from 'fast-check';
import type { Style } from '../../src/cli/style.js';
import { displayPath, displayWidth, FitTable, shorten, wrapText, type ColumnFit } from '../../src/cli/table.js';

function style(width: number): Style {
  return { color: true, chalk: new Chalk({ level: 1 }), width };
}

const TEXT = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }));
const FIT = fc.constantFrom<ColumnFit>('end', 'middle');

describe('FitTable', () => {
  it('never draws a line wider than the width, and never cuts a number', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(TEXT, TEXT, fc.nat(), fc.nat()), { minLength: 1, maxLength: 12 }), FIT, fc.integer({ min: 20, max: 200 }), (rows, fit, width) => {
        const table = new FitTable([
          { head: 'file or request', fit },
          { head: 'preview', fit: 'end' },
          { head: 'tokens sent', align: 'right' },
          { head: 'cache read share', align: 'right' },
        ]);
        for (const [file, preview, a, b] of rows) table.push([file, preview, String(a), String(b)], { bold: a % 2 === 0 });
        const output = table.render(style(width)).replace(/\u001b\[[0-9;]*m/g, '');
        for (const line of output.split('\n')) assert.ok(displayWidth(line) <= width, `${JSON.stringify(line)} wider than ${width}`);
        for (const [, , a, b] of rows) {
          assert.ok(output.includes(String(a)) && output.includes(String(b)), 'numbers are shown whole');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('too narrow for the numbers side by side: one value per line', () => {
    const table = new FitTable([{ head: 'request', fit: 'middle' }, ...['a', 'b', 'c', 'd'].map((head) => ({ head, align: 'right' as const }))]);
    table.push(['x.jsonl:1', '1,000,000,000', '2,000,000,000', '3,000,000,000', '4,000,000,000']);
    const output = table.render(style(40));
    assert.match(output, /^request: +x\.jsonl:1$/m);
    assert.match(output, /^d: +4,000,000,000$/m);
  });
});

describe('text helpers', () => {
  it('shorten keeps the end of a path and the start of a preview', () => {
    assert.equal(shorten('/home/user/projects/app/session.jsonl:12', 20, 'middle'), '/home/…sion.jsonl:12');
    assert.equal(displayWidth(shorten('/home/user/projects/app/session.jsonl:12', 20, 'middle')), 20);
    assert.equal(shorten('{ "order_id": "A-20417" }', 10, 'end'), '{ "order_…');
    assert.equal(shorten('日本語のテキスト', 7, 'end'), '日本語…');
  });

  it('displayPath is relative under the working directory only', () => {
    assert.equal(displayPath('/work/repo/logs/a.jsonl:3', '/work/repo'), 'logs/a.jsonl:3');
    assert.equal(displayPath('/work/repo-other/a.jsonl', '/work/repo'), '/work/repo-other/a.jsonl');
    assert.equal(displayPath('<stdin>:1', '/work/repo'), '<stdin>:1');
  });

  it('wrapText wraps at spaces with an indent, within the width', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ minLength: 1, maxLength: 30 }).map((word) => word.replace(/\s/g, 'x')),
          { maxLength: 40 },
        ),
        fc.integer({ min: 20, max: 120 }),
        (words, width) => {
          const wrapped = wrapText(`  ${words.join(' ')}`, width);
          const lines = wrapped.split('\n');
          for (const line of lines) assert.ok(displayWidth(line) <= width, JSON.stringify(line));
          // The line's indent stays on its first line, wrapped or not; continuations go two further in.
          if (words.length > 0) assert.ok(lines[0]?.startsWith('  '), JSON.stringify(lines[0]));
          for (const line of lines.slice(1)) assert.ok(line.startsWith('    '), JSON.stringify(line));
        },
      ),
    );
  });
});
