/**
 * Which lines of a log are kept. Kept always: the first and last lines,
 * test-runner summaries, exit codes and CI annotations, failure sections
 * (cargo's `failures:`, pytest's short summary), distinct stack traces whole
 * up to a cap, error and failure lines (repeats of one error template beyond
 * a limit omitted, the last one kept; context lines around the first and the
 * last), the first warning of each template, and the first line of each
 * template that holds a `path:line` coordinate, and the lines of protected
 * block spans (../lines.ts protectedLineFlags). Everything else is omitted behind markers.
 */
import type { LogCompressorConfig } from '../../config/headroom-config.js';
import type { LineRole } from './roles.js';

export interface LogLines {
  /** Each line as matched: no colour codes, no CI prefix. */
  readonly plain: readonly string[];
  readonly roles: readonly LineRole[];
  readonly templates: readonly string[];
}

type Settings = Pick<LogCompressorConfig, 'errorContextLines' | 'maxErrorRepeats' | 'maxWarningRepeats' | 'maxStackTraces' | 'stackTraceMaxLines' | 'keepFirstLines' | 'keepLastLines'>;

/** Lines of a capped stack trace kept after its marker: the exception and the innermost frames. */
const TRACE_TAIL_SHARE = 4;
const TRACE_TAIL_MAX = 5;
/** A dropped run shorter than this many characters is kept: its marker would cost as much. */
export const MARKER_CHARS = 110;

/** 1 for a kept line, 0 for a dropped one. */
export function selectLines(log: LogLines, settings: Settings, lengths: readonly number[], protectedLines: ArrayLike<number>): Uint8Array {
  const count = log.plain.length;
  const keep = new Uint8Array(count);
  for (let i = 0; i < Math.min(settings.keepFirstLines, count); i++) keep[i] = 1;
  for (let i = Math.max(0, count - settings.keepLastLines); i < count; i++) keep[i] = 1;
  // Lines of a kept trace that its cap omits: no other rule brings them back.
  const capped = new Uint8Array(count);
  const inKeptTrace = keepTraces(log, settings, keep, capped);
  keepSections(log, settings, keep);
  keepBySeverity(log, settings, keep, inKeptTrace);
  // Before the cheap runs: the runs a protected block splits may be too short for their markers.
  for (let i = 0; i < count; i++) if (protectedLines[i]) keep[i] = 1;
  keepCheapRuns(keep, capped, lengths);
  return keep;
}

/** Marks distinct stack traces (kept whole, or head and tail beyond the cap); returns which lines belong to a kept trace. */
function keepTraces(log: LogLines, settings: Settings, keep: Uint8Array, capped: Uint8Array): Uint8Array {
  const inKept = new Uint8Array(log.plain.length);
  const seen = new Set<string>();
  let i = 0;
  while (i < log.plain.length) {
    if (!log.roles[i]!.frame) {
      i++;
      continue;
    }
    const [first, last] = traceBounds(log, i);
    i = last + 1;
    const signature = log.templates.slice(first, last + 1).join('\n');
    if (seen.has(signature) || seen.size >= settings.maxStackTraces) continue;
    seen.add(signature);
    const length = last - first + 1;
    const tail = length > settings.stackTraceMaxLines ? Math.min(TRACE_TAIL_MAX, Math.floor(settings.stackTraceMaxLines / TRACE_TAIL_SHARE)) : 0;
    const headEnd = length > settings.stackTraceMaxLines ? first + settings.stackTraceMaxLines - tail - 1 : last;
    for (let j = first; j <= last; j++) {
      inKept[j] = 1;
      if (j <= headEnd || j > last - tail) keep[j] = 1;
      else capped[j] = 1;
    }
  }
  return inKept;
}

/**
 * A trace around the frame at `start`: frames and the indented line after
 * each (Python's source lines), the line that introduces them (`Error: x`
 * before `at …` frames), and Python's closing `ValueError: …` line.
 */
function traceBounds(log: LogLines, start: number): [number, number] {
  const { plain, roles } = log;
  let last = start;
  // An indented line continues a trace only right after a frame (Python's source line), so indented output after one frame is not swallowed.
  while (last + 1 < plain.length && (roles[last + 1]!.frame || (roles[last]!.frame && /^\s+\S/.test(plain[last + 1]!)))) last++;
  let first = start;
  if (first > 0 && plain[first - 1]!.trim() !== '' && (roles[first - 1]!.severity === 'error' || /:\s*$/.test(plain[first - 1]!))) first--;
  const next = plain[last + 1];
  if (next !== undefined && /^\S/.test(next) && roles[last + 1]!.severity === 'error') last++;
  return [first, last];
}

/** Failure sections: the opener and the lines after it up to the next opener or the trace cap. */
function keepSections(log: LogLines, settings: Settings, keep: Uint8Array): void {
  for (let i = 0; i < log.plain.length; i++) {
    if (!log.roles[i]!.opensSection) continue;
    keep[i] = 1;
    for (let j = i + 1; j < log.plain.length && j <= i + settings.stackTraceMaxLines && !log.roles[j]!.opensSection; j++) keep[j] = 1;
  }
}

function keepBySeverity(log: LogLines, settings: Settings, keep: Uint8Array, inKeptTrace: Uint8Array): void {
  const { roles, templates } = log;
  const lastOfTemplate = new Map<string, number>();
  for (let i = 0; i < roles.length; i++) if (roles[i]!.severity === 'error' && !inKeptTrace[i]) lastOfTemplate.set(templates[i]!, i);
  const seen = { error: new Map<string, number>(), warn: new Map<string, number>(), path: new Map<string, number>() };
  const context = settings.errorContextLines;
  for (let i = 0; i < roles.length; i++) {
    const role = roles[i]!;
    const template = templates[i]!;
    if (role.summary) keep[i] = 1;
    if (inKeptTrace[i]) continue;
    if (role.severity === 'error') {
      const n = bump(seen.error, template);
      const last = lastOfTemplate.get(template) === i;
      // Context shows how an error came about: around its first and last occurrence, not around every repeat.
      const around = n === 1 || last ? context : 0;
      if (n <= settings.maxErrorRepeats || last) {
        keep[i] = 1;
        // Neighbouring errors are not context: each is kept or omitted by this same rule.
        for (let j = Math.max(0, i - around); j <= Math.min(roles.length - 1, i + around); j++) if (roles[j]!.severity !== 'error') keep[j] = 1;
      }
    } else if (role.severity === 'warn') {
      if (bump(seen.warn, template) <= settings.maxWarningRepeats) keep[i] = 1;
    } else if (role.pathRef && bump(seen.path, template) === 1) {
      keep[i] = 1;
    }
  }
}

function bump(counts: Map<string, number>, key: string): number {
  const n = (counts.get(key) ?? 0) + 1;
  counts.set(key, n);
  return n;
}

/** Keeps every dropped run (other than a trace's capped middle) that is shorter than the marker that would replace it. */
function keepCheapRuns(keep: Uint8Array, capped: Uint8Array, lengths: readonly number[]): void {
  let i = 0;
  while (i < keep.length) {
    if (keep[i]) {
      i++;
      continue;
    }
    let last = i;
    let chars = lengths[i]!;
    while (last + 1 < keep.length && !keep[last + 1]) chars += lengths[++last]!;
    if (chars < MARKER_CHARS && !capped[i]) for (let j = i; j <= last; j++) keep[j] = 1;
    i = last + 1;
  }
}
