/**
 * The smart_crusher transform on its own: which arrays it finds, what a
 * crushed array looks like (kept items as written, then selection markers),
 * that restoring the markers gives the input back, and why it declines.
 * Selection quality is the selector's business and is not tested here: most
 * tests drive the crusher with a selector of their own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MARKER_DETAIL_MAX_LENGTH, findMarkers } from '../../../src/ccr/markers.js';
import { restoreSelections, selectionMarkerOf } from '../../../src/ccr/selections.js';
import { defaultConfig } from '../../../src/config/index.js';
import { itemsShape } from '../../../src/feedback/shape.js';
import { parseRawJson, rawText, type RawNode } from '../../../src/json/index.js';
import { buildTransforms } from '../../../src/transforms/index.js';
import { createSmartCrusher, SMART_CRUSHER, type Selector } from '../../../src/transforms/smart-crusher/index.js';
import { queryText } from '../../../src/transforms/smart-crusher/query.js';
import { emptyCounts, type Selection } from '../../../src/transforms/smart-crusher/select/index.js';
import { NO_SERVICES, type FeedbackHint, type FeedbackReader } from '../../../src/transforms/types.js';
import { normalizedJson } from '../../support/normalized-json.js';
import { crush, records, textOf } from './support.js';

/** Keeps the given indices (or those a function picks), with made-up counts. */
function keeping(pick: (count: number) => number[], counts: Partial<Selection['counts']> = {}): Selector {
  return ({ items }) => ({ keep: pick(items.length), strategy: 'smart_sample', skipReason: null, counts: { ...emptyCounts(), ...counts } });
}
const firstThree = keeping(() => [0, 1, 2], { anchors: 2, errors: 1 });

function restore(text: string, store: Map<string, string>): string | null {
  return restoreSelections(text, (key) => store.get(key) ?? null);
}

function elementsOf(text: string): string[] {
  const doc = parseRawJson(text);
  assert.ok(doc && doc.root.type === 'array', 'a JSON array');
  return doc.root.items.map((item) => rawText(doc, item));
}

