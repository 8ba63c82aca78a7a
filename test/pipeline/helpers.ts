/**
 * Runs optimize (or simulate) on in-memory text, the way the CLI runs it on
 * stdin, and collects what it wrote and reported.
 */
import { CONTENT_KINDS } from '../../src/analysis/content-kind.js';
import { findMarkers } from '../../src/ccr/markers.js';
import { decisionText } from '../../src/cli/reporters/decision.js';
import { MemoryCcrStore } from '../../src/ccr/memory-store.js';
import type { CcrStore } from '../../src/ccr/store.js';
import type { FormatId } from '../../src/formats/types.js';
import type { InputProblem } from '../../src/input/problems.js';
import type { OptimizedRequest } from '../../src/pipeline/optimize-request.js';
import type { SentMessages } from '../../src/pipeline/prefix-freeze.js';
import type { BlockDecision } from '../../src/pipeline/results.js';
import { runOptimize, type OptimizeRunOptions, type OptimizeRunResult } from '../../src/pipeline/optimize.js';
import type { Transform } from '../../src/transforms/types.js';

export interface Optimized {
  output: string;
  results: OptimizedRequest[];
  problems: InputProblem[];
  run: OptimizeRunResult;
  store: CcrStore;
}

export interface OptimizeTextOptions {
  mode?: 'optimize' | 'simulate';
  transforms?: readonly Transform[];
  losslessOnly?: boolean;
  minTokensToCrush?: number;
  prefixFreeze?: boolean;
  /** What earlier runs sent (prefix freeze across runs), and whether transcript calls are tracked and recorded usage freezes. */
  sent?: SentMessages;
  trackTranscripts?: boolean;
  fromRecordedUsage?: boolean;
  /** Cached tokens at which prefix freeze starts (the config default, 1024, unless set). */
  minCachedTokens?: number;
  injectTool?: boolean;
  ccrEnabled?: boolean;
  diff?: boolean;
  format?: FormatId;
  store?: CcrStore;
}

export function memoryStore(): CcrStore {
  return new MemoryCcrStore({ ttlSeconds: 1800, maxEntries: 100_000 });
}

export function runOptions(options: OptimizeTextOptions, store: CcrStore): Omit<OptimizeRunOptions, 'paths' | 'cwd'> {
  return {
    mode: options.mode ?? 'optimize',
    losslessOnly: options.losslessOnly ?? false,
    diff: options.diff ?? false,
    minTokensToCrush: options.minTokensToCrush ?? 200,
    prefixFreeze: {
      enabled: options.prefixFreeze ?? true,
      minCachedTokens: options.minCachedTokens ?? 1024,
      ...(options.sent ? { sent: options.sent } : {}),
      ...(options.trackTranscripts !== undefined ? { trackTranscripts: options.trackTranscripts } : {}),
      ...(options.fromRecordedUsage !== undefined ? { fromRecordedUsage: options.fromRecordedUsage } : {}),
    },
    ccr: { enabled: options.ccrEnabled ?? true, injectMarkers: true, injectTool: options.injectTool ?? true },
    ...(options.transforms ? { transforms: options.transforms } : {}),
    ...(options.format ? { format: options.format } : {}),
    ccrStore: store,
  };
}

/** Optimizes `text` as if it were piped to `headroom optimize`. */
export async function optimizeText(text: string, options: OptimizeTextOptions = {}): Promise<Optimized> {
  const store = options.store ?? memoryStore();
  let output = '';
  const results: OptimizedRequest[] = [];
  const problems: InputProblem[] = [];
  const run = await runOptimize({
    ...runOptions(options, store),
    paths: [],
    cwd: process.cwd(),
    stdin: [text],
    write: (chunk) => {
      output += chunk;
    },
    onResult: (result) => results.push(result),
    onProblem: (problem) => problems.push(problem),
  });
  return { output, results, problems, run, store };
}

const CUSTOMER_NAMES = [
  'Acme',
  'Birch',
  'Cobalt',
  'Dune',
  'Ember',
  'Fjord',
  'Garnet',
  'Harbor',
  'Iris',
  'Juniper',
  'Kestrel',
  'Lumen',
  'Maple',
  'Nimbus',
  'Onyx',
  'Pioneer',
  'Quartz',
  'Raven',
  'Sable',
  'Tundra',
];
const CUSTOMER_KINDS = ['Labs', 'Foods', 'Freight', 'Studio'];

/** Pretty JSON big enough (well over 200 tokens) to be worth compacting. */
export function prettyRows(count: number, extra: Record<string, unknown> = {}): string {
  const rows = Array.from({ length: count }, (_, index) => ({
    id: index + 1,
    status: index % 3 === 0 ? 'open' : 'paid',
    // Distinct names, not "Customer 1, 2, …": rows that differ only in their numbers look alike to SmartCrusher, which
    // would then sample them; these rows are meant to be kept whole (tests of lossy steps build their own data).
    customer: `${CUSTOMER_NAMES[index % CUSTOMER_NAMES.length]} ${CUSTOMER_KINDS[Math.floor(index / CUSTOMER_NAMES.length) % CUSTOMER_KINDS.length]}`,
    amount_cents: 1000 + index * 37,
  }));
  return JSON.stringify({ ...extra, rows }, null, 2);
}

/**
 * A lossy test transform: replaces everything after the first line with a
 * marker. It exists to exercise the CCR machinery; the real lossy
 * compressors arrive in their own issues.
 */
export const keepFirstLine: Transform = {
  name: 'keep_first_line',
  lossless: false,
  accepts: CONTENT_KINDS,
  apply(block, context) {
    if (!context.canOffload) return { decline: 'needs-offload' };
    const newline = block.text.indexOf('\n');
    if (newline < 0) return { decline: 'unsupported-shape' };
    const rest = block.text.slice(newline + 1);
    if (findMarkers(rest).length > 0) return { decline: 'already-marked' };
    const lines = rest.split('\n').length;
    const marker = context.offload({ original: rest, unit: 'lines', count: lines, detail: `lines 2-${lines + 1}` });
    return { text: `${block.text.slice(0, newline)}\n${marker}`, label: `first-line ${lines} lines` };
  },
};

/** A block's decision in the words reports use, or undefined for a missing block. */
export function decisionTextOf(block: BlockDecision | undefined): string | undefined {
  return block ? decisionText(block) : undefined;
}
