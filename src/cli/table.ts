/**
 * Text output that fits the width it is given (see `lineWidth` in style.ts):
 * borderless tables whose text columns shrink before any number does, prose
 * wrapped at spaces, and paths shortened relative to the working directory and
 * elided in the middle. `--json` output never goes through here: it keeps full
 * values.
 */
import path from 'node:path';
import type { Style } from './style.js';
import { stripAnsi } from '../analysis/content/sample.js';

/**
 * How a column gives up width: `fixed` never (numbers, short labels), `end`
 * cuts the end (previews, names), `middle` keeps both ends (paths and
 * `file:line` ids, whose end is the informative part).
 */
export type ColumnFit = 'fixed' | 'end' | 'middle';

export interface Column {
  head: string;
  align?: 'left' | 'right';
  fit?: ColumnFit;
}

/** A numeric column: right-aligned, never shortened. */
export function numeric(head: string): Column {
  return { head, align: 'right' };
}

interface Row {
  cells: string[];
  bold: boolean;
}

/** Spaces between columns. */
const GAP = 2;
/** A shortened text column keeps at least this many characters. */
const MIN_TEXT = 8;
const ELLIPSIS = '…';

export class FitTable {
  private readonly rows: Row[] = [];

  constructor(private readonly columns: readonly Column[]) {}

  push(cells: readonly string[], options: { bold?: boolean } = {}): this {
    this.rows.push({ cells: this.columns.map((_, index) => oneLine(cells[index] ?? '')), bold: options.bold === true });
    return this;
  }

  render(style: Style): string {
    const widths = layout(this.columns, this.rows, style.width);
    return widths ? this.grid(widths, style) : this.stacked(style);
  }

  private grid(widths: readonly number[], style: Style): string {
    const { chalk } = style;
    const heads = this.columns.map((column, index) => wrapWords(column.head, widths[index] as number));
    const headLines = Math.max(...heads.map((lines) => lines.length));
    const lines: string[] = [];
    for (let line = 0; line < headLines; line++) {
      // Heads sit on their last line, so one-line heads line up with the rule.
      const cells = heads.map((head) => head[line - (headLines - head.length)] ?? '');
      lines.push(chalk.cyan(this.line(cells, widths)));
    }
    lines.push(chalk.gray(widths.map((width) => '─'.repeat(width)).join(' '.repeat(GAP))));
    for (const row of this.rows) {
      const text = this.line(
        row.cells.map((cell, index) => shorten(cell, widths[index] as number, this.columns[index]?.fit ?? 'fixed')),
        widths,
      );
      lines.push(row.bold ? chalk.bold(text) : text);
    }
    return lines.join('\n');
  }

  private line(cells: readonly string[], widths: readonly number[]): string {
    return cells
      .map((cell, index) => pad(cell, widths[index] as number, this.columns[index]?.align ?? 'left'))
      .join(' '.repeat(GAP))
      .trimEnd();
  }

  /**
   * Too narrow for the numbers side by side: one `head: value` line per cell,
   * a blank line between rows. A value that does not fit beside its head goes
   * on the next line, indented, so numbers are still never cut.
   */
  private stacked(style: Style): string {
    const width = style.width;
    const label = Math.min(Math.max(...this.columns.map((column) => displayWidth(column.head))) + 2, Math.floor(width / 2));
    const blocks = this.rows.map((row) =>
      row.cells
        .map((cell, index) => {
          const column = this.columns[index];
          const head = `${column?.head ?? ''}:`;
          const fit = column?.fit === 'middle' ? 'middle' : 'end';
          if (displayWidth(head) < label && label + displayWidth(cell) <= width) return head.padEnd(label) + cell;
          if (displayWidth(head) < label && column?.fit !== undefined && column.fit !== 'fixed') return head.padEnd(label) + shorten(cell, width - label, fit);
          return `${shorten(head, width, 'end')}\n  ${shorten(cell, width - 2, fit)}`;
        })
        .join('\n'),
    );
    return blocks.join('\n\n');
  }
}

/**
 * Column widths that fit `width`, or null when even the narrowest layout does
 * not. When the natural widths do not fit, the heads of numeric columns wrap
 * onto more lines and the text columns shrink; numbers are never cut.
 */
