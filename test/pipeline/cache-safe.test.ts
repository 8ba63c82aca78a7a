/**
 * Optimize stays cache-safe across a conversation (issue 12, item 9): a
 * client sends each call as the previous one plus new messages; optimized
 * one call after another, each optimized request starts with the previous
 * optimized request's messages byte for byte, and the retrieval tool is
 * there from the first call with a marker onward. Compressors read the
 * user's latest question, so without prefix freeze an earlier tool output
 * is compressed differently once the question changes (the first test shows
 * that happening with freezing off).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { arrayElementRanges, locateValue, minifyJson } from '../../src/json/index.js';
import { optimizeRequest } from '../../src/pipeline/library.js';
import { sentMessagesTracker } from '../../src/pipeline/prefix-freeze.js';
import { requestBodyArb, transcriptArb } from '../support/request-arbitraries.js';
import { optimizeText, type OptimizeTextOptions } from './helpers.js';

const RETRIEVAL_TOOL = '"headroom_retrieve"';
/** The breakpoint a transcript body gets at the end of its frozen prefix; Anthropic matches cached prefixes whatever block carries it. */
const BREAKPOINT = ',"cache_control":{"type":"ephemeral"}';

/** One optimized call: its request body as written, and whether it carries markers. */
interface SentCall {
  body: string;
  marked: boolean;
}

/** The raw text of each element of the body's `messages`, and of its `tools` (empty when none). */
function messagesOf(body: string): string[] {
  const ranges = arrayElementRanges(body, ['messages']) ?? [];
  return ranges.map((range) => body.slice(range.start, range.end).split(BREAKPOINT).join(''));
}

function toolsOf(body: string): string {
  const range = locateValue(body, ['tools']);
  return range ? body.slice(range.start, range.end) : '';
}

/** How many leading elements two lists share. */
function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
}

/**
 * Each call sends every message it shares with the previous call's input
 * (the messages the client resent unchanged) exactly as the previous call
 * sent them; the retrieval tool is there from the first marked call on, and
 * the tools list changes only by gaining it. `inputs` are the calls' bodies
 * before optimize: where the client itself changed an earlier message
 * (Claude Code clearing an old tool result), the prefix ends there.
 */
function assertCacheSafe(inputs: readonly string[], calls: readonly SentCall[]): void {
  const firstMarked = calls.findIndex((call) => call.marked);
  calls.forEach((call, index) => {
    const hasTool = toolsOf(call.body).includes(RETRIEVAL_TOOL);
    if (firstMarked >= 0 && index >= firstMarked) assert.ok(hasTool, `call ${index} (markers from call ${firstMarked}) has the retrieval tool`);
    if (index === 0) return;
    const previous = calls[index - 1] as SentCall;
    const shared = commonPrefix(messagesOf(inputs[index - 1] as string), messagesOf(inputs[index] as string));
    const before = messagesOf(previous.body);
    const after = messagesOf(call.body);
    for (let at = 0; at < shared; at++) assert.equal(after[at], before[at], `call ${index}, message ${at}: sent as call ${index - 1} sent it`);
    const tools = toolsOf(call.body);
    if (toolsOf(previous.body).includes(RETRIEVAL_TOOL)) assert.equal(tools, toolsOf(previous.body), `call ${index}: tools unchanged`);
  });
}