describe('smart_crusher: crushed arrays', () => {
  it('keeps the selected items as written and in order, then one marker naming the dropped indices and the length', async () => {
    const input = JSON.stringify(records(40));
    const { outcome, store, spans } = await crush(input, { select: keeping(() => [0, 1, 2, 17, 39], { anchors: 4, errors: 1 }) });
    const output = textOf(outcome);
    const inputItems = elementsOf(input);
    const outputItems = elementsOf(output);
    assert.deepEqual(
      outputItems.slice(0, 5),
      [0, 1, 2, 17, 39].map((index) => inputItems[index]),
    );
    assert.equal(outputItems.length, 6);
    const marker = findMarkers(output)[0];
    assert.equal(marker?.count, 35);
    assert.equal(marker?.detail, 'indices 3-16,18-38 of 40');
    assert.equal(spans.length, 1);
    assert.equal(spans[0]?.original, `[${inputItems.filter((_, index) => ![0, 1, 2, 17, 39].includes(index)).join(',')}]`);
    assert.equal(restore(output, store), input);
    assert.equal(textOf(outcome) && 'label' in outcome ? outcome.label : null, 'lossy: kept 5/40 (errors 1, anchors 4)');
  });

  it('crushes several arrays of an object, leaves its counts and other fields as they are, and sums them in the label', async () => {
    const input = JSON.stringify({ total: 70, page: 1, results: records(40), related: records(30), note: 'n' });
    const { outcome, store } = await crush(input, { select: firstThree });
    const output = textOf(outcome);
    const value = JSON.parse(output) as { total: number; page: number; results: unknown[]; related: unknown[]; note: string };
    assert.deepEqual(Object.keys(value), ['total', 'page', 'results', 'related', 'note']);
    assert.equal(value.total, 70);
    assert.equal(value.results.length, 4);
    assert.equal(value.related.length, 4);
    assert.equal(restore(output, store), input);
    assert.equal(textOf(outcome) && 'label' in outcome ? outcome.label : null, 'lossy: kept 6/70 in 2 arrays (errors 2, anchors 4)');
  });

  it('finds arrays nested in small arrays and inside items of an array it left whole', async () => {
    const input = JSON.stringify([records(20), { inner: { rows: records(25) } }]);
    const { outcome, store } = await crush(input, { select: keeping((count) => (count < 5 ? Array.from({ length: count }, (_, i) => i) : [0])) });
    const output = textOf(outcome);
    assert.equal(findMarkers(output).length, 2);
    assert.equal(restore(output, store), input);
  });

  it('crushes JSON that is itself the text of a string field, re-escaped, and restores it', async () => {
    const inner = JSON.stringify({ hits: records(30) }, null, 2);
    const input = JSON.stringify({ content: [{ type: 'text', text: inner }], isError: false });
    const { outcome, store } = await crush(input, { select: firstThree });
    const output = textOf(outcome);
    const value = JSON.parse(output) as { content: { text: string }[] };
    const crushed = JSON.parse(value.content[0]?.text ?? '') as { hits: unknown[] };
    assert.equal(crushed.hits.length, 4);
    assert.match(String(crushed.hits[3]), /^\[headroom: omitted 27 items \(indices 3-29 of 30\); headroom_retrieve hash=[0-9a-f]{24}\]$/);
    const restored = restore(output, store);
    assert.ok(restored !== null);
    assert.equal(normalizedJson(restored), normalizedJson(input));
    assert.deepEqual(JSON.parse(JSON.parse(restored).content[0].text), JSON.parse(inner));
  });

  it('crushes arrays of strings, of numbers and mixed arrays; 64-bit literals and unicode come out exactly as written', async () => {
    const big = Array.from({ length: 30 }, (_, i) => `1234567890123456789${String(i).padStart(2, '0')}`);
    const input = `{"ids":[${big.join(',')}],"names":${JSON.stringify(Array.from({ length: 30 }, (_, i) => `名前 ${i} ✓ "quoted" \\ slash`))},"mixed":[${big.slice(0, 10).join(',')},"a long enough string value",null,true,{"k":"v"},${big.slice(10, 20).join(',')}]}`;
    assert.ok(parseRawJson(input));
    const { outcome, store } = await crush(input, { select: firstThree });
    const output = textOf(outcome);
    assert.ok(output.startsWith(`{"ids":[${big.slice(0, 3).join(',')},"[headroom: omitted 27 items`), output.slice(0, 120));
    assert.equal(findMarkers(output).length, 3);
    assert.equal(restore(output, store), input);
  });

  it('splits the dropped indices over several markers when they do not fit one detail, each storing its own items', async () => {
    const input = JSON.stringify(records(300));
    const everyOther = keeping((count) => Array.from({ length: count }, (_, i) => i).filter((i) => i % 2 === 0));
    const { outcome, store, spans } = await crush(input, { select: everyOther });
    const output = textOf(outcome);
    const markers = findMarkers(output);
    assert.ok(markers.length > 1, `${markers.length} markers`);
    assert.equal(
      markers.reduce((sum, marker) => sum + marker.count, 0),
      150,
    );
    for (const marker of markers) assert.ok((marker.detail ?? '').length <= MARKER_DETAIL_MAX_LENGTH);
    const items = elementsOf(input);
    const stored = spans.flatMap((span) => elementsOf(span.original));
    assert.deepEqual(
      stored,
      items.filter((_, i) => i % 2 === 1),
    );
    assert.equal(restore(output, store), input);
  });

  it('an object used as a map (keys with digits, record values) keeps entries as written and ends with _headroom_omitted entries', async () => {
    const events = Object.fromEntries(records(40).map((record, index) => [String(138586341 + index * 4), record]));
    const input = JSON.stringify({ events, venueNames: { PLEYEL_PLEYEL: 'Salle Pleyel' } });
    const { outcome, store, spans } = await crush(input, { select: firstThree });
    const output = textOf(outcome);
    const value = JSON.parse(output) as { events: Record<string, unknown> };
    assert.deepEqual(Object.keys(value.events), ['138586341', '138586345', '138586349', '_headroom_omitted']);
    assert.match(String(value.events['_headroom_omitted']), /^\[headroom: omitted 37 items \(indices 3-39 of 40\); headroom_retrieve hash=/);
    assert.deepEqual(Object.keys(JSON.parse(spans[0]?.original ?? '{}') as object).length, 37);
    assert.equal(restore(output, store), input);
    assert.deepEqual((await crush(output, { select: firstThree })).outcome, { decline: 'already-marked' });
  });

  it('a large scalar-valued object is a map: the selection reads its "key":value entries, dropped ones go behind _headroom_omitted entries', async () => {
    const users = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`user-${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}x`, true]));
    const input = JSON.stringify({ name: 'react', users });
    // The query names one user exactly (a quoted string): the entry with that key is kept, though every value is `true`.
    const { outcome, store } = await crush(input, { query: 'Did "user-q3x" star it?' });
    const output = textOf(outcome);
    const value = JSON.parse(output) as { users: Record<string, unknown> };
    const keys = Object.keys(value.users);
    assert.ok(keys.length < 40 && keys.includes('user-q3x'));
    assert.match(String(value.users['_headroom_omitted']), /^\[headroom: omitted \d+ items \(indices [\d,-]+ of 120\); headroom_retrieve hash=/);
    assert.equal(restore(output, store), input);
    // A record of a few dozen scalar fields keeps every key.
    const record = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`field_${i}`, `value ${i}`]));
    assert.deepEqual((await crush(JSON.stringify(record), { select: firstThree })).outcome, { decline: 'no-large-array' });
  });

  it('an object whose keys are field names is a record, not a map: its keys stay', async () => {
    const record = Object.fromEntries(records(20).map((item, index) => [`field_${String.fromCharCode(97 + index)}`, item]));
    assert.deepEqual((await crush(JSON.stringify(record), { select: firstThree })).outcome, { decline: 'no-large-array' });
  });

  it('restoring fails (null) when a key is missing or the stored items do not match the marker', async () => {
    const input = JSON.stringify(records(20));
    const { outcome, store } = await crush(input, { select: firstThree });
    const output = textOf(outcome);
    assert.equal(
      restoreSelections(output, () => null),
      null,
    );
    assert.equal(
      restoreSelections(output, () => '[1,2]'),
      null,
    );
    const [key] = [...store.keys()];
    assert.equal(
      restoreSelections(output, (k) => (k === key ? (store.get(k) as string) : null)),
      input,
    );
  });
});

