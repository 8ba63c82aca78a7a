/**
 * The library lends learned feedback to the transforms: optimizeRequest,
 * simulateRequest and runOptimize take a FeedbackReader and a warning sink.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/config/index.js';
import { MemoryFeedbackStore } from '../../src/feedback/memory-store.js';
import { recordRetrieval } from '../../src/feedback/record.js';
import { optimizeRequest, runOptimize, simulateRequest } from '../../src/pipeline/library.js';
import { transformServices } from '../../src/pipeline/services.js';
import { withProbe } from './probe.js';

const ROWS = JSON.stringify(Array.from({ length: 12 }, (_, i) => ({ id: i, user: `u-${i}`, region: i % 2 ? 'eu' : 'us' })));
const BODY = JSON.stringify({
  model: 'gpt-4o',
  messages: [
    { role: 'user', content: 'show the users' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'list_users', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: ROWS },
    { role: 'tool', tool_call_id: 'c1', content: ROWS },
  ],
});
const CONFIG = resolveConfig({ smart_crusher: { min_tokens_to_crush: 0 } });

function learned(): MemoryFeedbackStore {
  const feedback = new MemoryFeedbackStore();
  for (let i = 0; i < 3; i++) recordRetrieval(feedback, { toolName: 'list_users', original: ROWS }, 'u-7');
  return feedback;
}

const HINTS = 'probe list_users: [{"field":"user","values":["u-7"],"confidence":0.5,"count":3}]';

describe('library entry points and feedback', () => {
  it('optimizeRequest and simulateRequest lend the reader; each distinct warning reaches onWarning once', async () => {
    const feedback = learned();
    const options = (warnings: string[]) => ({ config: CONFIG, feedback, onWarning: (message: string) => warnings.push(message) });
    const optimized: string[] = [];
    await withProbe(() => optimizeRequest(BODY, options(optimized)));
    const simulated: string[] = [];
    await withProbe(() => simulateRequest(BODY, options(simulated)));
    assert.deepEqual([optimized, simulated], [[HINTS], [HINTS]]);
  });

  it('runOptimize over paths lends it too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-feedback-'));
    fs.writeFileSync(path.join(dir, 'request.json'), BODY);
    const warnings: string[] = [];
    await withProbe(() => runOptimize([dir], { config: CONFIG, feedback: learned(), onWarning: (message) => warnings.push(message), write: () => undefined }));
    assert.deepEqual(warnings, [HINTS]);
  });

  it('no reader, or smart_crusher.use_feedback_hints off: the transforms get none', async () => {
    const warnings: string[] = [];
    await withProbe(() => optimizeRequest(BODY, { config: CONFIG, onWarning: (message) => warnings.push(message) }));
    const off = resolveConfig({ smart_crusher: { min_tokens_to_crush: 0, use_feedback_hints: false } });
    await withProbe(() => optimizeRequest(BODY, { config: off, feedback: learned(), onWarning: (message) => warnings.push(message) }));
    assert.deepEqual(warnings, ['probe list_users: no feedback', 'probe list_users: no feedback']);
  });

  it('transformServices passes each distinct message on once, and drops them without a sink', () => {
    const seen: string[] = [];
    const services = transformServices({ onWarning: (message) => seen.push(message) });
    for (const message of ['a', 'b', 'a', 'b', 'c']) services.warn(message);
    assert.deepEqual(seen, ['a', 'b', 'c']);
    assert.equal(services.feedback, null);
    assert.doesNotThrow(() => transformServices().warn('dropped'));
  });
});
