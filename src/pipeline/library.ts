/**
 * The library's entry points. Each takes the resolved `HeadroomConfig`
 * (from `loadConfig`, `resolveConfig` or `defaultConfig`) and runs the same
 * pipeline as the CLI: one request body in (`auditRequest`,
 * `optimizeRequest`, `simulateRequest`), or paths (`runAudit`,
 * `runOptimize`). A body goes through the CLI's own reader and format
 * detection as if it were piped in, so there is no second parser.
 */
import type { RequestReport } from '../analysis/report-types.js';
import { MemoryCcrStore } from '../ccr/memory-store.js';
import type { CcrPut, CcrStore } from '../ccr/store.js';
import { defaultConfig, type HeadroomConfig } from '../config/headroom-config.js';
import type { FormatId, JsonValue } from '../formats/types.js';
import { InputError, type InputProblem } from '../input/problems.js';
import { runAudit as runAuditWith, type AuditOptions, type AuditResult } from './audit.js';
import type { OptimizedRequest } from './optimize-request.js';
import type { SentMessages } from './prefix-freeze.js';
import { runOptimize as runOptimizeWith, type OptimizeRunOptions, type OptimizeRunResult } from './optimize.js';
import { auditOptions, optimizeOptions, type RunContext } from './options.js';
import type { Transform } from '../transforms/types.js';
import type { RequestMetrics, TransformResult } from './results.js';
import { transformServices, type ServiceOptions } from './services.js';
import { simulationResult, type SimulationResult } from './simulation.js';

/** A request body: its JSON text (kept byte for byte where nothing changes) or a parsed JSON value. */
export type RequestBody = string | JsonValue;

export interface RequestOptions {
  /** The resolved configuration; `defaultConfig()` when absent. */
  config?: HeadroomConfig;
  /** Read the body as this format instead of detecting it. */
  format?: FormatId;
  /** How the body is named in its request id and in errors (default `<request>`). */
  name?: string;
}

/**
 * What the library's optimize and simulate entry points lend the transforms:
 * `feedback`, the learned hints (e.g. a MemoryFeedbackStore your retrieval
 * handler records into with recordRetrieval, or openFeedbackReader on a store
 * file), used when `smart_crusher.use_feedback_hints` is on; `onWarning`,
 * called once per distinct warning of the run.
 */
export type TransformServiceOptions = ServiceOptions;

/** Options of `simulateRequest`. */
export interface SimulateRequestOptions extends RequestOptions, TransformServiceOptions {}

export interface OptimizeRequestOptions extends RequestOptions, TransformServiceOptions {
  /** Where originals behind markers go; a new in-memory store (sized by `ccr.*`) when absent. */
  ccrStore?: CcrStore;
  /** Clock for `metrics.timestamp` only. */
  now?: () => Date;
  /** Your own compressors, in order, instead of those the configuration turns on. */
  transforms?: readonly Transform[];
  /**
   * What earlier calls sent (prefix freeze across calls): keep one
   * `sentMessagesTracker()` per client and pass it to every call, and each
   * call sends what an earlier call of the same conversation sent exactly as
   * it was sent, so the provider's prompt cache keeps hitting.
   */
  sentMessages?: SentMessages;
}

export interface OptimizedBody<B extends RequestBody> {
  /** The optimized body in its own format: JSON text (every untouched byte kept) for text, a value for a value. */
  body: B extends string ? string : JsonValue;
  result: TransformResult;
  metrics: RequestMetrics;
  /** The originals stored behind the markers in `body`. */
  ccrEntries: CcrPut[];
  /** The store holding them, for `retrieveItems` or `store.get(key)`. */
  ccrStore: CcrStore;
}

const BODY_NAME = '<request>';

/** The audit report of one request body. Throws InputError when the body is not exactly one request. */
export async function auditRequest(body: RequestBody, options: RequestOptions = {}): Promise<RequestReport> {
  const reports: RequestReport[] = [];
  const read = bodyReader(body, options);
  const result = await runAuditWith(auditOptions(options.config ?? defaultConfig(), { ...read.context, onRequest: (report) => reports.push(report) }));
  return read.one(reports, result.stoppedAt);
}

/** Optimizes one request body; its originals go to `options.ccrStore` (or a new in-memory store) before it is returned. */
export async function optimizeRequest<B extends RequestBody>(body: B, options: OptimizeRequestOptions = {}): Promise<OptimizedBody<B>> {
  const config = options.config ?? defaultConfig();
  const read = bodyReader(body, options);
  // The run stores into a scratch store; the caller's store gets the originals only once the body proved to be one request.
  const scratch = memoryStoreFor(config);
  const results: OptimizedRequest[] = [];
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const configured = optimizeOptions(config, { ...read.context, ccrStore: scratch, services: servicesFor(config, options) });
  const run = await runOptimizeWith({
    ...configured,
    ...(options.sentMessages ? { prefixFreeze: { ...configured.prefixFreeze, sent: options.sentMessages } } : {}),
    mode: 'optimize',
    ...(options.now ? { now: options.now } : {}),
    ...(options.transforms ? { transforms: options.transforms } : {}),
    write: (chunk) => chunks.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk)),
    onResult: (optimized) => results.push(optimized),
  });
  const optimized = read.one(results, run.stoppedAt);
  if (optimized.request.format === 'claude-code' || optimized.request.format === 'codex') {
    // Optimize writes a transcript as a request body of its provider, which is not the body's own format.
    throw new InputError({ file: read.name, severity: 'error', message: `a ${optimized.request.format} transcript is not a request body; use runOptimize for transcripts` });
  }
  const ccrStore = options.ccrStore ?? scratch;
  if (ccrStore !== scratch && optimized.ccrEntries.length > 0) ccrStore.put(optimized.ccrEntries);
  const text = chunks.join('');
  const out = (typeof body === 'string' ? text : (JSON.parse(text) as JsonValue)) as OptimizedBody<B>['body'];
  return { body: out, result: optimized.result, metrics: optimized.metrics, ccrEntries: optimized.ccrEntries, ccrStore };
}