describe('smart_crusher: declines and why', () => {
  it('non-JSON text and JSON with no large array are left alone, each with its reason', async () => {
    assert.deepEqual((await crush('not json at all [1,2,3]')).outcome, { decline: 'unsupported-shape' });
    assert.deepEqual((await crush('{"a":1,"b":[1,2]}')).outcome, { decline: 'no-large-array' });
    assert.deepEqual((await crush('[]')).outcome, { decline: 'no-large-array' });
    assert.deepEqual((await crush('{"a":[],"b":[[],[[]]]}')).outcome, { decline: 'no-large-array' });
    assert.deepEqual((await crush('"a JSON string"')).outcome, { decline: 'unsupported-shape' });
  });

  it('an array within the item budget, unique entities, or a drop smaller than its marker are left whole', async () => {
    assert.deepEqual((await crush(JSON.stringify(records(6)))).outcome, { decline: 'within-budget' });
    const skip: Selector = ({ items }) => ({ keep: items.map((_, i) => i), strategy: 'skip', skipReason: 'unique entities, nothing to rank', counts: emptyCounts() });
    assert.deepEqual((await crush(JSON.stringify(records(40)), { select: skip })).outcome, { decline: 'nothing-to-rank' });
    assert.deepEqual((await crush(JSON.stringify(Array.from({ length: 20 }, (_, i) => i)), { select: firstThree })).outcome, { decline: 'marker-costs-more' });
  });

  it('needs-offload when markers are not allowed, and nothing is offloaded', async () => {
    const { outcome, spans } = await crush(JSON.stringify(records(40)), { select: firstThree, canOffload: false });
    assert.deepEqual(outcome, { decline: 'needs-offload' });
    assert.equal(spans.length, 0);
  });

  it('the biggest array left whole gives the reason', async () => {
    const input = JSON.stringify({ small: Array.from({ length: 8 }, (_, i) => i), big: records(40) });
    const skipBig: Selector = ({ items }) =>
      items.length === 40
        ? { keep: items.map((_, i) => i), strategy: 'skip', skipReason: 'x', counts: emptyCounts() }
        : { keep: [0], strategy: 'number', skipReason: null, counts: emptyCounts() };
    assert.deepEqual((await crush(input, { select: skipBig })).outcome, { decline: 'nothing-to-rank' });
  });

  it('crushing its own output again changes nothing (already-marked)', async () => {
    const first = textOf((await crush(JSON.stringify({ a: records(40), s: JSON.stringify(records(20)) }), { select: firstThree })).outcome);
    assert.deepEqual((await crush(first, { select: firstThree })).outcome, { decline: 'already-marked' });
  });
});

