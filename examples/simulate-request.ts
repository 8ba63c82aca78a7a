import { defaultConfig, simulateRequest } from 'headroom';

const toolOutput = JSON.stringify({ items: Array.from({ length: 30 }, (_, i) => ({ id: i, ok: true })) }, null, 2);
const simulation = await simulateRequest(
  {
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    messages: [
      { role: 'user', content: 'Are all items ok?' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'list_items', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: toolOutput }] },
    ],
  },
  { config: defaultConfig() },
);
console.log(simulation.tokens_saved, 'tokens saved,', simulation.estimated_savings);
