import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { expandMarkers, findMarkers } from '../../src/ccr/markers.js';
import { droppedRuns, omitLines, omitSpans, protectedLineFlags, savesEnough, splitLines } from '../../src/transforms/lines.js';
import { storingContext } from './harness.js';

const textArb = fc
  .array(
    fc.tuple(
      fc.string({ unit: 'grapheme' }).map((s) => s.replace(/[\r\n]/g, ' ')),
      fc.constantFrom('\n', '\r\n', ''),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.map(([line, eol], i) => line + (i === parts.length - 1 ? eol : eol || '\n')).join(''));

describe('line primitives', () => {
  it('splitLines keeps every byte: text and terminators join back to the input (CRLF stays CRLF)', () => {
    fc.assert(
      fc.property(textArb, (text) =>
        assert.equal(
          splitLines(text)
            .map((line) => line.text + line.eol)
            .join(''),
          text,
        ),
      ),
    );
    assert.deepEqual(splitLines('a\r\nb\n\nc'), [
      { text: 'a', eol: '\r\n' },
      { text: 'b', eol: '\n' },
      { text: '', eol: '\n' },
      { text: 'c', eol: '' },
    ]);
  });

  it('omitLines: kept lines byte for byte, one marker per dropped run, and the markers expand to exactly the input', () => {
    fc.assert(
      fc.property(textArb, fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), (text, keep) => {
        const { context, originals } = storingContext();
        const lines = splitLines(text);
        const out = omitLines(lines, keep, context);
        assert.equal(findMarkers(out).length, droppedRuns(keep, lines.length).length);
        assert.equal(
          expandMarkers(out, (key) => originals.get(key) ?? null),
          text,
        );
        for (const [i, line] of lines.entries()) if (keep[i]) assert.ok(out.includes(line.text + line.eol));
      }),
    );
  });

  it('describes runs with 1-based line numbers', () => {
    const { context } = storingContext();
    const out = omitLines(splitLines('a\nb\nc\nd\n'), [1, 0, 0, 1], context);
    assert.match(out, /^a\n\[headroom: omitted 2 lines \(lines 2-3\); headroom_retrieve hash=[0-9a-f]{24}\]\nd\n$/);
  });

  it('savesEnough asks for a share of the tokens', () => {
    assert.equal(savesEnough(100, 79, 0.2), true);
    assert.equal(savesEnough(100, 81, 0.2), false);
    assert.equal(savesEnough(0, 0, 0.2), false);
  });

  it('omitSpans: text outside the spans byte for byte, one marker per span, and the markers expand to exactly the input', () => {
    fc.assert(
      fc.property(textArb, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        // Never between the halves of a surrogate pair: a span is a span of characters.
        const lowSurrogate = (at: number) => /[\uDC00-\uDFFF]/.test(text[at] ?? '') && /[\uD800-\uDBFF]/.test(text[at - 1] ?? '');
        const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].filter((at) => !lowSurrogate(at)).sort((a, b) => a - b);
        const spans = [];
        for (let i = 0; i + 1 < points.length; i += 2) spans.push({ start: points[i] as number, end: points[i + 1] as number });
        const { context, originals } = storingContext();
        const out = omitSpans(text, spans, context, (span) => ({ unit: 'sentences', count: 1, detail: `chars ${span.start}-${span.end}` }));
        assert.equal(findMarkers(out).length, spans.length);
        assert.equal(
          expandMarkers(out, (key) => originals.get(key) ?? null),
          text,
        );
      }),
    );
    const { context } = storingContext();
    assert.match(
      omitSpans('One. Two. Three.', [{ start: 5, end: 9 }], context, () => ({ unit: 'sentences', count: 1, detail: 'line 1' })),
      /^One\. \[headroom: omitted 1 sentences \(line 1\); headroom_retrieve hash=[0-9a-f]{24}\] Three\.$/,
    );
    assert.throws(() =>
      omitSpans(
        'abc',
        [
          { start: 2, end: 3 },
          { start: 1, end: 2 },
        ],
        context,
        () => ({ unit: 'chars', count: 1 }),
      ),
    );
  });
});

describe('protectedLineFlags', () => {
  const flagged = (text: string, kinds?: Parameters<typeof protectedLineFlags>[2]): string[] => {
    const lines = splitLines(text);
    const flags = protectedLineFlags(lines, text, kinds);
    return lines.filter((_, i) => flags[i]).map((line) => line.text);
  };

  it('flags every line of a tag pair, a closed fence or JSON over several lines, CRLF included', () => {
    const text = 'a\r\nsee <system-reminder>x\r\ny</system-reminder> z\r\nb\r\n```\r\ncode\r\n```\r\nc\r\n{\r\n  "k": 1\r\n}\r\nd';
    assert.deepEqual(flagged(text), ['see <system-reminder>x', 'y</system-reminder> z', '```', 'code', '```', '{', '  "k": 1', '}']);
    assert.deepEqual(flagged(text, ['tag']), ['see <system-reminder>x', 'y</system-reminder> z']);
  });

  it('a tag pair or fence framing the whole output flags only its framing lines; blocks nested in it keep theirs', () => {
    const body = Array.from({ length: 6 }, (_, i) => `src/a.ts:${i + 1}:match ${i}`);
    const wrapped = ['<function_results>', ...body.slice(0, 3), '<system-reminder>', 'note', '</system-reminder>', ...body.slice(3), '</function_results>', ''].join('\n');
    assert.deepEqual(flagged(wrapped), ['<function_results>', '<system-reminder>', 'note', '</system-reminder>', '</function_results>']);
    const fenced = ['```', ...body, '```'].join('\r\n');
    assert.deepEqual(flagged(`\n${fenced}\n\n`), ['```', '```']);
    // Text outside the pair makes it a block inside the output again: every line of it stays.
    assert.equal(flagged(`header\n${wrapped}`).length, 11);
  });

  it('flags nothing for spans within one line, lone tags, PascalCase (JSX) pairs or an unclosed fence', () => {
    const text = '{"level": 30}\n<x>one line</x> https://x.org src/a.ts:4 Error: boom\nin <module>\n<Card>\n</Card>\n```\nnever closed\n';
    assert.deepEqual(flagged(text), []);
  });
});
