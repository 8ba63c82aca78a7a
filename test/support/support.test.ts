/**
 * Tests of the property-test support: the generated inputs are valid for their
 * provider and readable by headroom's own parser, the validator accepts real
 * requests and rejects each kind of broken one, and the recorded 64-bit
 * literals are really in the text.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { classifyRecord, formatOfShape } from '../../src/formats/detect.js';
import { parseSource } from '../../src/formats/parse-source.js';
import type { Request } from '../../src/formats/types.js';
import type { InputProblem } from '../../src/input/problems.js';
import { readRecords } from '../../src/input/records.js';
import type { Source } from '../../src/input/sources.js';
import { validityProblems, type BodyDialect } from './provider-validity.js';
import { anyInputArb, BODY_FORMATS, requestBodyArb, requestLogArb, transcriptArb, TRANSCRIPT_FORMATS, type GeneratedBodyFormat, type GeneratedInput } from './request-arbitraries.js';

const RUNS = 200;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isBodyFormat(format: string): format is GeneratedBodyFormat {
  return (BODY_FORMATS as readonly string[]).includes(format);
}

/** The records of an input: the one document of a .json file, or each non-empty line. */
function recordsOf(input: GeneratedInput): Json[] {
  if (input.fileName.endsWith('.json')) return [JSON.parse(input.text) as Json];
  return input.text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Json);
}

async function parseInput(input: GeneratedInput): Promise<{ requests: Request[]; problems: InputProblem[] }> {
  const source: Source = { name: input.fileName, kind: 'file', path: null, discovered: false };
  const requests: Request[] = [];
  const problems: InputProblem[] = [];
  for await (const event of parseSource(source, readRecords(source, [Buffer.from(input.text)]))) {
    if (event.kind === 'request') requests.push(event.request);
    else if (event.kind === 'problem') problems.push(event.problem);
  }
  return { requests, problems };
}

function errorsOf(problems: readonly InputProblem[]): InputProblem[] {
  return problems.filter((problem) => problem.severity === 'error');
}

function obj(value: Json | undefined): { [key: string]: Json } {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `expected an object, got ${JSON.stringify(value)}`);
  return value;
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether any object anywhere in the input's records satisfies `predicate`. */
function someNode(input: GeneratedInput, predicate: (node: { [key: string]: Json }) => boolean): boolean {
  const visit = (value: Json): boolean => {
    if (Array.isArray(value)) return value.some(visit);
    if (!isObject(value)) return false;
    return predicate(value) || Object.values(value).some(visit);
  };
  return recordsOf(input).some(visit);
}

/**
 * The Anthropic request a Claude Code transcript's whole chain amounts to
 * (consecutive same-role entries merged; whitespace-only text blocks, which
 * Claude Code records but does not send, left out).
 */
function claudeCodeConversation(records: readonly Json[]): { [key: string]: Json } {
  const messages: Array<{ role: string; content: Json[] }> = [];
  for (const record of records) {
    const line = obj(record);
    if (line['type'] !== 'user' && line['type'] !== 'assistant') continue;
    const message = obj(line['message']);
    const content = message['content'];
    const blocks: Json[] = (typeof content === 'string' ? [{ type: 'text', text: content }] : (content as Json[])).filter(
      (block) => !(isObject(block) && block['type'] === 'text' && typeof block['text'] === 'string' && block['text'].trim() === ''),
    );
    const last = messages[messages.length - 1];
    if (last && last.role === line['type']) last.content.push(...blocks);
    else messages.push({ role: String(line['type']), content: [...blocks] });
  }
  return { model: 'claude-sonnet-4-5', max_tokens: 1024, messages };
}

/** The Responses request a Codex rollout's items amount to. */
function codexConversation(records: readonly Json[]): { [key: string]: Json } {
  const input: Json[] = [];
  for (const record of records) {
    const line = obj(record);
    if (line['type'] === 'response_item') input.push(line['payload'] ?? null);
  }
  return { model: 'gpt-5-codex', input };
}

/** Requests a transcript should yield: one per assistant response / per token count whose totals moved. */
function expectedTranscriptCalls(input: GeneratedInput, records: readonly Json[]): number {
  if (input.format === 'claude-code') {
    const ids = new Set<string>();
    for (const record of records) {
      const line = obj(record);
      if (line['type'] === 'assistant') ids.add(String(obj(line['message'])['id']));
    }
    return ids.size;
  }
  let calls = 0;
  let previous = '';
  for (const record of records) {
    const line = obj(record);
    const payload = line['payload'];
    if (line['type'] !== 'event_msg' || obj(payload)['type'] !== 'token_count' || obj(payload)['info'] === null) continue;
    const total = JSON.stringify(obj(obj(payload)['info'])['total_token_usage']);
    if (total !== previous) calls++;
    previous = total;
  }
  return calls;
}

