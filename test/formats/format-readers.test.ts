/**
 * The read side of the format registry: every format's reader, and the
 * precedence detection follows when more than one dialect's marks are present
 * (the order documented at `DETECTION_ORDER` in src/formats/registry.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyRecord, messageDialect } from '../../src/formats/detect.js';
import { DIALECTS_BY_PRECEDENCE, FORMATS, TRANSCRIPTS_BY_PRECEDENCE } from '../../src/formats/registry.js';
import { DIALECTS, FORMAT_IDS, type JsonObject, type JsonValue } from '../../src/formats/types.js';
import { collectChunks } from './helpers.js';

describe('format readers', () => {
  it('every dialect reads bodies, every transcript format opens sessions, in detection order', () => {
    assert.deepEqual(
      DIALECTS_BY_PRECEDENCE.map((format) => format.id),
      ['gemini', 'openai-responses', 'openai-chat', 'anthropic'],
    );
    assert.deepEqual([...DIALECTS].sort(), DIALECTS_BY_PRECEDENCE.map((format) => format.id).sort());
    assert.deepEqual(
      TRANSCRIPTS_BY_PRECEDENCE.map((format) => format.id),
      FORMAT_IDS.filter((id) => FORMATS[id].transcript),
    );
    for (const id of FORMAT_IDS) {
      const kind = FORMATS[id].reader.kind;
      assert.equal(kind, DIALECTS.some((dialect) => dialect === id) ? 'dialect' : FORMATS[id].transcript ? 'transcript' : 'message-lines', id);
      assert.match(FORMATS[id].forcedMismatch, new RegExp(`\\(--format ${id}\\)`), id);
    }
  });

  it('each generation endpoint belongs to exactly one dialect', () => {
    const urls: [string, string][] = [
      ['https://api.openai.com/v1/chat/completions', 'openai-chat'],
      ['https://api.openai.com/v1/responses', 'openai-responses'],
      ['https://api.anthropic.com/v1/messages', 'anthropic'],
      ['https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent', 'gemini'],
      ['https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent', 'gemini'],
    ];
    for (const [url, dialect] of urls) {
      const path = new URL(url).pathname;
      const claims = DIALECTS_BY_PRECEDENCE.filter((format) => format.reader.endpoint.test(path)).map((format) => format.id);
      assert.deepEqual(claims, [dialect], url);
    }
    const models = DIALECTS_BY_PRECEDENCE.map((format) => format.reader.modelFromUrl?.(urls[3]?.[0] ?? '') ?? null);
    assert.deepEqual(models, ['gemini-2.0-flash', null, null, null]);
  });

  it('a content block type is claimed by at most one dialect', () => {
    const types = ['text', 'image', 'tool_use', 'tool_result', 'thinking', 'image_url', 'input_audio', 'file', 'input_text', 'output_text', 'input_image', 'input_file'];
    for (const type of types) {
      const block: JsonObject = type === 'image' ? { type, source: {} } : { type };
      const claims = DIALECTS_BY_PRECEDENCE.filter((format) => format.reader.blockMarks(type, block));
      assert.ok(claims.length <= 1, `${type}: ${claims.map((format) => format.id).join(', ')}`);
    }
  });

  it('message marks decide in detection order, before content blocks, and the weakest marks last', () => {
    const cases: [JsonObject, string | null][] = [
      [{ role: 'model', type: 'function_call', tool_calls: [] }, 'gemini'],
      [{ role: 'assistant', type: 'function_call', tool_calls: [] }, 'openai-responses'],
      [{ role: 'assistant', tool_calls: [], content: [{ type: 'tool_use' }] }, 'openai-chat'],
      [{ role: 'user', content: [{ type: 'text' }, { type: 'tool_result' }, { type: 'input_text' }] }, 'anthropic'],
      [{ role: 'user', type: 'message', content: [{ type: 'image_url' }] }, 'openai-chat'],
      [{ role: 'user', type: 'message', content: [{ type: 'text' }] }, 'openai-responses'],
      [{ role: 'user', content: 'hi' }, null],
    ];
    for (const [message, dialect] of cases) assert.equal(messageDialect(message), dialect, JSON.stringify(message));
  });

  it('body marks decide in detection order; a messages body falls back on its model', () => {
    const user = { role: 'user', content: 'hi' };
    const cases: [JsonValue, string][] = [
      [{ contents: [], input: 'x', messages: [user], system: 's' }, 'gemini'],
      [{ input: 'x', instructions: 'y' }, 'openai-responses'],
      [{ input: 'x', messages: [user], system: 's' }, 'anthropic'],
      [{ model: 'claude-sonnet-4-5', max_tokens: 5, messages: [user] }, 'anthropic'],
      [{ model: 'claude-sonnet-4-5', max_tokens: 5, max_completion_tokens: 5, messages: [user] }, 'openai-chat'],
      // A Gemini content in a messages list does not make the body Gemini's.
      [{ messages: [{ role: 'model', parts: [] }] }, 'openai-chat'],
      [{ model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'input_text', text: 'hi' }] }] }, 'anthropic'],
    ];
    for (const [body, dialect] of cases) assert.deepEqual(classifyRecord(body), { kind: 'request', dialect }, JSON.stringify(body));
  });

  it('a transcript line is recognized before any body or message test', () => {
    const line = { type: 'user', uuid: 'u1', parentUuid: null, sessionId: 's', message: { role: 'user', content: 'hi' } };
    assert.deepEqual(classifyRecord(line), { kind: 'transcript', format: 'claude-code' });
    const rollout = { type: 'response_item', payload: { type: 'message', role: 'user', content: [] } };
    assert.deepEqual(classifyRecord(rollout), { kind: 'transcript', format: 'codex' });
  });

  it('a forced transcript format reads a line only its own reader accepts', async () => {
    const text = `${JSON.stringify({ type: 'response_item', payload: { type: 'message', role: 'user', content: [] } })}\n`;
    const { problems, requests } = await collectChunks([text], { format: 'claude-code' });
    assert.equal(requests.length, 0);
    assert.deepEqual(
      problems.map((problem) => problem.message),
      [FORMATS['claude-code'].forcedMismatch],
    );
  });
});