/** The calls a chat client makes for one conversation: one before each assistant message, and the whole. */
function chatCalls(bodyText: string): string[] {
  const body = minifyJson(bodyText) ?? bodyText;
  const messages = locateValue(body, ['messages']);
  const elements = arrayElementRanges(body, ['messages']);
  assert.ok(messages && elements);
  const cuts = elements.flatMap((range, index) => (index > 0 && /^\{"role":"assistant"/.test(body.slice(range.start, range.end)) ? [index] : []));
  cuts.push(elements.length);
  return cuts.map(
    (cut) =>
      `${body.slice(0, messages.start)}[${elements
        .slice(0, cut)
        .map((range) => body.slice(range.start, range.end))
        .join(',')}]${body.slice(messages.end)}`,
  );
}

/** Optimizes a request log (one call per line) in one run, as `headroom optimize calls.jsonl` would. */
async function optimizeLog(calls: readonly string[], options: OptimizeTextOptions = {}): Promise<SentCall[]> {
  const run = await optimizeText(`${calls.join('\n')}\n`, options);
  const lines = run.output.trimEnd().split('\n');
  assert.equal(lines.length, calls.length);
  return lines.map((body, index) => ({ body, marked: (run.results[index]?.result.markers_inserted.length ?? 0) > 0 }));
}

/** Transcript lines up to each assistant line: the transcript as it stood after each call. */
function transcriptCalls(text: string): string[] {
  const lines = text.trimEnd().split('\n');
  return lines.flatMap((line, index) => (/"type":"assistant"/.test(line) ? [`${lines.slice(0, index + 1).join('\n')}\n`] : []));
}

/**
 * Optimizes each call of a transcript as its own run, remembering across runs
 * what was sent: how a proxy in front of Claude Code would see it (and replay).
 */
async function optimizeTranscriptCalls(calls: readonly string[], freeze = true): Promise<{ inputs: string[]; sent: SentCall[] }> {
  const tracker = sentMessagesTracker();
  const inputs: string[] = [];
  const sent: SentCall[] = [];
  for (const call of calls) {
    const run = await optimizeText(call, { prefixFreeze: freeze, sent: tracker, trackTranscripts: true, fromRecordedUsage: false });
    sent.push({ body: lastLine(run.output), marked: (run.results[run.results.length - 1]?.result.markers_inserted.length ?? 0) > 0 });
    // The same call written with no transform: what the client sent.
    inputs.push(lastLine((await optimizeText(call, { transforms: [], fromRecordedUsage: false })).output));
  }
  return { inputs, sent };
}

function lastLine(text: string): string {
  const lines = text.trimEnd().split('\n');
  return lines[lines.length - 1] as string;
}

/** `text` with each located range replaced by a large orders list (so generated conversations get compressed with markers). */
function withOrders(text: string, ranges: readonly ({ start: number; end: number } | null)[], seed: number): string {
  let out = text;
  const sorted = ranges.filter((range) => range !== null).sort((a, b) => b.start - a.start);
  sorted.forEach((range, index) => (out = `${out.slice(0, range.start)}${JSON.stringify(orders(50, seed + index))}${out.slice(range.end)}`));
  return out;
}

/** A generated chat body whose tool messages hold large outputs. */
function chatWithOrders(bodyText: string, seed: number): string {
  const body = minifyJson(bodyText) ?? bodyText;
  const elements = arrayElementRanges(body, ['messages']) ?? [];
  const tools = elements.flatMap((range, index) => (body.slice(range.start, range.end).startsWith('{"role":"tool"') ? [locateValue(body, ['messages', index, 'content'])] : []));
  return withOrders(body, tools, seed);
}

/** A generated Claude Code transcript whose tool results hold large outputs. */
function transcriptWithOrders(text: string, seed: number): string {
  const lines = text.trimEnd().split('\n');
  return `${lines
    .map((line, at) => {
      if (!line.includes('"tool_result"')) return line;
      const blocks = arrayElementRanges(line, ['message', 'content']) ?? [];
      const results = blocks.flatMap((range, index) =>
        line.slice(range.start, range.end).includes('"type":"tool_result"') ? [locateValue(line, ['message', 'content', index, 'content'])] : [],
      );
      return withOrders(line, results, seed + at * 10);
    })
    .join('\n')}\n`;
}

const CITIES = ['Berlin', 'Lisbon', 'Oslo', 'Turin', 'Ghent', 'Porto', 'Bergen', 'Lyon'];
const STATUSES = ['shipped', 'failed', 'pending', 'refunded'];

/** A large list of orders: SmartCrusher keeps the rows the question asks about and offloads the rest. */
function orders(count: number, seed: number): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, index) => ({
      id: 5000 + seed * 1000 + index,
      customer: `customer-${(index * 7 + seed) % 23}`,
      city: CITIES[(index * 3 + seed) % CITIES.length],
      status: STATUSES[(index * 5 + seed) % STATUSES.length],
      total_cents: 1000 + ((index * 7919 + seed) % 50000),
      note: index % 11 === 0 ? `courier delay reported in ${CITIES[index % CITIES.length]}` : 'ok',
    })),
  );
}

