/**
 * The regex tier's formats: values whose shape alone says they change from
 * one request to the next (or are credentials). Each pattern carries the
 * reason a report gives for it. Patterns are in priority order: where two
 * overlap, the earlier-starting, then longer, then earlier-listed one wins,
 * so a datetime swallows its own clock time and a labelled request id is
 * named a request id rather than a hex hash.
 */
import type { DynamicType } from './types.js';

export interface Pattern {
  type: DynamicType;
  regex: RegExp;
  reason: string;
  /** Extra check on a match; the default accepts it. */
  accept?: (match: RegExpExecArray, text: string) => boolean;
  /** Index of the capture group holding the value, when the match includes a label or prefix. */
  group?: number;
}

/** Unix timestamps are only plausible between 2001-01-01 and 2100-01-01. */
const MIN_UNIX_SECONDS = 978_307_200;
const MAX_UNIX_SECONDS = 4_102_444_800;
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

const MONTH = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';

/** Dates right after a `version` label (`anthropic-version: 2023-06-01`) are fixed API versions, not the current date. */
const VERSION_LABEL = /version|api-?v/i;

export const PATTERNS: readonly Pattern[] = [
  { type: 'jwt', reason: 'a JSON Web Token (a credential)', regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{7,}[A-Za-z0-9]/g },
  // Vendor key formats first: their prefixes are documented, so a match is a key, not a guess.
  {
    type: 'api_key',
    reason: 'an API key (a credential)',
    regex:
      /\b(?:sk|rk|pk)-(?:ant-(?:api\d\d-)?|proj-|live-|test-)?[A-Za-z0-9_-]{20,}|\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}|\bgh[pousr]_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{30,}|\bxox[abprs]-[A-Za-z0-9-]{10,}|\bAKIA[0-9A-Z]{16}\b|\bAIza[0-9A-Za-z_-]{35}/g,
    accept: (match) => mixesLettersAndDigits(match[0]),
  },
  {
    type: 'api_key',
    reason: 'a token after a key-like prefix (a credential)',
    regex: /\b(?:api|key|token|secret|bearer|auth)[-_](?=[A-Za-z]*\d)[A-Za-z0-9]{16,}\b/gi,
    accept: (match) => mixesLettersAndDigits(match[0]),
  },
  {
    type: 'api_key',
    reason: 'a bearer token (a credential)',
    regex: /\bBearer[ \t]+([A-Za-z0-9._~+/-]{20,}=*)/g,
    group: 1,
    accept: (match) => mixesLettersAndDigits(match[1] ?? ''),
  },
  { type: 'uuid', reason: 'a UUID: unique per request, session or object', regex: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g },
  {
    type: 'datetime',
    reason: 'an ISO date and time: changes every call',
    regex: /\b(\d{4})-(\d{2})-(\d{2})[T ]([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?\b/g,
    accept: isPlausibleDate,
  },
  { type: 'date', reason: 'an ISO date: changes every day', regex: /\b(\d{4})-(\d{2})-(\d{2})\b/g, accept: isPlausibleDate },
  { type: 'date', reason: 'a date: changes every day', regex: /\b(\d{4})\/(\d{2})\/(\d{2})\b/g, accept: isPlausibleDate },
  { type: 'date', reason: 'a date: changes every day', regex: /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g, accept: isPlausibleSlashDate },
  { type: 'date', reason: 'a written date: changes every day', regex: new RegExp(`\\b${MONTH}\\.? \\d{1,2}(?:st|nd|rd|th)?,? (\\d{4})\\b`, 'g'), accept: isPlausibleYear },
  { type: 'date', reason: 'a written date: changes every day', regex: new RegExp(`\\b\\d{1,2} ${MONTH} (\\d{4})\\b`, 'g'), accept: isPlausibleYear },
  { type: 'time', reason: 'a clock time: changes every second', regex: /\b(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?\b/g },
  { type: 'time', reason: 'a clock time: changes every minute', regex: /\b(?:1[0-2]|0?[1-9]):[0-5]\d ?(?:AM|PM|am|pm)\b/g },
  { type: 'timestamp', reason: 'a unix timestamp: changes every second', regex: /\b\d{10}(?:\d{3})?\b/g, accept: isPlausibleTimestamp },
  // Prefixed ids (`req_011CUx…`, `trace-4bf92f35…`, `sess_…`): the id must contain a digit, so words never match.
  {
    type: 'request_id',
    reason: 'a request, session or trace id: new for every request or session',
    regex: /\b(?:req|request|trace|span|sess|session|run|conv|chatcmpl|resp|msg)[_-](?=[A-Za-z]*\d)[A-Za-z0-9]{8,}\b/gi,
  },
  // Labelled ids (`x-request-id: abc123…`, `trace_id=…`, `session id: …`): only the value is volatile.
  {
    type: 'request_id',
    reason: 'a labelled request, session or trace id',
    regex:
      /\b(?:x-)?(?:request|trace|correlation|span|session|transaction|conversation)[-_ ]?id["']?\s{0,3}[:=]\s{0,3}["']?((?=[A-Za-z._:-]*\d)[A-Za-z0-9][A-Za-z0-9._:-]{6,}[A-Za-z0-9])/gi,
    group: 1,
  },
  {
    type: 'hex_hash',
    reason: 'a hex digest (32, 40 or 64 digits): a content hash, commit or id',
    // One run of hex digits, its length checked after: six alternatives tried at every word start cost 10x more.
    regex: /\b[0-9a-fA-F]{32,64}\b/g,
    accept: (match) => isHexDigest(match[0]),
  },
  {
    type: 'version',
    reason: 'a version string: changes with every release',
    regex: /(?<![\w@"'=^~<>./-])v\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.]+)?(?:\+[0-9A-Za-z.]+)?\b/g,
    accept: (match, text) => !onDependencyLine(text, match.index),
  },
];

const DIGEST_LENGTHS = new Set([32, 40, 64]);

/** MD5, SHA-1 or SHA-256 length, one letter case, letters and digits both (not a run of digits). */
function isHexDigest(value: string): boolean {
  return DIGEST_LENGTHS.has(value.length) && (value === value.toLowerCase() || value === value.toUpperCase()) && mixesLettersAndDigits(value);
}

function mixesLettersAndDigits(value: string): boolean {
  return /\d/.test(value) && /[A-Za-z]/.test(value);
}

/**
 * A line of a dependency list (`- react v18.2.0`, `"react": "v18.2.0"`,
 * `1. node v20`): versions there are pinned, not the running build's.
 */
function onDependencyLine(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  const line = text.slice(lineStart, index);
  return /^\s*(?:[-*+]\s|\d+[.)]\s|"[^"]*"\s*:)/.test(line);
}

function isPlausibleDate(match: RegExpExecArray, text: string): boolean {
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > 31) return false;
  return !VERSION_LABEL.test(text.slice(Math.max(0, match.index - 24), match.index));
}

/** `11/24/2026` or `24/11/2026`: either order, as long as one reading is a date. */
function isPlausibleSlashDate(match: RegExpExecArray): boolean {
  const first = Number(match[1]);
  const second = Number(match[2]);
  const year = Number(match[3]);
  if (year < MIN_YEAR || year > MAX_YEAR || first < 1 || second < 1) return false;
  return (first <= 12 && second <= 31) || (second <= 12 && first <= 31);
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
