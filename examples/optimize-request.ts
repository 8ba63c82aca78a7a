import { InputError, MemoryCcrStore, optimizeRequest, resolveConfig } from 'headroom';

// Settings as a config file spells them, over the defaults.
const config = resolveConfig({ smart_crusher: { min_tokens_to_crush: 100 } });
const store = new MemoryCcrStore({ ttlSeconds: 1800, maxEntries: 1000 });

const rows = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, status: i % 3 ? 'paid' : 'open' }));
const text = JSON.stringify({
  model: 'gpt-4o',
  messages: [
    { role: 'user', content: 'Which invoices are open?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'list_invoices', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: JSON.stringify(rows, null, 2) },
  ],
});

// Text in, text out: every byte outside the rewritten tool output is kept.
const { body, result, metrics, ccrEntries } = await optimizeRequest(text, { config, ccrStore: store });
console.log(result.tokens_before, '→', result.tokens_after, result.transforms_applied);
console.log(metrics.cache_optimizer_strategy, metrics.cacheable_tokens);
console.log(body.length < text.length, ccrEntries.length, 'originals stored');

// Bad input is a typed error with one line, not a stack.
try {
  await optimizeRequest('{"model": "gpt-4o", "messages": [');
} catch (error) {
  if (error instanceof InputError) console.log(error.message);
  else throw error;
}
