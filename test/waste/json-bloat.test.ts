import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectJsonBloat, EXACT_COUNT_CHARS } from '../../src/analysis/waste/json-bloat.js';
import { count, countingCounter, prose } from './helpers.js';

const data = {
  users: Array.from({ length: 12 }, (_, index) => ({ id: index, name: `user ${index}`, active: index % 2 === 0, tags: ['a', 'b'] })),
  total: 12,
};

describe('json_bloat', () => {
  it('reports a pretty-printed JSON text, with the compact count in the detail', () => {
    const text = JSON.stringify(data, null, 2);
    const { finding, spans } = detectJsonBloat(text, count);
    assert.ok(finding);
    assert.equal(finding.key, 'json_bloat');
    const compactTokens = count(JSON.stringify(data));
    assert.equal(finding.tokens, count(text) - compactTokens);
    assert.ok(finding.tokens > 0 && finding.tokens < count(text));
    assert.match(finding.detail, /^pretty-printed JSON: [\d,]+ → [\d,]+ tokens compact$/);
    assert.deepEqual(spans, [{ start: 0, end: text.length }]);
  });

  it('uses the caller-provided whole-text count instead of counting again', () => {
    const text = JSON.stringify(data, null, 2);
    const { finding } = detectJsonBloat(text, count, { textTokens: count(text) + 100 });
    assert.equal(finding?.tokens, count(text) + 100 - count(JSON.stringify(data)));
  });

  it('reports nothing for compact JSON', () => {
    const { finding } = detectJsonBloat(JSON.stringify(data), count);
    assert.equal(finding, null);
  });

  it('reports nothing for bracketed text that is not JSON (JS literal, Python dict)', () => {
    assert.equal(detectJsonBloat("{\n  name: 'x',\n  items: [1, 2, 3],\n  nested: { a: 1 }\n}", count).finding, null);
    assert.equal(detectJsonBloat("{'a': 1, 'b': [1, 2, 3], 'c': {'d': 'e'}}", count).finding, null);
  });

  it('finds a pretty JSON span embedded in prose and counts only the span', () => {
    const json = JSON.stringify(data, null, 2);
    const text = `${prose(400)}\nThe API returned:\n${json}\n${prose(400, 3)}`;
    const { finding, spans } = detectJsonBloat(text, count);
    assert.ok(finding);
    assert.equal(finding.tokens, count(json) - count(JSON.stringify(data)));
    assert.equal(spans.length, 1);
    assert.equal(text.slice(spans[0]?.start, spans[0]?.end), json);
  });

  it('counts several embedded spans as instances', () => {
    const json = JSON.stringify(data, null, 2);
    const text = `first:\n${json}\nand second:\n${JSON.stringify({ other: data.users.slice(0, 4) }, null, 4)}\ndone`;
    const { finding } = detectJsonBloat(text, count);
    assert.equal(finding?.instances, 2);
    assert.match(finding?.detail ?? '', /^2 pretty-printed JSON spans/);
  });

  it('ignores short embedded JSON and braces of code blocks', () => {
    assert.equal(detectJsonBloat(`see\n{\n  "a": 1\n}\nabove`, count).finding, null);
    const code = `function f() {\n  return 1;\n}\n{\n  const x = [1, 2];\n  console.log(x);\n}\n${prose(300)}`;
    assert.equal(detectJsonBloat(code, count).finding, null);
  });

  it('keeps strings intact: whitespace inside strings is not removed', () => {
    const text = JSON.stringify({ message: 'keep   these   spaces', list: [1, 2, 3] }, null, 2);
    const { finding } = detectJsonBloat(text, count);
    assert.ok(finding);
    assert.equal(finding.tokens, count(text) - count('{"message":"keep   these   spaces","list":[1,2,3]}'));
  });

  it('samples long spans and stays close to the exact saving', () => {
    // Each pretty row is ~150 characters: enough rows for a span twice the exact limit.
    const rows = Array.from({ length: Math.ceil((EXACT_COUNT_CHARS * 2) / 140) }, (_, id) => ({
      id,
      name: `service-${id}`,
      status: id % 3 ? 'running' : 'pending',
      cpu: id * 0.25,
      labels: { team: `team-${id % 7}`, tier: 'backend' },
    }));
    const text = JSON.stringify(rows, null, 2);
    assert.ok(text.length > EXACT_COUNT_CHARS * 2);
    const exact = count(text) - count(JSON.stringify(rows));
    const counted: number[] = [];
    const spy = (chunk: string): number => {
      counted.push(chunk.length);
      return count(chunk);
    };
    const { finding } = detectJsonBloat(text, spy, { textTokens: count(text) });
    assert.ok(finding);
    assert.match(finding.detail, /\(sampled\)$/);
    assert.ok(Math.abs(finding.tokens - exact) / exact < 0.05, `sampled ${finding.tokens} vs exact ${exact}`);
    const countedChars = counted.reduce((sum, chars) => sum + chars, 0);
    assert.ok(countedChars < text.length / 4, `counted ${countedChars} of ${text.length} chars`);
  });

  // Its time is a row of `npm run bench` (detector worst cases); here, what can be counted.
  it('gives up on an unbalanced bracket followed by a megabyte of indented lines without counting it', () => {
    const text = `[\n${'  "item",\n'.repeat(100_000)}`;
    const counted = countingCounter();
    assert.equal(detectJsonBloat(text, counted.count).finding, null);
    assert.equal(counted.chars(), 0);
  });
});
