/**
 * The neutral report of one run, per mode: what the command found, before
 * any reporter lays it out as a table, JSON, NDJSON or Markdown.
 */
import type { RequestReport } from '../../analysis/report-types.js';
import type { AuditSummary } from '../../analysis/summary.js';
import type { InputProblem } from '../../input/problems.js';
import type { OptimizedRequest } from '../../pipeline/optimize-request.js';
import type { ReplayReport } from '../../pipeline/replay.js';
import type { SimulationResult, SimulationTotal } from '../../pipeline/simulation.js';
import type { ExitCode } from '../context.js';
import type { OptimizeReport, OptimizeSummary } from '../optimize-report.js';

/** How the run ends: its exit code and, when that needs words, why. */
export interface RunExit {
  code: ExitCode;
  /** e.g. `nothing to audit: no requests in 3 files`, `stopped at the first input error (--strict)`; else null. */
  message: string | null;
}

interface RunReportBase {
  /** Input problems, in the order they were found (the first 1000). */
  problems: InputProblem[];
  exit: RunExit;
}

export interface AuditRunReport extends RunReportBase {
  mode: 'audit';
  summary: AuditSummary;
  /** With --per-request (or a reporter that lists requests); else null. */
  requests: RequestReport[] | null;
}

/** What the optimize report keeps of each optimized request. */
export type OptimizeRequestEntry = Pick<OptimizedRequest, 'metrics' | 'result'>;

export interface OptimizeRunReport extends RunReportBase {
  mode: 'optimize';
  summary: OptimizeSummary;
  /** Every request, for reporters that list them; else null (the table needs only totals). */
  requests: OptimizeRequestEntry[] | null;
  /** Before/after views of changed blocks (with --diff). */
  diffs: OptimizeReport['diffs'];
}

export interface SimulateRunReport extends RunReportBase {
  mode: 'simulate';
  total: SimulationTotal;
  /** Requests not replayed (all of them with --no-replay). */
  requests: SimulationResult[];
  /** Session transcripts replayed call by call; null when none was (or --no-replay). */
  replay: ReplayReport | null;
  /** What happened to the blocks, for saying why nothing was saved. */
  summary: OptimizeSummary;
}

export type RunReport = AuditRunReport | OptimizeRunReport | SimulateRunReport;

/** One request as it completes, for reporters that stream (NDJSON). */
export type RequestItem = { mode: 'audit'; request: RequestReport } | { mode: 'optimize'; request: OptimizeRequestEntry } | { mode: 'simulate'; request: SimulationResult };

/** How the user asked to see the report. */
export interface ReportView {
  /** Paths under it are shown relative to it. */
  cwd: string;
  /** Audit: list every file, not only the top ones. */
  perFile: boolean;
  /** Simulate: list every request in input order, not only the top savers. */
  allRequests: boolean;
  /** Optimize: show the before/after view of changed blocks. */
  diff: boolean;
}

/** The `schema` of each mode's JSON envelope: bumped only for incompatible changes (keys are only added). */
export const SCHEMAS = { audit: 'headroom.audit/1', optimize: 'headroom.optimize/1', simulate: 'headroom.simulate/1' } as const;
