/**
 * Error items: the ones a reader of a tool output must never lose. Evidence,
 * strongest first:
 *  1. key/value evidence — an `error`/`errors`/`exception` field that is not
 *     empty, a status/state/level/severity value such as `failed` or
 *     `CRITICAL`, `is_error: true`, `success: false`, an HTTP status ≥ 500;
 *  2. error words (`error`, `failed`, `exception`, …) as whole words in string
 *     values, not negated (`no errors`, `0 failures` are not errors).
 * Unlike a substring match over the item's JSON, `"errors": []`,
 * `"timeout_ms": 30` or `"error_rate": 0` are not errors. When an item has a
 * severity field (`level`, `severity`, …) its value is the authority: a
 * `WARNING` whose message says "failed to connect" is a warning, not an error
 * — the producer already classified it.
 */
import { numberValue, type RawDocument, type RawNode } from '../../../json/index.js';

/** Keys whose non-empty value reports an error. */
const ERROR_KEYS = new Set(['error', 'errors', 'err', 'exception', 'exceptions', 'failure', 'failures', 'fault', 'traceback', 'stacktrace', 'stack_trace', 'panic']);
/** Keys whose value classifies the item's severity; their verdict overrides words in free text. */
const SEVERITY_KEYS = new Set(['level', 'severity', 'log_level', 'loglevel', 'levelname', 'priority']);
/** Keys whose string value may name a failed outcome. */
const STATUS_KEYS = new Set(['status', 'state', 'outcome', 'result', 'conclusion', 'health', 'phase', 'verdict', ...SEVERITY_KEYS]);
const ERROR_VALUES = new Set([
  'error',
  'errored',
  'err',
  'fail',
  'failed',
  'failure',
  'failing',
  'critical',
  'crit',
  'fatal',
  'emergency',
  'emerg',
  'alert',
  'crash',
  'crashed',
  'panic',
  'aborted',
  'abort',
  'timeout',
  'timed_out',
  'timedout',
  'rejected',
  'denied',
  'unhealthy',
  'crashloopbackoff',
  'oomkilled',
]);
/** Keys where `true` means an error. */
const TRUE_MEANS_ERROR = new Set(['is_error', 'iserror', 'has_error', 'haserror', 'failed', 'is_failed', 'error']);
/** Keys where `false` means an error. */
const FALSE_MEANS_ERROR = new Set(['success', 'succeeded', 'ok', 'passed', 'is_success', 'issuccess', 'healthy']);
/** Keys holding an HTTP status code. */
const HTTP_STATUS_KEYS = new Set(['status', 'status_code', 'statuscode', 'http_status', 'httpstatus', 'response_code', 'responsecode']);

const ERROR_WORDS = /\b(errors?|exceptions?|failed|failures?|fatal|crash(?:ed)?|panic(?:ked)?|traceback|critical|timed out|denied|rejected|abort(?:ed)?|unhandled)\b/gi;
const NEGATIONS = /(?:^|\W)(?:no|0|zero|without|not|never|none)\W+$/i;

/** How deep into nested objects/arrays the evidence search goes (an `exception` inside `details`). */
const MAX_DEPTH = 3;

type Verdict = 'error' | 'not-error' | 'unknown';

/** Whether `text` (a free-text string) contains an error word that is not negated. */
export function hasErrorWords(text: string): boolean {
  ERROR_WORDS.lastIndex = 0;
  for (let match = ERROR_WORDS.exec(text); match !== null; match = ERROR_WORDS.exec(text)) {
    const before = text.slice(Math.max(0, match.index - 12), match.index);
    if (!NEGATIONS.test(before)) return true;
  }
  return false;
}

/**
 * Whether the item (any JSON value) is an error item. `told` says which
 * free-text values were already seen in an earlier item (their error words
 * are not news here: see `repeatedTexts`).
 */
export function isErrorItem(doc: RawDocument, item: RawNode, told: (text: string) => boolean = () => false): boolean {
  if (item.type === 'string') return hasErrorWords(item.value);
  if (item.type !== 'object' && item.type !== 'array') return false;
  const verdict = structuredVerdict(doc, item, 0);
  if (verdict !== 'unknown') return verdict === 'error';
  return textHasErrorWords(item, 0, told);
}

/** Free text at least this long is prose (a description, a README), not a log message. */
export const PROSE_LENGTH = 200;

