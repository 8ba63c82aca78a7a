/**
 * Optimize and simulate runs: sources → records → requests → optimized
 * requests → (optimize) the same records written back with their edits, or
 * (simulate) reports only. Standalone requests stream through one record at
 * a time; session transcripts are held per file, and optimize writes the
 * final request of each of their conversations as a request body.
 */
import { RequestAnalyzer } from '../analysis/request-analysis.js';
import { CacheAligner } from '../cache/aligner/aligner.js';
import type { CcrStore } from '../ccr/store.js';
import type { TranscriptCall } from '../formats/descriptor.js';
import { classifyRecord, formatOfShape } from '../formats/detect.js';
import { parseSource } from '../formats/parse-source.js';
import { FORMATS } from '../formats/registry.js';
import type { FormatId, JsonValue, Request } from '../formats/types.js';
import { StrictModeStop, type InputProblem } from '../input/problems.js';
import { openSourceStream, readRecords, type RecordEvent } from '../input/records.js';
import { DEFAULT_CONFIG, type CacheAlignerConfig } from '../config/headroom-config.js';
import { buildTransforms } from '../transforms/index.js';
import type { Transform } from '../transforms/types.js';
import { internalError, sourcesFor, totalSize, type AuditProgress } from './audit.js';
import { MemoryGovernor } from './memory.js';
import { RequestOptimizer, type OptimizedRequest, type OptimizerOptions } from './optimize-request.js';
import { RecordWriter } from './record-writer.js';
import { addedToolJson, recordKey, requestEdits, rewrittenParts } from './write-back.js';

/** The transforms of the default configuration; a run given a configuration builds its own (`buildTransforms`). */
export const DEFAULT_TRANSFORMS: readonly Transform[] = buildTransforms(DEFAULT_CONFIG);

export interface OptimizeRunOptions extends Omit<OptimizerOptions, 'transforms'> {
  paths: readonly string[];
  cwd: string;
  format?: FormatId;
  strict?: boolean;
  transforms?: readonly Transform[];
  /** Where originals behind markers are stored; required for optimize when markers are possible. */
  ccrStore?: CcrStore | null;
  /** The CacheAligner's settings (`cache_aligner`); the defaults when absent. */
  cacheAligner?: CacheAlignerConfig;
  /** A warning of the run (a detection tier that cannot run), passed on once. */
  onWarning?: (message: string) => void;
  /** `max_tokens` of the Anthropic bodies written for Claude Code transcripts (`output_buffer_tokens`). */
  outputBufferTokens?: number;
  /**
   * Receives the optimized output (optimize mode): text, except that a record
   * holding bytes that are not valid UTF-8, written unchanged, arrives as
   * those bytes.
   */
  write?: (chunk: string | Uint8Array) => void;
  /** Absolute paths never read as inputs (the output file and its temporary file). */
  exclude?: readonly string[];
  stdin?: AsyncIterable<Buffer | string> | Iterable<Buffer | string>;
  /** How stdin is named in request ids and problems (default `<stdin>`). */
  stdinName?: string;
  onResult?: (optimized: OptimizedRequest) => void;
  /** Messages of a request to leave as they are (replay: what the optimized conversation already sent); undefined: prefix freeze decides. */
  frozenMessages?: (request: Request) => number | undefined;
  /**
   * Weigh adding the retrieval tool against the cache the request's recorded
   * usage reports (replay: a call of a recorded session, whose cache also held
   * the system prompt and tools a transcript does not record). Off by
   * default, where the weighing counts what the request itself shows, so that
   * optimizing optimize's own output changes nothing.
   */
  weighRecordedCache?: boolean;
  onProblem?: (problem: InputProblem) => void;
  onProgress?: (progress: AuditProgress) => void;
}

export interface OptimizeRunResult {
  requests: number;
  tokensBefore: number;
  tokensAfter: number;
  /** Originals stored in the CCR store. */
  stored: number;
  /** Stored originals the store evicted to stay within `ccr.store_max_entries`. */
  evicted: number;
  errors: number;
  notes: number;
  /** Files read (stdin not counted), and how many of them were skipped whole (not a conversation, the output file). */
  sources: number;
  skippedFiles: number;
  stoppedAt: InputProblem | null;
}

/** The config default of `output_buffer_tokens`. */
const DEFAULT_OUTPUT_BUFFER_TOKENS = 4000;

