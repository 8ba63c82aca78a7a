import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextManagementOf } from '../../src/formats/context-management.js';
import type { JsonObject } from '../../src/formats/types.js';
import { runMain } from '../cli/run-main.js';

const BODY: JsonObject = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'hi' }],
  context_management: {
    edits: [
      {
        type: 'clear_tool_uses_20250919',
        trigger: { type: 'input_tokens', value: 30000 },
        keep: { type: 'tool_uses', value: 2 },
        clear_at_least: { type: 'input_tokens', value: 5000 },
        exclude_tools: ['web_search'],
        clear_tool_inputs: false,
      },
      { type: 'clear_thinking_20251015', keep: 'all' },
    ],
  },
};
const RESPONSE: JsonObject = {
  type: 'message',
  context_management: { applied_edits: [{ type: 'clear_tool_uses_20250919', cleared_tool_uses: 8, cleared_input_tokens: 50000 }] },
};

describe('context_management as recorded', () => {
  it('reads the requested edits with their settings and what the response reports cleared', () => {
    assert.deepEqual(contextManagementOf(BODY, RESPONSE), {
      requested: [
        {
          type: 'clear_tool_uses_20250919',
          trigger: '30000 input_tokens',
          keep: '2 tool_uses',
          clear_at_least: '5000 input_tokens',
          exclude_tools: ['web_search'],
          clear_tool_inputs: false,
        },
        { type: 'clear_thinking_20251015', trigger: null, keep: 'all', clear_at_least: null, exclude_tools: null, clear_tool_inputs: null },
      ],
      applied: [{ type: 'clear_tool_uses_20250919', cleared_tool_uses: 8, cleared_thinking_turns: null, cleared_input_tokens: 50000 }],
    });
    assert.equal(contextManagementOf({ messages: [] }, { context_management: null }), null);
  });

  it('is a field of the audit request report: the edits a request body asks for, null without them', async () => {
    const withEdits = await runMain(['audit', '-', '--json', '--per-request'], { input: JSON.stringify(BODY) });
    const report = JSON.parse(withEdits.stdout) as { requests: { context_management: { requested: { type: string }[] } | null }[] };
    assert.deepEqual(
      report.requests[0]?.context_management?.requested.map((edit) => edit.type),
      ['clear_tool_uses_20250919', 'clear_thinking_20251015'],
    );
    const plain = await runMain(['audit', '-', '--json', '--per-request'], { input: JSON.stringify({ ...BODY, context_management: undefined }) });
    assert.equal((JSON.parse(plain.stdout) as { requests: { context_management: unknown }[] }).requests[0]?.context_management, null);
  });
});