/** An OpenAI chat conversation whose questions change between tool rounds. */
function chatConversation(): string {
  const call = (id: string, name: string, args: object): object => ({
    role: 'assistant',
    content: null,
    tool_calls: [{ id, type: 'function', function: { name, arguments: JSON.stringify(args) } }],
  });
  const tool = { type: 'function', function: { name: 'search_orders', description: 'Search orders.', parameters: { type: 'object', properties: { q: { type: 'string' } } } } };
  return JSON.stringify({
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'You are the order desk assistant.' },
      { role: 'user', content: 'Which orders failed for customer-4?' },
      call('call_1', 'search_orders', { q: 'failed' }),
      { role: 'tool', tool_call_id: 'call_1', content: orders(160, 1) },
      { role: 'assistant', content: 'Three orders failed for customer-4.' },
      { role: 'user', content: 'Which of them shipped to Berlin with a courier delay?' },
      call('call_2', 'search_orders', { q: 'Berlin' }),
      { role: 'tool', tool_call_id: 'call_2', content: orders(160, 2) },
      { role: 'assistant', content: 'Two went to Berlin.' },
      { role: 'user', content: 'List the refunded ones in Lisbon.' },
    ],
    tools: [tool],
  });
}

/** A Claude Code session with the same shape. */
function claudeCodeSession(): string {
  const line = (value: Record<string, unknown>): string => JSON.stringify({ sessionId: 's-cache-safe', isSidechain: false, ...value });
  const reply = (uuid: string, parent: string, id: string, content: Record<string, unknown>[]): string =>
    line({
      type: 'assistant',
      uuid,
      parentUuid: parent,
      requestId: `r-${id}`,
      message: { id, role: 'assistant', model: 'claude-sonnet-4-5', content, usage: { input_tokens: 4, output_tokens: 5 } },
    });
  const prompt = (uuid: string, parent: string | null, text: string): string => line({ type: 'user', uuid, parentUuid: parent, message: { role: 'user', content: text } });
  const result = (uuid: string, parent: string, toolId: string, seed: number): string =>
    line({ type: 'user', uuid, parentUuid: parent, message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolId, content: orders(80, seed) }] } });
  const bash = (id: string, command: string): Record<string, unknown>[] => [{ type: 'tool_use', id, name: 'Bash', input: { command } }];
  return `${[
    prompt('u1', null, 'Which orders failed for customer-4?'),
    reply('a1', 'u1', 'm1', bash('toolu_1', 'orders --json')),
    result('u2', 'a1', 'toolu_1', 1),
    reply('a2', 'u2', 'm2', [{ type: 'text', text: 'Three orders failed for customer-4.' }]),
    prompt('u3', 'a2', 'Which of them shipped to Berlin with a courier delay?'),
    reply('a3', 'u3', 'm3', bash('toolu_2', 'orders --json --all')),
    result('u4', 'a3', 'toolu_2', 2),
    reply('a4', 'u4', 'm4', [{ type: 'text', text: 'Two went to Berlin.' }]),
    prompt('u5', 'a4', 'List the refunded ones in Lisbon.'),
    reply('a5', 'u5', 'm5', [{ type: 'text', text: 'None.' }]),
  ].join('\n')}\n`;
}

