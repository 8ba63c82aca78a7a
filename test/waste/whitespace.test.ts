import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectWhitespace, whitespaceEdits } from '../../src/analysis/waste/whitespace.js';
import { SpanSet } from '../../src/analysis/waste/spans.js';
import { count, countingCounter } from './helpers.js';

const code = `export function total(items) {
  let sum = 0;
  for (const item of items) {
    if (item.active) {
      sum += item.price;
    }
  }
  return sum;
}
`;

describe('whitespace', () => {
  it('does not count leading indentation (code needs it)', () => {
    assert.equal(detectWhitespace(code, count), null);
    assert.equal(detectWhitespace('\tdef f():\n\t\treturn 1\n\n\tx = 2\n', count), null);
  });

  it('reports trailing spaces', () => {
    const text = code
      .split('\n')
      .map((line) => (line ? `${line}      ` : line))
      .join('\n');
    const finding = detectWhitespace(text, count);
    assert.ok(finding);
    assert.equal(finding.key, 'whitespace');
    assert.ok(finding.tokens > 0 && finding.tokens < count(text));
    assert.match(finding.detail, /trailing spaces on 9 lines/);
  });

  it('reports runs of blank lines beyond one blank line when that saves tokens', () => {
    const text = `first paragraph\n \n\t\n  \n   \n\nsecond paragraph\n\nthird paragraph`;
    const finding = detectWhitespace(text, count);
    assert.ok(finding);
    assert.equal(finding.tokens, count(text) - count('first paragraph\n\nsecond paragraph\n\nthird paragraph'));
    assert.match(finding.detail, /1 runs of blank lines/);
  });

  it('reports nothing when the rewrite saves no token (o200k merges a newline run into one token)', () => {
    const text = 'first paragraph\n\n\n\n\n\nsecond paragraph';
    assert.equal(count(text), count('first paragraph\n\nsecond paragraph'));
    assert.equal(detectWhitespace(text, count), null);
  });

  it('keeps a single blank line', () => {
    assert.equal(detectWhitespace('one\n\ntwo\n\nthree\n', count), null);
  });

  it('reports interior padding runs but keeps tabs between columns', () => {
    const table = 'NAME                 READY   STATUS    RESTARTS   AGE\napi-7d9f8b6c5-x2x9z   1/1     Running   0          3d\n';
    const finding = detectWhitespace(table, count);
    assert.ok(finding);
    assert.ok(finding.tokens > 0);
    assert.equal(detectWhitespace('name\tready\tstatus\napi\t\t\t\tRunning\n', count), null);
  });

  it('never counts claimed spans', () => {
    const text = `before\n${'x = 1        \n'.repeat(5)}after`;
    const claimed = new SpanSet();
    claimed.addAll([{ start: 0, end: text.length }]);
    assert.equal(detectWhitespace(text, count, claimed), null);
  });

  it('keeps indentation after line-number gutters and diff markers', () => {
    const read = '    12→export function f() {\n    13→    return 1;\n    14→}\n';
    const grep = 'src/a.ts:40:        const x = 1;\nsrc/a.ts-41-        const y = 2;\n';
    const diff = '@@ -1,3 +1,3 @@\n-        old();\n+        fresh();\n         same();\n';
    const escaped = 'Write({"content":"function f() {\\n    if (x) {\\n        return 1;\\n    }\\n}"})';
    for (const text of [read, grep, diff, escaped]) assert.deepEqual(whitespaceEdits(text), [], text);
  });

  it('edits exactly what the rules name', () => {
    const text = '  a    b   \n\n\n\n  c\t\n';
    const edits = whitespaceEdits(text).map((edit) => [text.slice(edit.start, edit.end), edit.replacement, edit.kind]);
    assert.deepEqual(edits, [
      ['    ', ' ', 'padding'],
      ['   ', '', 'trailing'],
      ['\n\n', '', 'blank_lines'],
      ['\t', '', 'trailing'],
    ]);
    assert.deepEqual(
      whitespaceEdits('x  \r\ny').map((edit) => [edit.start, edit.end]),
      [[1, 3]],
    );
  });

  // Its time is a row of `npm run bench` (detector worst cases); here, what can be counted.
  it('handles a long run of spaces, handing the token counter each character at most twice', () => {
    const text = `a${' '.repeat(200_000)}b\n`;
    const counted = countingCounter();
    const finding = detectWhitespace(text, counted.count);
    assert.ok(finding && finding.tokens > 0);
    assert.ok(counted.chars() <= 2 * text.length, `counted ${counted.chars()} of ${text.length} chars`);
  });
});
