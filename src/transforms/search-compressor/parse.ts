/**
 * Reads search output into files and the units a compressor may keep or
 * drop: grep / ripgrep `path:line:content` lines (with `-C` context lines
 * `path-line-content` and `--` separators), `path:content` without line
 * numbers, ripgrep's `--heading` layout (a path line, then `line:content`
 * rows), and ripgrep's `--json` messages (begin/match/context/end/summary).
 *
 * A unit is one match line, or — when the output has context lines — one
 * context group (the lines between separators), so a kept match keeps its
 * context and a dropped one takes its context and separator with it. Every
 * line that is not part of a unit (path headings, ripgrep's begin/end/summary
 * messages, blank lines, anything unrecognised) is structure and always kept.
 * Lines are only classified here; nothing is rewritten.
 */
import { entryOf, parseRawJson, type RawDocument, type RawNode } from '../../json/index.js';
import { stripAnsi, type Line } from '../lines.js';

export type SearchMode = 'lines' | 'heading' | 'json';

export interface SearchUnit {
  readonly file: number;
  /** 0-based index of its first line (a `--` separator before a context group belongs to the group). */
  readonly first: number;
  last: number;
  /** The line numbers of its match lines, in order; null for output without line numbers. */
  readonly matchLines: (number | null)[];
  /** Whether it holds context lines besides its matches. */
  hasContext: boolean;
  /** What relevance is scored on: the path and the content of its lines. */
  text: string;
}

export interface SearchFile {
  readonly path: string;
  /** Its units, in order. */
  readonly units: number[];
  /** Its match lines. */
  matches: number;
}

export interface SearchLayout {
  readonly mode: SearchMode;
  readonly files: SearchFile[];
  readonly units: SearchUnit[];
  /** Per line: the unit it belongs to, or -1 for structure (always kept). */
  readonly unitOf: Int32Array;
}

/** A path longer than this is not taken for one (and bounds the scan of a very long line). */
const MAX_PATH = 4096;
/** A ripgrep `--json` stream: at least this share of its non-blank lines are its messages. */
const JSON_SHARE = 0.6;

export function parseSearch(lines: readonly Line[]): SearchLayout {
  // ripgrep writes no colour codes into --json output: it is tested as written.
  if (isRipgrepJson(lines.map((line) => line.text))) return parseJson(lines);
  const plain = lines.map((line) => stripAnsi(line.text));
  if (isHeading(plain)) return parseHeading(plain);
  return parseFlat(plain);
}

class LayoutBuilder {
  readonly files: SearchFile[] = [];
  readonly units: SearchUnit[] = [];
  readonly unitOf: Int32Array;
  private readonly fileIndex = new Map<string, number>();
  /** Index of the unit the next line may extend, or -1. */
  private open = -1;

  constructor(length: number) {
    this.unitOf = new Int32Array(length).fill(-1);
  }

  /** Ends the open unit: the next unit line starts a new one. */
  close(): void {
    this.open = -1;
  }

  /**
   * Adds line `index` to the open unit (when `extend` and it is of the same
   * file) or to a new unit whose lines start at `first` (a separator before it).
   */
  add(index: number, path: string, first: number, extend: boolean, match: boolean, lineNumber: number | null, content: string): void {
    let unit = this.open < 0 ? undefined : this.units[this.open];
    if (!extend || unit === undefined || this.files[unit.file]?.path !== path) {
      let file = this.fileIndex.get(path);
      if (file === undefined) {
        file = this.files.length;
        this.fileIndex.set(path, file);
        this.files.push({ path, units: [], matches: 0 });
      }
      unit = { file, first, last: index, matchLines: [], hasContext: false, text: path };
      this.open = this.units.length;
      (this.files[file] as SearchFile).units.push(this.open);
      this.units.push(unit);
      for (let i = first; i < index; i++) this.unitOf[i] = this.open;
    }
    unit.last = index;
    this.unitOf[index] = this.open;
    unit.text += `\n${content}`;
    if (match) {
      unit.matchLines.push(lineNumber);
      (this.files[unit.file] as SearchFile).matches++;
    } else {
      unit.hasContext = true;
    }
  }

