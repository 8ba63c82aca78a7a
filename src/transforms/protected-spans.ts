/**
 * Spans of a text that every compressor must keep verbatim (issue 11 item 7):
 * the XML-like tags agents wrap context in (`<system-reminder>…</system-reminder>`,
 * `<function_results>`, `<example>`), fenced code blocks, JSON inside prose,
 * paths with line references (`src/a.ts:42`), URLs, and error messages.
 * Cutting inside one of these leaves a model with a broken instruction, a
 * code sample that does not compile, a coordinate that points nowhere or an
 * error it can no longer quote.
 *
 * One linear pass per kind (regexes with bounded, non-nested classes; the
 * JSON scan has a total budget), so a megabyte of text costs milliseconds.
 * The result is sorted and non-overlapping: overlapping spans are merged
 * and keep the kind of the one that starts first (the outer one).
 */
import { HTML_ELEMENTS } from '../analysis/waste/html-noise.js';

export const PROTECTED_KINDS = ['tag', 'code-fence', 'json', 'path-ref', 'url', 'error'] as const;
export type ProtectedKind = (typeof PROTECTED_KINDS)[number];

export interface ProtectedSpan {
  /** Offset of the first character (UTF-16, as `String.prototype.slice`). */
  readonly start: number;
  /** Offset just after the last character. */
  readonly end: number;
  readonly kind: ProtectedKind;
}

/** Every protected span of `text`, sorted by start, none overlapping. */
export function findProtectedSpans(text: string): ProtectedSpan[] {
  const spans: ProtectedSpan[] = [...unframed(text, [...tagSpans(text), ...fenceSpans(text)]), ...jsonSpans(text), ...pathRefSpans(text), ...urlSpans(text), ...errorSpans(text)];
  return mergeSpans(spans);
}

