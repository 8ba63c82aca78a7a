import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  applyJsonEdits,
  arrayElementRanges,
  isJsonContainerText,
  JsonEditError,
  locateValue,
  locateValues,
  minifyJson,
  minifyJsonMapped,
  jsonSyntaxError,
  type JsonEdit,
} from '../../src/json/index.js';
import type { JsonPath, JsonValue } from '../../src/json/types.js';

// ---------------------------------------------------------------------------
// Helpers

function slice(text: string, path: JsonPath): string | null {
  const range = locateValue(text, path);
  return range ? text.slice(range.start, range.end) : null;
}

function getAt(value: JsonValue, path: JsonPath): JsonValue {
  let current = value;
  for (const segment of path) current = (current as Record<string | number, JsonValue>)[segment] as JsonValue;
  return current;
}

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every path in a parsed value (containers included), the root first. */
function allPaths(value: JsonValue, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, index) => allPaths(item, [...prefix, index], out));
  else if (isObject(value)) for (const key of Object.keys(value)) allPaths(value[key] as JsonValue, [...prefix, key], out);
  return out;
}

function isPrefix(prefix: JsonPath, path: JsonPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => segment === path[index]);
}

/** Whether `edited` is `original` with one contiguous piece of text inserted. */
function isInsertion(original: string, edited: string): boolean {
  if (edited.length <= original.length) return false;
  const delta = edited.length - original.length;
  let prefix = 0;
  while (prefix < original.length && original[prefix] === edited[prefix]) prefix++;
  let suffix = 0;
  while (suffix < original.length && original[original.length - 1 - suffix] === edited[edited.length - 1 - suffix]) suffix++;
  return prefix + suffix >= original.length && delta > 0;
}

/** Whitespace outside strings (the text must be valid JSON). */
function hasWhitespaceOutsideStrings(text: string): boolean {
  return /[ \t\n\r]/.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""'));
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------
// Generated JSON text: a value tree serialized with random layout and escapes

type Tree = { t: 'str'; v: string } | { t: 'num'; raw: string } | { t: 'lit'; raw: 'true' | 'false' | 'null' } | { t: 'arr'; items: Tree[] } | { t: 'obj'; members: [string, Tree][] };

interface Style {
  indent: string | null;
  /** Chance of extra whitespace at each place it may go. */
  noise: number;
  /** Chance of escaping a character that need not be. */
  escapes: number;
  seed: number;
}

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SHORT_ESCAPES: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };

function hex4(code: number, upper: boolean): string {
  const digits = code.toString(16).padStart(4, '0');
  return `\\u${upper ? digits.toUpperCase() : digits}`;
}

/** A JSON string literal for `value`, escaping more than needed at random (never depending on layout). */
function stringLiteral(value: string, random: () => number, chance: number): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const roll = random();
    const upper = random() < 0.5;
    if (code === 0x22) out += roll < chance ? hex4(code, upper) : '\\"';
    else if (code === 0x5c) out += roll < chance ? hex4(code, upper) : '\\\\';
    else if (code < 0x20) out += SHORT_ESCAPES[code] !== undefined && roll >= chance ? SHORT_ESCAPES[code] : hex4(code, upper);
    else if (code === 0x2f && roll < chance) out += '\\/';
    else if (roll < chance) out += hex4(code, upper);
    else out += value[i];
  }
  return `${out}"`;
}

const NOISE = [' ', '  ', '\n', '\t', '\r\n', ' \n\t ', '\n\n'];

/**
 * Serializes a tree. With `layout` false, the same tokens (same escapes) with
 * no whitespace at all: what minifyJson must produce from the laid-out text.
 */
function serialize(tree: Tree, style: Style, layout = true): string {
  const escapeRandom = rng(style.seed);
  const wsRandom = rng(style.seed ^ 0x5bd1e995);
  const noise = (): string => {
    if (!layout || wsRandom() >= style.noise) return '';
    return NOISE[Math.floor(wsRandom() * NOISE.length)] as string;
  };
  const newline = (depth: number): string => (layout && style.indent !== null ? `\n${style.indent.repeat(depth)}` : '');
  const write = (node: Tree, depth: number): string => {
    switch (node.t) {
      case 'str':
        return stringLiteral(node.v, escapeRandom, style.escapes);
      case 'num':
      case 'lit':
        return node.raw;
      case 'arr': {
        if (node.items.length === 0) return `[${noise()}]`;
        const items = node.items.map((item) => `${newline(depth + 1)}${noise()}${write(item, depth + 1)}${noise()}`);
        return `[${items.join(',')}${newline(depth)}]`;
      }
      case 'obj': {
        if (node.members.length === 0) return `{${noise()}}`;
        const colon = (): string => `${noise()}:${layout && style.indent !== null ? ' ' : ''}${noise()}`;
        const members = node.members.map(
          ([key, value]) => `${newline(depth + 1)}${noise()}${stringLiteral(key, escapeRandom, style.escapes)}${colon()}${write(value, depth + 1)}${noise()}`,
        );
        return `{${members.join(',')}${newline(depth)}}`;
      }
    }
  };
  return `${noise()}${write(tree, 0)}${noise()}`;
}

