/**
 * base64: encoded binary pasted into a prompt as text. The model cannot read
 * it, and every ~2–3 characters cost a token, so the concrete rewrite is to
 * replace each blob with a short placeholder such as `[base64 image/png 34 KB]`.
 *
 * Two shapes are found:
 *   - `data:<mime>;base64,<payload>` URIs (the marker makes them certain);
 *   - bare runs of ≥ MIN_RUN_CHARS base64 characters that look random: they
 *     mix upper case, lower case and digits and have a character entropy of
 *     at least MIN_ENTROPY bits. Hex digests (16 symbols, ≤ 4 bits), long
 *     words, identifiers and paths stay below that.
 */
import type { CountTokens, TextWasteFinding } from './types.js';
import { formatBytes, formatCount } from './describe.js';
import type { Span } from './spans.js';

export const MIN_RUN_CHARS = 100;
export const MIN_ENTROPY = 4.5;
/** Shortest data-URI payload worth replacing. */
const MIN_DATA_URI_PAYLOAD = 16;
/**
 * Base64 is uniform, so a long blob's tokens are measured on a prefix of this
 * many characters and extrapolated: exact enough, and it keeps a multi-MB
 * blob from costing a second full tokenization.
 */
export const SAMPLE_CHARS = 65_536;

/** Where a data URI's payload starts; its header is looked for just before. */
const BASE64_MARKER = /;base64,/gi;
/** A header is short; looking back further would only let a pathological one overflow the regex stack. */
const MAX_HEADER_CHARS = 512;
/** The header ending at the marker, matched on at most MAX_HEADER_CHARS before it. */
const DATA_URI_HEADER = /data:([a-z]+\/[a-z0-9.+-]+)?(?:;[a-z0-9.+-]+=[^;,\s"'<>]*)*;base64,$/i;
/** Each line of a (possibly wrapped) run needs this many characters, so short words never chain. */
const MIN_LINE_CHARS = 16;

export interface Base64Blob extends Span {
  /** Media type of a data URI; null for a bare run. */
  mediaType: string | null;
  /** Decoded size in bytes. */
  bytes: number;
}

export interface Base64Detection {
  finding: TextWasteFinding | null;
  /** The blobs, sorted and disjoint: later detectors must not count them again. */
  blobs: Base64Blob[];
}

export function detectBase64(text: string, count: CountTokens): Base64Detection {
  const blobs = findBase64Blobs(text);
  if (blobs.length === 0) return { finding: null, blobs };
  let saved = 0;
  let instances = 0;
  let blobTokens = 0;
  let bytes = 0;
  for (const blob of blobs) {
    const tokens = countBlob(text.slice(blob.start, blob.end), count);
    const saving = tokens - count(base64Placeholder(blob));
    if (saving <= 0) continue;
    saved += saving;
    blobTokens += tokens;
    bytes += blob.bytes;
    instances++;
  }
  if (saved <= 0) return { finding: null, blobs };
  const what = instances === 1 ? '1 base64 blob' : `${instances} base64 blobs`;
  const finding: TextWasteFinding = {
    key: 'base64',
    tokens: saved,
    detail: `${what} (${formatBytes(bytes)}): ${formatCount(blobTokens)} tokens → placeholder`,
  };
  if (instances > 1) finding.instances = instances;
  return { finding, blobs };
}

/** The text a blob would be replaced with, e.g. `[base64 image/png 34 KB]`. */
export function base64Placeholder(blob: Base64Blob): string {
  return `[base64 ${blob.mediaType ? `${blob.mediaType} ` : ''}${formatBytes(blob.bytes)}]`;
}

/** Data URIs and random-looking base64 runs, sorted by position, never overlapping. */
export function findBase64Blobs(text: string): Base64Blob[] {
  if (text.length < MIN_DATA_URI_PAYLOAD) return [];
  const dataUris = findDataUris(text);
  const runs = findBase64Runs(text, dataUris);
  if (runs.length === 0) return dataUris;
  return [...dataUris, ...runs].sort((a, b) => a.start - b.start);
}

function findDataUris(text: string): Base64Blob[] {
  const blobs: Base64Blob[] = [];
  // Cheap pre-check: no marker, no URI.
  if (!/;base64,/i.test(text)) return blobs;
  let searchFrom = 0;
  BASE64_MARKER.lastIndex = 0;
  for (let marker = BASE64_MARKER.exec(text); marker; marker = BASE64_MARKER.exec(text)) {
    const payloadStart = marker.index + marker[0].length;
    const windowStart = Math.max(searchFrom, marker.index - MAX_HEADER_CHARS);
    const header = DATA_URI_HEADER.exec(text.slice(windowStart, payloadStart));
    if (!header) continue;
    const payloadEnd = endOfPayload(text, payloadStart);
    BASE64_MARKER.lastIndex = payloadEnd;
    searchFrom = payloadEnd;
    if (payloadEnd - payloadStart < MIN_DATA_URI_PAYLOAD) continue;
    blobs.push({ start: windowStart + header.index, end: payloadEnd, mediaType: header[1]?.toLowerCase() ?? null, bytes: decodedBytes(text, payloadStart, payloadEnd) });
  }
  return blobs;
}

/** A plain loop instead of a regex: payloads can be megabytes long. */
function endOfPayload(text: string, start: number): number {
  return endOfPadding(text, endOfBase64(text, start));
}

/**
 * Cheap pre-check for nextRun: is there any stretch of MIN_RUN_CHARS base64
 * characters (padding allowed, and line breaks after a line of at least MIN_LINE_CHARS)?
 * A plain loop is much faster than the regex, and most texts (prose, code,
 * one number per line) fail it quickly.
 */
function hasLongRun(text: string): boolean {
  let run = 0;
  let line = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (isBase64Char(code) || code === 61 /* = */) {
      line++;
      if (++run >= MIN_RUN_CHARS) return true;
    } else if ((code === 10 || code === 13) && line >= MIN_LINE_CHARS) {
      if (code === 10) line = 0;
    } else {
      run = 0;
      line = 0;
    }
  }
  return false;
}

function isBase64Char(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    (code >= 48 && code <= 57) || // 0-9
    code === 43 || // +
    code === 47 || // /
    code === 45 || // - (URL-safe)
    code === 95 // _ (URL-safe)
  );
}