describe('smart_crusher: configuration', () => {
  it('enabled=false turns it off (with JSON compaction)', () => {
    const config = defaultConfig();
    config.smartCrusher.enabled = false;
    assert.equal(createSmartCrusher(config, NO_SERVICES), null);
    assert.ok(!buildTransforms(config).some((transform) => transform.name === SMART_CRUSHER));
    assert.ok(buildTransforms(defaultConfig()).some((transform) => transform.name === SMART_CRUSHER && !transform.lossless));
  });

  it('min_items_to_analyze: arrays with fewer items are not candidates', async () => {
    const input = JSON.stringify(records(12));
    assert.deepEqual((await crush(input, { select: firstThree, config: (c) => (c.smartCrusher.minItemsToAnalyze = 13) })).outcome, { decline: 'no-large-array' });
    assert.ok('text' in (await crush(input, { select: firstThree, config: (c) => (c.smartCrusher.minItemsToAnalyze = 12) })).outcome);
  });

  it('use_feedback_hints and toin_confidence_threshold: a learned hint above the threshold keeps the item it names', async () => {
    const items = records(40);
    const input = JSON.stringify(items);
    const doc = parseRawJson(input);
    assert.ok(doc && doc.root.type === 'array');
    const shape = itemsShape(doc.root.items as RawNode[]);
    const asked: [string | null, string][] = [];
    const reader = (confidence: number): FeedbackReader => ({
      hintsFor(toolName, itemShape) {
        asked.push([toolName, itemShape]);
        const hint: FeedbackHint = { field: 'name', values: [String(items[33]?.name)], confidence };
        return toolName === 'search' && itemShape === shape ? [hint] : [];
      },
    });
    const keptIds = async (options: Parameters<typeof crush>[1]): Promise<number[]> => {
      const output = textOf((await crush(input, { toolName: 'search', config: (c) => (c.smartCrusher.maxItemsAfterCrush = 5), ...options })).outcome);
      return (JSON.parse(output) as unknown[]).filter((item): item is { id: number } => typeof item === 'object' && item !== null).map((item) => item.id);
    };
    const services = (confidence: number) => ({ feedback: reader(confidence), warn: () => undefined });
    assert.ok((await keptIds({ services: services(0.9) })).includes(33), 'hinted item kept');
    assert.deepEqual(asked[0], ['search', shape]);
    assert.ok(!(await keptIds({ services: services(0.1) })).includes(33), 'below toin_confidence_threshold (0.3): ignored');
    assert.ok(
      (
        await keptIds({
          services: services(0.1),
          config: (c) => {
            c.smartCrusher.maxItemsAfterCrush = 5;
            c.smartCrusher.toinConfidenceThreshold = 0.05;
          },
        })
      ).includes(33),
    );
    assert.ok(
      !(
        await keptIds({
          services: services(0.9),
          config: (c) => {
            c.smartCrusher.maxItemsAfterCrush = 5;
            c.smartCrusher.useFeedbackHints = false;
          },
        })
      ).includes(33),
      'use_feedback_hints=false',
    );
  });

  it('the selector is given the user query plus the call arguments as its query', async () => {
    let seen: string | null = 'unset';
    const spy: Selector = (input) => {
      seen = input.query;
      return firstThree(input);
    };
    await crush(JSON.stringify(records(20)), { select: spy, query: 'which failed?', call: { name: 'search', arguments: { q: 'auth errors', limit: 20, tags: ['x'] } } });
    assert.equal(seen, 'which failed?\nauth errors\n20\nx');
    assert.equal(queryText({ request: { provider: 'openai', format: 'openai-chat', model: null, query: '  ' }, call: null }), null);
  });
});