/** What optimize would save on one request body, in tokens and dollars; nothing is stored. */
export async function simulateRequest(body: RequestBody, options: SimulateRequestOptions = {}): Promise<SimulationResult> {
  const read = bodyReader(body, options);
  const rows: SimulationResult[] = [];
  const config = options.config ?? defaultConfig();
  const run = await runOptimizeWith({
    ...optimizeOptions(config, { ...read.context, ccrStore: null, services: servicesFor(config, options) }),
    mode: 'simulate',
    onResult: (optimized) => rows.push(simulationResult(optimized)),
  });
  return read.one(rows, run.stoppedAt);
}

/** Run-level options for library callers: the configuration plus what it cannot know. */
export interface AuditRunOptions extends Omit<RunContext, 'paths'>, Pick<AuditOptions, 'onRequest'> {
  config?: HeadroomConfig;
}

export interface OptimizeRunLibraryOptions extends Omit<RunContext, 'paths'>, Pick<OptimizeRunOptions, 'write' | 'onResult' | 'exclude'>, TransformServiceOptions {
  config?: HeadroomConfig;
  /** `optimize` (default) writes through `write` and stores originals; `simulate` only reports. */
  mode?: OptimizeRunOptions['mode'];
  /** Where originals go in optimize mode; a new in-memory store (sized by `ccr.*`) when absent. */
  ccrStore?: CcrStore;
}

/** Audits everything under `paths` (empty: stdin), or runs with fully spelled-out AuditOptions. */
export function runAudit(options: AuditOptions): Promise<AuditResult>;
export function runAudit(paths: readonly string[], options?: AuditRunOptions): Promise<AuditResult>;
export function runAudit(first: AuditOptions | readonly string[], options: AuditRunOptions = {}): Promise<AuditResult> {
  if (!isPaths(first)) return runAuditWith(first);
  const { config, ...run } = options;
  return runAuditWith(auditOptions(config ?? defaultConfig(), { ...run, paths: first }));
}

/** Optimizes (or simulates) everything under `paths`, or runs with fully spelled-out OptimizeRunOptions. */
export function runOptimize(options: OptimizeRunOptions): Promise<OptimizeRunResult>;
export function runOptimize(paths: readonly string[], options?: OptimizeRunLibraryOptions): Promise<OptimizeRunResult & { ccrStore: CcrStore | null }>;
export async function runOptimize(
  first: OptimizeRunOptions | readonly string[],
  options: OptimizeRunLibraryOptions = {},
): Promise<OptimizeRunResult | (OptimizeRunResult & { ccrStore: CcrStore | null })> {
  if (!isPaths(first)) return runOptimizeWith(first);
  const { config: given, mode = 'optimize', ccrStore: store, write, onResult, exclude, feedback, onWarning, ...run } = options;
  const config = given ?? defaultConfig();
  // Simulate stores nothing, as on the command line.
  const ccrStore = mode === 'simulate' ? null : (store ?? memoryStoreFor(config));
  const result = await runOptimizeWith({
    ...optimizeOptions(config, { ...run, paths: first, ccrStore, services: servicesFor(config, { feedback, onWarning }) }),
    mode,
    ...(write ? { write } : {}),
    ...(onResult ? { onResult } : {}),
    ...(exclude ? { exclude } : {}),
  });
  return { ...result, ccrStore };
}

/** An in-memory CCR store sized by the configuration's `ccr.store_ttl_seconds` and `ccr.store_max_entries`. */
export function memoryStoreFor(config: HeadroomConfig): MemoryCcrStore {
  return new MemoryCcrStore({ ttlSeconds: config.ccr.storeTtlSeconds, maxEntries: config.ccr.storeMaxEntries });
}

/** The run's services; the feedback only when the configuration uses hints. */
function servicesFor(config: HeadroomConfig, options: TransformServiceOptions): ReturnType<typeof transformServices> {
  return transformServices({ feedback: config.smartCrusher.useFeedbackHints ? (options.feedback ?? null) : null, ...(options.onWarning ? { onWarning: options.onWarning } : {}) });
}

function isPaths(value: unknown): value is readonly string[] {
  return Array.isArray(value);
}

/**
 * Feeds one body to a run as its stdin, remembers the first input error, and
 * checks afterwards that the body held exactly one request.
 */
function bodyReader(body: RequestBody, options: RequestOptions) {
  const name = options.name ?? BODY_NAME;
  let firstError: InputProblem | null = null;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const context: RunContext = {
    paths: [],
    stdin: [text],
    stdinName: name,
    // The first error ends the run: a body is one request, so the rest would be noise.
    strict: true,
    ...(options.format ? { format: options.format } : {}),
    onProblem: (problem) => {
      if (problem.severity === 'error') firstError ??= problem;
    },
  };
  return {
    name,
    context,
    one<T>(found: readonly T[], stoppedAt: InputProblem | null): T {
      const problem = stoppedAt ?? firstError;
      if (problem) throw new InputError(problem);
      if (found.length !== 1) {
        const message =
          found.length === 0
            ? 'no request found: expected one request body (OpenAI Chat or Responses, Anthropic Messages, Gemini) or a messages array'
            : `expected one request body, found ${found.length} requests; use runAudit or runOptimize for logs and transcripts`;
        throw new InputError({ file: name, severity: 'error', message });
      }
      return found[0] as T;
    },
  };
}
