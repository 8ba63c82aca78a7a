/**
 * What the diff compressor drops: which lines, and how each dropped run is
 * described in its marker. Two kinds of run:
 *
 * - a whole file's hunks, when the file is generated (a lockfile, `dist/`),
 *   deleted, a binary patch, or larger than `max_file_lines`: its headers
 *   stay, the marker gives its +/- counts and holds its diff;
 * - context lines further than `max_context_lines` from every change of
 *   their hunk: the hunk header stays as written, and the marker says how
 *   many context lines and which lines of the new file they were, so the
 *   coordinates of every kept line can still be worked out.
 *
 * A run is only dropped where it costs more tokens than its marker.
 */
import type { DroppedRun, RunDescription } from '../lines.js';
import type { Line } from '../lines.js';
import type { PathMatcher } from './globs.js';
import { isChange, Role, type FileDiff, type Hunk, type ParsedDiff } from './parse.js';

export interface DiffPlanSettings {
  readonly maxContextLines: number;
  readonly maxFileLines: number;
  readonly summarize: PathMatcher;
  readonly summarizeDeletedFiles: boolean;
}

export interface DiffPlan {
  /** 1 where the line is kept. */
  readonly keep: Uint8Array;
  /** The marker description of each dropped run, by its first line. */
  readonly descriptions: Map<number, RunDescription>;
  readonly summarizedFiles: number;
  readonly contextRuns: number;
  /** Estimated tokens saved: the dropped runs less their markers (weighed before any marker is written). */
  readonly savedTokens: number;
}

/** Tokens of a text, and of the marker a description would produce. */
export interface PlanCosts {
  tokens(text: string): number;
  markerTokens(description: RunDescription): number;
  /**
   * Tokens of a large span, estimated from its length at the block's
   * tokens per character: counting every summarized file exactly would cost
   * more time than the rest of the compressor, and only the total is weighed.
   */
  estimate(chars: number): number;
}

/** `protectedLines`: 1 for a line of a protected block span (../lines.ts protectedLineFlags), never dropped. */
export function planDiff(lines: readonly Line[], parsed: ParsedDiff, settings: DiffPlanSettings, costs: PlanCosts, protectedLines: Uint8Array): DiffPlan {
  const keep = new Uint8Array(lines.length).fill(1);
  const descriptions = new Map<number, RunDescription>();
  let summarizedFiles = 0;
  let contextRuns = 0;
  let savedTokens = 0;
  for (const file of parsed.files) {
    // A file holding a protected block is not summarized: its context is still trimmed around the block.
    const summary = guarded(summaryOf(file, settings), protectedLines);
    const summarySaves = summary === null ? 0 : costs.estimate(runChars(lines, summary)) - costs.markerTokens(summary.description);
    // A file smaller than its own marker stays as it is, whatever the reason to summarize it.
    if (summary !== null && summarySaves > 0) {
      keep.fill(0, summary.first, summary.last + 1);
      descriptions.set(summary.first, summary.description);
      savedTokens += summarySaves;
      summarizedFiles++;
      continue;
    }
    for (const hunk of file.hunks) {
      for (const run of contextRunsOf(parsed.roles, hunk, settings.maxContextLines, protectedLines)) {
        const description = contextDescription(parsed.roles, hunk, run);
        const saved = costs.tokens(runText(lines, run)) - costs.markerTokens(description);
        if (saved <= 0) continue;
        savedTokens += saved;
        keep.fill(0, run.first, run.last + 1);
        descriptions.set(run.first, description);
        contextRuns++;
      }
    }
  }
  return { keep, descriptions, summarizedFiles, contextRuns, savedTokens };
}

interface Summary {
  first: number;
  last: number;
  description: RunDescription;
}

/** The span a file summary replaces (from its first hunk header to its last hunk line, or its binary payload), or null to keep the file. */
function summaryOf(file: FileDiff, settings: DiffPlanSettings): Summary | null {
  if (file.payload) {
    const count = file.payload.end - file.payload.start;
    return { first: file.payload.start, last: file.payload.end - 1, description: { unit: 'lines', count, detail: 'binary patch data' } };
  }
  const firstHunk = file.hunks[0];
  const lastHunk = file.hunks[file.hunks.length - 1];
  if (!firstHunk || !lastHunk) return null;
  const first = firstHunk.header;
  const last = lastHunk.end - 1;
  const count = last - first + 1;
  let reason: string | null = null;
  if (file.path !== null && settings.summarize(file.path)) reason = 'generated file pattern';
  else if (file.deleted && settings.summarizeDeletedFiles) reason = 'deleted file';
  else if (count > settings.maxFileLines) reason = `over ${settings.maxFileLines} lines`;
  if (reason === null) return null;
  const hunks = file.hunks.length === 1 ? '1 hunk' : `${file.hunks.length} hunks`;
  return { first, last, description: { unit: 'diff lines', count, detail: `${hunks} +${file.added} -${file.removed}, ${reason}` } };
}

/** The summary, or null when a protected line lies in its span. */
function guarded(summary: Summary | null, protectedLines: Uint8Array): Summary | null {
  return summary !== null && protectedLines.subarray(summary.first, summary.last + 1).includes(1) ? null : summary;
}

/** Maximal runs of context lines in `hunk` further than `keep` lines from every change, protected lines left out. */
function contextRunsOf(roles: Uint8Array, hunk: Hunk, keep: number, protectedLines: Uint8Array): DroppedRun[] {
  const body = hunk.header + 1;
  const near = new Uint8Array(hunk.end - body);
  for (let i = body; i < hunk.end; i++) {
    if (!isChange(roles[i] as number)) continue;
    near.fill(1, Math.max(0, i - body - keep), Math.min(near.length, i - body + keep + 1));
  }
  const runs: DroppedRun[] = [];
  let start = -1;
  for (let i = body; i <= hunk.end; i++) {
    const droppable = i < hunk.end && roles[i] === Role.Context && near[i - body] === 0 && protectedLines[i] === 0;
    if (droppable && start < 0) start = i;
    if (!droppable && start >= 0) {
      runs.push({ first: start, last: i - 1 });
      start = -1;
    }
  }
  return runs;
}

/** `new lines 12-15`: where the trimmed context sits in the new file (the result, for a combined diff). */
function contextDescription(roles: Uint8Array, hunk: Hunk, run: DroppedRun): RunDescription {
  let line = hunk.newStart;
  for (let i = hunk.header + 1; i < run.first; i++) if (inNewFile(roles[i] as Role)) line++;
  const count = run.last - run.first + 1;
  return { unit: 'context lines', count, detail: count === 1 ? `new line ${line}` : `new lines ${line}-${line + count - 1}` };
}

function inNewFile(role: Role): boolean {
  return role === Role.Context || role === Role.Added;
}

function runChars(lines: readonly Line[], run: DroppedRun): number {
  let chars = 0;
  for (let i = run.first; i <= run.last; i++) chars += (lines[i] as Line).text.length + 1;
  return chars;
}

function runText(lines: readonly Line[], run: DroppedRun): string {
  let text = '';
  for (let i = run.first; i <= run.last; i++) text += (lines[i] as Line).text + '\n';
  return text;
}