function findBase64Runs(text: string, dataUris: readonly Base64Blob[]): Base64Blob[] {
  const runs: Base64Blob[] = [];
  if (!hasLongRun(text)) return runs;
  let uriIndex = 0;
  for (let run = nextRun(text, 0); run; run = nextRun(text, run.end)) {
    const { start, end } = run;
    // Skip runs inside a data URI already found (its payload is a run too).
    while (uriIndex < dataUris.length && (dataUris[uriIndex] as Base64Blob).end <= start) uriIndex++;
    const uri = dataUris[uriIndex];
    if (uri && uri.start < end) continue;
    const blob = run.wrapped ? wrappedBlock(start, text.slice(start, end)) : { start, end };
    const candidate = text.slice(blob.start, blob.end);
    if (isRandomBase64(candidate) && !isJwtSegment(text, blob.start, blob.end)) {
      runs.push({ ...blob, mediaType: null, bytes: decodedBytes(text, blob.start, blob.end) });
    }
  }
  return runs;
}

interface Run extends Span {
  /** The run continues over line breaks (MIME and PEM wrap at a fixed width). */
  wrapped: boolean;
}

/**
 * The next run of base64 characters at or after `from`: a line of at least
 * MIN_LINE_CHARS base64 characters and up to two `=`, continued over line
 * breaks (`\n` or `\r\n`) by further such lines. A plain scan, linear in
 * the text: the equivalent regex (a repeated group of repeated classes)
 * overflowed V8's backtracking stack on runs of a few MB.
 */
function nextRun(text: string, from: number): Run | null {
  let index = from;
  while (index < text.length) {
    if (!isBase64Char(text.charCodeAt(index))) {
      index++;
      continue;
    }
    const lineEnd = endOfBase64(text, index);
    if (lineEnd - index < MIN_LINE_CHARS) {
      index = lineEnd;
      continue;
    }
    let end = endOfPadding(text, lineEnd);
    let wrapped = false;
    for (;;) {
      let next = end;
      if (text.charCodeAt(next) === 13 /* \r */) next++;
      if (text.charCodeAt(next) !== 10 /* \n */) break;
      next++;
      const nextEnd = endOfBase64(text, next);
      if (nextEnd - next < MIN_LINE_CHARS) break;
      end = endOfPadding(text, nextEnd);
      wrapped = true;
    }
    return { start: index, end, wrapped };
  }
  return null;
}

