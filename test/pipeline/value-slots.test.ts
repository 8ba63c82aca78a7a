/**
 * The edit list and structured value slots: every edit kind written back by
 * the one write-back, and tool outputs that are JSON values (not strings)
 * compacted in place per provider, with every number literal as written.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { RequestEdit } from '../../src/formats/descriptor.js';
import { parseRequestBody } from '../../src/formats/dialects.js';
import { applyJsonEdits, locateValue, minifyJson, valueAt } from '../../src/json/index.js';
import { recordKey } from '../../src/formats/record-key.js';
import { FORMATS } from '../../src/formats/registry.js';
import type { JsonObject, JsonPath, Part } from '../../src/formats/types.js';
import { runAudit } from '../../src/pipeline/audit.js';
import { requestEdits } from '../../src/pipeline/write-back.js';
import { jsonCompaction } from '../../src/transforms/json-compaction.js';
import type { Transform } from '../../src/transforms/types.js';
import { validityProblems } from '../support/provider-validity.js';
import { CONTENT_KINDS } from '../../src/analysis/content-kind.js';
import { decisionTextOf, optimizeText, prettyRows } from './helpers.js';

const ORIGIN = { file: 'body.json', line: 1 };
const BIG = '9223372036854775807';
/** Number literals JSON.parse → JSON.stringify would change. */
const LITERALS = [BIG, '1.0', '1e5', '-0.50E-3'];

/** Pretty JSON text with the literals above written raw where `"@N@"` placeholders were. */
function withLiterals(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(/"@(\d)@"/g, (_match, index: string) => LITERALS[Number(index)] as string);
}

const RESPONSE = { ...(JSON.parse(prettyRows(8)) as object), trace: '@0@', ratio: '@1@', scale: '@2@', drift: '@3@' };

/** The last row of the `rows` array of a compact response. */
const LAST_ROW = /,\{[^{}]*\}\](?=,"trace")/;

/**
 * Drops the last row of the response: a rewrite that saves tokens on a
 * structured value, to exercise its write-back (it leaves no marker, so it
 * is only a test of the slot, not a compressor).
 */
const dropLastRow: Transform = {
  name: 'drop_last_row',
  lossless: false,
  accepts: CONTENT_KINDS,
  apply: (block) => (LAST_ROW.test(block.text) ? { text: block.text.replace(LAST_ROW, ']'), label: 'drop-row' } : { decline: 'unsupported-shape' }),
};

/** What a structured value looks like after `dropLastRow`: compact, literals as written, one row fewer. */
function withoutLastRow(written: string): string {
  return (minifyJson(written) as string).replace(LAST_ROW, ']');
}

function textAt(text: string, path: JsonPath): string {
  const range = locateValue(text, path);
  assert.ok(range, `no value at ${JSON.stringify(path)}`);
  return text.slice(range.start, range.end);
}

async function auditTokens(text: string): Promise<number> {
  const result = await runAudit({ paths: [], cwd: process.cwd(), stdin: [text] });
  return result.summary.tokens.total;
}

const ANTHROPIC_BODY = {
  model: 'claude-sonnet-4-5',
  max_tokens: 100,
  system: [{ type: 'text', text: 'You are the billing assistant.' }],
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'Which invoices are open?' }] },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'list', input: {} }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'rows: 12' }] },
  ],
};

