/**
 * The bounded view the content classifier looks at: the first and last few
 * KB of a text, split into lines with ANSI colour codes and CR line endings
 * removed. Classification cost stays flat however large the tool output is
 * (a 200 MB session has thousands of them), and colour or line endings never
 * change what a line looks like.
 */

/** Characters read from the start of a text. */
export const HEAD_CHARS = 16_384;
/** Characters read from the end of a text longer than HEAD_CHARS + TAIL_CHARS. */
export const TAIL_CHARS = 8_192;
/** Per-line tests dominate the cost: at most this many lines are kept from the head, and from the tail. */
export const HEAD_LINES = 300;
export const TAIL_LINES = 100;
/**
 * Lines are tested on at most this many characters, so every per-line regex
 * is bounded. (Sampled lines are kept whole otherwise: a JSON Lines record
 * must be parsed in full.)
 */
export const MAX_LINE_CHARS = 2_000;

export function linePrefix(line: string): string {
  return line.length > MAX_LINE_CHARS ? line.slice(0, MAX_LINE_CHARS) : line;
}

/**
 * CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks;
 * bounded so an unterminated one cannot make the scan quadratic) and the
 * two-character escapes terminals use. Every branch is a fixed prefix followed
 * by bounded, non-overlapping classes: linear.
 */
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?|\x1b[()][A-Za-z0-9]|\x1b[=>78DEHMc]/g;

export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}

export interface Sample {
  /** Lines of the sampled text (head, then tail), without ANSI codes or trailing CR. */
  lines: string[];
  /** Lines that are not blank. */
  nonBlank: number;
  /** True when the text was longer than the sample. */
  partial: boolean;
}

export function sampleOf(text: string): Sample {
  const partial = text.length > HEAD_CHARS + TAIL_CHARS;
  let head: string[];
  let tail: string[] = [];
  if (!partial) {
    head = linesOf(text);
  } else {
    // Drop the partial line at each cut unless it is all there is (one long line).
    const headText = text.slice(0, HEAD_CHARS);
    const headEnd = headText.lastIndexOf('\n');
    head = linesOf(headEnd > 0 ? headText.slice(0, headEnd) : headText);
    const tailText = text.slice(text.length - TAIL_CHARS);
    const tailStart = tailText.indexOf('\n');
    if (tailStart >= 0 && tailStart < tailText.length - 1) tail = linesOf(tailText.slice(tailStart + 1));
  }
  // A short text whose lines exceed the head's share keeps its last lines as the tail.
  if (tail.length === 0 && head.length > HEAD_LINES + TAIL_LINES) tail = head.slice(head.length - TAIL_LINES);
  const lines = head.length > HEAD_LINES ? head.slice(0, HEAD_LINES) : head;
  if (head.length > HEAD_LINES || tail.length > 0) lines.push(...(tail.length > TAIL_LINES ? tail.slice(tail.length - TAIL_LINES) : tail));
  let nonBlank = 0;
  for (const line of lines) if (!isBlank(line)) nonBlank++;
  return { lines, nonBlank, partial: partial || head.length > HEAD_LINES };
}

function linesOf(chunk: string): string[] {
  return stripAnsi(chunk)
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

export function isBlank(line: string): boolean {
  return line.trim().length === 0;
}

const BINARY_CHAR = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/g;

/** Share of characters that are control characters other than tab/newline/CR, or U+FFFD: binary data decoded as text. */
export function binaryShare(lines: readonly string[]): number {
  let total = 0;
  let bad = 0;
  for (const line of lines) {
    total += line.length + 1;
    // Native scan; most lines have no such character at all.
    BINARY_CHAR.lastIndex = 0;
    if (!BINARY_CHAR.test(line)) continue;
    bad += line.match(BINARY_CHAR)?.length ?? 0;
  }
  return total === 0 ? 0 : bad / total;
}