export async function runOptimize(options: OptimizeRunOptions): Promise<OptimizeRunResult> {
  const cacheAligner = new CacheAligner(options.cacheAligner);
  for (const warning of cacheAligner.tierWarnings()) options.onWarning?.(warning);
  const analyzer = new RequestAnalyzer({ budgetTokens: null, largestOutputs: 0, cacheAligner });
  const optimizer = new RequestOptimizer(analyzer, { ...options, transforms: options.transforms ?? DEFAULT_TRANSFORMS });
  const totals: OptimizeRunResult = { requests: 0, tokensBefore: 0, tokensAfter: 0, stored: 0, evicted: 0, errors: 0, notes: 0, sources: 0, skippedFiles: 0, stoppedAt: null };

  const report = (problem: InputProblem): void => {
    if (problem.severity === 'error') totals.errors++;
    else totals.notes++;
    if (problem.skipped) totals.skippedFiles++;
    options.onProblem?.(problem);
    if (problem.severity === 'error' && options.strict) throw new StrictModeStop(problem);
  };
  /** A failure of ours on one request is reported on it (see internalError); the run goes on. */
  const optimizeOrReport = async (request: Request): Promise<OptimizedRequest | null> => {
    try {
      return await optimizer.optimize(request, options.frozenMessages?.(request), options.weighRecordedCache === true);
    } catch (error) {
      report(internalError(request, error));
      return null;
    }
  };
  const finishRequest = (optimized: OptimizedRequest): void => {
    if (options.mode === 'optimize' && optimized.ccrEntries.length > 0) {
      // The originals go in before any marker pointing at them is written out.
      if (!options.ccrStore) throw new Error('markers were written but no CCR store is open');
      const { evicted } = options.ccrStore.put(optimized.ccrEntries);
      totals.stored += optimized.ccrEntries.length;
      totals.evicted += evicted;
    }
    totals.requests++;
    totals.tokensBefore += optimized.result.tokens_before;
    totals.tokensAfter += optimized.result.tokens_after;
    options.onResult?.(optimized);
  };

  try {
    const sources = await sourcesFor(options, report);
    totals.sources = sources.filter((source) => source.kind === 'file').length;
    const totalBytes = await totalSize(sources);
    const memory = new MemoryGovernor();
    const oneLinePerDocument = sources.length > 1;
    let bytesBefore = 0;
    for (const source of sources) {
      const chunks = source.kind === 'stdin' && options.stdin ? options.stdin : openSourceStream(source);
      const writer = options.mode === 'optimize' && options.write ? new RecordWriter({ write: options.write, oneLinePerDocument, onProblem: report }) : null;
      const records = tapRecords(readRecords(source, chunks, { keepRaw: writer !== null }), writer, options.format);
      const finalRequests = new Map<string, Request>();
      let sourceBytes = 0;
      for await (const event of parseSource(source, records, { format: options.format })) {
        if (event.kind === 'request') {
          const request = event.request;
          if (writer && FORMATS[request.format].transcript) {
            // Only the last call of each conversation is written; it is optimized at the end of the file.
            finalRequests.set(request.conversation ?? request.id, request);
            continue;
          }
          if (writer) writer.markUsed(recordKey(request.origin));
          // On a failure the record is written as it was read.
          const optimized = await optimizeOrReport(request);
          if (!optimized) continue;
          if (writer) addRequestEdits(writer, optimized);
          finishRequest(optimized);
        } else if (event.kind === 'problem') {
          report(event.problem);
        } else {
          sourceBytes = event.bytes;
          memory.maybeCollect(bytesBefore + sourceBytes);
          options.onProgress?.({ file: source.name, bytes: bytesBefore + sourceBytes, totalBytes, requests: totals.requests });
        }
      }
      if (writer) {
        const bodies: string[] = [];
        for (const request of finalRequests.values()) {
          const optimized = await optimizeOrReport(request);
          if (!optimized) continue;
          addRequestEdits(writer, optimized);
          const call = transcriptCall(optimized, (key) => writer.editedText(key), options.outputBufferTokens ?? DEFAULT_OUTPUT_BUFFER_TOKENS);
          const body = FORMATS[optimized.request.format].transcriptBody;
          if (body) bodies.push(body(call));
          finishRequest(optimized);
        }
        writer.finish(finalRequests.size > 0);
        for (const body of bodies) options.write?.(`${body}\n`);
      }
      bytesBefore += sourceBytes;
    }
  } catch (error) {
    if (!(error instanceof StrictModeStop)) throw error;
    totals.stoppedAt = error.problem;
  }
  return totals;
}

function addRequestEdits(writer: RecordWriter, optimized: OptimizedRequest): void {
  for (const [key, edits] of requestEdits(optimized, (k) => writer.value(k))) writer.addEdits(key, edits);
}

/** What a transcript's descriptor needs to write an optimized call as a request body. */
function transcriptCall(optimized: OptimizedRequest, editedText: (key: string) => string, maxTokens: number): TranscriptCall {
  const texts = rewrittenParts(optimized.edits);
  return {
    request: optimized.request,
    editedText: (origin) => editedText(recordKey(origin)),
    newText: (part) => texts.get(part),
    toolJson: addedToolJson(optimized.edits),
    frozenMessageCount: optimized.result.cache_metrics.frozen_message_count,
    maxTokens,
  };
}

/**
 * Passes record events on to the parser while keeping each record's text in
 * the writer. When the parser asks for the next record it has finished with
 * the previous ones (their requests were handled), so they can be written.
 */
async function* tapRecords(events: AsyncIterable<RecordEvent>, writer: RecordWriter | null, format: FormatId | undefined): AsyncGenerator<RecordEvent> {
  for await (const event of events) {
    if (writer) {
      writer.flush();
      if (event.kind === 'record' && event.raw) writer.addRecord(event.origin, event.raw, event.value, isHeld(event.value, format));
      else if (event.kind === 'other-line') writer.addOtherLine(event.raw, event.origin);
    }
    yield event;
  }
}

function isHeld(value: JsonValue, format: FormatId | undefined): boolean {
  if (format) return FORMATS[format].heldUntilEnd;
  const detected = formatOfShape(classifyRecord(value));
  return detected !== null && FORMATS[detected].heldUntilEnd;
}
