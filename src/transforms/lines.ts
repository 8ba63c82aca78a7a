/**
 * Line primitives shared by the text compressors (logs, search results,
 * diffs, prose): split a tool output into lines without losing a byte, and
 * write it back with runs of dropped lines replaced by markers.
 *
 * The guarantees every line compressor inherits from here (DESIGN rules 1–2):
 * kept lines are written byte for byte with their own terminators (CRLF
 * stays CRLF); lines are never fused or renumbered; each run of dropped
 * lines becomes one marker line whose stored original is exactly that run,
 * so expanding the marker gives the input back.
 */
import { findBlockSpans, type BlockKind } from './protected-spans.js';
import type { TransformContext } from './types.js';

export { stripAnsi } from '../analysis/content/sample.js';

export interface Line {
  /** The line without its terminator. */
  readonly text: string;
  /** Its terminator: `\n`, `\r\n`, or `` for a last line without one. */
  readonly eol: string;
}

/** The lines of `text`; joining `text + eol` of every line gives `text` back exactly. */
export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    if (newline < 0) {
      lines.push({ text: text.slice(start), eol: '' });
      break;
    }
    const crlf = newline > start && text.charCodeAt(newline - 1) === 0x0d;
    lines.push({ text: text.slice(start, crlf ? newline - 1 : newline), eol: crlf ? '\r\n' : '\n' });
    start = newline + 1;
  }
  return lines;
}

/**
 * 1 for each line that overlaps a block span of `text` running over several
 * lines (an agent tag pair such as `<system-reminder>…</system-reminder>`, a
 * fenced code block, JSON laid out on several lines: ./protected-spans.ts).
 * A line compressor keeps these lines, so such a span is never cut into or
 * dropped (issue 11 item 7). Spans within one line need no flag: lines are
 * kept or dropped whole. `lines` must be `splitLines(text)`; one linear
 * scan of the text.
 */
export function protectedLineFlags(lines: readonly Line[], text: string, kinds?: readonly BlockKind[]): Uint8Array {
  const flags = new Uint8Array(lines.length);
  const spans = findBlockSpans(text, kinds);
  if (spans.length === 0) return flags;
  let s = 0;
  let start = 0;
  for (let i = 0; i < lines.length && s < spans.length; i++) {
    const line = lines[i] as Line;
    const end = start + line.text.length;
    while (s < spans.length && (spans[s] as { end: number }).end <= start) s++;
    if (s < spans.length && (spans[s] as { start: number }).start <= end) flags[i] = 1;
    start = end + line.eol.length;
  }
  return flags;
}

/** A maximal run of dropped lines, by 0-based index (inclusive). */
export interface DroppedRun {
  readonly first: number;
  readonly last: number;
}

/** How a run is described in its marker: the unit and count shown, and a short detail (no brackets, parentheses or line breaks). */
export interface RunDescription {
  readonly unit: string;
  readonly count: number;
  readonly detail?: string;
}

/** The default description: `omitted 12 lines (lines 40-51)`, 1-based as editors and grep number lines. */
export function describeLines(run: DroppedRun): RunDescription {
  const count = run.last - run.first + 1;
  return { unit: 'lines', count, detail: count === 1 ? `line ${run.first + 1}` : `lines ${run.first + 1}-${run.last + 1}` };
}

/**
 * `lines` written back with every maximal run of lines where `keep[i]` is
 * false replaced by one marker line (`context.offload`). The marker line
 * takes the terminator of the run's last line and stores the run without
 * it, so `expandMarkers` restores the exact input. Throws if offloading is
 * not allowed: callers decline first (`needs-offload`).
 */
export function omitLines(lines: readonly Line[], keep: ArrayLike<boolean | number>, context: TransformContext, describe: (run: DroppedRun) => RunDescription = describeLines): string {
  let out = '';
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as Line;
    if (keep[i]) {
      out += line.text + line.eol;
      i++;
      continue;
    }
    let last = i;
    while (last + 1 < lines.length && !keep[last + 1]) last++;
    let original = '';
    for (let j = i; j <= last; j++) {
      const dropped = lines[j] as Line;
      original += j === last ? dropped.text : dropped.text + dropped.eol;
    }
    const description = describe({ first: i, last });
    out += context.offload({ original, ...description }) + (lines[last] as Line).eol;
    i = last + 1;
  }
  return out;
}

/** Runs of dropped lines, for compressors that describe or count them before writing. */
export function droppedRuns(keep: ArrayLike<boolean | number>, length: number): DroppedRun[] {
  const runs: DroppedRun[] = [];
  for (let i = 0; i < length; i++) {
    if (keep[i]) continue;
    let last = i;
    while (last + 1 < length && !keep[last + 1]) last++;
    runs.push({ first: i, last });
    i = last;
  }
  return runs;
}

/**
 * Whether a rewrite is worth its markers and round trips: it must save at
 * least `minSavings` of the block's tokens (issue: users found compressed
 * `ls` or `git status` output cost them more than it saved).
 */
export function savesEnough(beforeTokens: number, afterTokens: number, minSavings: number): boolean {
  return beforeTokens > 0 && (beforeTokens - afterTokens) / beforeTokens >= minSavings;
}

/** A span of a text by offsets, `start` inclusive, `end` exclusive. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * `text` with each span replaced by one marker (`context.offload`) whose
 * stored original is exactly `text.slice(start, end)`, so expanding the
 * markers gives `text` back — the guarantee of `omitLines`, for gaps inside
 * a line (dropped sentences). Everything outside the spans is copied byte
 * for byte. Spans must be sorted, non-empty and non-overlapping; throws
 * otherwise, and when offloading is not allowed (callers decline first).
 */
export function omitSpans(text: string, spans: readonly TextSpan[], context: TransformContext, describe: (span: TextSpan) => RunDescription): string {
  let out = '';
  let copied = 0;
  for (const span of spans) {
    if (span.start < copied || span.end <= span.start || span.end > text.length)
      throw new Error(`omitSpans: spans must be sorted, non-empty and within the text; got ${span.start}-${span.end}`);
    out += text.slice(copied, span.start) + context.offload({ original: text.slice(span.start, span.end), ...describe(span) });
    copied = span.end;
  }
  return out + text.slice(copied);
}
