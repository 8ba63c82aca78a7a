/**
 * json_table: the lossless layouts of arrays of objects, their decoder, and
 * the settings that shape them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { minifyJson } from '../../src/json/minify.js';
import { parseRawJson } from '../../src/json/tree.js';
import { decodeTables, encodeDocument, TableSyntaxError, tableSettings } from '../../src/transforms/json-table/index.js';
import { defaultConfig } from '../../src/config/index.js';
import type { EncodeSettings } from '../../src/transforms/json-table/encode.js';
import { isRewrite } from '../../src/transforms/types.js';
import { applyTable, counter, DEFAULTS, documentText } from './json-table-support.js';

async function encode(text: string, settings: Partial<EncodeSettings> = {}, rootAsText = true) {
  const doc = parseRawJson(text);
  assert.ok(doc, 'test input is JSON');
  return encodeDocument(doc, { settings: { ...DEFAULTS, ...settings }, count: await counter(), rootAsText });
}

async function tableText(text: string, settings: Partial<EncodeSettings> = {}): Promise<string> {
  const outcome = await applyTable(text, settings);
  assert.ok(isRewrite(outcome), `rewritten: ${JSON.stringify(outcome)}`);
  return outcome.text;
}

const ROWS = Array.from({ length: 12 }, (_, i) => ({
  id: 1000 + i,
  status: 'ok',
  region: i % 2 ? 'eu-west-1' : 'us-east-1',
  meta: { tier: i % 3 ? 'free' : 'pro', az: 'a' },
}));

/** Three kinds of event, each with its own fields: 2 of 13 keys are in every row. */
const EVENTS = JSON.stringify(
  Array.from({ length: 12 }, (_, i) =>
    i % 3 === 0
      ? { type: 'click', x: i, y: i + 1, button: 'left', target: `#b${i}`, ts: `2024-05-01T10:00:0${i % 10}Z` }
      : i % 3 === 1
        ? { type: 'view', page: `/p${i}`, referrer: `/r${i}`, duration: i * 10, ts: `2024-05-01T10:00:0${i % 10}Z` }
        : { type: 'error', code: 500 + i, msg: `boom ${i}`, stack: `at f${i}`, retry: true, ts: `2024-05-01T10:00:0${i % 10}Z` },
  ),
);

