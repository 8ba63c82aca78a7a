import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonSyntaxError, lineAndColumn } from '../../src/json/index.js';

function where(text: string): [number, number, number, string, boolean] | null {
  const error = jsonSyntaxError(text);
  return error === null ? null : [error.offset, error.line, error.column, error.reason, error.truncated];
}

describe('jsonSyntaxError', () => {
  it('is null for valid JSON, surrounding whitespace included', () => {
    assert.equal(jsonSyntaxError(' {"a": [1, -2.5e3, "x\\u00e9"], "b": null}\n'), null);
    assert.equal(jsonSyntaxError('12345678901234567890'), null);
  });

  it('names the offset, line and column of the first wrong character', () => {
    assert.deepEqual(where('{\n  "a": 1,\n  "b" 2\n}'), [18, 3, 7, "expected ':' after property name", false]);
    assert.deepEqual(where('[1,\n ]'), [5, 2, 2, 'unexpected character "]"', false]);
    assert.deepEqual(where('[1 2]'), [3, 1, 4, "expected ',' or ']' after array element", false]);
    assert.deepEqual(where('{"a": 1 "b": 2}'), [8, 1, 9, "expected ',' or '}' after property value", false]);
    assert.deepEqual(where('{"a": tru}'), [6, 1, 7, 'unexpected character "t"', false]);
    assert.deepEqual(where('{} {}'), [3, 1, 4, 'unexpected content after the JSON value', false]);
    assert.deepEqual(where('["a\u0001"]'), [3, 1, 4, 'unescaped control character in string', false]);
    assert.deepEqual(where('["\\x"]'), [2, 1, 3, 'invalid escape sequence', false]);
    assert.deepEqual(where('["\\u12G4"]'), [2, 1, 3, 'invalid \\u escape', false]);
    assert.deepEqual(where('[-x]'), [1, 1, 2, 'invalid number', false]);
    assert.deepEqual(where('{1: 2}'), [1, 1, 2, 'expected a property name in double quotes', false]);
    assert.deepEqual(where('\uFEFF{}'), [0, 1, 1, 'unexpected character "\uFEFF"', false]);
  });

  it('says when the text ended before the value did (truncated), wherever it was cut', () => {
    assert.deepEqual(where(''), [0, 1, 1, 'unexpected end of input', true]);
    assert.deepEqual(where('{"a": [1, 2'), [11, 1, 12, 'unexpected end of input', true]);
    assert.deepEqual(where('{\n  "a": "abc'), [9, 2, 8, 'unterminated string', true]);
    assert.deepEqual(where('{"a": tr'), [8, 1, 9, 'unexpected end of input', true]);
    assert.deepEqual(where('[1.'), [3, 1, 4, 'unexpected end of input', true]);
    assert.deepEqual(where('[1e+'), [4, 1, 5, 'unexpected end of input', true]);
    assert.deepEqual(where('["\\u12'), [2, 1, 3, 'invalid \\u escape', true]);
    assert.deepEqual(where('{"a": 1,\n'), [9, 2, 1, 'unexpected end of input', true]);
  });

  it('walks deep nesting without recursion', () => {
    const deep = `${'['.repeat(200_000)}1${']'.repeat(199_999)}`;
    assert.deepEqual(where(deep), [deep.length, 1, deep.length + 1, 'unexpected end of input', true]);
  });
});

describe('lineAndColumn', () => {
  it('counts lines by \\n and columns in UTF-16 units, both from 1', () => {
    assert.deepEqual(lineAndColumn('ab\ncd\r\nef', 0), { line: 1, column: 1 });
    assert.deepEqual(lineAndColumn('ab\ncd\r\nef', 4), { line: 2, column: 2 });
    assert.deepEqual(lineAndColumn('ab\ncd\r\nef', 7), { line: 3, column: 1 });
    assert.deepEqual(lineAndColumn('😀x', 2), { line: 1, column: 3 });
  });
});
