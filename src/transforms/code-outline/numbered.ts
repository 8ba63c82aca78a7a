/**
 * File reads that number their lines: `cat -n` (`     1\t…`) and Claude
 * Code's Read (`     1→…`). The outliner parses the text after the numbers
 * and keeps each shown line whole, number included, so every number the
 * model sees still names the line next to it.
 */
import type { Line } from '../lines.js';

const NUMBER_PREFIX = /^ *(\d{1,9})(?:→|\t)/;

export interface SourceLines {
  /** The source text to parse: one row per line of the read. */
  readonly source: string;
  /** How many leading lines of the block are the file (a trailing `<system-reminder>` is not). */
  readonly count: number;
  /** The file's line number shown on each of those lines, or null for a plain read. */
  readonly numbers: readonly number[] | null;
}

/**
 * The source behind `lines`: the numbered lines at the start of the block
 * with their prefixes stripped, when at least the first line is numbered
 * and the numbers run on by one; otherwise every line as it is.
 */
export function sourceLines(lines: readonly Line[]): SourceLines {
  const numbers: number[] = [];
  const rows: string[] = [];
  for (const line of lines) {
    const match = NUMBER_PREFIX.exec(line.text);
    const number = match === null ? NaN : Number(match[1]);
    if (match === null || (numbers.length > 0 && number !== (numbers.at(-1) as number) + 1)) break;
    numbers.push(number);
    rows.push(line.text.slice(match[0].length));
  }
  if (numbers.length === 0) return { source: lines.map((line) => line.text).join('\n'), count: lines.length, numbers: null };
  return { source: rows.join('\n'), count: numbers.length, numbers };
}