function layout(columns: readonly Column[], rows: readonly Row[], width: number): number[] | null {
  const cellWidth = (index: number): number => Math.max(0, ...rows.map((row) => displayWidth(row.cells[index] ?? '')));
  const natural = columns.map((column, index) => Math.max(displayWidth(column.head), cellWidth(index)));
  const budget = width - GAP * (columns.length - 1);
  const isText = (index: number): boolean => (columns[index]?.fit ?? 'fixed') !== 'fixed';
  const headWord = (index: number): number => longestWord(columns[index]?.head ?? '');
  const textNatural = natural.map((value, index) => (isText(index) ? value : 0));
  const textMin = textNatural.map((value, index) => Math.min(value, Math.max(MIN_TEXT, headWord(index))));
  const fixedNatural = natural.map((value, index) => (isText(index) ? 0 : value));
  const fixedNarrow = natural.map((_, index) => (isText(index) ? 0 : Math.max(cellWidth(index), headWord(index))));
  if (sum(fixedNatural) + sum(textNatural) <= budget) return natural;
  // Wrapping the heads of numeric columns costs a line and saves text from being cut.
  const spare = budget - sum(fixedNarrow) - sum(textMin);
  if (spare < 0) return null;
  const text = grow(textMin, textNatural, spare);
  return natural.map((_, index) => (isText(index) ? (text[index] as number) : (fixedNarrow[index] as number)));
}

/**
 * Spreads `spare` columns over the text columns, above their minimum: the
 * columns that want least are satisfied first, the rest share evenly.
 */
function grow(minimum: readonly number[], natural: readonly number[], spare: number): number[] {
  const widths = [...minimum];
  const wanting = minimum.map((_, index) => index).filter((index) => (natural[index] as number) > (minimum[index] as number));
  wanting.sort((a, b) => (natural[a] as number) - (minimum[a] as number) - ((natural[b] as number) - (minimum[b] as number)));
  let left = spare;
  wanting.forEach((index, position) => {
    const share = Math.floor(left / (wanting.length - position));
    const extra = Math.min(share, (natural[index] as number) - (minimum[index] as number));
    widths[index] = (minimum[index] as number) + extra;
    left -= extra;
  });
  return widths;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function longestWord(text: string): number {
  return Math.max(0, ...text.split(' ').map(displayWidth));
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/** Tables and previews hold one line each: control characters (newlines, tabs, escapes) become spaces. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** Words onto lines of at most `width`; a word longer than that is elided in the middle. */
export function wrapWords(text: string, width: number, continuation = ''): string[] {
  const lines: string[] = [];
  // The line's own indent stays on its first line (splitting on spaces would lose it).
  const indent = /^ */.exec(text)?.[0] ?? '';
  let current = indent;
  for (const word of text.slice(indent.length).split(' ')) {
    const candidate = current.trim() === '' ? `${current}${word}` : `${current} ${word}`;
    if (displayWidth(candidate) <= width || current.trim() === '') {
      current = candidate;
      continue;
    }
    lines.push(current);
    current = `${continuation}${word}`;
  }
  lines.push(current);
  return lines.map((line) => shorten(line, width, 'middle'));
}

/**
 * Prose wrapped to the width at spaces; continuation lines are indented two
 * more than the line's own indent. Colour codes take no width.
 */
export function wrapText(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      const indent = /^ */.exec(line)?.[0] ?? '';
      return displayWidth(line) <= width ? line : wrapWords(line, width, `${indent}  `).join('\n');
    })
    .join('\n');
}

/** Shortens `text` to `width` columns with `…`, at the end or in the middle. */
export function shorten(text: string, width: number, fit: ColumnFit): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 1) return ELLIPSIS.slice(0, width);
  const chars = Array.from(stripAnsi(text));
  if (fit !== 'middle') return `${take(chars, width - 1)}${ELLIPSIS}`;
  // The end of a path or id (file name, line number) tells more than its start.
  const head = Math.floor((width - 1) / 3);
  const tail = take([...chars].reverse(), width - 1 - head);
  return `${take(chars, head)}${ELLIPSIS}${Array.from(tail).reverse().join('')}`;
}

/** The longest prefix of `chars` that takes at most `width` columns. */
function take(chars: readonly string[], width: number): string {
  let used = 0;
  let text = '';
  for (const char of chars) {
    const next = charWidth(char);
    if (used + next > width) break;
    used += next;
    text += char;
  }
  return text;
}

/**
 * A path (or a `path:line` id) as a person reads it: relative to `cwd` when
 * it is under it, else unchanged. Fitting into a column elides the middle.
 */
export function displayPath(file: string, cwd: string): string {
  const base = cwd.endsWith(path.sep) ? cwd : `${cwd}${path.sep}`;
  return file.startsWith(base) ? file.slice(base.length) : file;
}

/** Columns a text takes on a terminal: colour codes none, wide (CJK, emoji) characters two, combining marks none. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of stripAnsi(text)) width += charWidth(char);
  return width;
}

const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}]/u;
const EMOJI = /\p{Extended_Pictographic}/u;

function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0) || ZERO_WIDTH.test(char) || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  if (isWide(code) || (code >= 0x1f000 && EMOJI.test(char))) return 2;
  return 1;
}

/** East Asian wide and full-width ranges. */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}