describe('json_table layouts', () => {
  it('a top-level array becomes a table: flattened a.b columns, a constant stated once, the rest one row per object', async () => {
    const text = await tableText(JSON.stringify(ROWS));
    const lines = text.split('\n');
    assert.equal(lines[0], '[12]{id,status=ok,region,meta.tier,meta.az=a}');
    assert.equal(lines[1], '1000,us-east-1,pro');
    assert.equal(lines.length, 13);
    assert.equal(decodeTables(text), JSON.stringify(ROWS));
  });

  it('nested objects flatten level by level while each level has the same few keys in the same order', async () => {
    const input = JSON.stringify(Array.from({ length: 6 }, (_, i) => ({ id: i, m: { a: { x: i, y: -i }, b: `b${i}` } })));
    const text = (await encode(input, { minSavingsRatio: 0 })).text;
    assert.equal(text.split('\n')[0], '[6]{id,m.a.x,m.a.y,m.b}');
    assert.equal(text.split('\n')[2], '1,1,-1,b1');
    assert.equal(decodeTables(text), input);
  });

  it('literals are copied as written: 64-bit ids, 1.50, escapes, strings that look like numbers or literals', async () => {
    const rows = Array.from(
      { length: 6 },
      (_, i) => `{"id":1234567890123456789${i},"price":1.50,"code":"0${i}","flag":"true","n":"12","name":"caf\\u00e9 ${i}","note":" x${i}","empty":"","nil":null}`,
    );
    const input = `[${rows.join(',')}]`;
    const text = await tableText(input, { minSavingsRatio: 0, factorOutConstants: false });
    assert.ok(text.includes('12345678901234567890,1.50,00,"true","12","caf\\u00e9 0"," x0","",null'), text);
    assert.equal(decodeTables(text), input);
  });

  it('missing keys and nulls are different cells, and trailing missing cells are left off', async () => {
    const input = JSON.stringify([{ a: 1, b: null, c: 3 }, { a: 2 }, { a: 3, c: 5 }, { a: 4, b: 'x', c: 6 }]);
    const text = await tableText(input, { minSavingsRatio: 0 });
    assert.deepEqual(text.split('\n').slice(1), ['1,null,3', '2', '3,,5', '4,x,6']);
    assert.equal(decodeTables(text), input);
  });

  it('a column with one value but missing from some rows is not a constant: each row keeps its cell', async () => {
    const input = JSON.stringify([{ a: 1, c: 'x' }, { a: 2 }, { a: 3, c: 'x' }, { a: 4, c: 'x' }]);
    const text = (await encode(input, { minSavingsRatio: 0 })).text;
    assert.deepEqual(text.split('\n'), ['[4]{a,c}', '1,x', '2', '3,x', '4,x']);
    assert.equal(decodeTables(text), input);
  });

  it('selection markers at the end of an array stay verbatim, one per line after the rows, and decode back as strings', async () => {
    const marker = '[headroom: omitted 985 items (indices 3-987 of 1000); headroom_retrieve hash=0123456789abcdef01234567]';
    const input = JSON.stringify([...ROWS, marker]);
    const text = await tableText(input);
    assert.equal(text.split('\n').at(-1), marker);
    assert.equal(decodeTables(text), input);
  });

  it('a nested array becomes a string holding the table; the document stays JSON', async () => {
    const input = JSON.stringify({ total: 12, results: ROWS });
    const text = await tableText(input);
    const value = JSON.parse(text) as { total: number; results: string };
    assert.equal(value.total, 12);
    assert.ok(value.results.startsWith('[12]{id,'), value.results);
    assert.equal(decodeTables(text), input);
  });

  it('a string field holding a JSON array of objects is encoded too (the inner table is a JSON string literal)', async () => {
    const input = JSON.stringify({ content: JSON.stringify(ROWS) });
    const text = await tableText(input);
    const inner = JSON.parse((JSON.parse(text) as { content: string }).content) as string;
    assert.ok(inner.startsWith('[12]{id,'), inner);
    assert.equal(decodeTables(text), input);
  });

  it('arrays inside JSON held in a string field are encoded too, and the string decodes back byte for byte', async () => {
    const input = JSON.stringify({ content: JSON.stringify({ hits: ROWS }) });
    const text = await tableText(input);
    assert.ok(text.length < input.length);
    assert.equal(decodeTables(text), input);
  });

  it('heterogeneous rows are bucketed by a discriminator, rows kept in their order', async () => {
    const outcome = await applyTable(EVENTS, { minSavingsRatio: 0 });
    assert.ok(isRewrite(outcome));
    assert.match(outcome.label, /^lossless:buckets\(type\) \d+%$/);
    const lines = outcome.text.split('\n');
    assert.deepEqual(lines.slice(0, 5), [
      '[12] by type',
      'click{type,x,y,button=left,target,ts}',
      'view{type,page,referrer,duration,ts}',
      'error{type,code,msg,stack,retry=true,ts}',
      'click,0,1,#b0,2024-05-01T10:00:00Z',
    ]);
    assert.equal(lines[5], 'view,/p1,/r1,10,2024-05-01T10:00:01Z');
    assert.equal(decodeTables(outcome.text), EVENTS);
  });

  it('heterogeneous rows without a discriminator field are bucketed by their key list, each row led by its bucket number', async () => {
    // Like database rows of three tables: `status` and `created_at` come in either order, and no string field is in every row.
    const input = JSON.stringify(
      Array.from({ length: 12 }, (_, i) =>
        i % 3 === 0
          ? { id: i, user_id: 1000 + i, amount: i * 1.5, status: i % 2 ? 'failed' : 'completed', created_at: `2025-01-0${(i % 9) + 1}` }
          : i % 3 === 1
            ? { id: i, username: `user_${i}`, created_at: `2025-01-0${(i % 9) + 1}`, status: 'active', logins: i * 3 }
            : { id: i, metric: 'latency_ms', value: i / 4, host: `server-${i}` },
      ),
    );
    const outcome = await applyTable(input, { minSavingsRatio: 0 });
    assert.ok(isRewrite(outcome));
    assert.match(outcome.label, /^lossless:buckets\(shape\) \d+%$/);
    assert.deepEqual(outcome.text.split('\n').slice(0, 5), [
      '[12] in 3 shapes',
      '1{id,user_id,amount,status,created_at}',
      '2{id,username,created_at,status=active,logins}',
      '3{id,metric=latency_ms,value,host}',
      '1,0,1000,0,completed,2025-01-01',
    ]);
    assert.equal(decodeTables(outcome.text), input);
    assert.notEqual((await encode(input, { minSavingsRatio: 0, maxBuckets: 2 })).choices[0]?.kind, 'buckets');
  });

  it('rows that order shared keys differently get key=value rows, which keep each order', async () => {
    const input = JSON.stringify(Array.from({ length: 8 }, (_, i) => (i % 2 ? { name: `n${i}`, id: i } : { id: i, name: `n${i}` })));
    const outcome = await applyTable(input, { minSavingsRatio: 0 });
    assert.ok(isRewrite(outcome));
    assert.match(outcome.label, /^lossless:kv /);
    assert.equal(outcome.text.split('\n')[2], 'name=n1,id=1');
    assert.equal(decodeTables(outcome.text), input);
  });

  it('the label names each layout used and the share saved', async () => {
    const input = JSON.stringify({ a: ROWS, b: ROWS.map((row) => ({ ...row, id: row.id + 1 })) });
    const outcome = await applyTable(input);
    assert.ok(isRewrite(outcome));
    assert.match(outcome.label, /^lossless:table×2 \d+%$/);
  });
});