function rawNumbers(tree: Tree, out: string[] = []): string[] {
  if (tree.t === 'num') out.push(tree.raw);
  else if (tree.t === 'arr') for (const item of tree.items) rawNumbers(item, out);
  else if (tree.t === 'obj') for (const [, value] of tree.members) rawNumbers(value, out);
  return out;
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

const stringPiece = fc.oneof(
  { arbitrary: fc.string({ maxLength: 4 }), weight: 8 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 2 }), weight: 3 },
  { arbitrary: fc.constantFrom('"', '\\', '/', '\n', '\t', '\r', '\u0000', '\u001f', '\u007f', '\u2028', ' ', '\\"', '"\\', '\\\\"', 'é', '日本', '😀'), weight: 4 },
);

/** Strings with escapes-to-be, non-ASCII text and, now and then, a lone surrogate (legal in JSON strings). */
const stringArb = fc
  .oneof({ arbitrary: fc.array(stringPiece, { maxLength: 6 }), weight: 20 }, { arbitrary: fc.array(fc.oneof(stringPiece, loneSurrogate), { minLength: 1, maxLength: 4 }), weight: 1 })
  .map((pieces) => pieces.join(''));

const keyArb = fc
  .oneof({ arbitrary: fc.constantFrom('a', 'b', 'ab', 'id', 'text', '', 'a"b', 'x\\y', 'é', '\n'), weight: 3 }, { arbitrary: stringArb, weight: 1 })
  .filter((key) => key !== '__proto__');

const BIG_NUMBERS = ['9007199254740993', '-9223372036854775808', '18446744073709551615', '123456789012345678901234567890', '1E+2', '0.10', '-0', '1e-7', '0e0', '-0.0E-0', '2.5e+300'];

const numberArb = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String),
  fc.constantFrom(...BIG_NUMBERS),
);

const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: stringArb.map((v): Tree => ({ t: 'str', v })), weight: 3 },
    { arbitrary: numberArb.map((raw): Tree => ({ t: 'num', raw })), weight: 2 },
    { arbitrary: fc.constantFrom('true', 'false', 'null').map((raw): Tree => ({ t: 'lit', raw })), weight: 1 },
    { arbitrary: fc.array(tie('tree'), { maxLength: 6 }).map((items): Tree => ({ t: 'arr', items })), weight: 2 },
    { arbitrary: fc.array(fc.tuple(keyArb, tie('tree')), { maxLength: 6 }).map((members): Tree => ({ t: 'obj', members })), weight: 2 },
  ),
})).tree;

const containerTreeArb = fc.oneof(
  fc.array(treeArb, { maxLength: 6 }).map((items): Tree => ({ t: 'arr', items })),
  fc.array(fc.tuple(keyArb, treeArb), { maxLength: 8 }).map((members): Tree => ({ t: 'obj', members })),
);
/** Mostly containers (where paths are interesting), sometimes a bare scalar. */
const anyTreeArb = fc.oneof({ arbitrary: containerTreeArb, weight: 4 }, { arbitrary: treeArb, weight: 1 });

const styleArb: fc.Arbitrary<Style> = fc.record({
  indent: fc.constantFrom(null, null, '', ' ', '  ', '    ', '\t'),
  noise: fc.constantFrom(0, 0, 0.1, 0.3, 0.8),
  escapes: fc.constantFrom(0, 0, 0.1, 0.5),
  seed: fc.integer(),
});

interface Doc {
  tree: Tree;
  style: Style;
  /** The serialized text, possibly with a BOM. */
  text: string;
  /** The text without the BOM (what JSON.parse accepts). */
  json: string;
  value: JsonValue;
}

function docArb(tree: fc.Arbitrary<Tree>, allowBom: boolean): fc.Arbitrary<Doc> {
  return fc.record({ tree, style: styleArb, bom: allowBom ? fc.boolean() : fc.constant(false) }).map(({ tree: t, style, bom }) => {
    const json = serialize(t, style);
    return { tree: t, style, json, text: bom ? `\uFEFF${json}` : json, value: JSON.parse(json) as JsonValue };
  });
}

const anyDoc = docArb(anyTreeArb, true);
const containerDoc = docArb(containerTreeArb, true);
const RUNS = { numRuns: 300 };

// ---------------------------------------------------------------------------
// Examples

