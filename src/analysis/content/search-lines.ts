/**
 * Line tests for search output: grep / ripgrep `path:line:content` matches,
 * `path-line-content` context lines and `--` separators of `-C` output,
 * ripgrep's `--heading` mode (a path line, then `line:content` /
 * `line-content`, also alone when one file was searched), `-c` counts
 * (`path:count`), `path:content` without line numbers, and `-l` file lists.
 */

export type SearchLine = 'match' | 'file-match' | 'context' | 'separator' | 'heading-match' | 'heading-context' | 'count' | 'path';

/** `path:line:` — the path has no whitespace and at least one `/`, `.` or `\` (so `10:00:00` is not one). */
const MATCH = /^((?:[A-Za-z]:\\)?[^\s:]{1,400}):\d{1,9}:/;
/** `path-line-` — greedy over the bounded path, so the last `-digits-` before any space is taken. */
const CONTEXT = /^([^\s:]{1,400})-\d{1,9}-/;
const COUNT = /^([^\s:]{1,400}):\d{1,9}$/;
/** `path:content` (grep without `-n`, several files): the path has a directory and an extension. */
const FILE_MATCH = /^((?:[A-Za-z]:\\)?[^\s:]{1,400}\/[^\s:/]{1,200}\.\w{1,10}):/;
const HEADING_MATCH = /^\d{1,9}:/;
const HEADING_CONTEXT = /^\d{1,9}-/;
/** A bare path with a file extension or a directory part. */
const PATH = /^(?:\.{0,2}\/)?[\w@+~.-]{1,200}(?:\/[\w@+~. -]{1,200}){0,40}$/;

function pathLike(path: string): boolean {
  return /[/\\.]/.test(path) && /[A-Za-z]/.test(path);
}

export function searchLine(line: string): SearchLine | null {
  if (line === '--') return 'separator';
  let match = MATCH.exec(line);
  if (match && pathLike(match[1]!)) return 'match';
  match = COUNT.exec(line);
  if (match && pathLike(match[1]!)) return 'count';
  if (FILE_MATCH.test(line)) return 'file-match';
  match = CONTEXT.exec(line);
  if (match && pathLike(match[1]!)) return 'context';
  if (HEADING_MATCH.test(line)) return 'heading-match';
  if (HEADING_CONTEXT.test(line)) return 'heading-context';
  if (PATH.test(line) && /[/.]/.test(line) && /\.\w{1,10}$|\//.test(line)) return 'path';
  return null;
}