// ---------------------------------------------------------------------------
// Properties, with a small item budget so most generated arrays are crushed.

const valueArb = fc.jsonValue({ maxDepth: 3 });
const arrayArb = fc.array(fc.oneof(valueArb, fc.record({ id: fc.integer(), name: fc.string({ unit: 'grapheme' }), tags: fc.array(fc.string(), { maxLength: 3 }) })), { maxLength: 14 });
const mapArb = fc.dictionary(fc.nat().map(String), fc.record({ id: fc.integer(), name: fc.string() }), { maxKeys: 12 });
const scalarMapArb = fc.dictionary(fc.string(), fc.oneof(fc.boolean(), fc.string(), fc.integer(), fc.constant(null)), { minKeys: 50, maxKeys: 70 });
const docArb = fc.oneof(
  arrayArb,
  mapArb,
  scalarMapArb,
  fc.record({ total: fc.nat(), byId: mapArb }),
  fc.dictionary(
    fc.string(),
    fc.oneof(
      arrayArb,
      valueArb,
      arrayArb.map((array) => JSON.stringify(array, null, 1)),
    ),
    { maxKeys: 5 },
  ),
  valueArb,
);
const textArb = fc.tuple(docArb, fc.constantFrom(0, 2)).map(([value, indent]) => JSON.stringify(value, null, indent));
const small = (config: ReturnType<typeof defaultConfig>): void => {
  config.smartCrusher.minItemsToAnalyze = 3;
  config.smartCrusher.maxItemsAfterCrush = 2;
};