describe('json_table settings', () => {
  const events = EVENTS;

  it('compaction_heterogeneous_core_ratio: 0 never finds rows heterogeneous, so no buckets', async () => {
    assert.equal((await encode(events, { minSavingsRatio: 0 })).text.split('\n')[0], '[12] by type');
    assert.notEqual((await encode(events, { minSavingsRatio: 0, heterogeneousCoreRatio: 0 })).text.split('\n')[0], '[12] by type');
  });

  it('compaction_core_field_fraction: at 0 every key is core, so the rows count as homogeneous', async () => {
    assert.notEqual((await encode(events, { minSavingsRatio: 0, coreFieldFraction: 0 })).text.split('\n')[0], '[12] by type');
  });

  it('compaction_min_buckets / compaction_max_buckets bound the discriminator', async () => {
    assert.notEqual((await encode(events, { minSavingsRatio: 0, minBuckets: 4 })).text.split('\n')[0], '[12] by type');
    assert.notEqual((await encode(events, { minSavingsRatio: 0, maxBuckets: 2 })).text.split('\n')[0], '[12] by type');
    assert.equal((await encode(events, { minSavingsRatio: 0, minBuckets: 3, maxBuckets: 3 })).text.split('\n')[0], '[12] by type');
  });

  it('compaction_max_flatten_inner_keys: below the inner key count the object stays one JSON cell', async () => {
    const input = JSON.stringify(ROWS);
    assert.equal((await encode(input, { maxFlattenInnerKeys: 1 })).text.split('\n')[0], '[12]{id,status=ok,region,meta}');
    assert.equal((await encode(input, { maxFlattenInnerKeys: 2 })).text.split('\n')[0], '[12]{id,status=ok,region,meta.tier,meta.az=a}');
  });

  it('factor_out_constants: off (the default), a constant column is written in every row', async () => {
    assert.equal(tableSettings(defaultConfig()).factorOutConstants, false);
    const text = (await encode(JSON.stringify(ROWS), { factorOutConstants: false })).text;
    assert.equal(text.split('\n')[0], '[12]{id,status,region,meta.tier,meta.az}');
    assert.equal(text.split('\n')[1], '1000,ok,us-east-1,pro,a');
  });

  it('lossless_min_savings_ratio: an array is re-laid-out only when it saves that share', async () => {
    const input = JSON.stringify(ROWS);
    const choice = (await encode(input)).choices[0];
    assert.ok(choice);
    const saved = (choice.jsonTokens - choice.tokens) / choice.jsonTokens;
    assert.ok(isRewrite(await applyTable(input, { minSavingsRatio: saved - 0.01 })));
    assert.deepEqual(await applyTable(input, { minSavingsRatio: saved + 0.01 }), { decline: 'already-compact' });
  });
});

