import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arrayElementRanges, JsonEditError } from '../../src/json/index.js';

function elements(text: string, path: (string | number)[] = []): string[] | null {
  return arrayElementRanges(text, path)?.map(({ start, end }) => text.slice(start, end)) ?? null;
}

describe('arrayElementRanges', () => {
  it('cuts each element exactly as written: 64-bit integers and strings holding , ] are not split or respelled', () => {
    const text = '[1, 12345678901234567890, "a,]"]';
    assert.deepEqual(arrayElementRanges(text), [
      { start: 1, end: 2 },
      { start: 4, end: 24 },
      { start: 26, end: 31 },
    ]);
    assert.deepEqual(elements(text), ['1', '12345678901234567890', '"a,]"']);
  });

  it('keeps nested arrays and objects whole, and escapes inside strings', () => {
    assert.deepEqual(elements('[[1, [2, 3]], {"k": [4, "]"]}, "q\\"]", -0.5e+3, true, null, []]'), ['[1, [2, 3]]', '{"k": [4, "]"]}', '"q\\"]"', '-0.5e+3', 'true', 'null', '[]']);
  });

  it('skips whitespace of every kind around elements and commas', () => {
    assert.deepEqual(elements('\t[ \r\n 1 \n,\t"two"\r\n ,\n\n  {\n    "three": 3\n  }\n ]\n'), ['1', '"two"', '{\n    "three": 3\n  }']);
    assert.deepEqual(elements('[ \n ]'), []);
    assert.deepEqual(elements('[]'), []);
  });

  it('finds the array at a path (duplicate keys: the last wins, as in JSON.parse)', () => {
    const text = '{"data": {"items": [0], "items": [ {"id": 9007199254740993}, {"id": 2} ]}, "n": 1}';
    assert.deepEqual(elements(text, ['data', 'items']), ['{"id": 9007199254740993}', '{"id": 2}']);
    assert.deepEqual(elements('[[1, 2], [3, [4, 5]]]', [1, 1]), ['4', '5']);
  });

  it('is null when there is no value at the path or it is not an array', () => {
    assert.equal(arrayElementRanges('{"a": [1]}'), null);
    assert.equal(arrayElementRanges('{"a": [1]}', ['b']), null);
    assert.equal(arrayElementRanges('{"a": "[1]"}', ['a']), null);
    assert.equal(arrayElementRanges('[1]', [0]), null);
  });

  it('throws JsonEditError where the array it walks is malformed', () => {
    assert.throws(() => arrayElementRanges('[1 2]'), JsonEditError);
    assert.throws(() => arrayElementRanges('[1, "open'), JsonEditError);
    assert.throws(() => arrayElementRanges('[1,'), JsonEditError);
  });
});
