/**
 * Write-back per format: only the rewritten strings change; key order,
 * unknown fields, ids and 64-bit numbers survive byte for byte.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonCompaction } from '../../src/transforms/json-compaction.js';
import { decisionTextOf, optimizeText, prettyRows } from './helpers.js';

/** These tests are about writing a rewritten tool output back; JSON compaction alone gives a rewrite that is easy to predict (json_table's own write-back is tested in test/transforms/json-table-pipeline.test.ts). */
const COMPACTION_ONLY = { transforms: [jsonCompaction] };

const BIG = '9223372036854775807';

/** Builds JSON text with a raw 64-bit literal where the placeholder string was. */
function withBigId(value: unknown): string {
  return JSON.stringify(value, null, 2).replace('"@BIG@"', BIG);
}

function compactOf(pretty: string): string {
  return JSON.stringify(JSON.parse(pretty));
}

describe('write-back', () => {
  it('openai-chat: compacts the tool output and keeps every other byte', async () => {
    const output = prettyRows(12, { trace: '@BIG@' });
    const toolOutput = output.replace('"@BIG@"', BIG);
    const text = withBigId({
      x_request_seq: '@BIG@',
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are the billing assistant.' },
        { role: 'user', content: 'Which invoices are open?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'list_invoices', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '@OUTPUT@', x_unknown: { keep: true } },
      ],
      temperature: 0.2,
    }).replace('"@OUTPUT@"', JSON.stringify(toolOutput));
    const { output: written, results } = await optimizeText(text, COMPACTION_ONLY);
    const compact = toolOutput.replace(/\n\s*/g, '').replace(/": /g, '":');
    assert.equal(written, text.replace(JSON.stringify(toolOutput), JSON.stringify(compact)));
    assert.ok(written.includes(`"x_request_seq": ${BIG}`));
    assert.ok(written.includes(`\\"trace\\":${BIG}`), 'the 64-bit number inside the tool output is kept as written');
    const result = results[0]?.result;
    assert.ok(result && result.tokens_after < result.tokens_before);
    assert.deepEqual(
      result.blocks.map((block) => (decisionTextOf(block) ?? '').split(' ')[0]),
      ['protected:system', 'protected:user', 'protected:tool-call', 'compressed:json-compact'],
    );
  });

  it('anthropic: string and block tool_result content are both compacted; cache_control blocks and earlier are not', async () => {
    const rows = prettyRows(12);
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      system: [{ type: 'text', text: 'You triage invoices.' }],
      messages: [
        { role: 'user', content: 'Show me the invoices.' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'list', input: { page: 1 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: rows, cache_control: { type: 'ephemeral' } }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_2', name: 'list', input: { page: 2 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: rows }] }] },
      ],
    };
    const text = JSON.stringify(body, null, 2);
    const { output, results } = await optimizeText(text, COMPACTION_ONLY);
    const parsed = JSON.parse(output);
    assert.equal(parsed.messages[2].content[0].content, rows, 'the block under cache_control is in the cached prefix');
    assert.equal(parsed.messages[4].content[0].content[0].text, compactOf(rows));
    const decisions = results[0]?.result.blocks.map((block) => (decisionTextOf(block) ?? '').split(' ')[0]);
    assert.ok(decisions?.includes('skipped:cached'));
    assert.equal(
      output,
      text
        .replace(JSON.stringify(rows), 'X')
        .replace(JSON.stringify(rows), JSON.stringify(compactOf(rows)))
        .replace('X', JSON.stringify(rows)),
    );
  });

  it('openai-responses: function_call_output is compacted', async () => {
    const rows = prettyRows(12);
    const body = {
      model: 'gpt-4.1',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'List invoices' }] },
        { type: 'function_call', call_id: 'call_9', name: 'list', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_9', output: rows },
      ],
      store: false,
    };
    const { output } = await optimizeText(JSON.stringify(body), COMPACTION_ONLY);
    assert.equal(JSON.parse(output).input[2].output, compactOf(rows));
    assert.equal(output, JSON.stringify(body).replace(JSON.stringify(rows), JSON.stringify(compactOf(rows))));
  });

  it('gemini: a structured functionResponse object is left as written: its whitespace is not tokens, so compaction saves nothing', async () => {
    const body = {
      contents: [
        { role: 'user', parts: [{ text: 'List invoices' }] },
        { role: 'model', parts: [{ functionCall: { name: 'list', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'list', response: JSON.parse(prettyRows(12)) } }] },
      ],
    };
    const text = JSON.stringify(body, null, 2);
    const { output, results } = await optimizeText(text, COMPACTION_ONLY);
    assert.equal(output, text);
    // JSON compaction says why it did nothing; SmartCrusher keeps all 12 rows.
    assert.ok(results[0]?.result.blocks.some((block) => (decisionTextOf(block) ?? '').startsWith('skipped:already-compact')));
  });

  it('JSONL in, JSONL out: one line per input line, blank and broken lines kept', async () => {
    const rows = prettyRows(12);
    const request = (id: number) =>
      JSON.stringify({
        model: 'gpt-4o',
        id,
        messages: [
          { role: 'user', content: 'q' },
          { role: 'tool', tool_call_id: 'c', content: rows },
        ],
      });
    const lines = [request(1), '', '{"broken": ', request(2)];
    const text = `${lines.join('\n')}\n`;
    const { output, problems } = await optimizeText(text, COMPACTION_ONLY);
    const out = output.split('\n');
    assert.equal(out.length, lines.length + 1);
    assert.equal(out[1], '');
    assert.equal(out[2], '{"broken": ');
    assert.equal(JSON.parse(out[0] as string).messages[1].content, compactOf(rows));
    assert.equal(JSON.parse(out[3] as string).id, 2);
    assert.equal(problems.filter((problem) => problem.severity === 'error').length, 1);
  });

  it('a body captured as a JSON value inside an HTTP capture is edited in place', async () => {
    const rows = prettyRows(12);
    const capture = {
      request: {
        method: 'POST',
        url: 'https://api.openai.com/v1/chat/completions',
        body: {
          model: 'gpt-4o',
          messages: [
            { role: 'user', content: 'q' },
            { role: 'tool', tool_call_id: 'c', content: rows },
          ],
        },
      },
      response: { status: 200, body: { usage: { prompt_tokens: 10, completion_tokens: 1 } } },
    };
    const { output } = await optimizeText(`${JSON.stringify(capture)}\n${JSON.stringify(capture)}\n`, COMPACTION_ONLY);
    const first = JSON.parse(output.split('\n')[0] as string);
    assert.equal(first.request.body.messages[1].content, compactOf(rows));
    assert.deepEqual(first.response, capture.response);
  });

  it('is idempotent and deterministic', async () => {
    const text = JSON.stringify(
      {
        model: 'gpt-4o',
        messages: [
          { role: 'user', content: 'q' },
          { role: 'tool', tool_call_id: 'c', content: prettyRows(20) },
        ],
      },
      null,
      2,
    );
    const once = await optimizeText(text);
    const again = await optimizeText(text);
    const twice = await optimizeText(once.output);
    assert.equal(again.output, once.output);
    assert.equal(twice.output, once.output);
    assert.equal(twice.results[0]?.result.tokens_after, twice.results[0]?.result.tokens_before);
  });
});