describe('locateValue', () => {
  const pretty = JSON.stringify(
    {
      model: 'm',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: 'yo' },
      ],
    },
    null,
    2,
  );
  const compact = JSON.stringify(JSON.parse(pretty));

  it('finds nested values in pretty and compact text', () => {
    for (const text of [pretty, compact]) {
      assert.equal(slice(text, ['model']), '"m"');
      assert.equal(slice(text, ['messages', 0, 'content', 0, 'text']), '"hi"');
      assert.equal(slice(text, ['messages', 1, 'content']), '"yo"');
      assert.deepEqual(JSON.parse(slice(text, ['messages', 0]) as string), { role: 'user', content: [{ type: 'text', text: 'hi' }] });
      assert.equal(slice(text, []), text);
    }
  });

  it('returns exact ranges, offsets into the original text', () => {
    const text = '\uFEFF  \n {"a" : [ 1 ,\t"two" , {"b":null} ] }  ';
    assert.deepEqual(locateValue(text, []), { start: 5, end: text.length - 2 });
    const two = locateValue(text, ['a', 1]);
    assert.ok(two);
    assert.equal(text.slice(two.start, two.end), '"two"');
    assert.equal(text.indexOf('"two"'), two.start);
    assert.equal(slice(text, ['a']), '[ 1 ,\t"two" , {"b":null} ]');
    assert.equal(slice(text, ['a', 2, 'b']), 'null');
    assert.equal(slice(text, ['a', 0]), '1');
  });

  it('returns null for absent paths and wrong container types', () => {
    const text = '{"a":{"b":[1,2]},"s":"x","0":"zero"}';
    assert.equal(locateValue(text, ['c']), null);
    assert.equal(locateValue(text, ['a', 'b', 2]), null);
    assert.equal(locateValue(text, ['a', 'b', -1]), null);
    assert.equal(locateValue(text, ['a', 'b', 0.5]), null);
    assert.equal(locateValue(text, ['a', 'b', '0']), null, 'string segment on an array');
    assert.equal(locateValue(text, [0]), null, 'number segment on an object');
    assert.equal(locateValue(text, ['s', 0]), null, 'into a string');
    assert.equal(locateValue(text, ['s', 'x']), null);
    assert.equal(locateValue('[]', [0]), null);
    assert.equal(locateValue('{}', ['a']), null);
    assert.equal(slice(text, ['0']), '"zero"');
  });

  it('compares decoded keys and skips escaped quotes and backslashes inside strings', () => {
    const text = String.raw`{"x":"a\"b\\","a\u0062":1,"q\"":"\\\"}","back\\":2,"\u00e9\ud83d\ude00":3,"k\/":["]",{"}":4}]}`;
    assert.equal(slice(text, ['ab']), '1');
    assert.equal(slice(text, ['q"']), String.raw`"\\\"}"`);
    assert.equal(slice(text, ['back\\']), '2');
    assert.equal(slice(text, ['é😀']), '3');
    assert.equal(slice(text, ['k/', 1, '}']), '4');
    assert.equal(slice(text, ['x']), String.raw`"a\"b\\"`);
    assert.equal(slice(text, ['a\\u0062']), null, 'keys are compared decoded, not as written');
  });

  it('lets the last duplicate key win, as JSON.parse does', () => {
    const text = '{"a":{"b":1,"c":0},"x":[1],"a":{"c":2},"x":{"y":3}}';
    assert.equal(slice(text, ['a']), '{"c":2}');
    assert.equal(slice(text, ['a', 'b']), null, 'only in the earlier duplicate');
    assert.equal(slice(text, ['a', 'c']), '2');
    assert.equal(slice(text, ['x', 0]), null);
    assert.equal(slice(text, ['x', 'y']), '3');
    assert.equal(slice('{"k":1,"k":2,"k":3}', ['k']), '3');
  });

  it('locates many paths in one pass, including repeated and nested ones', () => {
    const text = '{"a":[10,20,{"b":"c"}],"d":true}';
    const ranges = locateValues(text, [['a', 2, 'b'], ['a'], ['missing'], ['a', 1], ['a'], [], ['d']]);
    assert.deepEqual(
      ranges.map((range) => (range ? text.slice(range.start, range.end) : null)),
      ['"c"', '[10,20,{"b":"c"}]', null, '20', '[10,20,{"b":"c"}]', text, 'true'],
    );
    assert.deepEqual(locateValues(text, []), []);
  });

  it('works on the first value when text follows it (a JSONL line), and on scalar roots', () => {
    assert.equal(slice('{"a":1}\n{"a":2}\n', ['a']), '1');
    assert.equal(slice(' "just a string" ', []), '"just a string"');
    assert.equal(slice('-12.5e3', []), '-12.5e3');
    assert.equal(locateValue('"s"', ['a']), null);
  });

  it('throws JsonEditError on malformed structure it has to walk', () => {
    assert.throws(() => locateValue('{"a":1', ['b']), JsonEditError);
    assert.throws(() => locateValue('{"a" 1}', ['a']), JsonEditError);
    assert.throws(() => locateValue('', []), JsonEditError);
    assert.throws(() => locateValue('[1,2', [5]), JsonEditError);
    assert.throws(() => locateValue('{"a":"unterminated}', ['a']), JsonEditError);
  });

  it('handles very deep nesting without recursion', () => {
    const depth = 200_000;
    const text = `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;
    const path = new Array<number>(depth).fill(0);
    assert.equal(slice(text, path), '"x"');
    assert.equal(slice(`{"a":${text},"b":1}`, ['b']), '1');
    assert.equal(locateValue(text, [...path, 0]), null);
  });
});

describe('applyJsonEdits', () => {
  it('replaces a string next to 64-bit integers and other literals, leaving every other byte as it was', () => {
    const text = '{"id": 9007199254740993, "text": "old", "big": -9223372036854775808, "f": 1.50E+3, "u": "\\u00e9"}';
    const out = applyJsonEdits(text, [{ op: 'replace', path: ['text'], raw: '"new"' }]);
    assert.equal(out, '{"id": 9007199254740993, "text": "new", "big": -9223372036854775808, "f": 1.50E+3, "u": "\\u00e9"}');
  });

  it('returns the same string for zero edits', () => {
    const text = '{ "a" : 1 }';
    assert.equal(applyJsonEdits(text, []), text);
  });

  it('appends to arrays keeping the layout: compact, pretty, empty', () => {
    assert.equal(applyJsonEdits('{"a":[1,2]}', [{ op: 'append', path: ['a'], raw: '3' }]), '{"a":[1,2,3]}');
    assert.equal(applyJsonEdits('{"a":[1, 2]}', [{ op: 'append', path: ['a'], raw: '3' }]), '{"a":[1, 2, 3]}');
    assert.equal(applyJsonEdits('{"a":[]}', [{ op: 'append', path: ['a'], raw: '{"x":1}' }]), '{"a":[{"x":1}]}');
    assert.equal(applyJsonEdits('[ ]', [{ op: 'append', path: [], raw: '1' }]), '[1 ]');
    const pretty = JSON.stringify({ a: [1, 2] }, null, 2);
    assert.equal(applyJsonEdits(pretty, [{ op: 'append', path: ['a'], raw: '3' }]), JSON.stringify({ a: [1, 2, 3] }, null, 2));
    assert.equal(
      applyJsonEdits('[]', [
        { op: 'append', path: [], raw: '1' },
        { op: 'append', path: [], raw: '2' },
        { op: 'append', path: [], raw: '3' },
      ]),
      '[1,2,3]',
    );
    assert.equal(
      applyJsonEdits('[0]', [
        { op: 'append', path: [], raw: '1' },
        { op: 'append', path: [], raw: '2' },
      ]),
      '[0,1,2]',
    );
  });

  it('sets object members: replacing the last duplicate, or adding a member in the same layout', () => {
    assert.equal(applyJsonEdits('{"a":1}', [{ op: 'set', path: [], key: 'b', raw: '2' }]), '{"a":1,"b":2}');
    assert.equal(applyJsonEdits('{}', [{ op: 'set', path: [], key: 'b', raw: '2' }]), '{"b":2}');
    assert.equal(applyJsonEdits('{"a":1,"a":2}', [{ op: 'set', path: [], key: 'a', raw: '3' }]), '{"a":1,"a":3}');
    assert.equal(applyJsonEdits('{"a\\u0062":1}', [{ op: 'set', path: [], key: 'ab', raw: '3' }]), '{"a\\u0062":3}');
    assert.equal(applyJsonEdits('{"o":{}}', [{ op: 'set', path: ['o'], key: 'q"', raw: 'null' }]), '{"o":{"q\\"":null}}');
    const pretty = JSON.stringify({ a: 1, o: { x: 1 } }, null, 2);
    assert.equal(
      applyJsonEdits(pretty, [
        { op: 'set', path: ['o'], key: 'y', raw: '[]' },
        { op: 'set', path: [], key: 'z', raw: 'true' },
        { op: 'set', path: ['o'], key: 'x', raw: '"X"' },
      ]),
      JSON.stringify({ a: 1, o: { x: 'X', y: [] }, z: true }, null, 2),
    );
    assert.equal(
      applyJsonEdits('{}', [
        { op: 'set', path: [], key: 'a', raw: '1' },
        { op: 'set', path: [], key: 'b', raw: '2' },
      ]),
      '{"a":1,"b":2}',
    );
  });

  it('edits under a BOM and leading whitespace, leaving them in place', () => {
    const text = '\uFEFF \n{"a":[],"s":"x"}\n';
    assert.equal(
      applyJsonEdits(text, [
        { op: 'append', path: ['a'], raw: '1' },
        { op: 'replace', path: ['s'], raw: '"y"' },
      ]),
      '\uFEFF \n{"a":[1],"s":"y"}\n',
    );
  });

  it('applies several disjoint edits resolved against the original text', () => {
    const text = '{"m":[{"c":"a"},{"c":"b"}],"t":[]}';
    const out = applyJsonEdits(text, [
      { op: 'replace', path: ['m', 1, 'c'], raw: '"B"' },
      { op: 'replace', path: ['m', 0, 'c'], raw: '"A"' },
      { op: 'append', path: ['m'], raw: '{"c":"z"}' },
      { op: 'append', path: ['t'], raw: '{"name":"x"}' },
      { op: 'set', path: ['m', 0], key: 'n', raw: '1' },
    ]);
    assert.equal(out, '{"m":[{"c":"A","n":1},{"c":"B"},{"c":"z"}],"t":[{"name":"x"}]}');
    // Replacing an array's last element and appending after it do not overlap.
    assert.equal(
      applyJsonEdits('[1,2]', [
        { op: 'append', path: [], raw: '3' },
        { op: 'replace', path: [1], raw: '"two"' },
      ]),
      '[1,"two",3]',
    );
  });

  it('throws JsonEditError for missing paths and wrong container types', () => {
    const text = '{"a":[1],"o":{},"s":"x"}';
    const cases: JsonEdit[] = [
      { op: 'replace', path: ['missing'], raw: '1' },
      { op: 'replace', path: ['a', 1], raw: '1' },
      { op: 'append', path: ['o'], raw: '1' },
      { op: 'append', path: ['s'], raw: '1' },
      { op: 'append', path: ['nope'], raw: '1' },
      { op: 'set', path: ['a'], key: 'k', raw: '1' },
      { op: 'set', path: ['s'], key: 'k', raw: '1' },
      { op: 'set', path: ['o', 'deeper'], key: 'k', raw: '1' },
      { op: 'replace', path: ['a'], raw: '  ' },
    ];
    for (const edit of cases) assert.throws(() => applyJsonEdits(text, [edit]), JsonEditError, JSON.stringify(edit));
  });

  it('throws JsonEditError for overlapping or nested edits', () => {
    const text = '{"a":{"b":[1,2]},"c":{"k":1}}';
    const cases: JsonEdit[][] = [
      [
        { op: 'replace', path: ['a'], raw: '1' },
        { op: 'replace', path: ['a', 'b', 0], raw: '2' },
      ],
      [
        { op: 'replace', path: ['a', 'b', 0], raw: '2' },
        { op: 'replace', path: ['a', 'b', 0], raw: '3' },
      ],
      [
        { op: 'append', path: ['a', 'b'], raw: '3' },
        { op: 'replace', path: ['a', 'b'], raw: '[]' },
      ],
      [
        { op: 'replace', path: [], raw: '{}' },
        { op: 'set', path: ['c'], key: 'z', raw: '1' },
      ],
      [
        { op: 'set', path: ['c'], key: 'k', raw: '2' },
        { op: 'replace', path: ['c', 'k'], raw: '3' },
      ],
      [
        { op: 'set', path: ['c'], key: 'new', raw: '2' },
        { op: 'set', path: ['c'], key: 'new', raw: '3' },
      ],
    ];
    for (const edits of cases) assert.throws(() => applyJsonEdits(text, edits), JsonEditError, JSON.stringify(edits));
  });

  it('edits deep inside very deeply nested text', () => {
    const depth = 100_000;
    const text = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const path = new Array<number>(depth - 1).fill(0);
    const out = applyJsonEdits(text, [{ op: 'append', path, raw: '"x"' }]);
    assert.equal(out, `${'['.repeat(depth)}"x"${']'.repeat(depth)}`);
  });
});

describe('minifyJson', () => {
  it('removes whitespace outside strings only, keeping escapes and number literals as written', () => {
    const text = ' \n{ "a\\u0062" : [ 1.50E+3 , -0 , 9007199254740993 ,\t"x  \\/ \\" y" ] ,\r\n "e" : { } , "f" : [ ] , "t" : true }\n';
    assert.equal(minifyJson(text), '{"a\\u0062":[1.50E+3,-0,9007199254740993,"x  \\/ \\" y"],"e":{},"f":[],"t":true}');
  });

  it('returns the text itself when there is nothing to remove', () => {
    const text = '{"a":[1,"b c"],"a":null}';
    assert.equal(minifyJson(text), text);
    assert.equal(minifyJson('"\ud800 lone"'), '"\ud800 lone"');
  });

  it('keeps non-ASCII text and lone surrogates intact', () => {
    assert.equal(minifyJson('[ "é日本😀" , "\ud800" , "\udc00x" ]'), '["é日本😀","\ud800","\udc00x"]');
    assert.equal(minifyJson('{ "日本" : "😀" }'), '{"日本":"😀"}');
  });

  it('agrees with JSON.parse on what is valid', () => {
    const samples = [
      '',
      ' ',
      '\uFEFF{}',
      '{}',
      '[]',
      '0',
      '-0',
      '01',
      '-',
      '1.',
      '.5',
      '1e',
      '1e+',
      '1E-2',
      '+1',
      '0x10',
      'NaN',
      'Infinity',
      'true',
      'tru',
      'nulls',
      'null null',
      '[1,]',
      '{"a":1,}',
      '{"a" 1}',
      '{a:1}',
      "{'a':1}",
      '["\\u12"]',
      '["\\uzzzz"]',
      '["\\x"]',
      '["\\\'"]',
      '["\t"]',
      '["\u007f"]',
      '["\u2028"]',
      '["\u0000"]',
      '[1]]',
      '[[1]',
      '{"a":[}',
      '{"a":1]',
      '[1 2]',
      '"abc',
      '"abc\\"',
      '"abc\\\\"',
      '\u00a0[]',
      '[]\u00a0',
      '[]\f',
      '\v[]',
      '[] x',
      '// c\n[]',
      '[1,\n2]\n\n',
      '{"__proto__":1}',
    ];
    for (const text of samples) {
      const out = minifyJson(text);
      assert.equal(out === null, !parses(text), JSON.stringify(text));
      if (out !== null) assert.deepEqual(JSON.parse(out), JSON.parse(text));
    }
  });

  it('handles very deep nesting without recursion', () => {
    const depth = 200_000;
    const text = `${'[ '.repeat(depth)}1${' ]'.repeat(depth)}`;
    assert.equal(minifyJson(text), `${'['.repeat(depth)}1${']'.repeat(depth)}`);
    assert.equal(minifyJson(text.slice(0, -1)), null);
  });
});

describe('isJsonContainerText', () => {
  it('checks the first and last non-space characters', () => {
    for (const text of ['{}', '[]', ' \n{"a":1}\n', '\uFEFF[1]', '\t[ ]\r\n', '{]']) assert.equal(isJsonContainerText(text), true, text);
    for (const text of ['', ' ', '{', '"{}"', '1', 'x{}', '{} x', 'null', '[1,2']) assert.equal(isJsonContainerText(text), false, text);
  });
});

// ---------------------------------------------------------------------------
// Properties

describe('json-edit properties', () => {
  it('(1) the located slice parses to the value at the path', () => {
    fc.assert(
      fc.property(anyDoc, fc.nat(), (doc, pick) => {
        const paths = allPaths(doc.value);
        const path = paths[pick % paths.length] as JsonPath;
        const range = locateValue(doc.text, path);
        assert.ok(range, `no range for ${JSON.stringify(path)}`);
        const literal = doc.text.slice(range.start, range.end);
        assert.equal(literal, literal.trim());
        assert.deepEqual(JSON.parse(literal), getAt(doc.value, path));
        // Many paths at once agree with one at a time; absent paths are null.
        const sample = paths.filter((_, index) => index % 3 === pick % 3);
        const ranges = locateValues(doc.text, [...sample, [...path, '\u0000absent'], [...path, 1e6]]);
        sample.forEach((p, index) => assert.deepEqual(ranges[index], locateValue(doc.text, p)));
        assert.equal(ranges[sample.length], null);
        assert.equal(ranges[sample.length + 1], null);
      }),
      RUNS,
    );
  });

  it('(1b) big integer literals are located verbatim', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...BIG_NUMBERS), { minLength: 1, maxLength: 4 }), styleArb, fc.nat(), (numbers, style, pick) => {
        const tree: Tree = { t: 'obj', members: numbers.map((raw, index): [string, Tree] => [`n${index}`, { t: 'num', raw }]) };
        const text = serialize(tree, style);
        const index = pick % numbers.length;
        assert.equal(slice(text, [`n${index}`]), numbers[index]);
      }),
      { numRuns: 100 },
    );
  });

  it('(2) replacing a string leaf changes exactly that leaf', () => {
    fc.assert(
      fc.property(anyDoc, fc.nat(), stringArb, (doc, pick, replacement) => {
        const paths = allPaths(doc.value).filter((path) => typeof getAt(doc.value, path) === 'string');
        fc.pre(paths.length > 0);
        const path = paths[pick % paths.length] as JsonPath;
        const raw = JSON.stringify(replacement);
        const range = locateValue(doc.text, path);
        assert.ok(range);
        const out = applyJsonEdits(doc.text, [{ op: 'replace', path, raw }]);
        assert.equal(out, doc.text.slice(0, range.start) + raw + doc.text.slice(range.end));
        const expected = structuredClone(doc.value);
        if (path.length === 0) {
          assert.equal(JSON.parse(out.replace(/^\uFEFF/, '')), replacement);
        } else {
          const parent = getAt(expected, path.slice(0, -1)) as Record<string | number, JsonValue>;
          parent[path[path.length - 1] as string | number] = replacement;
          assert.deepEqual(JSON.parse(out.replace(/^\uFEFF/, '')), expected);
        }
      }),
      RUNS,
    );
  });

  it('(3) append and set behave like the array push / property assignment', () => {
    fc.assert(
      fc.property(containerDoc, fc.nat(), keyArb, treeArb, styleArb, (doc, pick, key, valueTree, valueStyle) => {
        const raw = serialize(valueTree, { ...valueStyle, noise: 0, indent: null });
        const value = JSON.parse(raw) as JsonValue;
        const paths = allPaths(doc.value).filter((path) => typeof getAt(doc.value, path) === 'object' && getAt(doc.value, path) !== null);
        const path = paths[pick % paths.length] as JsonPath;
        const target = getAt(doc.value, path);
        const expected = structuredClone(doc.value);
        const container = getAt(expected, path);
        let out: string;
        if (Array.isArray(container)) {
          container.push(value);
          out = applyJsonEdits(doc.text, [{ op: 'append', path, raw }]);
          assert.ok(isInsertion(doc.text, out), out);
          assert.throws(() => applyJsonEdits(doc.text, [{ op: 'set', path, key, raw }]), JsonEditError);
        } else {
          assert.ok(isObject(container) && isObject(target));
          container[key] = value;
          out = applyJsonEdits(doc.text, [{ op: 'set', path, key, raw }]);
          if (Object.hasOwn(target, key)) {
            const range = locateValue(doc.text, [...path, key]);
            assert.ok(range);
            assert.equal(out, doc.text.slice(0, range.start) + raw + doc.text.slice(range.end));
          } else {
            assert.ok(isInsertion(doc.text, out), out);
          }
          assert.throws(() => applyJsonEdits(doc.text, [{ op: 'append', path, raw }]), JsonEditError);
        }
        assert.deepEqual(JSON.parse(out.replace(/^\uFEFF/, '')), expected);
      }),
      RUNS,
    );
  });

  it('(3b) several edits at once: applied like sequential mutations, or JsonEditError exactly when they collide', () => {
    type Planned = { edit: JsonEdit; replaced: JsonPath | null; into: JsonPath | null; value: JsonValue };
    fc.assert(
      fc.property(containerDoc, fc.array(fc.tuple(fc.nat(), keyArb, treeArb), { minLength: 1, maxLength: 4 }), (doc, picks) => {
        const paths = allPaths(doc.value);
        const planned: Planned[] = picks.map(([pick, key, valueTree]) => {
          const path = paths[pick % paths.length] as JsonPath;
          const raw = serialize(valueTree, { indent: null, noise: 0, escapes: 0, seed: pick });
          const value = JSON.parse(raw) as JsonValue;
          const target = getAt(doc.value, path);
          if (Array.isArray(target) && pick % 2 === 0) return { edit: { op: 'append', path, raw }, replaced: null, into: path, value };
          if (isObject(target) && pick % 2 === 0) {
            const existing = Object.hasOwn(target, key);
            return { edit: { op: 'set', path, key, raw }, replaced: existing ? [...path, key] : null, into: existing ? null : path, value };
          }
          return { edit: { op: 'replace', path, raw }, replaced: path, into: null, value };
        });
        const collides = (a: Planned, b: Planned): boolean => {
          if (a.replaced && b.replaced) return isPrefix(a.replaced, b.replaced) || isPrefix(b.replaced, a.replaced);
          if (a.replaced && b.into) return isPrefix(a.replaced, b.into);
          if (b.replaced && a.into) return isPrefix(b.replaced, a.into);
          return (
            a.edit.op === 'set' && b.edit.op === 'set' && a.into !== null && b.into !== null && isPrefix(a.into, b.into) && a.into.length === b.into.length && a.edit.key === b.edit.key
          );
        };
        const conflict = planned.some((a, i) => planned.some((b, j) => i < j && collides(a, b)));
        const edits = planned.map((p) => p.edit);
        if (conflict) {
          assert.throws(() => applyJsonEdits(doc.text, edits), JsonEditError);
          return;
        }
        let expected = structuredClone(doc.value);
        for (const { edit, value } of planned) {
          if (edit.op === 'replace' && edit.path.length === 0) {
            expected = value;
            continue;
          }
          if (edit.op === 'replace') {
            (getAt(expected, edit.path.slice(0, -1)) as Record<string | number, JsonValue>)[edit.path[edit.path.length - 1] as string | number] = value;
          } else if (edit.op === 'append') {
            (getAt(expected, edit.path) as JsonValue[]).push(value);
          } else {
            (getAt(expected, edit.path) as Record<string, JsonValue>)[edit.key] = value;
          }
        }
        const out = applyJsonEdits(doc.text, edits);
        assert.deepEqual(JSON.parse(out.replace(/^\uFEFF/, '')), expected);
      }),
      RUNS,
    );
  });

  it('(4) minifyJson keeps every token as written, drops all whitespace outside strings, and is idempotent', () => {
    fc.assert(
      fc.property(docArb(anyTreeArb, false), (doc) => {
        const minified = minifyJson(doc.text);
        assert.ok(minified !== null);
        assert.equal(minified, serialize(doc.tree, doc.style, false));
        assert.deepEqual(JSON.parse(minified), doc.value);
        assert.ok(!hasWhitespaceOutsideStrings(minified), minified);
        assert.equal(minifyJson(minified), minified);
        for (const literal of rawNumbers(doc.tree)) assert.ok(minified.includes(literal), literal);
        // The same through the UTF-16 path (a lone surrogate rules out UTF-8).
        assert.equal(minifyJson(`[ ${doc.text} , "\ud800" ]`), `[${minified},"\ud800"]`);
      }),
      RUNS,
    );
  });

  it('(5) minifyJson returns null exactly when JSON.parse throws (mutated documents)', () => {
    const stray = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      'a',
      '0',
      '-',
      '.',
      'e',
      'E',
      '+',
      ' ',
      '\n',
      '\t',
      '\u0000',
      '\u001f',
      '\u00a0',
      '\ufeff',
      'x',
      't',
      'n',
      'u',
      '/',
      '\ud800',
    );
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char: stray }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: stray }),
    );
    fc.assert(
      fc.property(docArb(anyTreeArb, false), mutation, (doc, m) => {
        const text = doc.text;
        const at = m.at % (text.length + 1);
        let mutated: string;
        if (m.kind === 'truncate') mutated = text.slice(0, Math.min(at, text.length - 1));
        else if (m.kind === 'insert') mutated = text.slice(0, at) + m.char + text.slice(at);
        else if (m.kind === 'delete') mutated = text.slice(0, at) + text.slice(at + 1);
        else mutated = text.slice(0, at) + m.char + text.slice(at + 1);
        const out = minifyJson(mutated);
        assert.equal(out === null, !parses(mutated), JSON.stringify(mutated));
        if (out !== null) {
          assert.deepEqual(JSON.parse(out), JSON.parse(mutated));
          assert.ok(!hasWhitespaceOutsideStrings(out));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('(5b) minifyJson agrees with JSON.parse on token soup', () => {
    const token = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      ' ',
      '\n',
      '"a"',
      '"b c"',
      '"\\u00e9"',
      '"\\x"',
      '"\\u12"',
      '"\t"',
      '"\ud800"',
      '\ud800',
      '"',
      '1',
      '-0',
      '01',
      '1.5',
      '1.',
      '.5',
      '1e5',
      '1e',
      '-',
      'true',
      'tru',
      'null',
      'false',
      'x',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), (tokens) => {
        const text = tokens.join('');
        const out = minifyJson(text);
        assert.equal(out === null, !parses(text), JSON.stringify(text));
        if (out !== null) assert.deepEqual(JSON.parse(out), JSON.parse(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('element ranges, mapped minify and syntax errors: properties', () => {
  it('(6) every array in a document: its element ranges are its elements, literal for literal', () => {
    fc.assert(
      fc.property(anyDoc, (doc) => {
        for (const path of allPaths(doc.value)) {
          const value = getAt(doc.value, path);
          const ranges = arrayElementRanges(doc.text, path);
          if (!Array.isArray(value)) {
            assert.equal(ranges, null);
            continue;
          }
          assert.ok(ranges);
          assert.equal(ranges.length, value.length);
          ranges.forEach((range, index) => {
            assert.deepEqual(range, locateValue(doc.text, [...path, index]));
            assert.deepEqual(JSON.parse(doc.text.slice(range.start, range.end)), value[index]);
          });
        }
      }),
      RUNS,
    );
  });

  it('(7) minifyJsonMapped gives minifyJson, and each checkpoint lines the text up with the minified text', () => {
    fc.assert(
      fc.property(anyDoc, fc.constantFrom(1, 8, 128), (doc, every) => {
        const mapped = minifyJsonMapped(doc.json, every);
        assert.ok(mapped);
        assert.equal(mapped.compact, minifyJson(doc.json));
        assert.equal(doc.json.slice(mapped.start, mapped.end), doc.json.trim());
        let previous: [number, number] = [mapped.start, 0];
        for (const [index, point] of mapped.checkpoints.entries()) {
          if (index > 0) assert.ok(point[0] - previous[0] >= every);
          // The stretch between two checkpoints, minified on its own, is the matching stretch of the output.
          assert.equal(withoutWhitespace(doc.json.slice(previous[0], point[0])), mapped.compact.slice(previous[1], point[1]));
          previous = point;
        }
      }),
      RUNS,
    );
  });

  it('(8) jsonSyntaxError is null exactly when JSON.parse accepts; every proper prefix of a container is truncated', () => {
    fc.assert(
      fc.property(containerDoc, fc.nat(), fc.nat(), fc.constantFrom('', '}', ']', ',', ':', '"', 'x', '\\', '\u0001', ' '), (doc, cut, at, junk) => {
        assert.equal(jsonSyntaxError(doc.json), null);
        const prefix = doc.json.trimEnd().slice(0, cut % doc.json.trimEnd().length);
        const error = jsonSyntaxError(prefix);
        assert.ok(error, JSON.stringify(prefix));
        assert.equal(error.truncated, true, `${JSON.stringify(prefix)}: ${error.reason}`);
        const position = at % (doc.json.length + 1);
        const mutated = doc.json.slice(0, position) + junk + doc.json.slice(position);
        let parses = true;
        try {
          JSON.parse(mutated);
        } catch {
          parses = false;
        }
        const found = jsonSyntaxError(mutated);
        assert.equal(found === null, parses, JSON.stringify(mutated));
        if (found) assert.ok(found.offset <= mutated.length);
      }),
      RUNS,
    );
  });
});

/** The text with JSON whitespace outside strings removed (a reference for the stretches between checkpoints). */
function withoutWhitespace(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!' \t\n\r'.includes(c)) {
      out += c;
    }
  }
  return out;
}
