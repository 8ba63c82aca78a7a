/**
 * The content router's classifier: what kind of text a tool output is, so
 * each compressor can accept the kinds it handles instead of detecting
 * content itself. Computed once per distinct text in analysis (see
 * `ContentClassifier` in ./content/classifier.ts) and read by audit and the
 * transforms.
 *
 * Deterministic and cheap: apart from one linear validity check (JSON.parse)
 * of texts that look like a whole JSON value, it reads a bounded sample (the first and
 * last few KB, ./content/sample.ts) with bounded, anchored line patterns.
 * ANSI colour codes and CRLF line endings are removed before any test, so they
 * never change the kind. Mixed content picks the kind most lines have, with a
 * confidence lowered by the runner-up.
 */
import { isJsonContainerText } from '../json/index.js';
import { HTML_ELEMENTS } from './waste/html-noise.js';
import { codeLanguage, isCommentLine, isProseLine, isStrongCodeLine, isWeakCodeLine } from './content/code-lines.js';
import { scanDiff } from './content/diff-lines.js';
import { jsonLineKind } from './content/json-lines.js';
import { appLogStrength, isBuildLine, isStackLine, withoutCiPrefix } from './content/log-lines.js';
import { binaryShare, isBlank, linePrefix, sampleOf, stripAnsi, type Sample } from './content/sample.js';
import { searchLine, type SearchLine } from './content/search-lines.js';
import { tableRows } from './content/table-lines.js';

export const CONTENT_KINDS = ['json-array', 'json-object', 'build-log', 'app-log', 'search', 'diff', 'code', 'html', 'table', 'prose', 'unknown'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

export interface ContentClass {
  kind: ContentKind;
  /** 0..1: how much of the text fits the kind, lowered when another kind is close. */
  confidence: number;
  /** For `code`: the language when it can be told (`python`, `typescript`, `tsx`, `go`, `yaml`, …). */
  language?: string;
}

/** A JSON value may follow at most this many preamble lines, within this many characters. */
const PREAMBLE_LINES = 3;
const PREAMBLE_CHARS = 4_096;
const PREAMBLE_CONFIDENCE = 0.7;
/** A share of binary-looking characters above this makes a text `unknown`. */
const BINARY_SHARE = 0.1;
/** A kind needs at least this share of the sampled lines to be chosen; below it the text is `unknown`. */
const MIN_SHARE = 0.3;
/** A JSON Lines text: at least this share of its lines are JSON objects. */
const JSON_LINES_SHARE = 0.6;
const MIN_WEAK_CODE_LINES = 3;
/** Search lines without a path (`12:content`) or without a line number (`path:content`) make a search result only as most of the text. */
const HEADING_ONLY_SHARE = 0.6;
/** A text whose sampled lines are at least this share diff lines is a diff without further tests. */
const DIFF_ONLY_SHARE = 0.9;
/** A file read with line-number prefixes: at least this share of its lines have one. */
const NUMBERED_SHARE = 0.7;
const NUMBER_WIDTH = 6;

export function classifyContent(text: string): ContentClass {
  if (!hasNonSpace(text)) return { kind: 'unknown', confidence: 0 };
  const json = wholeJson(text);
  if (json) return json;
  const sample = sampleOf(text);
  if (sample.nonBlank === 0) return { kind: 'unknown', confidence: 0 };
  if (binaryShare(sample.lines) > BINARY_SHARE) return { kind: 'unknown', confidence: 0.9 };
  const numbered = numberedRead(sample.lines);
  if (numbered) return numbered;
  const first = sample.lines.find((line) => !isBlank(line))!.trimStart();
  if (/^<!doctype html|^<html[\s>]/i.test(first)) return { kind: 'html', confidence: 0.95 };
  if (first.startsWith('<?xml')) return { kind: 'code', confidence: 0.8, language: 'xml' };
  return classifyLines(text, sample);
}

function hasNonSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0x0c && c !== 0x0b && c !== 0xa0 && c !== 0xfeff) return true;
  }
  return false;
}