  layout(mode: SearchMode): SearchLayout {
    return { mode, files: this.files, units: this.units, unitOf: this.unitOf };
  }
}

/** `path:12:` at the start of `line`: the earliest `:digits:` after at least one path character (a `C:\` drive is skipped). */
export function numberedMatch(line: string): { path: string; line: number; content: string } | null {
  let colon = line.indexOf(':');
  while (colon > 0 && colon <= MAX_PATH) {
    let end = colon + 1;
    while (end < line.length && end - colon <= 10 && isDigit(line.charCodeAt(end))) end++;
    if (end > colon + 1 && line.charCodeAt(end) === 0x3a) {
      const path = line.slice(0, colon);
      // Not a path (a time `10:00:00`, a log line with spaces): the line is left alone, which is always safe.
      return pathLike(path) ? { path, line: Number(line.slice(colon + 1, end)), content: line.slice(end + 1) } : null;
    }
    colon = line.indexOf(':', colon + 1);
  }
  return null;
}

/** `path:content` (grep without `-n`): a path without spaces that names a file (a directory part or an extension). */
function unnumberedMatch(line: string): { path: string; content: string } | null {
  const match = /^((?:[A-Za-z]:\\)?[^\s:]{1,4096}):/.exec(line.slice(0, MAX_PATH + 4));
  // `path:12` alone is a count (`rg -c`), not a match.
  if (!match || /^\d+$/.test(line.slice(match[0].length))) return null;
  const path = match[1] as string;
  if (!/[/\\]/.test(path) && !/\.\w{1,10}$/.test(path)) return null;
  return { path, content: line.slice(match[0].length) };
}