describe('the edit list, written back', () => {
  it('set-key: cache_control breakpoints on an Anthropic body; the result parses and every other byte is unchanged', () => {
    const text = JSON.stringify(ANTHROPIC_BODY, null, 2);
    const request = parseRequestBody('anthropic', JSON.parse(text), ORIGIN);
    const breakpoint = FORMATS.anthropic.cacheBreakpoint;
    assert.ok(breakpoint);
    const edits: RequestEdit[] = [...breakpoint(['system', 0]), ...breakpoint(['messages', 2, 'content', 0])];
    const grouped = requestEdits({ request, edits }, () => JSON.parse(text));
    const written = applyJsonEdits(text, grouped.get(recordKey(ORIGIN)) ?? []);
    const body = JSON.parse(written) as JsonObject;
    assert.deepEqual(validityProblems('anthropic', body), []);
    assert.deepEqual(valueAt(body, ['system', 0, 'cache_control']), { type: 'ephemeral' });
    assert.deepEqual(valueAt(body, ['messages', 2, 'content', 0, 'cache_control']), { type: 'ephemeral' });
    assert.equal(written.replace(/,\s*"cache_control": \{"type":"ephemeral"\}/g, ''), text);
    // Parsed again, both entries carry the breakpoint.
    const again = parseRequestBody('anthropic', body, ORIGIN);
    assert.equal(again.messages.flatMap((message) => message.parts).filter((part) => part.flags.cacheControl).length, 2);
  });

  it('replace-text, replace-value and add-tool together, in one record', () => {
    const value = {
      ...ANTHROPIC_BODY,
      messages: [...ANTHROPIC_BODY.messages.slice(0, 2), { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'rows: 12' }] }],
    };
    const text = JSON.stringify(value, null, 2);
    const request = parseRequestBody('anthropic', JSON.parse(text), ORIGIN);
    const result = request.messages[3]?.parts[0] as Part;
    const system = request.messages[0]?.parts[0] as Part;
    const tool = '{"name":"t","input_schema":{"type":"object"}}';
    const edits: RequestEdit[] = [
      { kind: 'replace-text', part: result, text: 'rows: "12"\n' },
      { kind: 'replace-value', part: { ...system, slot: { origin: ORIGIN, path: ['metadata'], kind: 'value' } }, raw: '{"user_id":"u1"}' },
      { kind: 'add-tool', dialect: 'anthropic', json: tool },
    ];
    // The value slot path must exist to be replaced.
    const withMetadata = text.replace('"max_tokens": 100,', '"max_tokens": 100,\n  "metadata": {\n    "user_id": "u0"\n  },');
    const grouped = requestEdits({ request, edits }, () => JSON.parse(withMetadata));
    const written = JSON.parse(applyJsonEdits(withMetadata, grouped.get(recordKey(ORIGIN)) ?? [])) as Record<string, unknown>;
    assert.deepEqual(validityProblems('anthropic', written), []);
    assert.deepEqual(written['metadata'], { user_id: 'u1' });
    assert.deepEqual(written['tools'], [JSON.parse(tool)]);
    assert.equal((written['messages'] as { content: { content: string }[] }[])[2]?.content[0]?.content, 'rows: "12"\n');
  });
});