function endOfBase64(text: string, start: number): number {
  let index = start;
  while (index < text.length && isBase64Char(text.charCodeAt(index))) index++;
  return index;
}

/** After up to two `=` of padding. */
function endOfPadding(text: string, start: number): number {
  let index = start;
  while (index - start < 2 && text.charCodeAt(index) === 61 /* = */) index++;
  return index;
}

/**
 * The fixed-width block inside a multi-line run: encoders wrap every line at
 * the same width, the last one shorter. The run may also have picked up the
 * tail of a header line (`-----BEGIN CERTIFICATE-----` ends in base64
 * characters) or a following long word; those lines are left out.
 */
function wrappedBlock(start: number, run: string): Span {
  const lines = run.split('\n');
  const offsets: number[] = [];
  let offset = start;
  for (const line of lines) {
    offsets.push(offset);
    offset += line.length + 1;
  }
  const widthOf = (index: number): number => (lines[index] as string).replace(/\r$/, '').length;
  // A first line of another width than the second is a header's tail.
  const first = lines.length >= 3 && widthOf(0) !== widthOf(1) ? 1 : 0;
  const width = widthOf(first);
  let last = first;
  while (last + 1 < lines.length && widthOf(last) === width) last++;
  // The closing line may be shorter than the width, never longer.
  if (widthOf(last) > width) last--;
  return { start: offsets[first] as number, end: (offsets[last] as number) + widthOf(last) };
}

/** Long enough, mixes letter cases and digits, and has high entropy. */
function isRandomBase64(run: string): boolean {
  // Enough characters? Stop counting once there are: a run can be megabytes long.
  let chars = 0;
  for (let index = 0; index < run.length && chars < MIN_RUN_CHARS; index++) {
    if (isBase64Char(run.charCodeAt(index))) chars++;
  }
  if (chars < MIN_RUN_CHARS) return false;
  const sample = run.length > 4096 ? run.slice(0, 4096) : run;
  if (!/[A-Z]/.test(sample) || !/[a-z]/.test(sample) || !/[0-9]/.test(sample)) return false;
  return entropy(sample) >= MIN_ENTROPY;
}

/** Shannon entropy in bits per character (newlines and padding ignored). */
export function entropy(text: string): number {
  const frequencies = new Map<number, number>();
  let total = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10 || code === 13 || code === 61) continue;
    frequencies.set(code, (frequencies.get(code) ?? 0) + 1);
    total++;
  }
  let bits = 0;
  for (const frequency of frequencies.values()) {
    const p = frequency / total;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * JWT segments are base64url too, but a JWT is a credential or a volatile id
 * (dynamic_date counts those in the cacheable prefix), not a blob to replace.
 */
function isJwtSegment(text: string, start: number, end: number): boolean {
  if (text.startsWith('eyJ', start)) return true;
  if (text.charCodeAt(end) === 46 /* . */ && text.startsWith('eyJ', end + 1)) return true;
  // A signature: preceded by `.<payload>` that itself follows `eyJ…`.
  if (text.charCodeAt(start - 1) === 46) {
    const before = text.lastIndexOf('eyJ', start - 1);
    return before >= 0 && start - before < 8192 && !/\s/.test(text.slice(before, start));
  }
  return false;
}

/** Decoded size of the base64 payload in [start, end), ignoring line breaks and padding. */
function decodedBytes(text: string, start: number, end: number): number {
  let chars = 0;
  for (let index = start; index < end; index++) {
    if (isBase64Char(text.charCodeAt(index))) chars++;
  }
  return Math.floor((chars * 3) / 4);
}

/** Tokens of a blob; long blobs are measured on a sample (see SAMPLE_CHARS). */
function countBlob(blob: string, count: CountTokens): number {
  if (blob.length <= SAMPLE_CHARS) return count(blob);
  const sampleTokens = count(blob.slice(0, SAMPLE_CHARS));
  return Math.round((sampleTokens * blob.length) / SAMPLE_CHARS);
}