/** A path as grep prints it: no whitespace, a letter, and a directory separator or an extension dot. */
function pathLike(path: string): boolean {
  return !/\s/.test(path) && /[A-Za-z]/.test(path) && /[/\\.]/.test(path);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** A context line of `path`: `path-12-content` (numbered) or `path-content`. */
function contextOf(line: string, path: string, numbered: boolean): { line: number | null; content: string } | null {
  if (!line.startsWith(`${path}-`)) return null;
  const rest = line.slice(path.length + 1);
  if (!numbered) return { line: null, content: rest };
  const match = /^(\d{1,10})-/.exec(rest);
  return match ? { line: Number(match[1]), content: rest.slice(match[0].length) } : null;
}

/** grep / ripgrep without headings: every match line names its file. */
function parseFlat(plain: readonly string[]): SearchLayout {
  const numbered = plain.some((line) => numberedMatch(line) !== null);
  const matches = plain.map((line) => {
    if (numbered) return numberedMatch(line);
    const found = unnumberedMatch(line);
    return found ? { ...found, line: null } : null;
  });
  // The file a context line can belong to: the one of the nearest match before or after it.
  const before: (string | null)[] = [];
  let last: string | null = null;
  for (const match of matches) {
    if (match) last = match.path;
    before.push(last);
  }
  const after: (string | null)[] = new Array<string | null>(plain.length).fill(null);
  last = null;
  for (let i = plain.length - 1; i >= 0; i--) {
    const match = matches[i];
    if (match) last = match.path;
    after[i] = last;
  }
  const contexts = plain.map((line, i) => {
    if (matches[i]) return null;
    for (const path of [before[i], after[i]]) {
      if (path === null || path === undefined) continue;
      const context = contextOf(line, path, numbered);
      if (context) return { path, ...context };
    }
    return null;
  });
  const grouped = plain.some((line, i) => line === '--' || contexts[i] !== null);
  const builder = new LayoutBuilder(plain.length);
  let separator = -1;
  for (let i = 0; i < plain.length; i++) {
    const line = plain[i] as string;
    const match = matches[i];
    const context = contexts[i];
    if (match || context) {
      const hit = (match ?? context) as { path: string; line: number | null; content: string };
      const first = separator === i - 1 && separator >= 0 ? separator : i;
      builder.add(i, hit.path, first, grouped && separator !== i - 1, match !== null, hit.line, hit.content);
      continue;
    }
    builder.close();
    separator = line === '--' ? i : -1;
  }
  return builder.layout('lines');
}

const HEADING_ROW = /^(\d{1,10})([:-])/;

/** ripgrep `--heading`: some line that is not a numbered row is followed by one. */
function isHeading(plain: readonly string[]): boolean {
  for (let i = 0; i + 1 < plain.length; i++) {
    const line = plain[i] as string;
    if (line === '' || line === '--' || HEADING_ROW.test(line) || numberedMatch(line) !== null) continue;
    if (HEADING_ROW.test(plain[i + 1] as string) && !/^\s/.test(line)) return true;
  }
  return false;
}

function parseHeading(plain: readonly string[]): SearchLayout {
  const grouped = plain.some((line) => line === '--' || /^\d{1,10}-/.test(line));
  const builder = new LayoutBuilder(plain.length);
  let path: string | null = null;
  let separator = -1;
  for (let i = 0; i < plain.length; i++) {
    const line = plain[i] as string;
    const row = HEADING_ROW.exec(line);
    if (row && path !== null) {
      const first = separator === i - 1 && separator >= 0 ? separator : i;
      builder.add(i, path, first, grouped && separator !== i - 1, row[2] === ':', Number(row[1]), line.slice(row[0].length));
      continue;
    }
    builder.close();
    separator = line === '--' ? i : -1;
    // Any other non-blank line is the next file's heading.
    if (line !== '' && line !== '--' && !row) path = line;
  }
  return builder.layout('heading');
}

function isRipgrepJson(plain: readonly string[]): boolean {
  let messages = 0;
  let nonBlank = 0;
  for (const line of plain) {
    if (line.trim() === '') continue;
    nonBlank++;
    if (line.startsWith('{"type":"') && /^\{"type":"(?:begin|match|context|end|summary)"/.test(line)) messages++;
  }
  return nonBlank > 0 && messages / nonBlank >= JSON_SHARE;
}

interface JsonMessage {
  type: string;
  path: string | null;
  line: number | null;
  content: string;
}

function stringAt(node: RawNode | undefined, ...keys: string[]): string | null {
  let current = node;
  for (const key of keys) current = current === undefined ? undefined : entryOf(current, key)?.value;
  return current?.type === 'string' ? current.value : null;
}

/** Messages that are always kept are told by their first bytes: only match and context messages are parsed. */
const STRUCTURE_MESSAGE = /^\{"type":"(?:begin|end|summary)"/;

function jsonMessage(text: string): JsonMessage | null {
  if (STRUCTURE_MESSAGE.test(text)) return null;
  const doc: RawDocument | null = text.startsWith('{') ? parseRawJson(text) : null;
  if (doc === null || doc.root.type !== 'object') return null;
  const type = stringAt(doc.root, 'type');
  const data = entryOf(doc.root, 'data')?.value;
  if (type === null || data === undefined) return null;
  const number = entryOf(data, 'line_number')?.value;
  const lineNumber = number?.type === 'number' ? Number(doc.text.slice(number.start, number.end)) : null;
  // A path that is not UTF-8 comes as base64 `bytes`: it still names one file.
  const path = stringAt(data, 'path', 'text') ?? stringAt(data, 'path', 'bytes');
  return { type, path, line: lineNumber, content: stringAt(data, 'lines', 'text') ?? '' };
}

/** ripgrep `--json`: begin/end/summary messages are structure; match and context messages are thinned. */
function parseJson(lines: readonly Line[]): SearchLayout {
  const messages = lines.map((line) => jsonMessage(line.text));
  const grouped = messages.some((message) => message?.type === 'context');
  const builder = new LayoutBuilder(lines.length);
  let previous: JsonMessage | null = null;
  for (let i = 0; i < lines.length; i++) {
    const message = messages[i];
    if (message && (message.type === 'match' || message.type === 'context') && message.path !== null) {
      // Context groups are runs of consecutive line numbers in one file.
      const contiguous = previous !== null && previous.path === message.path && previous.line !== null && message.line === previous.line + 1;
      builder.add(i, message.path, i, grouped && contiguous, message.type === 'match', message.line, message.content);
      previous = message;
      continue;
    }
    builder.close();
    previous = null;
  }
  return builder.layout('json');
}
