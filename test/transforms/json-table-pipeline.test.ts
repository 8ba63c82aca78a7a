/**
 * json_table inside optimize: what a request carries after it, in text and
 * structured (value-slot) tool outputs, under --lossless-only, and with the
 * crusher's selection markers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findMarkers } from '../../src/ccr/markers.js';
import { defaultConfig } from '../../src/config/index.js';
import { buildTransforms } from '../../src/transforms/index.js';
import { decodeTables } from '../../src/transforms/json-table/index.js';
import { decisionTextOf, optimizeText } from '../pipeline/helpers.js';
import { validityProblems } from '../support/provider-validity.js';

/** 64-bit ids written as literals a double cannot hold, and a decimal written with its trailing zero. */
const ROWS_TEXT = `[${Array.from({ length: 30 }, (_, i) => `{"id":${9007199254740993n + BigInt(i)},"host":"web-${i % 4}","state":"${i % 7 ? 'running' : 'failed'}","cpu":${i}.50}`).join(',')}]`;

/** The registered lossless transforms: what json_table does on its own, without the crusher sampling these rows first. */
const LOSSLESS = buildTransforms(defaultConfig()).filter((transform) => transform.lossless);

function chat(toolOutput: string): string {
  return JSON.stringify({
    model: 'gpt-4o',
    messages: [
      { role: 'user', content: 'Which hosts failed?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'hosts', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: toolOutput },
    ],
  });
}

describe('json_table in optimize', () => {
  it('a text tool output that is an array of objects becomes table text, which decodes to the original exactly', async () => {
    const { output, results } = await optimizeText(chat(ROWS_TEXT), { transforms: LOSSLESS });
    const content = (JSON.parse(output) as { messages: { content: string }[] }).messages[2]?.content ?? '';
    assert.ok(content.startsWith('[30]{id,host,state,cpu}\n9007199254740993,web-0,failed,0.50\n'), content.slice(0, 80));
    assert.equal(decodeTables(content), ROWS_TEXT);
    assert.match(decisionTextOf(results[0]?.result.blocks[2]) ?? '', /^compressed:lossless:table \d+% \d+→\d+ tokens$/);
  });

  it('runs under --lossless-only, and writes no marker', async () => {
    const { output, store } = await optimizeText(chat(ROWS_TEXT), { losslessOnly: true });
    const content = (JSON.parse(output) as { messages: { content: string }[] }).messages[2]?.content ?? '';
    assert.equal(decodeTables(content), ROWS_TEXT);
    assert.equal(findMarkers(output).length, 0);
    assert.equal(store.size(), 0);
  });

  it('keeps the selection markers a crusher left at the end of an array, verbatim, on their own lines', async () => {
    const marker = '[headroom: omitted 970 items (indices 30-999 of 1000); headroom_retrieve hash=0123456789abcdef01234567]';
    const input = `${ROWS_TEXT.slice(0, -1)},${JSON.stringify(marker)}]`;
    const { output } = await optimizeText(chat(input));
    const content = (JSON.parse(output) as { messages: { content: string }[] }).messages[2]?.content ?? '';
    assert.equal(content.split('\n').at(-1), marker);
    assert.equal(decodeTables(content), input);
    assert.equal(findMarkers(output).length, 1);
  });

  it('a structured tool output (gemini functionResponse) stays an object; its nested array becomes a table string', async () => {
    const response = `{"hosts":${ROWS_TEXT},"total":30}`;
    const text = JSON.stringify({
      contents: [
        { role: 'user', parts: [{ text: 'Which hosts failed?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'hosts', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'hosts', response: '@RESPONSE@' } }] },
      ],
    }).replace('"@RESPONSE@"', response);
    const { output, results } = await optimizeText(text, { minTokensToCrush: 0, transforms: LOSSLESS });
    const body = JSON.parse(output) as { contents: { parts: { functionResponse?: { response: { hosts: string; total: number } } }[] }[] };
    const written = body.contents[2]?.parts[0]?.functionResponse?.response;
    assert.ok(written && typeof written.hosts === 'string' && written.total === 30);
    assert.ok(written.hosts.startsWith('[30]{id,host,state,cpu}'));
    const start = output.indexOf('"response":') + '"response":'.length;
    assert.equal(decodeTables(output.slice(start, output.length - '}}]}]}'.length)), response);
    assert.deepEqual(validityProblems('gemini', JSON.parse(output)), []);
    assert.match(decisionTextOf(results[0]?.result.blocks[2]) ?? '', /lossless:table/);
  });

  it('a structured top-level array is left an array: it has no nested arrays to lay out', async () => {
    const text = JSON.stringify({
      model: 'gpt-4o',
      input: [
        { role: 'user', content: 'Which hosts failed?' },
        { type: 'function_call', call_id: 'c1', name: 'hosts', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: '@OUTPUT@' },
      ],
    }).replace('"@OUTPUT@"', ROWS_TEXT);
    const { output } = await optimizeText(text, { minTokensToCrush: 0 });
    assert.equal(output, text);
  });
});