/** The whole text is one JSON array or object (a full, linear validity check; colour codes removed first). */
function wholeJson(text: string): ContentClass | null {
  const plain = stripAnsi(text);
  return isJsonValue(plain) ? jsonClass(plain, 1) : null;
}

/**
 * Whether `text` is exactly one JSON array or object. JSON.parse is the full
 * check: native, linear, and 5–10× faster than a scan in JavaScript (its
 * result is dropped; nothing here needs the values).
 */
function isJsonValue(text: string): boolean {
  if (!isJsonContainerText(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * One JSON value after a short preamble (a command echo, `stdout:`, a tool's
 * header lines). The confidence is lower: the text itself does not parse.
 */
function jsonAfterPreamble(text: string): ContentClass | null {
  const plain = stripAnsi(text);
  let start = 0;
  for (let line = 0; line < PREAMBLE_LINES; line++) {
    const newline = plain.indexOf('\n', start);
    if (newline < 0 || newline > PREAMBLE_CHARS) return null;
    start = newline + 1;
    const next = plain.charCodeAt(start);
    if (next !== 0x7b && next !== 0x5b) continue;
    const rest = plain.slice(start);
    if (isJsonValue(rest)) return jsonClass(rest, PREAMBLE_CONFIDENCE);
  }
  return null;
}

function jsonClass(json: string, confidence: number): ContentClass {
  return { kind: json.trimStart()[0] === '[' ? 'json-array' : 'json-object', confidence };
}

/**
 * `cat -n` (`     1\t…`) or Claude Code's Read (`     1→…`): a file read,
 * classified as code of the file's language. Both pad the number to six
 * columns, which tells them from tab-separated output that starts with a
 * number (`gh pr list`). A `<system-reminder>` an agent appends ends the file.
 */
function numberedRead(lines: readonly string[]): ContentClass | null {
  const prefix = /^( *)(\d{1,9})(?:→|\t)/;
  let numbered = 0;
  let nonBlank = 0;
  const inner: string[] = [];
  for (const line of lines) {
    if (line.startsWith('<system-reminder>')) break;
    if (isBlank(line)) continue;
    nonBlank++;
    const match = prefix.exec(line);
    if (match && match[1]!.length + match[2]!.length >= NUMBER_WIDTH) {
      numbered++;
      inner.push(line.slice(match[0].length));
    }
  }
  if (nonBlank < 1 || numbered / nonBlank < NUMBERED_SHARE) return null;
  const language = fileLanguage(inner);
  const share = numbered / nonBlank;
  return language ? { kind: 'code', confidence: round2(share), language } : { kind: 'code', confidence: round2(0.6 * share) };
}

/** The language of a file's lines: JSON and Markdown are told apart here, the rest by code signals. */
function fileLanguage(lines: readonly string[]): string | undefined {
  const text = lines.join('\n');
  if (isJsonValue(text)) return 'json';
  const first = lines.find((line) => !isBlank(line))?.trimStart() ?? '';
  if (/^<!doctype html|^<html[\s>]/i.test(first)) return 'html';
  const language = codeLanguage(lines);
  if (language) return language;
  if (lines.some((line) => /^#{1,6} \S/.test(line)) && lines.filter(isProseLine).length >= lines.length / 4) return 'markdown';
  return undefined;
}

type LineKind = Exclude<ContentKind, 'json-array' | 'json-object' | 'unknown'>;

/** Order of preference when two kinds have the same number of lines: the more specific first. */
const TIE_ORDER: readonly LineKind[] = ['diff', 'search', 'build-log', 'app-log', 'table', 'html', 'code', 'prose'];

interface LineCounts {
  build: number;
  app: number;
  /** Stack frames, indented continuation lines and bare level lines: log lines of either kind. */
  logOther: number;
  searchStrong: number;
  searchWeak: number;
  /** Lines that are a bare path (`rg -l`, or ripgrep's `--heading` file lines). */
  paths: number;
  /** `line:content` lines of ripgrep's `--heading` mode: matches when there are path lines, or when they are most lines (one file searched). */
  headingMatches: number;
  headingContext: number;
  /** `path:content` lines: matches when they are most lines. */
  fileMatches: number;
  ripgrepJson: number;
  jsonLog: number;
  jsonRecord: number;
  codeStrong: number;
  codeWeak: number;
  prose: number;
  htmlLines: number;
  htmlElements: Set<string>;
}

function classifyLines(text: string, sample: Sample): ContentClass {
  const total = sample.nonBlank;
  // Most diffs are nothing but diff lines: decided before the costlier per-line tests.
  const diff = scanDiff(sample.lines);
  if ((diff.hunks > 0 || diff.gitHeaders > 0) && diff.lines / total >= DIFF_ONLY_SHARE) return { kind: 'diff', confidence: confidence(Math.min(1, diff.lines / total), 0) };

  const counts = countLines(sample.lines);
  const jsonLines = counts.ripgrepJson + counts.jsonLog + counts.jsonRecord;
  if (jsonLines / total >= JSON_LINES_SHARE) return jsonLinesClass(counts, jsonLines, total);
  const preamble = jsonAfterPreamble(text);
  if (preamble) return preamble;

  const scores: Record<LineKind, number> = {
    diff: diff.hunks > 0 || diff.gitHeaders > 0 ? diff.lines : 0,
    search: searchScore(counts, total),
    'build-log': 0,
    'app-log': 0,
    table: tableRows(sample.lines),
    html: counts.htmlElements.size >= 3 ? counts.htmlLines : 0,
    // Without one line only code has, `key: value` lines are code (YAML, config) only when there are several and they dominate.
    code: counts.codeStrong > 0 || (counts.codeWeak >= MIN_WEAK_CODE_LINES && counts.codeWeak >= 0.6 * total) ? counts.codeStrong + counts.codeWeak : 0,
    prose: counts.prose,
  };
  const logLines = counts.build + counts.app + counts.jsonLog + counts.logOther;
  if (counts.build + counts.app + counts.jsonLog > 0 || counts.logOther >= 2) {
    scores[counts.build >= counts.app + counts.jsonLog ? 'build-log' : 'app-log'] = logLines;
  }
  // A bare list of paths is `rg -l` / `find` output: search, but only when nothing else fits.
  if (scores.search === 0 && counts.paths / total >= 0.8) scores.search = counts.paths;

  let best: LineKind = 'prose';
  let second = 0;
  for (const kind of TIE_ORDER) {
    if (scores[kind] > scores[best] || (scores[kind] === scores[best] && TIE_ORDER.indexOf(kind) < TIE_ORDER.indexOf(best))) best = kind;
  }
  for (const kind of TIE_ORDER) if (kind !== best) second = Math.max(second, scores[kind]);
  const share = Math.min(1, scores[best] / total);
  if (share < MIN_SHARE) return { kind: 'unknown', confidence: round2(1 - share) };
  const result: ContentClass = { kind: best, confidence: confidence(share, Math.min(1, second / total)) };
  if (best === 'code') {
    const language = codeLanguage(sample.lines);
    if (language) result.language = language;
  }
  return result;
}

/** Which count each kind of search line adds to. */
const SEARCH_COUNTS: Record<SearchLine, 'searchStrong' | 'searchWeak' | 'paths' | 'headingMatches' | 'headingContext' | 'fileMatches'> = {
  match: 'searchStrong',
  count: 'searchStrong',
  context: 'searchWeak',
  separator: 'searchWeak',
  path: 'paths',
  'heading-match': 'headingMatches',
  'heading-context': 'headingContext',
  'file-match': 'fileMatches',
};

function searchScore(counts: LineCounts, total: number): number {
  const numbered = counts.headingMatches + counts.headingContext;
  // `12:content` lines count as matches under a path line, or when they are most of the text (one file searched).
  const heading = counts.paths > 0 || numbered >= HEADING_ONLY_SHARE * total ? counts.headingMatches : 0;
  const fileMatches = counts.fileMatches >= HEADING_ONLY_SHARE * total ? counts.fileMatches : 0;
  if (counts.searchStrong + counts.ripgrepJson + heading + fileMatches === 0) return 0;
  return counts.searchStrong + counts.ripgrepJson + heading + fileMatches + counts.searchWeak + counts.paths + (heading > 0 ? counts.headingContext : 0);
}

function countLines(lines: readonly string[]): LineCounts {
  const counts: LineCounts = {
    build: 0,
    app: 0,
    logOther: 0,
    searchStrong: 0,
    searchWeak: 0,
    paths: 0,
    headingMatches: 0,
    headingContext: 0,
    fileMatches: 0,
    ripgrepJson: 0,
    jsonLog: 0,
    jsonRecord: 0,
    codeStrong: 0,
    codeWeak: 0,
    prose: 0,
    htmlLines: 0,
    htmlElements: new Set(),
  };
  // Whether the previous non-blank line was a log line: indented lines after one continue its entry.
  let inLog = false;
  for (const whole of lines) {
    if (isBlank(whole)) continue;
    if (whole.trimStart().startsWith('{')) {
      const json = jsonLineKind(whole);
      if (json === 'ripgrep') counts.ripgrepJson++;
      else if (json === 'log') counts.jsonLog++;
      else if (json === 'record') counts.jsonRecord++;
      if (json) {
        inLog = json === 'log';
        continue;
      }
    }
    const { rest, ci } = withoutCiPrefix(linePrefix(whole));
    const label = lineLabel(rest, ci, inLog, counts);
    inLog = label === 'log';
    countHtml(rest, counts);
  }
  return counts;
}

/** Counts one line under the first kind it fits and says whether it was a log line. */
function lineLabel(line: string, ci: boolean, inLog: boolean, counts: LineCounts): 'log' | 'other' {
  if (isBuildLine(line)) {
    counts.build++;
    return 'log';
  }
  if (isStackLine(line)) {
    counts.logOther++;
    return 'log';
  }
  // A line stamped by a CI runner is build output, whatever it says.
  if (ci) {
    counts.build++;
    return 'log';
  }
  const strength = appLogStrength(line);
  if (strength === 'strong') {
    counts.app++;
    return 'log';
  }
  const search = searchLine(line);
  if (search !== null) {
    counts[SEARCH_COUNTS[search]]++;
    return 'other';
  }
  if (strength === 'weak' || (inLog && /^\s/.test(line))) {
    counts.logOther++;
    return 'log';
  }
  if (isStrongCodeLine(line)) counts.codeStrong++;
  else if (isCommentLine(line)) counts.codeWeak++;
  else if (isProseLine(line)) counts.prose++;
  else if (isWeakCodeLine(line)) counts.codeWeak++;
  return 'other';
}

const TAG = /<\/?([a-zA-Z][a-zA-Z0-9]{0,15})(?=[\s/>])/g;

function countHtml(line: string, counts: LineCounts): void {
  if (!line.includes('<')) return;
  let found = false;
  for (const match of line.matchAll(TAG)) {
    const name = match[1]!.toLowerCase();
    if (HTML_ELEMENTS.has(name)) {
      counts.htmlElements.add(name);
      found = true;
    }
  }
  if (found) counts.htmlLines++;
}

/** A JSON Lines stream: ripgrep `--json` messages, log events, or records (reported as `json-array`). */
function jsonLinesClass(counts: LineCounts, jsonLines: number, total: number): ContentClass {
  const share = jsonLines / total;
  if (counts.ripgrepJson >= counts.jsonLog && counts.ripgrepJson >= counts.jsonRecord) return { kind: 'search', confidence: round2(share * (counts.ripgrepJson / jsonLines)) };
  if (counts.jsonLog >= counts.jsonRecord) return { kind: 'app-log', confidence: round2(share * (0.5 + 0.5 * (counts.jsonLog / jsonLines))) };
  // Records, one per line: an array in all but syntax, so a lower confidence than a real JSON array.
  return { kind: 'json-array', confidence: round2(0.75 * share * (counts.jsonRecord / jsonLines)) };
}

/** The winner's share of lines, lowered by how close the runner-up came. */
function confidence(share: number, runnerUp: number): number {
  return round2(Math.max(0.05, Math.min(1, 0.7 * share + 0.3 * (share - runnerUp))));
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
