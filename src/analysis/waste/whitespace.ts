/**
 * whitespace: spacing that changes nothing for the model.
 *   - trailing spaces and tabs at the end of a line;
 *   - runs of blank lines: three or more line breaks in a row become two;
 *   - interior runs of MIN_INTERIOR_SPACES or more spaces (column padding)
 *     become one space.
 * Leading indentation is never touched: code and nested data need it. That
 * includes indentation after a line-number gutter (`  12→    return x`,
 * `12:    x`, `cat -n`) or a diff marker (`+    return x`). Tabs inside a
 * line are kept too (they separate TSV columns).
 *
 * Lines are scanned with a plain loop (a regex such as `[ \t]+$` backtracks
 * quadratically on long runs of spaces) and produce edits. Tokenizers merge
 * whitespace with its neighbours (o200k counts `x = 1   \n` and `x = 1\n`
 * the same), so only counting tells whether an edit saves anything. To keep
 * that cheap, only small windows around the edits are counted (the edit plus
 * CONTEXT_CHARS of unchanged text on each side, merged when they touch),
 * before and after the edits, all windows of a text in one count per version.
 */
import { formatCount } from './describe.js';
import type { Span, SpanSet } from './spans.js';
import type { CountTokens, TextWasteFinding } from './types.js';

export const MIN_INTERIOR_SPACES = 4;
/**
 * Unchanged characters counted on each side of an edit: enough for the
 * neighbouring pre-tokenizer pieces, whose tokens can change with the edit.
 * Both versions are cut at the same places, so a cut through a long word
 * cancels out.
 */
const CONTEXT_CHARS = 12;
const WINDOW_SEPARATOR = '\n';
/** Cheap pre-check: some pattern the rewrite would change must occur. */
const ANY_WASTE = /[ \t]\r?\n|\n[ \t]*\r?\n[ \t]*\r?\n|\S {4}|[ \t]$/;
/**
 * A line-number gutter (`12→`, `12:`, `12|`, `12-`, `12<tab>`, grep's
 * `path:12:`) or a diff/quote marker, with the whitespace around it.
 */
const GUTTER = /[ \t]*(?:(?:[^\s:]{1,200}[:-])?\d{1,9}[→\t:|-]|[-+>](?=[ \t]))?[ \t]*/y;

/** Replace [start, end) with `replacement`. */
export interface WhitespaceEdit extends Span {
  replacement: string;
  kind: 'trailing' | 'blank_lines' | 'padding';
}

export function detectWhitespace(text: string, count: CountTokens, claimed?: SpanSet): TextWasteFinding | null {
  if (!ANY_WASTE.test(text)) return null;
  const edits = whitespaceEdits(text, claimed);
  if (edits.length === 0) return null;
  // All windows are counted in one call per version (per-call overhead
  // dominates for many small windows). The separator is a piece of its own
  // next to unchanged context, so it costs the same in both versions.
  const originals: string[] = [];
  const rewritten: string[] = [];
  for (const window of editWindows(text, edits)) {
    originals.push(text.slice(window.start, window.end));
    rewritten.push(applyEdits(text, window, window.edits));
  }
  const saved = count(originals.join(WINDOW_SEPARATOR)) - count(rewritten.join(WINDOW_SEPARATOR));
  if (saved <= 0) return null;
  const finding: TextWasteFinding = { key: 'whitespace', tokens: saved, detail: describeEdits(edits) };
  if (edits.length > 1) finding.instances = edits.length;
  return finding;
}

/** The edits the rewrite makes, in text order, outside claimed spans. */
export function whitespaceEdits(text: string, claimed?: SpanSet): WhitespaceEdit[] {
  const edits: WhitespaceEdit[] = [];
  // The current run of blank lines: where its second line starts and how many lines it has.
  let secondBlank = -1;
  let blankLines = 0;
  const closeBlankRun = (end: number): void => {
    if (blankLines >= 2) edits.push({ start: secondBlank, end, replacement: '', kind: 'blank_lines' });
    secondBlank = -1;
    blankLines = 0;
  };

  let lineStart = 0;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline + 1;
    const contentEnd = newline > lineStart && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline < 0 ? text.length : newline;
    if (claimed?.overlaps(lineStart, lineEnd)) {
      closeBlankRun(lineStart);
    } else if (isBlank(text, lineStart, contentEnd)) {
      const inRun = newline >= 0; // the text's end is not a line of a blank run
      if (inRun && blankLines === 1) secondBlank = lineStart;
      if (inRun) blankLines++;
      // Spaces on a blank line are trailing spaces (unless the line goes anyway, in a blank run).
      if (contentEnd > lineStart && (blankLines < 2 || !inRun)) edits.push({ start: lineStart, end: contentEnd, replacement: '', kind: 'trailing' });
    } else {
      closeBlankRun(lineStart);
      lineEdits(text, lineStart, contentEnd, edits);
    }
    if (newline < 0) break;
    lineStart = lineEnd;
  }
  closeBlankRun(lineStart > text.length ? text.length : lineStart);
  // Defensive: edits must not overlap for applyEdits (a blank run already skips its lines' trailing spaces).
  return dropContained(edits.sort((a, b) => a.start - b.start));
}

