/**
 * json_bloat: pretty-printed JSON. Indentation, line breaks and the spaces
 * after `:` and `,` carry no information for the model; the rewrite is the
 * same JSON with that whitespace removed.
 *
 * The compact form is what lossless compaction writes: `minifyJson` deletes
 * the whitespace outside strings (not JSON.stringify(JSON.parse(…)), which
 * would also respell numbers and escapes), so the saving is exactly the
 * whitespace, and for a text that is one JSON document audit reports exactly
 * what optimize's compaction saves (up to EXACT_COUNT_CHARS; longer ones are
 * estimated, see Cost; and base64 blobs are masked before this detector runs,
 * so their tokens are counted as base64, not here). Minifying validates the
 * span as strictly as JSON.parse, so JavaScript object literals and Python
 * dicts are never reported.
 *
 * Two places are checked:
 *   - the whole text is one JSON object or array;
 *   - otherwise, embedded pretty-printed spans of ≥ MIN_EMBEDDED_CHARS: a `{`
 *     or `[` at the start of a line, followed by a line break and an indented
 *     line, up to the matching bracket.
 *
 * Cost: tool results are often large JSON documents, and counting one twice
 * (as sent, then compact) would double the tokenizing work of a JSON-heavy
 * audit. Spans up to EXACT_COUNT_CHARS (256K characters, which covers every
 * JSON tool output in the corpus at no measurable cost) are counted exactly;
 * longer ones are
 * measured on SAMPLE_WINDOWS windows spread over the span (SAMPLE_SHARE of
 * it in all, within bounds), each counted as sent and compact, and the
 * compact/original ratio is applied to the span's tokens (the caller's
 * whole-text count when it has one, else extrapolated from the windows).
 * JSON documents are regular, so the estimate is close; the detail says when
 * it was sampled.
 */
import { containerEnd, isJsonSpace, minifyJson, minifyJsonMapped, type Checkpoint } from '../../json/index.js';
import { formatCount } from './describe.js';
import type { Span } from './spans.js';
import type { CountTokens, TextWasteFinding } from './types.js';

export const MIN_EMBEDDED_CHARS = 200;
/** Spans up to this many characters are counted exactly; longer ones are sampled. */
export const EXACT_COUNT_CHARS = 262_144;
/** At most this many windows, each at least MIN_WINDOW_CHARS (each window edge costs a little accuracy). */
const SAMPLE_WINDOWS = 8;
const MIN_WINDOW_CHARS = 512;
/** A sample covers this share of a span, between MIN_SAMPLE_CHARS and MAX_SAMPLE_CHARS. */
const SAMPLE_SHARE = 0.0625;
const MIN_SAMPLE_CHARS = 1_024;
const MAX_SAMPLE_CHARS = 8_192;
/** How often (in characters of the span) the scan records an aligned original/compact offset pair. */
const CHECKPOINT_CHARS = 128;
/**
 * An embedded span is only reported if enough whitespace goes: fewer removed
 * characters than this (or under MIN_REMOVED_SHARE of the span) are not worth
 * counting. (A text that is one JSON document has no threshold: see detectJsonBloat.)
 */
const MIN_REMOVED_CHARS = 4;
const MIN_REMOVED_SHARE = 0.01;

