import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { findProtectedSpans, mergeSpans, type ProtectedKind } from '../../src/transforms/protected-spans.js';

/** The protected texts of `text` with their kinds. */
function spansOf(text: string): [ProtectedKind, string][] {
  return findProtectedSpans(text).map((span) => [span.kind, text.slice(span.start, span.end)]);
}

describe('protected spans', () => {
  it('agent tags: a pair covers its content, nested tags included; HTML elements are not protected', () => {
    const text = 'Before. <system-reminder>Do not\ntouch <b>this</b>. <inner>x</inner></system-reminder> After <div>page</div>.';
    assert.deepEqual(spansOf(text), [['tag', '<system-reminder>Do not\ntouch <b>this</b>. <inner>x</inner></system-reminder>']]);
    assert.deepEqual(spansOf('<function_results>ok</function_results> and <example/>'), [
      ['tag', '<function_results>ok</function_results>'],
      ['tag', '<example/>'],
    ]);
    // An unclosed tag protects itself only; a stray close too.
    assert.deepEqual(spansOf('a <thinking> b </nope> c'), [
      ['tag', '<thinking>'],
      ['tag', '</nope>'],
    ]);
  });

  it('a tag pair or fence framing the whole text protects its framing lines, not all it encloses', () => {
    const text = '<function_results>\nThe build went fine. Nothing to report.\n<system-reminder>keep me</system-reminder>\n</function_results>\n';
    assert.deepEqual(spansOf(text), [
      ['tag', '<function_results>'],
      ['tag', '<system-reminder>keep me</system-reminder>'],
      ['tag', '</function_results>'],
    ]);
    assert.deepEqual(spansOf('```\nplain words here\n```'), [
      ['code-fence', '```'],
      ['code-fence', '```'],
    ]);
    // On one line, or with text outside it, a pair is a span like any other.
    assert.deepEqual(spansOf('<function_results>ok</function_results>'), [['tag', '<function_results>ok</function_results>']]);
  });

  it('fenced code blocks, closed or running to the end, with backticks or tildes', () => {
    const text = 'Intro.\n```ts\nconst a = 1. B = 2\n```\nMiddle.\n~~~\nraw\n';
    assert.deepEqual(spansOf(text), [
      ['code-fence', '```ts\nconst a = 1. B = 2\n```'],
      ['code-fence', '~~~\nraw\n'],
    ]);
    // A shorter or different fence does not close it.
    assert.deepEqual(spansOf('````\n```\nstill code\n````\nafter'), [['code-fence', '````\n```\nstill code\n````']]);
  });

  it('JSON inside prose, validated; Markdown links and bracketed words are not JSON', () => {
    const text = 'The reply was {"ok": false, "ids": [1, 2]} and [1] and [a link](http://x) and ["a", "b"].';
    const spans = spansOf(text).filter(([kind]) => kind === 'json');
    assert.deepEqual(spans, [
      ['json', '{"ok": false, "ids": [1, 2]}'],
      ['json', '["a", "b"]'],
    ]);
    assert.deepEqual(
      spansOf('{"a": "not closed\n and then text.').filter(([kind]) => kind === 'json'),
      [],
    );
  });

  it('paths with line references and Python traceback coordinates', () => {
    assert.deepEqual(spansOf('See src/a.ts:42 and ./lib/x.py:10:5, or Cargo.toml:3.'), [
      ['path-ref', 'src/a.ts:42'],
      ['path-ref', './lib/x.py:10:5'],
      ['path-ref', 'Cargo.toml:3'],
    ]);
    assert.deepEqual(spansOf('  File "/app/main.py", line 12, in run'), [['path-ref', 'File "/app/main.py", line 12']]);
    assert.deepEqual(spansOf('at 10:30 the ratio was 3:1'), []);
  });

  it('URLs without the punctuation of the sentence around them', () => {
    assert.deepEqual(spansOf('Read https://example.com/a.b?x=1#y. Or (see http://x.org/wiki/A_(b)).'), [
      ['url', 'https://example.com/a.b?x=1#y'],
      ['url', 'http://x.org/wiki/A_(b)'],
    ]);
  });

  it('error messages: the line, or in a long paragraph the sentence holding the error word', () => {
    assert.deepEqual(spansOf('ok line\nTypeError: x is undefined\nnpm ERR! code 1\nfine'), [
      ['error', 'TypeError: x is undefined'],
      ['error', 'npm ERR! code 1'],
    ]);
    const long = `${'Plain words here. '.repeat(30)}The build failed on Tuesday. ${'More words here. '.repeat(30)}`;
    assert.deepEqual(spansOf(long), [['error', 'The build failed on Tuesday.']]);
    assert.deepEqual(spansOf('A terror and a critical path are not errors of a program'), [['error', 'A terror and a critical path are not errors of a program']]);
    assert.deepEqual(spansOf('A terror and a critical path'), []);
  });

  it('overlapping spans merge into the outer one', () => {
    const text = '<example>Visit https://x.org and TypeError: y at src/a.ts:1</example>';
    assert.deepEqual(spansOf(text), [['tag', text]]);
    assert.deepEqual(
      mergeSpans([
        { start: 5, end: 9, kind: 'url' },
        { start: 0, end: 6, kind: 'tag' },
        { start: 9, end: 12, kind: 'json' },
      ]),
      [
        { start: 0, end: 9, kind: 'tag' },
        { start: 9, end: 12, kind: 'json' },
      ],
    );
  });

  it('any text: spans are sorted, non-empty, non-overlapping and inside the text', () => {
    const piece = fc.constantFrom('<tag>', '</tag>', '<div>', '```', '\n', ' ', '{"a": 1}', '{"', '[', ']', 'src/x.ts:1', 'https://a.b/c.', 'Error: ', 'word', '. ', '"');
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string()), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        let previous = 0;
        for (const span of findProtectedSpans(text)) {
          assert.ok(span.start >= previous && span.end > span.start && span.end <= text.length);
          previous = span.end;
        }
      }),
    );
  });

  it('unbalanced brackets and stray tags in a large text end the scan (the JSON scan has a budget)', () => {
    const text = '{"a'.repeat(20_000) + ' [{"b": 1} '.repeat(10) + '<x '.repeat(20_000);
    const spans = findProtectedSpans(text);
    assert.ok(Array.isArray(spans));
  });
});
