/**
 * One tool output as a request, for the compressor and parity sections: an
 * OpenAI chat body with a system prompt, the user's question, the call that
 * produced the output (its real tool name and arguments, so the compressors
 * see what they see in a real session) and the output as its result. And the
 * way back: the tool output's text and decision in what optimize returned.
 */

/** The request body (JSON text) for `text` produced by `tool(args)`. */
export function toolRequest(text, { tool, args, query }) {
  return JSON.stringify({
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: 'You are a coding and operations assistant.' },
      { role: 'user', content: query },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_0001', type: 'function', function: { name: tool, arguments: JSON.stringify(args) } }] },
      { role: 'tool', tool_call_id: 'call_0001', content: text },
    ],
  });
}

/** The tool output's text in an optimized body made by `toolRequest`. */
export function toolOutputText(body) {
  return JSON.parse(body).messages[3].content;
}

/** The tool output's block decision in an optimize result. */
export function toolOutputDecision(result) {
  return result.blocks.find((block) => block.kind === 'tool_result');
}

/** The p-th percentile of ascending `sorted` (nearest rank); null when empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