/** Removes the `pick`-th tool result (message, block, item or part) of a body; false when it has none. */
function dropToolResult(dialect: BodyDialect, body: { [key: string]: Json }, pick: number): boolean {
  const spots: Array<{ list: Json[]; index: number }> = [];
  const collect = (list: Json[], isResult: (item: { [key: string]: Json }) => boolean): void => {
    list.forEach((item, index) => {
      if (item !== null && typeof item === 'object' && !Array.isArray(item) && isResult(item)) spots.push({ list, index });
    });
  };
  const nested = (key: string, inner: string): Json[][] => (body[key] as Json[]).flatMap((entry) => (Array.isArray(obj(entry)[inner]) ? [obj(entry)[inner] as Json[]] : []));
  switch (dialect) {
    case 'openai-chat':
      collect(body['messages'] as Json[], (message) => message['role'] === 'tool');
      break;
    case 'openai-responses':
      if (Array.isArray(body['input'])) collect(body['input'], (item) => item['type'] === 'function_call_output');
      break;
    case 'anthropic':
      for (const content of nested('messages', 'content')) collect(content, (block) => block['type'] === 'tool_result');
      break;
    case 'gemini':
      for (const parts of nested('contents', 'parts')) collect(parts, (part) => 'functionResponse' in part);
      break;
  }
  const spot = spots[pick % Math.max(spots.length, 1)];
  if (!spot) return false;
  spot.list.splice(spot.index, 1);
  return true;
}

function problemsText(problems: readonly string[]): string {
  return problems.map((problem) => `  ${problem}`).join('\n');
}

