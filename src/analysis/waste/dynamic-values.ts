/**
 * dynamic_date: values that change on every request (dates, clock times,
 * timestamps, UUIDs, JWTs, request and trace ids) inside the part of a prompt
 * that providers cache (system prompt, tool definitions). One changed
 * character there invalidates the cached prefix from that point on; the
 * rewrite is to move the value after the cacheable prefix (e.g. into the
 * latest user message). The value counted is the tokens of the volatile spans.
 *
 * The caller decides what is cacheable; elsewhere such values are just data.
 */
import type { Span } from './spans.js';
import type { CountTokens, TextWasteFinding } from './types.js';

export type VolatileKind = 'jwt' | 'uuid' | 'datetime' | 'date' | 'time' | 'timestamp' | 'request_id';

export interface VolatileValue extends Span {
  kind: VolatileKind;
}

/** Unix timestamps are only plausible between 2001-01-01 and 2100-01-01. */
const MIN_UNIX_SECONDS = 978_307_200;
const MAX_UNIX_SECONDS = 4_102_444_800;
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

const MONTH = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';

interface Pattern {
  kind: VolatileKind;
  regex: RegExp;
  /** Extra check on a match; the default accepts it. */
  accept?: (match: RegExpExecArray, text: string) => boolean;
  /** Index of the capture group holding the value, when the match includes a label. */
  group?: number;
}

/**
 * Patterns in priority order: where two overlap, the earlier-starting (then
 * longer) match wins, so a datetime swallows its own clock time.
 */
const PATTERNS: readonly Pattern[] = [
  { kind: 'jwt', regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{7,}[A-Za-z0-9]/g },
  { kind: 'uuid', regex: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g },
  {
    kind: 'datetime',
    regex: /\b(\d{4})-(\d{2})-(\d{2})[T ]([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?\b/g,
    accept: isPlausibleDate,
  },
  { kind: 'date', regex: /\b(\d{4})-(\d{2})-(\d{2})\b/g, accept: isPlausibleDate },
  { kind: 'date', regex: new RegExp(`\\b${MONTH}\\.? \\d{1,2}(?:st|nd|rd|th)?,? (\\d{4})\\b`, 'g'), accept: isPlausibleYear },
  { kind: 'date', regex: new RegExp(`\\b\\d{1,2} ${MONTH} (\\d{4})\\b`, 'g'), accept: isPlausibleYear },
  { kind: 'time', regex: /\b(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?\b/g },
  { kind: 'timestamp', regex: /\b\d{10}(?:\d{3})?\b/g, accept: isPlausibleTimestamp },
  // Prefixed ids (`req_011CUx…`, `trace-4bf92f35…`): the id must contain a digit, so words never match.
  { kind: 'request_id', regex: /\b(?:req|request|trace|span)[_-](?=[A-Za-z]*\d)[A-Za-z0-9]{8,}\b/gi },
  // Labelled ids (`x-request-id: abc123…`, `trace_id=…`): only the value is volatile.
  {
    kind: 'request_id',
    regex: /\b(?:x-)?(?:request|trace|correlation|span)[-_ ]?id["']?\s{0,3}[:=]\s{0,3}["']?((?=[A-Za-z._:-]*\d)[A-Za-z0-9][A-Za-z0-9._:-]{6,}[A-Za-z0-9])/gi,
    group: 1,
  },
];

/** Dates right after a `version` label (`anthropic-version: 2023-06-01`) are fixed API versions, not the current date. */
const VERSION_LABEL = /version|api-?v/i;

export function detectDynamicValues(text: string, count: CountTokens): TextWasteFinding | null {
  const values = findVolatileValues(text);
  if (values.length === 0) return null;
  const kinds = new Set<VolatileKind>();
  for (const value of values) kinds.add(value.kind);
  const tokens = valueTokens(text, values, count);
  if (tokens <= 0) return null;
  const what = values.length === 1 ? '1 volatile value' : `${values.length} volatile values`;
  return {
    key: 'dynamic_date',
    tokens,
    detail: `${what} (${[...kinds].join(', ')}) in the cacheable prefix`,
    instances: values.length,
  };
}

/**
 * The tokens of all values, in one count: the values joined by line breaks,
 * minus one token per line break. Every pattern starts and ends with a letter
 * or digit, so a line break never merges with a value and each value is
 * tokenized exactly as on its own (a prompt can hold thousands of dates;
 * one count call each would cost more than the text itself).
 */
function valueTokens(text: string, values: readonly VolatileValue[], count: CountTokens): number {
  const joined = values.map((value) => text.slice(value.start, value.end)).join('\n');
  return count(joined) - (values.length - 1) * count('\n');
}

/** Every volatile value in `text`, sorted, never overlapping. */
export function findVolatileValues(text: string): VolatileValue[] {
  // Every pattern needs a digit; most prompts without one are skipped at once.
  if (!/\d/.test(text)) return [];
  const found: VolatileValue[] = [];
  for (const pattern of PATTERNS) {
    pattern.regex.lastIndex = 0;
    for (let match = pattern.regex.exec(text); match; match = pattern.regex.exec(text)) {
      if (pattern.accept && !pattern.accept(match, text)) continue;
      const value = pattern.group !== undefined ? match[pattern.group] : match[0];
      if (!value) continue;
      const start = match.index + match[0].length - value.length;
      found.push({ start, end: start + value.length, kind: pattern.kind });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: VolatileValue[] = [];
  for (const value of found) {
    const last = kept[kept.length - 1];
    if (!last || value.start >= last.end) kept.push(value);
  }
  return kept;
}

function isPlausibleDate(match: RegExpExecArray, text: string): boolean {
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > 31) return false;
  return !VERSION_LABEL.test(text.slice(Math.max(0, match.index - 24), match.index));
}

function isPlausibleYear(match: RegExpExecArray): boolean {
  const year = Number(match[1]);
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

function isPlausibleTimestamp(match: RegExpExecArray): boolean {
  const digits = match[0];
  // The textbook placeholder is not a moment in time.
  if (digits === '1234567890') return false;
  const seconds = digits.length === 13 ? Number(digits) / 1000 : Number(digits);
  return seconds >= MIN_UNIX_SECONDS && seconds < MAX_UNIX_SECONDS;
}
