/**
 * The CacheAligner's opt-in normalizations (`normalize_whitespace`,
 * `collapse_blank_lines`): line endings to LF, trailing spaces off each
 * line, runs of blank lines to one. Clients that rebuild a message with
 * different line endings or trailing spaces from one call to the next turn a
 * cache read into a write; normalized, both calls send the same bytes.
 * Deterministic and idempotent, so a text normalized once stays put.
 */
export function normalizeWhitespace(text: string, collapseBlankLines: boolean): string {
  let lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, ''));
  if (collapseBlankLines) lines = lines.filter((line, index) => line !== '' || index === 0 || lines[index - 1] !== '');
  return lines.join('\n');
}