describe('structured value slots', () => {
  it('gemini: functionResponse.response is rewritten as an object, literals exact, body valid, audit agrees', async () => {
    const body = {
      contents: [
        { role: 'user', parts: [{ text: 'List invoices' }] },
        { role: 'model', parts: [{ functionCall: { name: 'list', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'list', response: RESPONSE } }] },
      ],
    };
    const text = withLiterals(body);
    const path = ['contents', 2, 'parts', 0, 'functionResponse', 'response'];
    const { output, results } = await optimizeText(text, { transforms: [dropLastRow], minTokensToCrush: 0 });
    const original = textAt(text, path);
    assert.equal(textAt(output, path), withoutLastRow(original));
    assert.equal(
      output,
      text.replace(original, () => withoutLastRow(original)),
      'only the response changed',
    );
    for (const literal of LITERALS) assert.ok(textAt(output, path).includes(`:${literal}`), literal);
    assert.deepEqual(validityProblems('gemini', JSON.parse(output)), []);
    const result = results[0]?.result;
    assert.ok(result && result.blocks.some((block) => (decisionTextOf(block) ?? '').startsWith('compressed:drop-row')));
    assert.equal(await auditTokens(output), result.tokens_after, 'what optimize reports is what audit counts in the output');
    assert.equal(await auditTokens(text), result.tokens_before);
  });

  it('a structured value is counted compact, so JSON compaction finds nothing to save: the provider parses it, whitespace is never tokens', async () => {
    const pretty = withLiterals({ contents: [{ role: 'user', parts: [{ functionResponse: { name: 'list', response: RESPONSE } }] }] });
    const compact = pretty.replace(textAt(pretty, ['contents', 0, 'parts', 0, 'functionResponse', 'response']), (value) => minifyJson(value) as string);
    assert.equal(await auditTokens(pretty), await auditTokens(compact));
    const { output, results } = await optimizeText(pretty, { transforms: [jsonCompaction], minTokensToCrush: 0 });
    assert.equal(output, pretty);
    assert.ok(results[0]?.result.blocks.some((block) => decisionTextOf(block) === 'skipped:already-compact'));
    const audit = await runAudit({ paths: [], cwd: process.cwd(), stdin: [pretty] });
    assert.equal(audit.summary.waste.json_bloat, 0);
  });

  it('openai-responses: a function_call_output given as an object is rewritten and stays an object', async () => {
    const body = {
      model: 'gpt-4.1',
      input: [
        { role: 'user', content: 'List invoices' },
        { type: 'function_call', call_id: 'call_1', name: 'list', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: RESPONSE },
      ],
    };
    const text = withLiterals(body);
    const { output } = await optimizeText(text, { transforms: [dropLastRow], minTokensToCrush: 0 });
    const original = textAt(text, ['input', 2, 'output']);
    assert.equal(
      output,
      text.replace(original, () => withoutLastRow(original)),
    );
    assert.ok(textAt(output, ['input', 2, 'output']).startsWith('{"rows":['));
  });

  it('anthropic: tool_result content given as a JSON object is rewritten in place', async () => {
    const body = {
      ...ANTHROPIC_BODY,
      messages: [...ANTHROPIC_BODY.messages.slice(0, 2), { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: RESPONSE }] }],
    };
    const text = withLiterals(body, 4);
    const path = ['messages', 2, 'content', 0, 'content'];
    const { output } = await optimizeText(text, { transforms: [dropLastRow], minTokensToCrush: 0 });
    const original = textAt(text, path);
    assert.equal(
      output,
      text.replace(original, () => withoutLastRow(original)),
    );
    for (const literal of LITERALS) assert.ok(textAt(output, path).includes(`:${literal}`), literal);
  });

  it('a rewrite that is not one JSON value of the original type, on one line, is declined', async () => {
    const body = {
      contents: [{ role: 'user', parts: [{ functionResponse: { name: 'list', response: RESPONSE } }] }],
    };
    const text = withLiterals(body);
    const asArray: Transform = { name: 'as_array', lossless: true, accepts: CONTENT_KINDS, apply: (block) => ({ text: `[${minifyJson(block.text) ?? ''}]`, label: 'array' }) };
    const notJson: Transform = { name: 'first_line', lossless: true, accepts: CONTENT_KINDS, apply: (block) => ({ text: block.text.split('\n')[1] ?? '', label: 'cut' }) };
    const twoLines: Transform = {
      name: 'two_lines',
      lossless: true,
      accepts: CONTENT_KINDS,
      apply: (block) => ({ text: (minifyJson(block.text) ?? '').replace('{', '{\n'), label: 'lines' }),
    };
    for (const transform of [asArray, notJson, twoLines]) {
      const { output, results } = await optimizeText(text, { transforms: [transform], minTokensToCrush: 0 });
      assert.equal(output, text, transform.name);
      assert.ok(
        results[0]?.result.blocks.some((block) => decisionTextOf(block) === 'skipped:invalid-output'),
        transform.name,
      );
    }
  });

  it('a structured output read from a Claude Code transcript has no slot and is left alone', async () => {
    const line = (value: object): string => JSON.stringify(value);
    const common = { sessionId: 's1', cwd: '/w', version: '2.0.0', isSidechain: false, userType: 'external' };
    const text = [
      line({ ...common, type: 'user', uuid: 'u1', parentUuid: null, timestamp: '2026-01-01T00:00:00Z', message: { role: 'user', content: 'hi' } }),
      line({
        ...common,
        type: 'assistant',
        uuid: 'a1',
        parentUuid: 'u1',
        timestamp: '2026-01-01T00:00:01Z',
        message: {
          id: 'm1',
          role: 'assistant',
          model: 'claude-sonnet-4-5',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'list', input: {} }],
          usage: { input_tokens: 1, output_tokens: 1 },
        },
      }),
      line({
        ...common,
        type: 'user',
        uuid: 'u2',
        parentUuid: 'a1',
        timestamp: '2026-01-01T00:00:02Z',
        message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: JSON.parse(prettyRows(8)) }] },
      }),
      line({
        ...common,
        type: 'assistant',
        uuid: 'a2',
        parentUuid: 'u2',
        timestamp: '2026-01-01T00:00:03Z',
        message: { id: 'm2', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'done' }], usage: { input_tokens: 1, output_tokens: 1 } },
      }),
    ].join('\n');
    const { results } = await optimizeText(`${text}\n`, { transforms: [jsonCompaction], minTokensToCrush: 0 });
    const decisions = results.flatMap((result) => result.result.blocks.filter((block) => block.kind === 'tool_result').map((block) => decisionTextOf(block) ?? ''));
    assert.ok(decisions.length > 0 && decisions.every((decision) => decision === 'skipped:structured'), decisions.join(' '));
  });
});

