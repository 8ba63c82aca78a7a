/**
 * Audit mode: sources → records → requests → analysis → summary. Nothing is
 * changed. Requests stream through one at a time (each is reported through
 * `onRequest` and then dropped), so memory stays bounded by the largest
 * record and by the stateful formats' sessions.
 */
import { promises as fs } from 'node:fs';
import { parseSource } from '../formats/parse-source.js';
import type { FormatId, Request } from '../formats/types.js';
import { StrictModeStop, type InputProblem } from '../input/problems.js';
import { openSourceStream, readRecords } from '../input/records.js';
import { resolveSources, stdinSource, type Source } from '../input/sources.js';
import { RequestAnalyzer } from '../analysis/request-analysis.js';
import { CacheAligner } from '../cache/aligner/aligner.js';
import type { CacheAlignerConfig } from '../config/headroom-config.js';
import type { RequestReport } from '../analysis/report-types.js';
import { SummaryBuilder, type AuditSummary } from '../analysis/summary.js';
import { MemoryGovernor } from './memory.js';
import { requestBreakpointProblems } from '../cache/optimizers/index.js';

export interface AuditProgress {
  file: string;
  /** Bytes read so far over all sources. */
  bytes: number;
  /** Total bytes of all file sources (stdin adds nothing: its size is unknown). */
  totalBytes: number;
  requests: number;
}

export interface AuditOptions {
  /** Paths, directories, globs or `-`. Empty means stdin. */
  paths: readonly string[];
  cwd: string;
  /** Forces one input format instead of detecting it. */
  format?: FormatId;
  /** Stop at the first input error. */
  strict?: boolean;
  budgetTokens?: number | null;
  topOffenders?: number;
  /** How many of each request's largest tool outputs its report lists (default 3). */
  largestOutputsPerRequest?: number;
  /** The dynamic content detector's settings (`cache_aligner`); the defaults when absent. */
  cacheAligner?: CacheAlignerConfig;
  /** A warning of the run (a detection tier that cannot run), passed on once. */
  onWarning?: (message: string) => void;
  /** Replaces process.stdin, for library use and tests. */
  stdin?: AsyncIterable<Buffer | string> | Iterable<Buffer | string>;
  /** How stdin is named in request ids and problems (default `<stdin>`). */
  stdinName?: string;
  onRequest?: (report: RequestReport) => void;
  onProblem?: (problem: InputProblem) => void;
  onProgress?: (progress: AuditProgress) => void;
}

export interface AuditResult {
  summary: AuditSummary;
  /** Input errors seen (each was also passed to onProblem). */
  errors: number;
  notes: number;
  /** Files read (stdin not counted), and how many of them were skipped whole (not a conversation). */
  sources: number;
  skippedFiles: number;
  /** The problem that stopped a --strict run, if any. */
  stoppedAt: InputProblem | null;
}

export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const budgetTokens = options.budgetTokens ?? null;
  const cacheAligner = new CacheAligner(options.cacheAligner);
  for (const warning of cacheAligner.tierWarnings()) options.onWarning?.(warning);
  const analyzer = new RequestAnalyzer({ budgetTokens, largestOutputs: options.largestOutputsPerRequest ?? 3, cacheAligner });
  const summary = new SummaryBuilder({ topOffenders: options.topOffenders ?? 10, budgetTokens });
  const counts = { errors: 0, notes: 0 };
  let sourceCount = 0;
  let skippedFiles = 0;

  const report = (problem: InputProblem): void => {
    if (problem.severity === 'error') counts.errors++;
    else counts.notes++;
    if (problem.skipped) skippedFiles++;
    options.onProblem?.(problem);
    if (problem.severity === 'error' && options.strict) throw new StrictModeStop(problem);
  };

  let stoppedAt: InputProblem | null = null;
  try {
    const sources = await sourcesFor(options, report);
    sourceCount = sources.filter((source) => source.kind === 'file').length;
    const totalBytes = await totalSize(sources);
    const memory = new MemoryGovernor();
    let bytesBefore = 0;
    let requests = 0;
    for (const source of sources) {
      const chunks = source.kind === 'stdin' && options.stdin ? options.stdin : openSourceStream(source);
      let sourceBytes = 0;
      for await (const event of parseSource(source, readRecords(source, chunks), { format: options.format })) {
        if (event.kind === 'request') {
          let analyzed;
          try {
            analyzed = await analyzer.analyze(event.request);
          } catch (error) {
            report(internalError(event.request, error));
            continue;
          }
          summary.add(analyzed);
          requests++;
          options.onRequest?.(analyzed.report);
          // The provider rejects such a request outright: say so where the user sees input problems.
          for (const message of requestBreakpointProblems(event.request)) report(requestNote(event.request, message));
        } else if (event.kind === 'problem') {
          report(event.problem);
        } else {
          sourceBytes = event.bytes;
          memory.maybeCollect(bytesBefore + sourceBytes);
          options.onProgress?.({ file: source.name, bytes: bytesBefore + sourceBytes, totalBytes, requests });
        }
      }
      bytesBefore += sourceBytes;
    }
  } catch (error) {
    if (!(error instanceof StrictModeStop)) throw error;
    stoppedAt = error.problem;
  }
  return { summary: summary.finish(counts), errors: counts.errors, notes: counts.notes, sources: sourceCount, skippedFiles, stoppedAt };
}

/**
 * A defect of ours met while working on one request: reported as an error on
 * that request (exit 2, "please report it") instead of ending the run, so one
 * odd request never costs the report for everything else.
 */
export function internalError(request: Request, error: unknown): InputProblem {
  const message = error instanceof Error ? error.message : String(error);
  return {
    file: request.origin.file,
    ...(request.origin.element === undefined ? { line: request.origin.line } : { element: request.origin.element }),
    severity: 'error',
    message: `internal error on this request, which was left out: ${message} (please report it)`,
  };
}

/** A note on one request (where it was read), not an input error: the rest of the run is unaffected. */
function requestNote(request: Request, message: string): InputProblem {
  return {
    file: request.origin.file,
    ...(request.origin.element === undefined ? { line: request.origin.line } : { element: request.origin.element }),
    severity: 'note',
    message,
  };
}

/** The sources named by `paths` (stdin when there are none); path problems go to `report`. */
export async function sourcesFor(
  options: { paths: readonly string[]; cwd: string; exclude?: readonly string[]; stdinName?: string },
  report: (problem: InputProblem) => void,
): Promise<Source[]> {
  if (options.paths.length === 0) return [stdinSource(options.stdinName)];
  const resolved = await resolveSources(options.paths, options.cwd, { exclude: options.exclude ?? [] });
  for (const problem of resolved.problems) report(problem);
  return resolved.sources;
}

export async function totalSize(sources: readonly Source[]): Promise<number> {
  let total = 0;
  for (const source of sources) {
    if (source.path) total += (await fs.stat(source.path).catch(() => null))?.size ?? 0;
  }
  return total;
}