function topType(text: string): string {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

/** Objects in `text` that hold no marker: each must be, byte for byte, an object of the input (nothing in it was touched). */
function untouchedObjects(text: string): string[] {
  const doc = parseRawJson(text);
  if (doc === null) return [];
  const found: string[] = [];
  const visit = (node: RawNode): void => {
    if (node.type === 'object') {
      const raw = rawText(doc, node);
      if (!raw.includes('[headroom: omitted ')) found.push(raw);
      else for (const entry of node.entries) visit(entry.value);
    } else if (node.type === 'array') node.items.forEach(visit);
  };
  visit(doc.root);
  return found;
}

describe('smart_crusher: properties', () => {
  it('any JSON in: JSON of the same top-level type out, untouched objects verbatim, restore gives the input, deterministic, idempotent', async () => {
    let crushed = 0;
    await fc.assert(
      fc.asyncProperty(textArb, async (input) => {
        const first = await crush(input, { config: small, select: keeping((count) => [0, count - 1]) });
        if (!('text' in first.outcome)) return;
        crushed++;
        const output = first.outcome.text;
        assert.equal(topType(output), topType(input));
        for (const object of untouchedObjects(output)) assert.ok(input.includes(object) || normalizedJson(input).includes(object), object);
        const restored = restore(output, first.store);
        assert.ok(restored !== null);
        assert.equal(normalizedJson(restored), normalizedJson(input));
        const again = await crush(input, { config: small, select: keeping((count) => [0, count - 1]) });
        assert.deepEqual(again.outcome, first.outcome);
        const twice = await crush(output, { config: small, select: keeping((count) => [0, count - 1]) });
        assert.ok(!('text' in twice.outcome), 'crushing the output again changes nothing');
      }),
      { numRuns: 200 },
    );
    assert.ok(crushed > 20, `${crushed} of 200 generated documents were crushed`);
  });

  it('an array holding a marker deeper inside is not crushed on a second pass (fast-check seed 2051838475)', async () => {
    // JSON in a string field: its outer array was left and its last inner array crushed; a second pass must not crush the outer one.
    const input =
      '{\n  "HsyU[{a/": "[\\n {\\n  \\"id\\": -1121537351,\\n  \\"name\\": \\"\ud822\ude93\ud807\udf1f\ud87e\udc0e\\",\\n  \\"tags\\": [\\n   \\"YXyav}:(\\",\\n   \\"GX5JV>/p\\"\\n  ]\\n },\\n {\\n  \\"id\\": 231241908,\\n  \\"name\\": \\"\ua04a\ud87e\udd1b\u15eb\ua1cd\ud804\udda7\ud801\udd9e\ud81a\ude27\u0494\ud811\udd3b\u02b8\\",\\n  \\"tags\\": [\\n   \\"de6=\\",\\n   \\"u\\",\\n   \\"<-Vi\\"\\n  ]\\n },\\n {\\n  \\"id\\": 1002250940,\\n  \\"name\\": \\"\u0423\ud808\udc5e\u1b7d\u324a\\",\\n  \\"tags\\": [\\n   \\">}UX)Jw-x\\",\\n   \\"/lOpN/DTsY\\",\\n   \\"\\"\\n  ]\\n }\\n]",\n  ">on": "[\\n [\\n  \\"aIYXQ9\\",\\n  -4.536532731078139e-284,\\n  null,\\n  true,\\n  null\\n ],\\n {\\n  \\"id\\": -1944714204,\\n  \\"name\\": \\"O\u0323\u0302\\",\\n  \\"tags\\": [\\n   \\"wpL<-h\\",\\n   \\"2cW:c=\\",\\n   \\"\\\\\\"R\\"\\n  ]\\n },\\n {\\n  \\"id\\": -888120337,\\n  \\"name\\": \\"\ud804\udcd7\\",\\n  \\"tags\\": []\\n },\\n -2.0982595426146945e+117,\\n {\\n  \\"id\\": -1697944240,\\n  \\"name\\": \\"\\",\\n  \\"tags\\": []\\n },\\n [\\n  {\\n   \\"G XUgky.\\": null,\\n   \\"IpHz~vE^A\\": 2.496269577368002e-265,\\n   \\";X*\\": -8.130402293028515e-93,\\n   \\"xUDpT!\\": \\"$+b]d\\"\\n  },\\n  {\\n   \\"phj\\": \\"ve6#bo\\",\\n   \\"NHNy!\\": 6.892708900278418e+242,\\n   \\"[mIVwA\'M\\": \\">dL[}\\",\\n   \\"S\\": null,\\n   \\"\\\\\\\\g?#!J-@:\\": 5.417201474250586e-84,\\n   \\"ax~OF\\": -2.9793065923250935e+218,\\n   \\"X2m\\": \\"a}*B\\\\\\"]\\",\\n   \\"*uUf\\": -3.8495932736080844e-145,\\n   \\"fo\\": \\"\\"\\n  },\\n  [\\n   \\"Z9y-qA@YJH\\",\\n   4.574142738301532e-165,\\n   \\"l1O#]1N\\",\\n   true\\n  ],\\n  1.9248008390833582e+273\\n ]\\n]",\n  ",p[": [\n    false,\n    null,\n    "X,3T4",\n    3.782750928603886e+270\n  ]\n}';
    const select = keeping((count) => [0, count - 1]);
    const first = await crush(input, { config: small, select });
    const output = textOf(first.outcome);
    const twice = await crush(output, { config: small, select });
    assert.ok(!('text' in twice.outcome), 'crushing the output again changes nothing');
  });

  it('every selection marker names exactly the items its key stores', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 3, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 10 }), async (items, picks) => {
        const input = JSON.stringify(items);
        const keep = (count: number): number[] => [...new Set(picks.map((pick) => pick % count))].sort((a, b) => a - b);
        const { outcome, store } = await crush(input, { config: small, select: keeping(keep) });
        if (!('text' in outcome)) return;
        const doc = parseRawJson(outcome.text);
        assert.ok(doc && doc.root.type === 'array');
        const inputItems = elementsOf(input);
        for (const node of doc.root.items) {
          const marker = selectionMarkerOf(node);
          if (marker === null) continue;
          assert.deepEqual(
            elementsOf(store.get(marker.key) ?? ''),
            marker.indices.map((index) => inputItems[index]),
          );
        }
      }),
      { numRuns: 150 },
    );
  });
});
