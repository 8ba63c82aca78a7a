/** Running the diff compressor on one text, with a context that stores what it offloads, and diffs to run it on. */
import { ccrKey } from '../../src/ccr/key.js';
import { formatMarker } from '../../src/ccr/markers.js';
import { classifyContent } from '../../src/analysis/content-kind.js';
import { defaultConfig, type HeadroomConfig } from '../../src/config/index.js';
import { createDiffCompressor } from '../../src/transforms/diff-compressor/index.js';
import type { Decline, OffloadedSpan, Rewrite, TransformContext } from '../../src/transforms/types.js';

export interface Compressed {
  outcome: Rewrite | Decline;
  /** The output text, or the input when the compressor declined. */
  text: string;
  store: Map<string, string>;
  spans: OffloadedSpan[];
}

export interface CompressOptions {
  config?: (config: HeadroomConfig) => void;
  canOffload?: boolean;
}

/** Tokens as a quarter of the characters: deterministic, and close enough for code to weigh markers. */
export const countQuarter = (text: string): number => Math.ceil(text.length / 4);

export function compress(text: string, options: CompressOptions = {}): Compressed {
  const config = defaultConfig();
  options.config?.(config);
  const transform = createDiffCompressor(config);
  if (transform === null) throw new Error('diff_compressor is disabled by this configuration');
  const store = new Map<string, string>();
  const spans: OffloadedSpan[] = [];
  const canOffload = options.canOffload ?? true;
  const context: TransformContext = {
    request: { provider: 'openai', format: 'openai-chat', model: 'gpt-4o', query: null },
    call: null,
    toolName: 'Bash',
    filePath: null,
    count: countQuarter,
    canOffload,
    offload(span) {
      if (!canOffload) throw new Error('offload while markers are disabled');
      const key = ccrKey(span.original);
      store.set(key, span.original);
      spans.push(span);
      return formatMarker({ key, count: span.count, unit: span.unit, ...(span.detail === undefined ? {} : { detail: span.detail }) });
    },
  };
  const block = { index: 0, messageIndex: 0, kind: 'tool_result' as const, text, tokens: countQuarter(text), flags: {}, content: classifyContent(text), structured: false };
  const outcome = transform.apply(block, context) as Rewrite | Decline;
  return { outcome, text: 'text' in outcome ? outcome.text : text, store, spans };
}

/** `count` context lines of realistic width, numbered from `from`. */
export function contextLines(prefix: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => ` ${prefix}    const value${from + i} = computeSomething(input, ${from + i}); // keeps the shape of real code`);
}

/** One file's diff with one hunk: `before` context lines, the changes, `after` context lines; counts in the header are right. */
export function fileDiff(path: string, before: number, removed: string[], added: string[], after: number, start = 10): string {
  const oldCount = before + removed.length + after;
  const newCount = before + added.length + after;
  return [
    `diff --git a/${path} b/${path}`,
    'index 83db48f..bf269f4 100644',
    `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -${start},${oldCount} +${start},${newCount} @@ function example() {`,
    ...contextLines('', start, before),
    ...removed.map((line) => `-${line}`),
    ...added.map((line) => `+${line}`),
    ...contextLines('', start + before + 1, after),
  ].join('\n');
}