/** The kinds of span that can run over several lines; the others (path:line, URL, error message) lie within one. */
export const BLOCK_KINDS = ['tag', 'code-fence', 'json'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

/**
 * The block spans of `text` that run over more than one line — an agent tag
 * pair (`<system-reminder>…</system-reminder>`), a fenced code block, JSON
 * laid out on several lines — for compressors that keep or drop whole lines:
 * a span within one line is never cut by them (lines are atomic), so only
 * these need their lines kept together. Only closed fences count (a stray
 * fence line in a log would otherwise hold every line after it), only
 * matched tag pairs (a lone `<module>` in a traceback or `List<Foo>` in a
 * log is no block), and only tags not named in PascalCase (`<Foo>…</Foo>` is
 * a JSX component in source code, not an agent's framing). `kinds` narrows
 * the kinds looked for.
 */
export function findBlockSpans(text: string, kinds: readonly BlockKind[] = BLOCK_KINDS): ProtectedSpan[] {
  const spans: ProtectedSpan[] = [];
  if (kinds.includes('tag')) spans.push(...tagSpans(text, true));
  if (kinds.includes('code-fence')) spans.push(...fenceSpans(text, true));
  if (kinds.includes('json')) spans.push(...jsonSpans(text));
  const multiLine = spans.filter((span) => text.lastIndexOf('\n', span.end - 1) >= span.start);
  return mergeSpans([
    ...unframed(
      text,
      multiLine.filter((span) => span.kind !== 'json'),
    ),
    ...multiLine.filter((span) => span.kind === 'json'),
  ]);
}

/**
 * A tag pair or fence around the whole output (only blank space outside it)
 * is how a harness frames a tool result (`<function_results>…</function_results>`),
 * not a note inside one: protecting all of it would leave the compressor
 * nothing. Its opening and closing lines stay; what they enclose is
 * compressed as the content it is, and blocks nested in it keep their own
 * protection (they are spans of their own).
 */
function unframed(text: string, spans: readonly ProtectedSpan[]): ProtectedSpan[] {
  // The output's first and last non-blank characters: a span from one to the other over several lines frames it whole.
  const first = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  return spans.flatMap((span) => {
    if (span.start !== first || span.end !== end) return [span];
    const firstEnd = text.indexOf('\n', span.start);
    if (firstEnd < 0 || firstEnd >= span.end) return [span];
    const lastStart = text.lastIndexOf('\n', span.end - 1) + 1;
    return [
      { start: span.start, end: firstEnd, kind: span.kind },
      { start: lastStart, end: span.end, kind: span.kind },
    ];
  });
}

/** Sorted by start (longer first on ties), overlapping spans merged into the first one's kind. */
export function mergeSpans(spans: readonly ProtectedSpan[]): ProtectedSpan[] {
  const sorted = [...spans].filter((span) => span.end > span.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: ProtectedSpan[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.start < last.end) {
      if (span.end > last.end) merged[merged.length - 1] = { start: last.start, end: span.end, kind: last.kind };
    } else {
      merged.push(span);
    }
  }
  return merged;
}

/** An opening, closing or self-closing tag; attributes bounded so a stray `<` cannot make the scan long. */
const TAG = /<(\/?)([A-Za-z][\w:.-]{0,63})((?:\s[^<>]{0,1000})?\/?)>/g;

/**
 * Custom (non-HTML) tags: a matched pair covers everything from its opening
 * to its closing tag; a self-closing or unmatched tag covers itself (not with
 * `pairsOnly`, which also skips PascalCase names: JSX components). HTML
 * elements are page markup, not an agent's framing, and are left alone.
 */
function tagSpans(text: string, pairsOnly = false): ProtectedSpan[] {
  if (!text.includes('<')) return [];
  const spans: ProtectedSpan[] = [];
  const open: { name: string; start: number; end: number }[] = [];
  for (const match of text.matchAll(TAG)) {
    const name = (match[2] as string).toLowerCase();
    if (HTML_ELEMENTS.has(name) || (pairsOnly && /^[A-Z]/.test(match[2] as string))) continue;
    const start = match.index;
    const end = start + match[0].length;
    if (match[1] === '/') {
      let i = open.length - 1;
      while (i >= 0 && (open[i] as { name: string }).name !== name) i--;
      if (i < 0) {
        if (!pairsOnly) spans.push({ start, end, kind: 'tag' });
        continue;
      }
      const opening = open[i] as { start: number };
      // Tags opened inside and never closed end with their parent.
      open.length = i;
      spans.push({ start: opening.start, end, kind: 'tag' });
    } else if ((match[3] as string).endsWith('/')) {
      if (!pairsOnly) spans.push({ start, end, kind: 'tag' });
    } else {
      open.push({ name, start, end });
    }
  }
  if (!pairsOnly) for (const unclosed of open) spans.push({ start: unclosed.start, end: unclosed.end, kind: 'tag' });
  return spans;
}

/** Line bounds: [start, end) of the line holding `at`, without its terminator. */
function lineAt(text: string, at: number): [number, number] {
  const start = at === 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1;
  let end = text.indexOf('\n', at);
  if (end < 0) end = text.length;
  if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
  return [start, end];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** CommonMark fenced code blocks: from the opening fence line to the closing one (or the end of the text when never closed, unless `closedOnly`). */
function fenceSpans(text: string, closedOnly = false): ProtectedSpan[] {
  if (!text.includes('```') && !text.includes('~~~')) return [];
  const spans: ProtectedSpan[] = [];
  let opened: { start: number; char: string; length: number } | null = null;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
    // Only a line starting with a fence character or indentation can be a fence.
    const first = text.charCodeAt(start);
    const fence = first === 0x60 || first === 0x7e || first === 0x20 ? FENCE.exec(text.slice(start, Math.min(end, start + 64))) : null;
    if (fence) {
      const marks = fence[1] as string;
      if (opened === null) {
        // A backtick fence's info string may not contain backticks.
        if (!(marks[0] === '`' && text.slice(start + fence[0].length, end).includes('`'))) opened = { start, char: marks[0] as string, length: marks.length };
      } else if (marks[0] === opened.char && marks.length >= opened.length && text.slice(start + fence[0].length, end).trim() === '') {
        spans.push({ start: opened.start, end, kind: 'code-fence' });
        opened = null;
      }
    }
    const next = text.indexOf('\n', end);
    if (next < 0) break;
    start = next + 1;
  }
  if (opened !== null && !closedOnly) spans.push({ start: opened.start, end: text.length, kind: 'code-fence' });
  return spans;
}

/** Where JSON may start inside prose: an object with a key, or an array of objects, arrays or strings. */
const JSON_START = /[{[](?=\s{0,16}["{[])/g;

/**
 * JSON values inside prose, validated by JSON.parse. Each candidate is
 * scanned to its closing bracket (strings skipped; a raw line break inside a
 * string ends it, as JSON allows none); the scans share a budget of a few
 * times the text's length so unbalanced brackets in prose cannot make the
 * pass quadratic.
 */
function jsonSpans(text: string): ProtectedSpan[] {
  if (!text.includes('{') && !text.includes('[')) return [];
  const spans: ProtectedSpan[] = [];
  let budget = 4 * text.length + 4096;
  JSON_START.lastIndex = 0;
  for (let match = JSON_START.exec(text); match !== null; match = JSON_START.exec(text)) {
    const start = match.index;
    const scanned = containerEnd(text, start, budget);
    budget -= scanned.cost;
    if (scanned.end !== null && isJson(text.slice(start, scanned.end))) {
      spans.push({ start, end: scanned.end, kind: 'json' });
      JSON_START.lastIndex = scanned.end;
    }
    if (budget <= 0) break;
  }
  return spans;
}

function isJson(candidate: string): boolean {
  try {
    JSON.parse(candidate);
    return true;
  } catch {
    return false;
  }
}

/** The end of the bracketed value starting at `start`, or null; `cost` is the characters read. */
function containerEnd(text: string, start: number, budget: number): { end: number | null; cost: number } {
  let depth = 0;
  let inString = false;
  const limit = Math.min(text.length, start + budget);
  for (let p = start; p < limit; p++) {
    const c = text.charCodeAt(p);
    if (inString) {
      if (c === 0x5c) p++;
      else if (c === 0x22) inString = false;
      else if (c === 0x0a) return { end: null, cost: p - start + 1 };
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) return { end: p + 1, cost: p - start + 1 };
    }
  }
  return { end: null, cost: limit - start };
}

/**
 * `src/a.ts:42`, `./lib/x.py:10:5`, `Cargo.toml:3`, and Python's
 * `File "x.py", line 42`. Found from the `.ext:line` that ends one (a
 * literal-led search), then walked back over path characters, so the scan
 * does not start a match at every character of the text.
 */
const LINE_SUFFIX = /\.[A-Za-z][A-Za-z0-9]{0,9}:\d{1,7}(?::\d{1,5})?/g;
const PATH_BODY = /^(?:~|\.{1,2})?\/?(?:[\w@+-][\w.@+-]*\/)*[\w@+-][\w.@+-]*$/;
const PATH_CHAR = /[\w.@+~/-]/;
const PY_FRAME = /File "[^"\n]{1,500}", line \d{1,7}/g;
const PATH_MAX = 1000;

function pathRefSpans(text: string): ProtectedSpan[] {
  const spans: ProtectedSpan[] = [];
  for (const match of text.matchAll(LINE_SUFFIX)) {
    const end = match.index + match[0].length;
    // `a.ts:42a` or `a.ts:42.5` is not a coordinate.
    if (/[\w.]/.test(text[end] ?? '') && !(text[end] === '.' && !/\w/.test(text[end + 1] ?? ''))) continue;
    let start = match.index;
    while (start > 0 && match.index - start < PATH_MAX && PATH_CHAR.test(text[start - 1] as string)) start--;
    if (PATH_BODY.test(text.slice(start, match.index + 1 + (/^\.[A-Za-z][A-Za-z0-9]*/.exec(match[0]) as RegExpExecArray)[0].length - 1))) spans.push({ start, end, kind: 'path-ref' });
  }
  if (text.includes('File "')) for (const match of text.matchAll(PY_FRAME)) spans.push({ start: match.index, end: match.index + match[0].length, kind: 'path-ref' });
  return spans;
}

const URL = /\b(?:https?|ftp|file):\/\/[^\s<>"'`]{1,4000}/g;
/** Punctuation that ends the sentence around a URL rather than the URL itself. */
const URL_TRAILER = /[.,;:!?'"*_]+$/;

function urlSpans(text: string): ProtectedSpan[] {
  if (!text.includes('://')) return [];
  const spans: ProtectedSpan[] = [];
  for (const match of text.matchAll(URL)) {
    let url = match[0].replace(URL_TRAILER, '');
    // `(see https://x.org/a)`: a closing bracket the URL did not open belongs to the prose.
    while (/[)\]]$/.test(url) && count(url, url.endsWith(')') ? '(' : '[') < count(url, url.endsWith(')') ? ')' : ']')) url = url.slice(0, -1).replace(URL_TRAILER, '');
    spans.push({ start: match.index, end: match.index + url.length, kind: 'url' });
  }
  return spans;
}

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/** Words that make a line an error message (`TypeError:`, `error[E0308]`, `FAILED`, `panic:`, `npm ERR!`, a traceback). */
const ERROR_WORD =
  /\b(?:[Ee]rrors?|ERRORS?|[Ee]xception|EXCEPTION|[Ff]atal|FATAL|[Pp]anic(?:ked)?|PANIC|[Ff]ail(?:ed|ure|s)?|FAIL(?:ED|URE|S)?|[Tt]raceback|CRITICAL|[Ss]egmentation fault)\b|\bERR!|\B(?:Error|Exception)\b/g;
/** A line longer than this is a paragraph: only the sentence holding the error word is protected. */
const ERROR_LINE_MAX = 400;

function errorSpans(text: string): ProtectedSpan[] {
  const spans: ProtectedSpan[] = [];
  ERROR_WORD.lastIndex = 0;
  for (let match = ERROR_WORD.exec(text); match !== null; match = ERROR_WORD.exec(text)) {
    const [lineStart, lineEnd] = lineAt(text, match.index);
    if (lineEnd - lineStart <= ERROR_LINE_MAX) {
      spans.push({ start: lineStart, end: lineEnd, kind: 'error' });
      ERROR_WORD.lastIndex = Math.max(ERROR_WORD.lastIndex, lineEnd);
      continue;
    }
    const [start, end] = sentenceAround(text, match.index, lineStart, lineEnd);
    spans.push({ start, end, kind: 'error' });
    ERROR_WORD.lastIndex = Math.max(ERROR_WORD.lastIndex, end);
  }
  return spans;
}

/** The sentence of a long line around `at`: from after the previous `. `/`! `/`? ` to the next one (bounded both ways). */
function sentenceAround(text: string, at: number, lineStart: number, lineEnd: number): [number, number] {
  let start = at;
  const floor = Math.max(lineStart, at - ERROR_LINE_MAX);
  while (start > floor && !(/[.!?]/.test(text[start - 2] ?? '') && /\s/.test(text[start - 1] ?? ''))) start--;
  let end = at;
  const ceiling = Math.min(lineEnd, at + ERROR_LINE_MAX);
  while (end < ceiling && !(/[.!?]/.test(text[end] ?? '') && (end + 1 >= lineEnd || /\s/.test(text[end + 1] ?? '')))) end++;
  return [start, Math.min(lineEnd, end + 1)];
}
