/**
 * The example compressor of docs/writing-a-compressor.md, run as a user of
 * the contract would: it reads its config section, sees the user's query
 * and the tool call's arguments, declines with typed reasons, rewrites both
 * a text tool output and a structured one, and passes the marker oracle.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepMatchingItems } from '../../docs/examples/keep-matching-items.js';
import { expandMarkers, findMarkers } from '../../src/ccr/markers.js';
import { defaultConfig } from '../../src/config/index.js';
import { NO_SERVICES, type Transform } from '../../src/transforms/types.js';
import { assertMarkerOracle } from '../pipeline/marker-oracle-support.js';
import { decisionTextOf, optimizeText } from '../pipeline/helpers.js';

const ITEMS = Array.from({ length: 40 }, (_, index) => ({
  customer: index % 10 === 3 ? 'Globex' : `Customer ${index}`,
  region: index === 17 ? 'antarctica' : 'emea',
}));
/** 64-bit ids written as literals, so the test sees whether they survive exactly. */
const ITEMS_JSON = `[${ITEMS.map((item, index) => `{"id":${9007199254740993n + BigInt(index)},"customer":"${item.customer}","region":"${item.region}"}`).join(',')}]`;

function exampleTransform(maxItems = 15): Transform {
  const config = defaultConfig();
  config.smartCrusher.maxItemsAfterCrush = maxItems;
  const transform = keepMatchingItems.create(config, NO_SERVICES);
  assert.ok(transform);
  return transform;
}

function chatRequest(query: string, args: object, output: string): string {
  return JSON.stringify({
    model: 'gpt-4o',
    messages: [
      { role: 'user', content: query },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search_customers', arguments: JSON.stringify(args) } }] },
      { role: 'tool', tool_call_id: 'c1', content: output },
    ],
  });
}

async function toolOutputAfter(text: string, transform: Transform): Promise<{ output: string; decision: string }> {
  const optimized = await optimizeText(text, { transforms: [transform] });
  const body = JSON.parse(optimized.output) as { messages: { content: string }[] };
  const decision = optimized.results[0]?.result.blocks.at(-1);
  const why = decision?.outcome === 'compressed' ? 'compressed' : `${decision?.declines.map((d) => d.reason).join(',')}`;
  return { output: body.messages[2]?.content ?? '', decision: why };
}

describe('the example compressor', () => {
  it('is off when its config section says so', () => {
    const config = defaultConfig();
    config.smartCrusher.enabled = false;
    assert.equal(keepMatchingItems.create(config, NO_SERVICES), null);
  });

  it("keeps the items matching the user's query, marks the rest, and keeps every kept byte", async () => {
    const { output, decision } = await toolOutputAfter(chatRequest('Which orders came from Globex?', {}, ITEMS_JSON), exampleTransform());
    assert.equal(decision, 'compressed');
    const kept = JSON.parse(output) as unknown[];
    assert.equal(kept.filter((item) => typeof item === 'object').length, 4);
    assert.ok(output.includes('"id":9007199254740996,'), 'a 64-bit id is kept as written');
    assert.equal(findMarkers(output).length, 5);
  });

  it("keeps the items matching the tool call's arguments", async () => {
    const { output } = await toolOutputAfter(chatRequest('look this up', { region: 'antarctica' }, ITEMS_JSON), exampleTransform());
    assert.ok(output.includes('"region":"antarctica"'));
    assert.ok(!output.includes('Globex'));
  });

  it('declines with typed reasons', async () => {
    assert.equal((await toolOutputAfter(chatRequest('nothing relevant here', {}, ITEMS_JSON), exampleTransform())).decision, 'no-match');
    assert.equal((await toolOutputAfter(chatRequest('Globex', {}, ITEMS_JSON), exampleTransform(100))).decision, 'too-small');
  });

  it('rewrites a structured tool output (a Gemini functionResponse object) as a JSON object of the same shape', async () => {
    const response = `{"customers":${ITEMS_JSON},"next_page":null}`;
    const text = `{"contents":[{"role":"user","parts":[{"text":"Orders from Globex?"}]},{"role":"model","parts":[{"functionCall":{"name":"search_customers","args":{"limit":50}}}]},{"role":"user","parts":[{"functionResponse":{"name":"search_customers","response":${response}}}]}]}`;
    const optimized = await optimizeText(text, { transforms: [exampleTransform()] });
    const decision = optimized.results[0]?.result.blocks.at(-1);
    assert.equal(decision?.outcome, 'compressed');
    const body = JSON.parse(optimized.output) as { contents: { parts: { functionResponse?: { response: { customers: unknown[]; next_page: null } } }[] }[] };
    const written = body.contents[2]?.parts[0]?.functionResponse?.response;
    assert.ok(written && !Array.isArray(written), 'the response is still an object');
    assert.equal(written.next_page, null);
    assert.equal(written.customers.filter((item) => typeof item === 'object').length, 4);
    assert.ok(optimized.output.includes('"id":9007199254740996,'), 'a 64-bit id is kept as written');
    assert.match(decisionTextOf(decision) ?? '', /^compressed:kept 4 of 40 items \d+→\d+ tokens$/);
  });

  it('its markers expand to exactly the items they replaced', async () => {
    const optimized = await optimizeText(chatRequest('Globex orders', {}, ITEMS_JSON), { transforms: [exampleTransform()] });
    const rewrites = optimized.results[0]?.rewrites[0];
    assert.ok(rewrites);
    const last = rewrites.steps.at(-1)?.text ?? '';
    const originalOf = (key: string): string | null => {
      const lookup = optimized.store.peek(key);
      return lookup.status === 'available' ? lookup.entry.original : null;
    };
    assert.equal(expandMarkers(last, originalOf), ITEMS_JSON);
  });

  it('passes the marker oracle on generated requests', async () => {
    await assertMarkerOracle([exampleTransform(2)]);
  });
});
