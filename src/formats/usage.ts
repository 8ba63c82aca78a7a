/**
 * Normalizes the usage objects providers return into one `Usage` shape.
 *
 * Providers disagree on what "input" means: OpenAI's prompt/input tokens
 * include cached tokens, Anthropic's input_tokens exclude cache reads and
 * writes. Here `input` is always the uncached remainder.
 */
import { arrayField, numberField, objectField, stringField } from './json-text.js';
import { emptyUsage, isJsonObject, type JsonObject, type JsonValue, type Usage, type UsageIteration } from './types.js';

/** Usage from a response body (`usage` / `usageMetadata`), or null when none was recorded. */
export function usageFromResponse(response: JsonValue | null): Usage | null {
  if (!isJsonObject(response)) return null;
  const usage = objectField(response, 'usage') ?? objectField(response, 'usageMetadata');
  return usage ? parseUsage(usage) : null;
}

export function parseUsage(usage: JsonObject): Usage | null {
  const n = (key: string): number => numberField(usage, key) ?? 0;
  const result = emptyUsage();

  // A streamed Anthropic `message_delta` may carry only `{output_tokens}`.
  const outputOnly = 'output_tokens' in usage && !('input_tokens' in usage) && !('prompt_tokens' in usage) && !('promptTokenCount' in usage);
  if (
    outputOnly ||
    'cache_read_input_tokens' in usage ||
    'cache_creation_input_tokens' in usage ||
    ('input_tokens' in usage && 'output_tokens' in usage && !('input_tokens_details' in usage) && !('cached_input_tokens' in usage))
  ) {
    // Anthropic Messages.
    const iterations = anthropicIterations(usage);
    if (iterations) return sumIterations(iterations);
    const own = anthropicIteration(usage, 'message');
    return { ...result, input: own.input, cacheRead: own.cacheRead, cacheWrite5m: own.cacheWrite5m, cacheWrite1h: own.cacheWrite1h, output: own.output };
  }
  if ('prompt_tokens' in usage) {
    // OpenAI Chat Completions.
    const details = objectField(usage, 'prompt_tokens_details');
    const cached = details ? (numberField(details, 'cached_tokens') ?? 0) : 0;
    result.input = Math.max(0, n('prompt_tokens') - cached);
    result.cacheRead = cached;
    result.output = n('completion_tokens');
    const completion = objectField(usage, 'completion_tokens_details');
    result.reasoning = completion ? (numberField(completion, 'reasoning_tokens') ?? 0) : 0;
    return result;
  }
  if ('input_tokens' in usage) {
    // OpenAI Responses (input_tokens_details) and Codex token counts (cached_input_tokens).
    const details = objectField(usage, 'input_tokens_details');
    const cached = details ? (numberField(details, 'cached_tokens') ?? 0) : n('cached_input_tokens');
    result.input = Math.max(0, n('input_tokens') - cached);
    result.cacheRead = cached;
    result.output = n('output_tokens');
    const outputDetails = objectField(usage, 'output_tokens_details');
    result.reasoning = outputDetails ? (numberField(outputDetails, 'reasoning_tokens') ?? 0) : n('reasoning_output_tokens');
    return result;
  }
  if ('promptTokenCount' in usage) {
    // Gemini usageMetadata; thoughts are billed as output.
    const cached = n('cachedContentTokenCount');
    result.input = Math.max(0, n('promptTokenCount') + n('toolUsePromptTokenCount') - cached);
    result.cacheRead = cached;
    result.reasoning = n('thoughtsTokenCount');
    result.output = n('candidatesTokenCount') + result.reasoning;
    return result;
  }
  return null;
}

/** One Anthropic usage object (top level or an entry of `iterations`). */
function anthropicIteration(usage: JsonObject, type: string): UsageIteration {
  const n = (key: string): number => numberField(usage, key) ?? 0;
  const creation = objectField(usage, 'cache_creation');
  const oneHour = creation ? (numberField(creation, 'ephemeral_1h_input_tokens') ?? 0) : 0;
  return {
    type,
    input: n('input_tokens'),
    cacheRead: n('cache_read_input_tokens'),
    cacheWrite5m: Math.max(0, n('cache_creation_input_tokens') - oneHour),
    cacheWrite1h: oneHour,
    output: n('output_tokens'),
  };
}

/**
 * With server-side compaction the top-level numbers are only the last
 * iteration (Anthropic's docs: sum `usage.iterations` for the billed total).
 */
function anthropicIterations(usage: JsonObject): UsageIteration[] | null {
  const entries = arrayField(usage, 'iterations')?.filter(isJsonObject);
  if (!entries || entries.length === 0) return null;
  return entries.map((entry) => anthropicIteration(entry, stringField(entry, 'type') ?? 'message'));
}

function sumIterations(iterations: UsageIteration[]): Usage {
  const total = emptyUsage();
  for (const iteration of iterations) {
    total.input += iteration.input;
    total.cacheRead += iteration.cacheRead;
    total.cacheWrite5m += iteration.cacheWrite5m;
    total.cacheWrite1h += iteration.cacheWrite1h;
    total.output += iteration.output;
  }
  total.iterations = iterations;
  return total;
}

export function addUsage(into: Usage, add: Usage): void {
  into.input += add.input;
  into.cacheRead += add.cacheRead;
  into.cacheWrite5m += add.cacheWrite5m;
  into.cacheWrite1h += add.cacheWrite1h;
  into.output += add.output;
  into.reasoning += add.reasoning;
}

/** All prompt-side tokens the provider processed: uncached + cache reads + cache writes. */
export function promptTokens(usage: Usage): number {
  return usage.input + usage.cacheRead + usage.cacheWrite5m + usage.cacheWrite1h;
}