describe('json_table: what it leaves alone', () => {
  it('non-JSON text passes through', async () => {
    assert.deepEqual(await applyTable('not json at all'), { decline: 'unsupported-shape' });
  });

  it('arrays of fewer than two objects, of scalars, and objects without arrays are left as they are', async () => {
    for (const input of ['[{"a":1}]', '[1,2,3,4,5,6,7,8]', '{"a":1,"b":[1,2]}', '[{"a":1},2,{"a":3}]']) {
      assert.deepEqual(await applyTable(input, { minSavingsRatio: 0 }), { decline: 'already-compact' }, input);
    }
  });

  it('a document holding a string the decoder would read as a table is declined, so encoding is idempotent', async () => {
    const once = await tableText(JSON.stringify({ results: ROWS, other: ROWS }));
    assert.deepEqual(await applyTable(once, { minSavingsRatio: 0 }), { decline: 'already-compact' });
    assert.deepEqual(await applyTable(JSON.stringify({ note: '[2]{a}\n1\n2', rows: ROWS }), { minSavingsRatio: 0 }), { decline: 'already-compact' });
  });

  it('structured outputs: the top-level array stays a JSON array on one line; only nested arrays become table strings', async () => {
    const input = JSON.stringify([
      { page: 1, items: ROWS },
      { page: 2, items: ROWS },
    ]);
    const outcome = await applyTable(input, {}, true);
    assert.ok(isRewrite(outcome));
    assert.ok(Array.isArray(JSON.parse(outcome.text)));
    assert.ok(!/[\r\n]/.test(outcome.text));
    assert.equal(decodeTables(outcome.text), input);
    assert.deepEqual(await applyTable(JSON.stringify(ROWS), {}, true), { decline: 'already-compact' });
  });

  it('the decoder names what it cannot read, and ignores line breaks added after the table', () => {
    assert.throws(() => decodeTables('plain words'), TableSyntaxError);
    assert.throws(() => decodeTables('[2]{a}\n1'), TableSyntaxError, 'fewer rows than the header says');
    assert.throws(() => decodeTables('[1]{a}\n1\nnot a marker'), TableSyntaxError);
    assert.equal(decodeTables('[2]{a=1}\n\n\n\n'), '[{"a":1},{"a":1}]');
    assert.equal(decodeTables('[2]{a,b}\n1,x\n2\n'), '[{"a":1,"b":"x"},{"a":2}]');
    assert.equal(decodeTables('[1, 2]'), '[1, 2]', 'JSON without tables is returned as it is');
  });
});

describe('json_table properties', () => {
  it('round trip: decoding the encoding gives the compact input back exactly', async () => {
    const count = await counter();
    let encoded = 0;
    await fc.assert(
      fc.asyncProperty(documentText, fc.boolean(), async (text, structured) => {
        const doc = parseRawJson(text);
        assert.ok(doc);
        const result = encodeDocument(doc, { settings: { ...DEFAULTS, minSavingsRatio: 0 }, count, rootAsText: !structured });
        if (result.ambiguous) return;
        if (result.choices.length > 0) encoded++;
        assert.equal(minifyJson(decodeTables(result.text)), minifyJson(text));
        if (structured) {
          assert.ok(!/[\r\n]/.test(result.text));
          assert.equal(typeof JSON.parse(result.text), typeof JSON.parse(text));
        }
      }),
      { numRuns: 300 },
    );
    assert.ok(encoded > 50, `generated documents are encoded, not only declined (${encoded} of 300)`);
  });

  it('round trip on arrays long enough to be counted in several batches, empty rows included', async () => {
    const count = await counter();
    const rows = Array.from({ length: 3000 }, (_, i) => (i % 5 === 0 ? { kind: 'same' } : { kind: 'same', id: i, note: i % 7 ? `row ${i}, "quoted"` : '' }));
    for (const text of [JSON.stringify(rows), JSON.stringify(rows.map(() => ({ kind: 'same' })))]) {
      const doc = parseRawJson(text);
      assert.ok(doc);
      const result = encodeDocument(doc, { settings: { ...DEFAULTS, minSavingsRatio: 0 }, count, rootAsText: true });
      assert.equal(result.choices.length, 1);
      assert.equal(decodeTables(result.text), text);
    }
  });

  it('deterministic and idempotent: the same input encodes to the same bytes, and an encoding is not encoded again', async () => {
    await fc.assert(
      fc.asyncProperty(documentText, async (text) => {
        const first = await applyTable(text, { minSavingsRatio: 0 });
        assert.deepEqual(await applyTable(text, { minSavingsRatio: 0 }), first);
        if (!isRewrite(first)) return;
        const again = await applyTable(first.text, { minSavingsRatio: 0 });
        assert.ok(!isRewrite(again), 'an encoding is left alone');
      }),
      { numRuns: 100 },
    );
  });
});