describe('optimize is cache-safe across a conversation', () => {
  it('OpenAI chat: each optimized call is the previous one extended, byte for byte', async () => {
    const calls = chatCalls(chatConversation());
    assert.equal(calls.length, 5);
    const sent = await optimizeLog(calls);
    assert.ok(
      sent.some((call) => call.marked),
      'the tool outputs were compressed with markers',
    );
    assertCacheSafe(calls, sent);
    // Without the freeze the first output is compressed again for the new question: the prefix breaks.
    const unfrozen = await optimizeLog(calls, { prefixFreeze: false });
    assert.throws(() => assertCacheSafe(calls, unfrozen), /sent as call/);
  });

  it('Claude Code: each call optimized as it happens (state kept across runs) extends the previous body', async () => {
    const calls = transcriptCalls(claudeCodeSession());
    assert.equal(calls.length, 5);
    const { inputs, sent } = await optimizeTranscriptCalls(calls);
    assert.ok(
      sent.some((call) => call.marked),
      'the tool outputs were compressed with markers',
    );
    assertCacheSafe(inputs, sent);
    const unfrozen = await optimizeTranscriptCalls(calls, false);
    assert.throws(() => assertCacheSafe(unfrozen.inputs, unfrozen.sent), /sent as call/);
  });

  it('generated chat conversations and Claude Code sessions stay cache-safe', async () => {
    let marked = 0;
    await fc.assert(
      fc.asyncProperty(requestBodyArb('openai-chat'), fc.nat(50), async (input, seed) => {
        const calls = chatCalls(chatWithOrders(input.text, seed));
        const sent = await optimizeLog(calls);
        if (sent.some((call) => call.marked)) marked++;
        assertCacheSafe(calls, sent);
      }),
      { numRuns: 12 },
    );
    await fc.assert(
      fc.asyncProperty(transcriptArb('claude-code'), fc.nat(50), async (input, seed) => {
        const { inputs, sent } = await optimizeTranscriptCalls(transcriptCalls(transcriptWithOrders(input.text, seed)));
        if (sent.some((call) => call.marked)) marked++;
        assertCacheSafe(inputs, sent);
      }),
      { numRuns: 6 },
    );
    assert.ok(marked > 0, 'some generated conversations were compressed with markers');
  });
});

describe('prefix freeze: what a sent prefix is sent as', () => {
  it('resends a compressed tool output as it was sent, freezes what was sent unchanged, and stops at a message the client changed', async () => {
    const calls = chatCalls(chatConversation());
    // The call after the first tool output, the call after the answer, and that call with the tool output edited by the client.
    const second = calls[1] as string;
    const third = calls[2] as string;
    const edited = third.replace('\\"id\\":6000', '\\"id\\":6999');
    assert.notEqual(edited, third);
    const run = await optimizeText(`${[second, third, edited].join('\n')}\n`);
    const [first, next, changed] = run.results;
    assert.ok(first && next && changed);
    const toolBlock = (result: typeof first): (typeof first.result.blocks)[number] | undefined => result.result.blocks.find((block) => block.kind === 'tool_result');
    assert.equal(toolBlock(first)?.outcome, 'compressed');
    assert.equal(next.result.cache_metrics.frozen_message_count, 4, 'the four messages the first call sent');
    const sentAs = (result: typeof first): unknown => {
      const block = toolBlock(result);
      return block && { outcome: block.outcome, content_kind: block.content_kind, steps: block.steps, tokens_after: block.tokens_after };
    };
    assert.deepEqual(sentAs(next), sentAs(first), 'the same rewrites, the same tokens');
    assert.equal(next.edits.find((edit) => edit.kind === 'replace-text')?.text, first.edits.find((edit) => edit.kind === 'replace-text')?.text);
    assert.equal(changed.result.cache_metrics.frozen_message_count, 3, 'frozen up to the tool output the client changed');
    assert.equal(toolBlock(changed)?.outcome, 'compressed', 'the changed output is compressed afresh');
  });

  it('a recorded transcript is not tracked by default: each call keeps the recorded-usage freeze only', async () => {
    const text = claudeCodeSession();
    const tracked = await optimizeText(text, { mode: 'simulate', trackTranscripts: true, fromRecordedUsage: false });
    const untracked = await optimizeText(text, { mode: 'simulate' });
    assert.equal(untracked.results.length, 5);
    assert.deepEqual(
      untracked.results.map((result) => result.result.cache_metrics.frozen_message_count),
      [0, 0, 0, 0, 0],
      'nothing recorded as cached, nothing frozen',
    );
    assert.ok(tracked.results.slice(1).every((result) => result.result.cache_metrics.frozen_message_count > 0));
  });
});

describe('prefix freeze across library calls', () => {
  it('optimizeRequest with one sentMessagesTracker sends each call as the previous one extended', async () => {
    const calls = chatCalls(chatConversation());
    const sentMessages = sentMessagesTracker();
    const sent: SentCall[] = [];
    for (const call of calls) {
      const optimized = await optimizeRequest(call, { sentMessages });
      sent.push({ body: optimized.body, marked: optimized.ccrEntries.length > 0 });
    }
    assert.ok(sent.some((call) => call.marked));
    assertCacheSafe(calls, sent);
  });
});
