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
  const lines: string[] = [];
  if (!partial) {
    pushLines(lines, text);
  } else {
    // Drop the partial line at each cut unless it is all there is (one long line).
    const head = text.slice(0, HEAD_CHARS);
    const headEnd = head.lastIndexOf('\n');
    pushLines(lines, headEnd > 0 ? head.slice(0, headEnd) : head);
    const tail = text.slice(text.length - TAIL_CHARS);
    const tailStart = tail.indexOf('\n');
    if (tailStart >= 0 && tailStart < tail.length - 1) pushLines(lines, tail.slice(tailStart + 1));
  }
  let nonBlank = 0;
  for (const line of lines) if (!isBlank(line)) nonBlank++;
  return { lines, nonBlank, partial };
}

function pushLines(out: string[], chunk: string): void {
  for (const raw of stripAnsi(chunk).split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    out.push(line);
  }
}

export function isBlank(line: string): boolean {
  return line.trim().length === 0;
}

/** Share of characters that are control characters other than tab/newline/CR, or U+FFFD: binary data decoded as text. */
export function binaryShare(lines: readonly string[]): number {
  let total = 0;
  let bad = 0;
  for (const line of lines) {
    total += line.length + 1;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if ((c < 0x20 && c !== 0x09 && c !== 0x0d) || c === 0x7f || c === 0xfffd) bad++;
    }
  }
  return total === 0 ? 0 : bad / total;
}
