/** Running the log compressor on its own: a context that stores what it offloads, and generated logs. */
import fc from 'fast-check';
import { expandMarkers } from '../../src/ccr/markers.js';
import { defaultConfig } from '../../src/config/index.js';
import type { LogCompressorConfig } from '../../src/config/headroom-config.js';
import { getTokenCounter, type TokenCounter } from '../../src/tokens/counter.js';
import { logCompressor } from '../../src/transforms/log-compressor/index.js';
import type { Decline, OffloadedSpan, Rewrite } from '../../src/transforms/types.js';
import { storingContext, toolBlock } from './harness.js';

export interface LogRun {
  outcome: Rewrite | Decline;
  /** The output, or the input when the compressor declined. */
  text: string;
  /** The output with every marker expanded from what was offloaded. */
  expanded: string | null;
  spans: OffloadedSpan[];
}

/** The o200k counter the compressor's token checks use in these tests. */
export function o200k(): Promise<TokenCounter> {
  return getTokenCounter('o200k_base');
}

export function compress(input: string, tokens: TokenCounter, overrides: Partial<LogCompressorConfig> = {}, canOffload = true): LogRun {
  const count = (text: string): number => tokens.count(text);
  const { context, originals, spans } = storingContext({ toolName: null, count, canOffload });
  const transform = logCompressor({ ...defaultConfig().logCompressor, ...overrides });
  const outcome = transform.apply(toolBlock(input, { count, content: { kind: 'build-log', confidence: 1 } }), context) as Rewrite | Decline;
  const text = 'text' in outcome ? outcome.text : input;
  return { outcome, text, expanded: expandMarkers(text, (key) => originals.get(key) ?? null), spans };
}

const word = fc.constantFrom('worker', 'batch', 'cache', 'request', 'db', 'queue', 'user', 'job', 'sync', 'GET', '/api/v1/items', 'done', 'started');
const plainLine = fc.tuple(fc.array(word, { minLength: 1, maxLength: 5 }), fc.nat(5000)).map(([words, n]) => `${words.join(' ')} ${n}`);

/** Log lines of every kind the compressor tells apart, in any mix and with any terminators. */
export const logLineArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: plainLine.map((line) => `2026-11-30T10:00:00Z INFO ${line}`) },
  { weight: 3, arbitrary: fc.nat(500).map((n) => `GET /api/v1/items/${n} 200`) },
  { weight: 1, arbitrary: plainLine.map((line) => `ERROR ${line}`) },
  { weight: 1, arbitrary: plainLine.map((line) => `WARN deprecated option ${line}`) },
  { weight: 1, arbitrary: fc.nat(99).map((n) => `    at handler (src/server.ts:${n}:7)`) },
  { weight: 1, arbitrary: fc.constantFrom('Traceback (most recent call last):', '  File "app.py", line 3, in main', 'ValueError: bad input', '') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'FAILED tests/test_a.py::test_x - assert 1 == 2',
      '3 failed, 12 passed in 1.20s',
      '--- FAIL: TestThing (0.01s)',
      '##[error]Process completed with exit code 1',
    ),
  },
  { weight: 1, arbitrary: plainLine.map((line) => `\x1b[32m${line}\x1b[0m`) },
);

export const logArb: fc.Arbitrary<string> = fc
  .tuple(fc.array(logLineArb, { minLength: 1, maxLength: 300 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([lines, eol, trailing]) => lines.join(eol) + (trailing ? eol : ''));
