/**
 * Audit and optimize agree on pretty-printed JSON: the `json_bloat` tokens
 * audit reports for a tool output are exactly the tokens lossless compaction
 * saves on it, because both compact with the same minifyJson and count with
 * the same tokenizer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runAudit } from '../../src/pipeline/audit.js';
import { jsonCompaction } from '../../src/transforms/json-compaction.js';
import { decisionTextOf, optimizeText } from './helpers.js';

/** A JSON value as literal text, so a number can be any literal (64-bit integers, exponents) and a string any escape. */
type Raw = { leaf: string } | { items: Raw[] } | { members: Array<[string, Raw]> };

const stringArb = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom('café', '日本語のテキスト', 'emoji 🎉 ok', 'tab\there', 'line\nbreak', 'quote " and \\ slash', '\u0001\u001f', 'a,]}"'),
  // Long prose: a document whose whitespace is under 1% of it still saves what compaction saves.
  fc.array(fc.constantFrom('alpha', 'beta', 'gamma', 'δέλτα', '—', 'x'), { minLength: 100, maxLength: 800 }).map((words) => words.join(' ')),
);

const numberArb = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('12345678901234567890', '9007199254740993', '-0', '1e400', '0.1', '6.02E+23', '-1.5e-7'),
  fc.integer().map(String),
);

/** How a string literal is written: as JSON.stringify writes it, or with every non-ASCII character escaped. */
const escapeAll = (value: string): string => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const leafArb: fc.Arbitrary<Raw> = fc.oneof(
  numberArb.map((leaf) => ({ leaf })),
  fc.tuple(stringArb, fc.boolean()).map(([value, escaped]) => ({ leaf: escaped ? escapeAll(value) : JSON.stringify(value) })),
  fc.constantFrom('true', 'false', 'null').map((leaf) => ({ leaf })),
);

const { tree } = fc.letrec<{ tree: Raw }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('tree'), { maxLength: 6 }).map((items) => ({ items })),
    fc.array(fc.tuple(stringArb, tie('tree')), { maxLength: 6 }).map((members) => ({ members })),
  ),
}));

/** A top-level container: tool outputs that are JSON are objects or arrays. */
const documentArb: fc.Arbitrary<Raw> = fc.oneof(
  fc.array(tree, { minLength: 1, maxLength: 8 }).map((items) => ({ items })),
  fc.array(fc.tuple(stringArb, tree), { minLength: 1, maxLength: 8 }).map((members) => ({ members })),
);

/** Prints on one line with a space after `:` and `,` (Python's json.dumps default). */
function spaced(value: Raw): string {
  if ('leaf' in value) return value.leaf;
  if ('items' in value) return `[${value.items.map(spaced).join(', ')}]`;
  return `{${value.members.map(([key, member]) => `${JSON.stringify(key)}: ${spaced(member)}`).join(', ')}}`;
}

/** Pretty-prints like JSON.stringify(value, null, indent) (one line with spaces when `indent` is empty), with the literals as generated. */
function pretty(value: Raw, indent: string, depth = 0): string {
  if ('leaf' in value) return value.leaf;
  if (indent === '') return spaced(value);
  const inner = indent.repeat(depth + 1);
  const outer = indent.repeat(depth);
  if ('items' in value) {
    if (value.items.length === 0) return '[]';
    return `[\n${value.items.map((item) => inner + pretty(item, indent, depth + 1)).join(',\n')}\n${outer}]`;
  }
  if (value.members.length === 0) return '{}';
  return `{\n${value.members.map(([key, member]) => `${inner}${JSON.stringify(key)}: ${pretty(member, indent, depth + 1)}`).join(',\n')}\n${outer}}`;
}

function chatWithToolOutput(output: string): string {
  return JSON.stringify({
    model: 'gpt-4o',
    messages: [
      { role: 'user', content: 'list them' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'list', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: output },
    ],
  });
}

describe('json_bloat and lossless compaction', () => {
  it('audit reports for a pretty JSON tool output exactly the tokens compaction saves on it', async () => {
    const outputArb = fc
      .tuple(documentArb, fc.constantFrom('  ', '    ', '\t', ''), fc.constantFrom('', '\n', '  \n'))
      .map(([value, indent, trailing]) => pretty(value, indent) + trailing);
    await fc.assert(
      fc.asyncProperty(outputArb, async (output) => {
        const request = chatWithToolOutput(output);
        const optimized = await optimizeText(request, { transforms: [jsonCompaction], minTokensToCrush: 0 });
        const block = optimized.results[0]?.result.blocks[2];
        assert.ok(block !== undefined);
        const saved = block.tokens_before - block.tokens_after;
        const audit = await runAudit({ paths: [], cwd: process.cwd(), stdin: [request] });
        assert.equal(audit.summary.waste.json_bloat, saved, `decision ${decisionTextOf(block)}`);
        assert.equal(optimized.results[0]?.result.waste_signals.json_bloat, saved);
      }),
      { numRuns: 150 },
    );
  });
});