/** A JSON value whose numbers are raw literals JSON.parse cannot keep (64-bit integers, trailing zeros, exponents). */
const literalArb = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n }).map((value) => value.toString()),
  fc.integer({ min: 0, max: 999 }).map((value) => `${value}.0`),
  fc.integer({ min: 1, max: 9 }).map((value) => `${value}e${value + 15}`),
);
type Tree = { literal: string } | { text: string } | Tree[] | { object: [string, Tree][] };
const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literalArb.map((literal) => ({ literal })),
    fc.string({ maxLength: 12 }).map((text) => ({ text })),
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), tie('tree')), { maxLength: 4, selector: ([key]) => key }).map((object) => ({ object })),
  ),
})).tree;

/** Pretty JSON text of a tree, each number written as its literal. */
function pretty(tree: Tree, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(tree)) return tree.length === 0 ? '[]' : `[\n${tree.map((item) => inner + pretty(item, inner)).join(',\n')}\n${indent}]`;
  if ('literal' in tree) return tree.literal;
  if ('text' in tree) return JSON.stringify(tree.text);
  if (tree.object.length === 0) return '{}';
  return `{\n${tree.object.map(([key, value]) => `${inner}${JSON.stringify(key)}: ${pretty(value, inner)}`).join(',\n')}\n${indent}}`;
}

describe('structured value slots: properties', () => {
  it('a generated structured output is read compact with every literal as written, and optimize leaves it byte-exact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), treeArb), { minLength: 1, maxLength: 5, selector: ([key]) => key }), async (members) => {
        const response = pretty({ object: members }, '        ');
        const text = `{\n  "contents": [\n    {"role": "user", "parts": [{"functionResponse": {"name": "f", "response": ${response}}}]}\n  ]\n}`;
        const path = ['contents', 0, 'parts', 0, 'functionResponse', 'response'];
        const compact = minifyJson(response);
        assert.ok(compact !== null);
        const { output, results } = await optimizeText(text, { transforms: [jsonCompaction], minTokensToCrush: 0 });
        assert.equal(output, text);
        assert.equal(textAt(output, path), response);
        // The value slot's text is the value compact, every literal exactly as written.
        const part = results[0]?.request.messages[0]?.parts[0];
        assert.equal(part?.slot?.kind, 'value');
        assert.equal(part?.text, compact);
      }),
      { numRuns: 60 },
    );
  });
});
