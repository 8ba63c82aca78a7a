/**
 * Running one transform directly: a context whose offload stores originals
 * under their CCR key (the way the pipeline's store does) and records each
 * span, and a block for one tool output. Every direct compressor test builds
 * its context and block here, so the scaffolding has one shape.
 */
import { classifyContent, type ContentClass } from '../../src/analysis/content-kind.js';
import { ccrKey } from '../../src/ccr/key.js';
import { formatMarker } from '../../src/ccr/markers.js';
import type { OffloadedSpan, ProducingCall, TransformBlock, TransformContext } from '../../src/transforms/types.js';

/** A rough token count (a quarter of the characters): deterministic, and close enough for the savings rule in direct tests. */
export const roughTokens = (text: string): number => Math.ceil(text.length / 4);

export interface StoringOptions {
  query?: string | null;
  /** The request's model; `gpt-4o` unless given (json_table's tests pass `null`). */
  model?: string | null;
  call?: ProducingCall | null;
  toolName?: string | null;
  filePath?: string | null;
  /** When false, the context says so and `offload` throws: a compressor must decline instead. */
  canOffload?: boolean;
  /** Token count; `roughTokens` unless a real tokenizer's count is passed. */
  count?: (text: string) => number;
}

export interface StoringContext {
  context: TransformContext;
  /** Key → original, as offloaded. */
  originals: Map<string, string>;
  /** The offloaded spans in order. */
  spans: OffloadedSpan[];
}

/** A context for one tool output; pass `originals`/`spans` to collect into the caller's own. */
export function storingContext(options: StoringOptions = {}, originals = new Map<string, string>(), spans: OffloadedSpan[] = []): StoringContext {
  const canOffload = options.canOffload ?? true;
  const context: TransformContext = {
    request: { provider: 'openai', format: 'openai-chat', model: options.model === undefined ? 'gpt-4o' : options.model, query: options.query ?? null },
    call: options.call ?? null,
    toolName: options.toolName ?? null,
    filePath: options.filePath ?? null,
    count: options.count ?? roughTokens,
    canOffload,
    offload(span) {
      if (!canOffload) throw new Error('offload while markers are disabled');
      const key = ccrKey(span.original);
      originals.set(key, span.original);
      spans.push(span);
      return formatMarker({ key, count: span.count, unit: span.unit, ...(span.detail === undefined ? {} : { detail: span.detail }) });
    },
  };
  return { context, originals, spans };
}

export interface BlockOptions {
  /** Token count of the text; `roughTokens` unless given. */
  count?: (text: string) => number;
  /** The content class; `classifyContent(text)` unless given. */
  content?: ContentClass;
  structured?: boolean;
}

/** One tool output as the router hands it to a transform. */
export function toolBlock(text: string, options: BlockOptions = {}): TransformBlock {
  return {
    index: 0,
    messageIndex: 0,
    kind: 'tool_result',
    text,
    tokens: (options.count ?? roughTokens)(text),
    flags: {},
    content: options.content ?? classifyContent(text),
    structured: options.structured ?? false,
  };
}