/**
 * Padding runs and trailing spaces of one non-blank line. A line can hold
 * several logical lines as escapes (code inside a JSON string: `{\n    return x;\n}`):
 * the spaces after an escaped `\n` are indentation too.
 */
function lineEdits(text: string, lineStart: number, contentEnd: number, edits: WhitespaceEdit[]): void {
  let bodyEnd = contentEnd;
  while (bodyEnd > lineStart && isSpaceOrTab(text.charCodeAt(bodyEnd - 1))) bodyEnd--;
  let index = lineStart;
  while (index < bodyEnd && isSpaceOrTab(text.charCodeAt(index))) index++;
  let logicalStart = lineStart;
  let indentEnd = -1; // of the current logical line; found only once a padding run needs it
  let runStart = -1;
  for (; index <= bodyEnd; index++) {
    const code = index < bodyEnd ? text.charCodeAt(index) : -1;
    if (code === 32) {
      if (runStart < 0) runStart = index;
      continue;
    }
    if (runStart >= 0 && index - runStart >= MIN_INTERIOR_SPACES) {
      if (indentEnd < 0) indentEnd = indentationEnd(text, logicalStart);
      if (index > indentEnd) edits.push({ start: runStart, end: index, replacement: ' ', kind: 'padding' });
    }
    runStart = -1;
    if (code === 110 /* n */ && text.charCodeAt(index - 1) === 92 /* backslash */) {
      logicalStart = index + 1;
      indentEnd = -1;
    }
  }
  if (bodyEnd < contentEnd) edits.push({ start: bodyEnd, end: contentEnd, replacement: '', kind: 'trailing' });
}

/** Where the indentation of the (logical) line starting at `start` ends, past any gutter. */
function indentationEnd(text: string, start: number): number {
  GUTTER.lastIndex = start;
  return GUTTER.exec(text) ? GUTTER.lastIndex : start;
}

function dropContained(edits: WhitespaceEdit[]): WhitespaceEdit[] {
  const kept: WhitespaceEdit[] = [];
  for (const edit of edits) {
    const last = kept[kept.length - 1];
    if (last && edit.start < last.end) {
      if (edit.end > last.end) last.end = edit.end;
      continue;
    }
    kept.push(edit);
  }
  return kept;
}

interface EditWindow extends Span {
  edits: WhitespaceEdit[];
}

/** Edits grouped into windows with CONTEXT_CHARS of unchanged text around them. */
function editWindows(text: string, edits: readonly WhitespaceEdit[]): EditWindow[] {
  const windows: EditWindow[] = [];
  for (const edit of edits) {
    const start = Math.max(0, edit.start - CONTEXT_CHARS);
    const end = Math.min(text.length, edit.end + CONTEXT_CHARS);
    const last = windows[windows.length - 1];
    if (last && start <= last.end) {
      last.end = Math.max(last.end, end);
      last.edits.push(edit);
    } else windows.push({ start, end, edits: [edit] });
  }
  return windows;
}

function applyEdits(text: string, window: Span, edits: readonly WhitespaceEdit[]): string {
  const pieces: string[] = [];
  let position = window.start;
  for (const edit of edits) {
    pieces.push(text.slice(position, edit.start), edit.replacement);
    position = edit.end;
  }
  pieces.push(text.slice(position, window.end));
  return pieces.join('');
}

function describeEdits(edits: readonly WhitespaceEdit[]): string {
  const counts = { trailing: 0, blank_lines: 0, padding: 0 };
  for (const edit of edits) counts[edit.kind]++;
  const parts: string[] = [];
  if (counts.trailing > 0) parts.push(`trailing spaces on ${formatCount(counts.trailing)} lines`);
  if (counts.blank_lines > 0) parts.push(`${formatCount(counts.blank_lines)} runs of blank lines`);
  if (counts.padding > 0) parts.push(`${formatCount(counts.padding)} runs of padding spaces`);
  return parts.join(', ');
}

function isSpaceOrTab(code: number): boolean {
  return code === 32 || code === 9;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    if (!isSpaceOrTab(text.charCodeAt(index))) return false;
  }
  return true;
}