describe('generated inputs', () => {
  it('are valid for their provider (every body, every JSONL line); transcript lines are recognized', () => {
    fc.assert(
      fc.property(anyInputArb(), (input) => {
        const records = recordsOf(input);
        assert.ok(records.length > 0);
        if (isBodyFormat(input.format)) {
          records.forEach((record, index) => {
            const problems = validityProblems(input.format as BodyDialect, record);
            assert.deepEqual(problems, [], `${input.fileName} record ${index + 1} (${input.format}):\n${problemsText(problems)}`);
          });
          return;
        }
        records.forEach((record, index) => {
          assert.equal(formatOfShape(classifyRecord(record)), input.format, `${input.fileName} line ${index + 1} is not a ${input.format} line`);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('transcripts amount to valid conversations and parse into their calls without errors', async () => {
    for (const format of TRANSCRIPT_FORMATS) {
      await fc.assert(
        fc.asyncProperty(transcriptArb(format), async (input) => {
          const records = recordsOf(input);
          const body = format === 'claude-code' ? claudeCodeConversation(records) : codexConversation(records);
          const problems = validityProblems(format === 'claude-code' ? 'anthropic' : 'openai-responses', body);
          assert.deepEqual(problems, [], `${format} conversation:\n${problemsText(problems)}`);

          const parsed = await parseInput(input);
          assert.deepEqual(errorsOf(parsed.problems), []);
          assert.ok(parsed.requests.length >= 1, 'a transcript yields at least one request');
          assert.equal(parsed.requests.length, expectedTranscriptCalls(input, records));
          for (const request of parsed.requests) assert.equal(request.format, format);
        }),
        { numRuns: RUNS / 2 },
      );
    }
  });

  for (const format of BODY_FORMATS) {
    it(`${format}: bodies and logs parse as ${format}, one request per body, tool results paired`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(requestBodyArb(format), requestLogArb(format)), async (input) => {
          const parsed = await parseInput(input);
          assert.deepEqual(errorsOf(parsed.problems), []);
          assert.equal(parsed.requests.length, recordsOf(input).length);
          for (const request of parsed.requests) {
            assert.equal(request.format, format);
            assert.ok(request.tools.length >= 1, 'tool definitions are read');
            for (const message of request.messages) {
              for (const part of message.parts) {
                if (part.kind === 'tool_result') assert.ok(part.flags.toolName, `${request.id}: a tool result the parser could not pair with its call`);
              }
            }
          }
        }),
        { numRuns: RUNS / 2 },
      );
    });
  }

  it('become invalid when one tool result is dropped (the validator is not blind to generated bodies)', () => {
    const bodies = fc.oneof(...BODY_FORMATS.map((format) => requestBodyArb(format)));
    fc.assert(
      fc.property(bodies, fc.nat(), (input, pick) => {
        const body = obj(recordsOf(input)[0]);
        if (!dropToolResult(input.format as BodyDialect, body, pick)) return;
        assert.notDeepEqual(validityProblems(input.format as BodyDialect, body), [], `${input.format}: dropping a tool result went unnoticed`);
      }),
      { numRuns: RUNS },
    );
  });

  it('record every 64-bit literal they place, verbatim, as an integer beyond 2^53', () => {
    fc.assert(
      fc.property(anyInputArb(), (input) => {
        assert.ok(!input.text.includes('@@big:'), 'no placeholder is left in the text');
        for (const literal of input.bigIds) {
          assert.match(literal, /^-?[1-9]\d*$/);
          const value = BigInt(literal);
          assert.ok(value > 2n ** 53n || value < -(2n ** 53n), `${literal} fits in a double`);
          assert.ok(input.text.includes(literal), `${literal} is not in the text`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('cover what the optimize property tests need', () => {
    const samples = fc.sample(anyInputArb(), { numRuns: 600, seed: 20260314 });
    const count = (predicate: (input: GeneratedInput) => boolean): number => samples.filter(predicate).length;
    const features: Record<string, (input: GeneratedInput) => boolean> = {
      'top-level 64-bit field': (input) => /"request_seq":\s*-?\d{16,}/.test(input.text),
      '64-bit id inside tool output JSON': (input) => /\\"(external_id|event_id|uid|snowflake|id)\\":\s?-?\d{16,}/.test(input.text),
      'tool output pretty JSON, 2 spaces': (input) => input.text.includes('{\\n  \\"'),
      'tool output pretty JSON, 4 spaces': (input) => input.text.includes('{\\n    \\"'),
      'tool output pretty JSON, tabs': (input) => input.text.includes('{\\n\\t\\"'),
      'compact JSON tool output': (input) => /"(content|output|text)":\s*"\{\\"/.test(input.text),
      'tab-indented request body': (input) => input.text.startsWith('{\n\t"'),
      'compact request body': (input) => input.fileName.endsWith('.json') && !input.text.trimEnd().includes('\n'),
      'Anthropic tool_result with block content': (input) => /"type":\s*"tool_result",\s*"tool_use_id":\s*"[^"]+",\s*"content":\s*\[/.test(input.text),
      'Anthropic tool_result with string content': (input) => /"type":\s*"tool_result",\s*"tool_use_id":\s*"[^"]+",\s*"content":\s*"/.test(input.text),
      'cache_control on a tool_result': (input) => someNode(input, (node) => node['type'] === 'tool_result' && 'cache_control' in node),
      'cache_control ttl 1h': (input) => someNode(input, (node) => isObject(node['cache_control']) && node['cache_control']['ttl'] === '1h'),
      'chat tool message with text parts': (input) => /"role":\s*"tool",\s*"tool_call_id":\s*"[^"]+",\s*"content":\s*\[/.test(input.text),
      'Responses function_call_output': (input) => input.text.includes('"function_call_output"') && input.format === 'openai-responses',
      'Gemini functionResponse object': (input) => /"response":\s*\{\s*"(?!output|result|error)/.test(input.text),
      'parallel tool calls': (input) => /"tool_calls":\s*\[\s*\{[^\]]*\},\s*\{/.test(input.text),
      'user message with pretty JSON': (input) => /"text":\s*"[^"]*```json\\n\{\\n/.test(input.text),
      'unknown message field': (input) => /"(x_trace|metadata)":\s*\{\s*"(hop|source)"/.test(input.text),
      'emoji or CJK': (input) => /[\u3040-\u9fff]|\p{Extended_Pictographic}/u.test(input.text),
      'tool output above 200 tokens': (input) => /"(content|output|text)":\s*"(?:[^"\\]|\\.){1000,}"/.test(input.text),
    };
    for (const [name, predicate] of Object.entries(features)) {
      assert.ok(count(predicate) >= 3, `only ${count(predicate)} of ${samples.length} samples have: ${name}`);
    }
    const sizes = samples.map((input) => Buffer.byteLength(input.text)).sort((a, b) => a - b);
    const median = sizes[Math.floor(sizes.length / 2)] as number;
    assert.ok(median < 12_000, `median input is ${median} bytes`);
  });
});

// ---------------------------------------------------------------------------
// The validator on hand-made bodies

const TOOL_SCHEMA = { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] };

function validChat(): { [key: string]: Json } {
  return {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Where is A-1?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_order', arguments: '{"order_id":"A-1"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: '{"status":"shipped"}' }] },
      { role: 'assistant', content: 'It shipped.' },
    ],
    tools: [{ type: 'function', function: { name: 'get_order', parameters: TOOL_SCHEMA } }],
  };
}

function validAnthropic(): { [key: string]: Json } {
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    messages: [
      { role: 'user', content: 'Where is A-1?' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'get_order', input: { order_id: 'A-1' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: [{ type: 'text', text: '{"status":"shipped"}' }] }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Shall I check more?' },
          { type: 'tool_use', id: 'toolu_b', name: 'get_order', input: { order_id: 'A-2' } },
        ],
      },
    ],
    tools: [
      { name: 'get_order', input_schema: TOOL_SCHEMA },
      { type: 'web_search_20250305', name: 'web_search' },
    ],
  };
}

function validResponses(): { [key: string]: Json } {
  return {
    model: 'gpt-5',
    instructions: 'Be brief.',
    input: [
      { role: 'user', content: 'Where is A-1?' },
      { type: 'function_call', call_id: 'call_1', name: 'get_order', arguments: '{"order_id":"A-1"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"status":"shipped"}' },
    ],
    tools: [{ type: 'function', name: 'get_order', parameters: TOOL_SCHEMA }, { type: 'web_search' }],
  };
}

function validGemini(): { [key: string]: Json } {
  return {
    systemInstruction: { parts: [{ text: 'Be brief.' }] },
    contents: [
      { role: 'user', parts: [{ text: 'Where is A-1?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_order', args: { order_id: 'A-1' } } }, { functionCall: { name: 'get_order', args: { order_id: 'A-2' } } }] },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'get_order', response: { status: 'shipped' } } }, { functionResponse: { name: 'get_order', response: { status: 'pending' } } }],
      },
    ],
    tools: [{ functionDeclarations: [{ name: 'get_order', parameters: TOOL_SCHEMA }] }, { googleSearch: {} }],
  };
}

const VALID: Record<BodyDialect, () => { [key: string]: Json }> = {
  'openai-chat': validChat,
  'openai-responses': validResponses,
  anthropic: validAnthropic,
  gemini: validGemini,
};

/** A valid body of `dialect` with one change made by `edit`. */
function broken(dialect: BodyDialect, edit: (body: { [key: string]: Json }) => void): { [key: string]: Json } {
  const body = VALID[dialect]();
  edit(body);
  return body;
}

function list(body: { [key: string]: Json }, key: string): Json[] {
  const value = body[key];
  assert.ok(Array.isArray(value));
  return value;
}

interface InvalidCase {
  name: string;
  dialect: BodyDialect;
  body: unknown;
  expect: RegExp;
}

const INVALID: InvalidCase[] = [
  {
    name: 'anthropic: orphan tool_result',
    dialect: 'anthropic',
    body: broken('anthropic', (body) => {
      list(body, 'messages')[1] = { role: 'assistant', content: [{ type: 'text', text: 'Looking.' }] };
    }),
    expect: /^messages\[2\]\.content\[0\]: tool_result for toolu_a has no tool_use in the previous assistant message$/,
  },
  {
    name: 'anthropic: unanswered tool_use followed by user text',
    dialect: 'anthropic',
    body: broken('anthropic', (body) => {
      list(body, 'messages')[2] = { role: 'user', content: 'Never mind.' };
    }),
    expect: /^messages\[1\]: tool_use toolu_a has no tool_result in the next message \(messages\[2\]\)$/,
  },
  {
    name: 'anthropic: tool_result after other content',
    dialect: 'anthropic',
    body: broken('anthropic', (body) => {
      const content = obj(list(body, 'messages')[2])['content'] as Json[];
      content.unshift({ type: 'text', text: 'Here you go:' });
    }),
    expect: /^messages\[2\]\.content\[1\]: tool_result for toolu_a comes after other content/,
  },
  {
    name: 'anthropic: system role inside messages',
    dialect: 'anthropic',
    body: broken('anthropic', (body) => {
      list(body, 'messages').unshift({ role: 'system', content: 'Be brief.' });
    }),
    expect: /^messages\[0\]\.role: "system" is not a message role/,
  },
  {
    name: 'anthropic: duplicate tool names',
    dialect: 'anthropic',
    body: broken('anthropic', (body) => {
      list(body, 'tools').push({ name: 'get_order', input_schema: TOOL_SCHEMA });
    }),
    expect: /^tools\[2\]: duplicate tool name "get_order" \(also tools\[0\]\)$/,
  },
  {
    name: 'anthropic: five cache breakpoints',
    dialect: 'anthropic',
    body: broken('anthropic', (body) => {
      for (const text of ['a', 'b', 'c', 'd']) list(body, 'system').push({ type: 'text', text, cache_control: { type: 'ephemeral' } });
    }),
    expect: /^cache_control: 5 blocks carry cache_control \(at most 4\)/,
  },
  {
    name: 'anthropic: cache_control on a thinking block',
    dialect: 'anthropic',
    body: broken('anthropic', (body) => {
      (obj(list(body, 'messages')[3])['content'] as Json[]).unshift({ type: 'thinking', thinking: 'Check A-2.', signature: 'Ep==', cache_control: { type: 'ephemeral' } });
    }),
    expect: /^messages\[3\]\.content\[0\]\.cache_control: thinking blocks cannot carry cache_control$/,
  },
  {
    name: 'anthropic: whitespace-only text block',
    dialect: 'anthropic',
    body: broken('anthropic', (body) => {
      (obj(list(body, 'messages')[3])['content'] as Json[]).unshift({ type: 'text', text: '\n\n' });
    }),
    expect: /^messages\[3\]\.content\[0\]: text blocks must contain non-whitespace text$/,
  },
  {
    name: 'anthropic: tool_use block in a user message',
    dialect: 'anthropic',
    body: broken('anthropic', (body) => {
      obj(list(body, 'messages')[0])['content'] = [{ type: 'tool_use', id: 'toolu_z', name: 'get_order', input: {} }];
    }),
    expect: /^messages\[0\]\.content\[0\]: block type "tool_use" is not allowed in a user message$/,
  },
  {
    name: 'chat: tool message without a preceding call',
    dialect: 'openai-chat',
    body: broken('openai-chat', (body) => {
      list(body, 'messages').splice(2, 1);
    }),
    expect: /^messages\[2\]: tool message for call_1 has no preceding assistant message with tool_calls$/,
  },
  {
    name: 'chat: tool call not answered before the next message',
    dialect: 'openai-chat',
    body: broken('openai-chat', (body) => {
      list(body, 'messages').splice(3, 1);
    }),
    expect: /^messages\[2\]\.tool_calls: tool call call_1 is not answered before messages\[3\]$/,
  },
  {
    name: 'chat: tool message answering another id',
    dialect: 'openai-chat',
    body: broken('openai-chat', (body) => {
      obj(list(body, 'messages')[3])['tool_call_id'] = 'call_9';
    }),
    expect: /^messages\[3\]: tool message for call_9 answers no tool call of messages\[2\]$/,
  },
  {
    name: 'chat: bad role',
    dialect: 'openai-chat',
    body: broken('openai-chat', (body) => {
      obj(list(body, 'messages')[4])['role'] = 'model';
    }),
    expect: /^messages\[4\]\.role: "model" is not a chat role/,
  },
  {
    name: 'chat: duplicate tool names',
    dialect: 'openai-chat',
    body: broken('openai-chat', (body) => {
      list(body, 'tools').push({ type: 'function', function: { name: 'get_order' } });
    }),
    expect: /^tools\[1\]: duplicate tool name "get_order" \(also tools\[0\]\)$/,
  },
  {
    name: 'chat: image part in a tool message',
    dialect: 'openai-chat',
    body: broken('openai-chat', (body) => {
      obj(list(body, 'messages')[3])['content'] = [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }];
    }),
    expect: /^messages\[3\]\.content\[0\]: content part type "image_url" is not allowed in a tool message/,
  },
  {
    name: 'responses: function_call_output without a call',
    dialect: 'openai-responses',
    body: broken('openai-responses', (body) => {
      list(body, 'input').splice(1, 1);
    }),
    expect: /^input\[1\]: function_call_output for call_1 has no earlier function_call with that call_id$/,
  },
  {
    name: 'responses: function_call without an output',
    dialect: 'openai-responses',
    body: broken('openai-responses', (body) => {
      list(body, 'input').splice(2, 1);
    }),
    expect: /^input\[1\]: function_call call_1 has no function_call_output after it$/,
  },
  {
    name: 'responses: bad role',
    dialect: 'openai-responses',
    body: broken('openai-responses', (body) => {
      obj(list(body, 'input')[0])['role'] = 'tool';
    }),
    expect: /^input\[0\]\.role: "tool" is not a Responses message role/,
  },
  {
    name: 'responses: duplicate tool names',
    dialect: 'openai-responses',
    body: broken('openai-responses', (body) => {
      list(body, 'tools').push({ type: 'function', name: 'get_order' });
    }),
    expect: /^tools\[2\]: duplicate tool name "get_order" \(also tools\[0\]\)$/,
  },
  {
    name: 'gemini: functionResponse without a call',
    dialect: 'gemini',
    body: broken('gemini', (body) => {
      list(body, 'contents').splice(1, 1);
    }),
    expect: /^contents\[1\]\.parts\[0\]: functionResponse "get_order" answers no functionCall of the previous model turn$/,
  },
  {
    name: 'gemini: fewer responses than calls',
    dialect: 'gemini',
    body: broken('gemini', (body) => {
      (obj(list(body, 'contents')[2])['parts'] as Json[]).pop();
    }),
    expect: /^contents\[1\]\.parts\[1\]: functionCall "get_order" has no functionResponse in contents\[2\]$/,
  },
  {
    name: 'gemini: bad role',
    dialect: 'gemini',
    body: broken('gemini', (body) => {
      obj(list(body, 'contents')[1])['role'] = 'assistant';
    }),
    expect: /^contents\[1\]\.role: "assistant" is not a contents role/,
  },
  {
    name: 'gemini: duplicate function names',
    dialect: 'gemini',
    body: broken('gemini', (body) => {
      list(body, 'tools').push({ functionDeclarations: [{ name: 'get_order' }] });
    }),
    expect: /^tools\[2\]\.functionDeclarations\[0\]: duplicate tool name "get_order" \(also tools\[0\]\.functionDeclarations\[0\]\)$/,
  },
  {
    name: 'gemini: part with two data fields',
    dialect: 'gemini',
    body: broken('gemini', (body) => {
      obj((obj(list(body, 'contents')[0])['parts'] as Json[])[0])['inlineData'] = { mimeType: 'image/png', data: '' };
    }),
    expect: /^contents\[0\]\.parts\[0\]: part has several data fields \(text, inlineData\)$/,
  },
];

describe('validityProblems', () => {
  for (const dialect of BODY_FORMATS) {
    it(`accepts a small valid ${dialect} body`, () => {
      assert.deepEqual(validityProblems(dialect, VALID[dialect]()), []);
    });
  }

  for (const testCase of INVALID) {
    it(`rejects ${testCase.name}`, () => {
      const problems = validityProblems(testCase.dialect, testCase.body);
      assert.ok(
        problems.some((problem) => testCase.expect.test(problem)),
        `expected a problem matching ${testCase.expect}, got:\n${problemsText(problems)}`,
      );
    });
  }

  it('rejects a body that is not an object', () => {
    for (const dialect of BODY_FORMATS) assert.deepEqual(validityProblems(dialect, [1, 2]), ['body: expected a JSON object, got an array']);
  });

  it('accepts the request bodies in fixtures/', () => {
    const documents = [
      'openai-chat/full-request.json',
      'openai-chat/tool-output-waste.json',
      'openai-responses/request.json',
      'anthropic/blocks.json',
      'anthropic/system-string.json',
      'gemini/generate-content.json',
    ];
    const bodies: Array<{ where: string; value: Json }> = documents.map((file) => ({
      where: file,
      value: JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures', file), 'utf8')) as Json,
    }));
    fs.readFileSync(path.join(ROOT, 'fixtures/jsonl/request-bodies.jsonl'), 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (line.trim()) bodies.push({ where: `jsonl/request-bodies.jsonl:${index + 1}`, value: JSON.parse(line) as Json });
      });
    for (const { where, value } of bodies) {
      const shape = classifyRecord(value);
      assert.equal(shape.kind, 'request', where);
      if (shape.kind !== 'request') continue;
      // A fixture that is a bare messages array is not a body; only full bodies are checked.
      const problems = validityProblems(shape.dialect, value);
      assert.deepEqual(problems, [], `${where} (${shape.dialect}):\n${problemsText(problems)}`);
    }
  });
});
