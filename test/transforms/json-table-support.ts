/**
 * Shared by the json_table tests: a context with the real tokenizer, the
 * default settings, and generators of JSON text whose literals (64-bit
 * integers, `1.50`, escapes) are written exactly as a tool would.
 */
import fc from 'fast-check';
import { defaultConfig } from '../../src/config/index.js';
import { getTokenCounter } from '../../src/tokens/counter.js';
import { createJsonTable, tableSettings } from '../../src/transforms/json-table/index.js';
import type { EncodeSettings } from '../../src/transforms/json-table/encode.js';
import type { Decline, Rewrite } from '../../src/transforms/types.js';
import { storingContext, toolBlock } from './harness.js';

/** The default settings with `factor_out_constants` on (it is off by default), so the layout tests see constant columns stated in headers. */
export const DEFAULTS: EncodeSettings = { ...tableSettings(defaultConfig()), factorOutConstants: true };

export async function counter(): Promise<(text: string) => number> {
  const tokens = await getTokenCounter('o200k_base');
  return (text) => tokens.count(text);
}

/** Runs json_table on `text` as one tool output. */
export async function applyTable(text: string, settings: Partial<EncodeSettings> = {}, structured = false): Promise<Rewrite | Decline> {
  const count = await counter();
  const block = toolBlock(text, { count, content: { kind: text.trimStart().startsWith('[') ? 'json-array' : 'json-object', confidence: 1 }, structured });
  // json_table is lossless: it must never offload, so the context forbids it.
  const { context } = storingContext({ model: null, count, canOffload: false });
  return createJsonTable({ ...DEFAULTS, ...settings }).apply(block, context);
}

/** A JSON value as literal text. */
export type Raw = { leaf: string } | { items: Raw[] } | { members: Array<[string, Raw]> };

export function print(value: Raw): string {
  if ('leaf' in value) return value.leaf;
  if ('items' in value) return `[${value.items.map(print).join(',')}]`;
  return `{${value.members.map(([key, member]) => `${JSON.stringify(key)}:${print(member)}`).join(',')}}`;
}

/** Strings that test the cell syntax: separators, quotes, line breaks, look-alikes of literals, headers and markers. */
export const trickyString = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', '{', '}', '[', ']', '=', '.', ' ', '\\', ':', '1', 'é', '🎉'), maxLength: 8 }),
  fc.constantFrom(
    '',
    ' ',
    ' padded ',
    '1',
    '1.50',
    '-0',
    '12345678901234567890',
    'true',
    'null',
    'false',
    '0123',
    'a,b',
    'say "hi"',
    'two\nlines',
    'tab\there',
    'café',
    '日本語',
    'emoji 🎉',
    '[2]{a}\n1\n2',
    '[3] key=value',
    '[headroom: omitted 3 items; headroom_retrieve hash=0123456789abcdef01234567]',
    'x=y',
    'a.b',
    '{"json":[1,2]}',
    '[{"a":1},{"a":2}]',
  ),
);

const escapeAll = (value: string): string => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export const numberLiteral = fc.oneof(fc.constantFrom('12345678901234567890', '9007199254740993', '-0', '1.50', '1e5', '6.02E+23', '0', '-1.5e-7'), fc.integer().map(String));

export const leaf: fc.Arbitrary<Raw> = fc.oneof(
  numberLiteral.map((literal) => ({ leaf: literal })),
  fc.tuple(trickyString, fc.boolean()).map(([value, escaped]) => ({ leaf: escaped ? escapeAll(value) : JSON.stringify(value) })),
  fc.constantFrom('true', 'false', 'null').map((literal) => ({ leaf: literal })),
);

const KEYS = ['id', 'name', 'type', 'meta', 'a.b', 'with space', 'é', 'x=y', 'tags', ''];

/** Values of fields: leaves, small objects (flattenable or not), arrays (of objects too). */
export const fieldValue: fc.Arbitrary<Raw> = fc.oneof(
  { weight: 4, arbitrary: leaf },
  {
    weight: 1,
    arbitrary: fc.array(fc.tuple(fc.constantFrom('tier', 'az', 'n'), leaf), { maxLength: 3 }).map((members) => ({ members })),
  },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 3 }).map((items) => ({ items })) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.array(fc.tuple(fc.constantFrom('k', 'v'), leaf), { maxLength: 2 }), { minLength: 2, maxLength: 3 })
      .map((rows) => ({ items: rows.map((members) => ({ members })) })),
  },
);

/** An object row: keys from a small pool (so rows share some, and sometimes order them differently). */
export const row: fc.Arbitrary<Raw> = fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), fieldValue), { selector: ([key]) => key, maxLength: 6 }).map((members) => ({ members }));

const marker = fc
  .tuple(fc.integer({ min: 1, max: 999 }), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 24, maxLength: 24 }))
  .map(([count, key]) => JSON.stringify(`[headroom: omitted ${count} items (indices 3-${count + 2} of ${count + 9}); headroom_retrieve hash=${key}]`));

/** An array of objects, sometimes ending with selection markers as the crusher leaves them. */
export const rowArray: fc.Arbitrary<string> = fc
  .tuple(fc.array(row, { minLength: 2, maxLength: 8 }), fc.array(marker, { maxLength: 2 }))
  .map(([rows, markers]) => `[${[...rows.map(print), ...markers].join(',')}]`);

/** A document holding arrays of objects at the top, in a field, and inside a JSON string. */
export const documentText: fc.Arbitrary<string> = fc.oneof(
  rowArray,
  fc.tuple(rowArray, leaf).map(([array, other]) => `{"results":${array},"total":${print(other)}}`),
  rowArray.map((array) => `{"body":${JSON.stringify(array)}}`),
  fc.tuple(rowArray, rowArray).map(([a, b]) => `[{"page":1,"items":${a}},{"page":2,"items":${b}}]`),
);