/**
 * Prose repeated verbatim in several items (a package description carried by
 * every version, a README) is one text, told once: the index of the first
 * item holding each such string. Error words in it ("improving error and
 * exception handling") flag that first item only — the text is then in the
 * output once, and the other items are not errors because of it. Short
 * strings (log messages) and key/value evidence are unaffected.
 */
export function repeatedTexts(items: readonly RawNode[]): Map<string, number> {
  const first = new Map<string, number>();
  const repeated = new Map<string, number>();
  items.forEach((item, index) =>
    visitProse(item, 0, (text) => {
      const seen = first.get(text);
      if (seen === undefined) first.set(text, index);
      else if (seen !== index) repeated.set(text, seen);
    }),
  );
  return repeated;
}

/** Calls `visit` with every prose string of `node` (as deep as error words are looked for). */
function visitProse(node: RawNode, depth: number, visit: (text: string) => void): void {
  if (node.type === 'string') {
    if (node.value.length >= PROSE_LENGTH) visit(node.value);
    return;
  }
  if (depth > MAX_DEPTH) return;
  if (node.type === 'object') for (const entry of node.entries) visitProse(entry.value, depth + 1, visit);
  else if (node.type === 'array') for (const item of node.items) visitProse(item, depth + 1, visit);
}

/** Key/value evidence: 'error', 'not-error' (a severity field says otherwise) or 'unknown'. */
function structuredVerdict(doc: RawDocument, node: RawNode, depth: number): Verdict {
  if (depth > MAX_DEPTH) return 'unknown';
  if (node.type === 'array') {
    let verdict: Verdict = 'unknown';
    for (const item of node.items) {
      const inner = structuredVerdict(doc, item, depth + 1);
      if (inner === 'error') return 'error';
      if (inner === 'not-error') verdict = 'not-error';
    }
    return verdict;
  }
  if (node.type !== 'object') return 'unknown';
  let verdict: Verdict = 'unknown';
  for (const { key, value } of node.entries) {
    const lower = key.toLowerCase();
    const own = entryVerdict(doc, lower, value);
    if (own === 'error') return 'error';
    if (own === 'not-error') verdict = 'not-error';
    if (value.type === 'object' || value.type === 'array') {
      const inner = structuredVerdict(doc, value, depth + 1);
      if (inner === 'error') return 'error';
    }
  }
  return verdict;
}

function entryVerdict(doc: RawDocument, key: string, value: RawNode): Verdict {
  if (ERROR_KEYS.has(key) && isNonEmpty(value)) return 'error';
  if (value.type === 'boolean') {
    if (value.value && TRUE_MEANS_ERROR.has(key)) return 'error';
    if (!value.value && FALSE_MEANS_ERROR.has(key)) return 'error';
    return 'unknown';
  }
  if (value.type === 'number' && HTTP_STATUS_KEYS.has(key)) {
    const code = numberValue(doc, value);
    return code >= 500 && code <= 599 ? 'error' : 'unknown';
  }
  if (value.type === 'string' && STATUS_KEYS.has(key)) {
    const normalized = value.value
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (ERROR_VALUES.has(normalized)) return 'error';
    if (HTTP_STATUS_KEYS.has(key) && /^5\d\d$/.test(normalized)) return 'error';
    if (SEVERITY_KEYS.has(key) && normalized !== '') return 'not-error';
  }
  return 'unknown';
}

/** Evidence that a field holds something: a non-blank string other than "none"/"null", a non-empty container, true, a non-zero number. */
function isNonEmpty(value: RawNode): boolean {
  switch (value.type) {
    case 'string': {
      const text = value.value.trim().toLowerCase();
      return text !== '' && text !== 'none' && text !== 'null' && text !== 'false' && text !== '0' && text !== 'n/a';
    }
    case 'object':
      return value.entries.length > 0;
    case 'array':
      return value.items.length > 0;
    case 'boolean':
      return value.value;
    case 'opaque':
      return true;
    default:
      return false;
  }
}

function textHasErrorWords(node: RawNode, depth: number, told: (text: string) => boolean): boolean {
  if (node.type === 'string') return !told(node.value) && hasErrorWords(node.value);
  if (depth > MAX_DEPTH) return false;
  if (node.type === 'object') return node.entries.some((entry) => textHasErrorWords(entry.value, depth + 1, told));
  if (node.type === 'array') return node.items.some((item) => textHasErrorWords(item, depth + 1, told));
  return false;
}