/** An opening bracket at a line start, then a line break and indentation. */
const EMBEDDED_START = /^[{[][ \t]*\r?\n[ \t]+\S/gm;

export interface JsonBloatOptions {
  /** Tokens of the whole text, when the caller already knows them. */
  textTokens?: number;
}

export interface JsonBloatDetection {
  finding: TextWasteFinding | null;
  /** The JSON spans found bloated: later detectors must not count their whitespace again. */
  spans: Span[];
}

interface CompactJson {
  start: number;
  /** Offset just past the closing bracket. */
  end: number;
  compact: string;
  removed: number;
  /** Ascending; recorded just past whitespace runs, which are always outside strings. Empty unless the span is sampled. */
  checkpoints: Checkpoint[];
}

interface Measure {
  before: number;
  after: number;
  sampled: boolean;
}

export function detectJsonBloat(text: string, count: CountTokens, options: JsonBloatOptions = {}): JsonBloatDetection {
  const whole = wholeTextJson(text);
  if (whole === undefined) return detectEmbedded(text, count);
  // No threshold here: a text that is one JSON document is exactly what lossless
  // compaction rewrites, and audit reports what it saves, however little.
  if (whole === null || whole.removed === 0) return { finding: null, spans: [] };
  const span = { start: 0, end: text.length };
  return result([measure(text, span, whole, count, options.textTokens)], [span]);
}

/**
 * The whole text when it is one bracketed value (surrounding whitespace
 * allowed): its compaction, or null when it is not valid JSON; undefined when
 * the text is not one bracketed value (e.g. JSON Lines, or prose around JSON).
 */
function wholeTextJson(text: string): CompactJson | null | undefined {
  const start = firstNonSpace(text);
  const first = text[start];
  if (first !== '{' && first !== '[') return undefined;
  const last = text[lastNonSpace(text)];
  if (last !== '}' && last !== ']') return undefined;
  const compact = compactJson(text, 0);
  if (compact !== null) return compact;
  // Anything but whitespace after the first value's closing bracket: not a single JSON document.
  const end = containerEnd(text, start, false);
  return end >= 0 && firstNonSpace(text, end) === text.length ? null : undefined;
}

function detectEmbedded(text: string, count: CountTokens): JsonBloatDetection {
  // Cheap pre-check before the regex: there must be a line starting with a bracket.
  if (!text.includes('\n{') && !text.includes('\n[') && text[0] !== '{' && text[0] !== '[') return { finding: null, spans: [] };
  const spans: Span[] = [];
  const measures: Measure[] = [];
  EMBEDDED_START.lastIndex = 0;
  for (let match = EMBEDDED_START.exec(text); match; match = EMBEDDED_START.exec(text)) {
    const start = match.index;
    const end = containerEnd(text, start, true);
    // A failed search stopped at the first line that cannot belong to the span;
    // no candidate lies between here and that line, so the search stays linear.
    if (end < 0) continue;
    EMBEDDED_START.lastIndex = end;
    const length = end - start;
    if (length < MIN_EMBEDDED_CHARS) continue;
    const scan = compactJson(text.slice(start, end), start);
    if (scan === null || !isWorthCounting(scan, length)) continue;
    const measured = measure(text, { start, end }, scan, count);
    if (measured.after >= measured.before) continue;
    measures.push(measured);
    spans.push({ start, end });
  }
  return result(measures, spans);
}

/**
 * The compaction of `json` (one JSON value, found at `offset` in the text
 * being measured), or null when it is not valid JSON. A span long enough to
 * be sampled is also mapped onto the text, so windows of both can be counted.
 */
function compactJson(json: string, offset: number): CompactJson | null {
  if (json.length <= EXACT_COUNT_CHARS) {
    const compact = minifyJson(json);
    if (compact === null) return null;
    return { start: offset, end: offset + json.length, compact, removed: json.length - compact.length, checkpoints: [] };
  }
  const mapped = minifyJsonMapped(json, CHECKPOINT_CHARS);
  if (mapped === null) return null;
  return {
    start: offset + mapped.start,
    end: offset + mapped.end,
    compact: mapped.compact,
    removed: json.length - mapped.compact.length,
    checkpoints: mapped.checkpoints.map(([from, to]): Checkpoint => [offset + from, to]),
  };
}

function result(measures: readonly Measure[], spans: Span[]): JsonBloatDetection {
  let before = 0;
  let after = 0;
  for (const measured of measures) {
    before += measured.before;
    after += measured.after;
  }
  if (after >= before) return { finding: null, spans: [] };
  const what = measures.length === 1 ? 'pretty-printed JSON' : `${measures.length} pretty-printed JSON spans`;
  const sampled = measures.some((measured) => measured.sampled) ? ' (sampled)' : '';
  const finding: TextWasteFinding = {
    key: 'json_bloat',
    tokens: before - after,
    detail: `${what}: ${formatCount(before)} → ${formatCount(after)} tokens compact${sampled}`,
  };
  if (measures.length > 1) finding.instances = measures.length;
  return { finding, spans };
}

/** Tokens of a span as sent and compact: exact for short spans, sampled for long ones. */
function measure(text: string, { start, end }: Span, scan: CompactJson, count: CountTokens, knownTokens?: number): Measure {
  if (end - start <= EXACT_COUNT_CHARS) {
    return { before: knownTokens ?? count(text.slice(start, end)), after: count(scan.compact), sampled: false };
  }
  let sampleBefore = 0;
  let sampleAfter = 0;
  let sampleChars = 0;
  for (const [[from, compactFrom], [to, compactTo]] of sampleWindows(scan)) {
    sampleBefore += count(text.slice(from, to));
    sampleAfter += count(scan.compact.slice(compactFrom, compactTo));
    sampleChars += to - from;
  }
  // No usable windows (e.g. one giant string without whitespace): count it all.
  if (sampleBefore === 0) return { before: knownTokens ?? count(text.slice(start, end)), after: count(scan.compact), sampled: false };
  const before = knownTokens ?? Math.round((sampleBefore * (end - start)) / sampleChars);
  return { before, after: Math.round((before * sampleAfter) / sampleBefore), sampled: true };
}

/** Up to SAMPLE_WINDOWS windows, evenly spread, each from one checkpoint to a later one. */
function sampleWindows(scan: CompactJson): Array<[Checkpoint, Checkpoint]> {
  const windows: Array<[Checkpoint, Checkpoint]> = [];
  const points = scan.checkpoints;
  const length = scan.end - scan.start;
  const sampleChars = Math.min(MAX_SAMPLE_CHARS, Math.max(MIN_SAMPLE_CHARS, length * SAMPLE_SHARE));
  const windowCount = Math.max(1, Math.min(SAMPLE_WINDOWS, Math.floor(sampleChars / MIN_WINDOW_CHARS)));
  const windowChars = sampleChars / windowCount;
  let index = 0;
  for (let window = 0; window < windowCount; window++) {
    const target = scan.start + Math.floor((window * length) / windowCount);
    while (index < points.length && (points[index] as Checkpoint)[0] < target) index++;
    const from = points[index];
    if (!from) break;
    let next = index + 1;
    while (next < points.length && (points[next] as Checkpoint)[0] < from[0] + windowChars) next++;
    const to = points[next];
    if (!to) break;
    windows.push([from, to]);
    index = next;
  }
  return windows;
}

function isWorthCounting(scan: CompactJson, length: number): boolean {
  return scan.removed >= MIN_REMOVED_CHARS && scan.removed >= length * MIN_REMOVED_SHARE;
}

function firstNonSpace(text: string, from = 0): number {
  let index = from;
  while (index < text.length && isJsonSpace(text.charCodeAt(index))) index++;
  return index;
}

function lastNonSpace(text: string): number {
  let index = text.length - 1;
  while (index > 0 && isJsonSpace(text.charCodeAt(index))) index--;
  return index;
}
