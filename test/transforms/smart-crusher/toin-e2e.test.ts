/**
 * TOIN end to end: a retrieval of items smart_crusher dropped teaches a hint,
 * and the next optimize of the same tool's output keeps such items.
 *
 * Nothing here is faked: the first optimize drops items behind a selection marker,
 * the stored original is retrieved with a query (recordRetrieval, as
 * `headroom retrieve` and the retrieval tool do), and the second optimize,
 * lent the learned hints, keeps the asked-for item.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MemoryCcrStore } from '../../../src/ccr/memory-store.js';
import { defaultConfig } from '../../../src/config/index.js';
import { MemoryFeedbackStore } from '../../../src/feedback/memory-store.js';
import { recordRetrieval } from '../../../src/feedback/record.js';
import { itemsShape } from '../../../src/feedback/shape.js';
import { parseRawJson, type RawNode } from '../../../src/json/index.js';
import { optimizeRequest } from '../../../src/pipeline/library.js';
import { runMain } from '../../cli/run-main.js';

const TOOL = 'list_events';
const ACTIONS = ['login', 'view', 'edit'];
const REGIONS = ['us-east', 'eu-west', 'ap-south'];
/**
 * 300 uniform events in time order: no errors, no anomalies, nothing the user's question points at — a plain
 * listing to sample (the time order is what makes it rankable; unique rows with nothing to rank are left whole).
 */
const EVENTS = Array.from({ length: 300 }, (_, i) => ({
  id: 100_000 + i,
  at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
  user: `u-${String(i).padStart(4, '0')}`,
  action: ACTIONS[i % 3],
  region: REGIONS[i % 3],
  bytes: 512 + (i % 5),
}));
const OUTPUT = JSON.stringify(EVENTS);
const BODY = JSON.stringify({
  model: 'gpt-4o',
  messages: [
    { role: 'user', content: 'Summarize the activity in this listing.' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: TOOL, arguments: '{"limit":300}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: OUTPUT },
  ],
});

/** The optimized tool output of a body optimizeRequest returned. */
function toolOutput(body: string): string {
  const parsed = JSON.parse(body) as { messages: { role: string; content: string }[] };
  return parsed.messages.find((message) => message.role === 'tool')?.content ?? '';
}

function arrayItems(text: string): readonly RawNode[] {
  const doc = parseRawJson(text);
  assert.ok(doc?.root.type === 'array', 'a stored selection original is a JSON array of the dropped items');
  return doc.root.items;
}

/** A dropped item's `user` from the middle of what was stored: neither an anchor at the ends nor anything special. */
function droppedUser(original: string): string {
  const items = arrayItems(original);
  const item = items[Math.floor(items.length / 2)];
  const user = item?.type === 'object' ? item.entries.find((entry) => entry.key === 'user')?.value : undefined;
  assert.ok(user?.type === 'string');
  return user.value;
}

describe('TOIN: a learned hint changes a later optimize result', () => {
  it('library: the item asked for twice is kept next time; the result is deterministic', async () => {
    const config = defaultConfig();
    assert.ok(config.smartCrusher.useFeedbackHints);
    const first = await optimizeRequest(BODY, { config, ccrStore: new MemoryCcrStore({ ttlSeconds: 3600, maxEntries: 100 }) });
    const entry = first.ccrEntries.find((put) => put.toolName === TOOL && put.original.startsWith('['));
    assert.ok(entry, 'smart_crusher dropped items of the listing behind a selection marker');
    const target = droppedUser(entry.original);
    assert.ok(!toolOutput(first.body).includes(target), `${target} was dropped`);

    const feedback = new MemoryFeedbackStore();
    for (let i = 0; i < 2; i++) recordRetrieval(feedback, { toolName: entry.toolName, original: entry.original }, target);
    // Learned under the shape of the dropped items; the crusher asks with the shape of the whole array: the same.
    const hints = feedback.hintsFor(TOOL, itemsShape(arrayItems(OUTPUT)));
    assert.deepEqual(hints, [{ field: 'user', values: [target], confidence: 0.4, count: 2 }]);
    assert.ok(hints[0] && hints[0].confidence >= config.smartCrusher.toinConfidenceThreshold);

    const second = await optimizeRequest(BODY, { config, feedback });
    assert.ok(toolOutput(second.body).includes(target), `${target} is kept once it was asked for`);
    assert.notEqual(second.body, first.body);
    assert.equal((await optimizeRequest(BODY, { config, feedback })).body, second.body, 'same store state, same bytes');

    // With hints off, or under the threshold, the first result comes back.
    const off = defaultConfig();
    off.smartCrusher.useFeedbackHints = false;
    assert.equal((await optimizeRequest(BODY, { config: off, feedback })).body, first.body);
    const strict = defaultConfig();
    strict.smartCrusher.toinConfidenceThreshold = 0.5;
    assert.equal((await optimizeRequest(BODY, { config: strict, feedback })).body, first.body);
  });

  it('CLI: optimize, retrieve --query twice, optimize again with the same store keeps the item', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-toin-e2e-'));
    const store = path.join(dir, 'ccr.db');
    const first = await runMain(['optimize', '--ccr-store', store, '--report', 'none'], { input: BODY });
    assert.equal(first.status, 0, first.stderr);
    const key = /headroom_retrieve hash=([0-9a-f]{24})/.exec(toolOutput(first.stdout))?.[1];
    assert.ok(key, 'the listing carries a selection marker');
    const dropped = await runMain(['retrieve', key, '--ccr-store', store, '--no-feedback']);
    const target = droppedUser(dropped.stdout);
    for (let i = 0; i < 2; i++) {
      const run = await runMain(['retrieve', key, '--ccr-store', store, '--query', target]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(arrayItems(run.stdout).length, 1);
    }
    const toin = JSON.parse((await runMain(['toin', '--json', '--ccr-store', store])).stdout) as {
      outputs: { tool: string; hints: { field: string; values: string[]; used: boolean }[] }[];
    };
    assert.deepEqual(
      toin.outputs.map((output) => [output.tool, output.hints[0]?.field, output.hints[0]?.values, output.hints[0]?.used]),
      [[TOOL, 'user', [target], true]],
    );
    const second = await runMain(['optimize', '--ccr-store', store, '--report', 'none'], { input: BODY });
    assert.equal(second.status, 0, second.stderr);
    assert.ok(!toolOutput(first.stdout).includes(target));
    assert.ok(toolOutput(second.stdout).includes(target));
  });
});
