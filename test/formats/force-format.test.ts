import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { at, collect, collectChunks, only, roles } from './helpers.js';

/** A body any dialect could carry: plain string content, no system field, an unknown model. */
const AMBIGUOUS = JSON.stringify({ model: 'internal-proxy-v2', max_tokens: 100, messages: [{ role: 'user', content: 'Summarize ticket #8812.' }] });

describe('--format forces the interpretation', () => {
  it('detects an ambiguous body as OpenAI chat, and reads it as Anthropic when told to', async () => {
    const detected = only((await collectChunks([AMBIGUOUS])).requests);
    assert.equal(detected.format, 'openai-chat');
    assert.equal(detected.provider, 'openai');
    const forced = only((await collectChunks([AMBIGUOUS], { format: 'anthropic' })).requests);
    assert.equal(forced.format, 'anthropic');
    assert.equal(forced.provider, 'anthropic');
    assert.equal(forced.model, 'internal-proxy-v2');
    assert.deepEqual(roles(forced), ['user']);
  });

  it('names each record that is not the forced transcript format', async () => {
    for (const format of ['claude-code', 'codex'] as const) {
      const { requests, problems } = await collect('fixtures/jsonl/request-bodies.jsonl', { format });
      assert.equal(requests.length, 0);
      assert.deepEqual(
        problems.map((problem) => [problem.line, problem.severity]),
        [
          [1, 'error'],
          [2, 'error'],
          [3, 'error'],
        ],
      );
      assert.match(problems[0]?.message ?? '', new RegExp(`--format ${format}`));
    }
  });

  it('reads a bare messages array in the forced dialect', async () => {
    const { requests, problems } = await collect('fixtures/openai-chat/messages-array.json', { format: 'anthropic' });
    assert.deepEqual(problems, []);
    const request = only(requests);
    assert.equal(request.format, 'anthropic');
    assert.equal(request.provider, 'anthropic');
    assert.deepEqual(roles(request), ['system', 'user', 'assistant', 'user']);
  });

  it('applies to every line of a JSONL file', async () => {
    const { requests, problems } = await collect('fixtures/jsonl/request-bodies.jsonl', { format: 'openai-chat' });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      requests.map((request) => request.format),
      ['openai-chat', 'openai-chat', 'openai-chat'],
    );
    // Read as OpenAI chat, the Anthropic body's top-level `system` is not a message.
    assert.deepEqual(roles(at(requests, 2)), ['user']);
  });

  it('keeps the URL and response of captures, and parses their bodies in the forced dialect', async () => {
    const { requests } = await collect('fixtures/jsonl/http-capture.jsonl', { format: 'openai-chat' });
    // count_tokens is not skipped when the dialect is forced: every exchange is read.
    assert.equal(requests.length, 6);
    assert.equal(
      requests.every((request) => request.format === 'openai-chat'),
      true,
    );
    assert.deepEqual(at(requests, 0).usage, { input: 158, cacheRead: 1152, cacheWrite5m: 0, cacheWrite1h: 0, output: 18, reasoning: 0 });
  });

  it('reads message lines as one conversation with --format message-lines', async () => {
    const detected = await collect('fixtures/jsonl/messages-per-line.jsonl');
    const forced = await collect('fixtures/jsonl/messages-per-line.jsonl', { format: 'message-lines' });
    assert.deepEqual(forced.problems, []);
    assert.equal(only(forced.requests).format, 'message-lines');
    assert.deepEqual(roles(only(forced.requests)), roles(only(detected.requests)));
  });

  it('reads a Claude Code transcript the same with or without --format claude-code', async () => {
    const file = 'fixtures/claude-code/agent-5e1f2a3b.jsonl';
    const detected = await collect(file);
    const forced = await collect(file, { format: 'claude-code' });
    assert.deepEqual(forced.problems, []);
    assert.deepEqual(
      forced.requests.map((request) => [request.id, request.usage]),
      detected.requests.map((request) => [request.id, request.usage]),
    );
  });

  it('reports records a forced line format cannot read', async () => {
    // An array document arrives element by element: each element that is not a message is named.
    const { requests, problems } = await collectChunks(['[1, 2, 3]\n'], { format: 'message-lines' });
    assert.deepEqual(requests, []);
    assert.deepEqual(
      problems.map((problem) => [problem.element, problem.severity]),
      [
        [0, 'error'],
        [1, 'error'],
        [2, 'error'],
      ],
    );
    for (const problem of problems) assert.match(problem.message, /^not a message \(--format message-lines\); expected/);
  });
});
