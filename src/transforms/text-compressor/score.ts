/**
 * What makes a prose segment worth keeping, besides relevance to the query
 * (BM25, src/relevance): its salience — the share of its words that carry
 * facts a summary cannot restore (numbers, names, code, negations, dates,
 * error words) — and its position (openings and endings state topics and
 * conclusions). And what makes it redundant: most of its word 3-shingles
 * were already kept.
 */
import { isSpace } from './segments.js';

/** Words that are salient however they are written (lower-case, punctuation trimmed). */
const SALIENT_WORDS = new Set(
  (
    'error errors exception failed failure fail fails warning traceback assert todo fixme ' +
    // Negations flip a sentence's meaning: dropping one inverts what the model reads.
    'not no never none nothing cannot without neither nor ' +
    'january february march april may june july august september october november december ' +
    'monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow'
  ).split(' '),
);

/** The share of `segment`'s words that are salient, in [0, 1). */
export function salience(segment: string): number {
  let words = 0;
  let salient = 0;
  const n = segment.length;
  for (let p = 0; p < n;) {
    while (p < n && isSpace(segment.charCodeAt(p))) p++;
    if (p >= n) break;
    const start = p;
    while (p < n && !isSpace(segment.charCodeAt(p))) p++;
    if (isSalient(segment, start, p, words === 0)) salient++;
    words++;
  }
  return words === 0 ? 0 : salient / (words + 1);
}

/** Whether the token segment[start, end) is salient, tested by code point without regexes for ASCII (this runs once per word of the document). */
function isSalient(segment: string, start: number, end: number, first: boolean): boolean {
  let upper = 0;
  let lower = 0;
  let ascii = true;
  let previousLower = false;
  // The word inside the token: from its first letter to its last letter or apostrophe (digits returned already).
  let wordStart = -1;
  let wordEnd = 0;
  for (let i = start; i < end; i++) {
    const c = segment.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) return true;
    if (c === 0x60 || c === 0x5f || c === 0x28) return true; // ` _ ( : inline code, snake_case, calls
    if (c >= 0x41 && c <= 0x5a) {
      if (previousLower) return true; // camelCase
      upper++;
      previousLower = false;
    } else if (c >= 0x61 && c <= 0x7a) {
      lower++;
      previousLower = true;
    } else {
      if (c > 0x7f) ascii = false;
      previousLower = false;
      if (c === 0x27 && wordStart >= 0) wordEnd = i + 1;
      continue;
    }
    // A letter: `a.b` (a dotted name, a domain) is salient.
    if (i >= start + 2 && segment.charCodeAt(i - 1) === 0x2e && isAsciiLetter(segment.charCodeAt(i - 2))) return true;
    if (wordStart < 0) wordStart = i;
    wordEnd = i + 1;
  }
  if (!ascii) return isSalientUnicode(segment.slice(start, end), first);
  if (isOption(segment, start, end)) return true;
  if (upper >= 2 && lower === 0) return true;
  if (wordStart < 0) return false;
  const word = segment.slice(wordStart, wordEnd);
  const lowered = word.toLowerCase();
  if (SALIENT_WORDS.has(lowered) || lowered.endsWith("n't")) return true;
  // A capitalised word inside a sentence is a name (a product, a person, a place).
  return !first && upper === 1 && word.charCodeAt(0) >= 0x41 && word.charCodeAt(0) <= 0x5a;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** `-v`, `--force`: a command-line option (a word character after one or two dashes). */
function isOption(segment: string, start: number, end: number): boolean {
  if (segment.charCodeAt(start) !== 0x2d) return false;
  const next = start + 1 < end && segment.charCodeAt(start + 1) === 0x2d ? start + 2 : start + 1;
  if (next >= end) return false;
  const c = segment.charCodeAt(next);
  return isAsciiLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

function isSalientUnicode(token: string, first: boolean): boolean {
  if (/\p{Nd}|\p{Ll}\p{Lu}|\p{L}\.\p{L}/u.test(token)) return true;
  const word = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}']+$/gu, '');
  if (word.length === 0) return false;
  if (SALIENT_WORDS.has(word.toLowerCase())) return true;
  if (word.length >= 2 && /^\p{Lu}+$/u.test(word)) return true;
  return !first && /^\p{Lu}\p{Ll}/u.test(word);
}

/** U-shaped: the first and last segments score 1, the middle one about 0.5. */
export function positionScore(index: number, count: number): number {
  if (count <= 1) return 1;
  return Math.max(1 - index / count, (index + 1) / count);
}

/**
 * Word 3-shingles of a segment (lower-cased letters and digits), as numbers:
 * each word gets an id from `ids` (shared by every segment of one text) and
 * a shingle is its three ids packed into one safe integer. A segment of
 * fewer than three words is one shingle of all of them.
 */
export function shingles(segment: string, ids: Map<string, number>): number[] {
  const words = shingleWords(segment);
  if (words.length === 0) return [];
  const id = (word: string | undefined): number => {
    if (word === undefined) return 0;
    let known = ids.get(word);
    if (known === undefined) ids.set(word, (known = ids.size + 1));
    return known;
  };
  // 17 bits per word id: ids beyond that share bits, which can only make two shingles look alike more often.
  const pack = (a: number, b: number, c: number) => (a % 131072) * 17179869184 + (b % 131072) * 131072 + (c % 131072);
  if (words.length < 3) return [pack(id(words[0]), id(words[1]), 0)];
  const out: number[] = [];
  let a = id(words[0]);
  let b = id(words[1]);
  for (let i = 2; i < words.length; i++) {
    const c = id(words[i]);
    out.push(pack(a, b, c));
    a = b;
    b = c;
  }
  return out;
}

/**
 * The lower-cased runs of letters and digits of `segment`. Most prose is
 * ASCII: there a run is [A-Za-z0-9]+ and lower-casing keeps offsets, so one
 * scan does it without the Unicode regex; any other text takes the regex.
 */
function shingleWords(segment: string): string[] {
  const n = segment.length;
  for (let p = 0; p < n; p++) if (segment.charCodeAt(p) > 0x7f) return segment.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const lower = segment.toLowerCase();
  const words: string[] = [];
  for (let p = 0; p < n;) {
    while (p < n && !isAsciiAlphanumeric(lower.charCodeAt(p))) p++;
    if (p >= n) break;
    const start = p;
    while (p < n && isAsciiAlphanumeric(lower.charCodeAt(p))) p++;
    words.push(lower.slice(start, p));
  }
  return words;
}

function isAsciiAlphanumeric(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
}

/** Whether at least `threshold` of `segmentShingles` are already in `kept`. */
export function isNearDuplicate(segmentShingles: readonly number[], kept: ReadonlySet<number>, threshold: number): boolean {
  if (segmentShingles.length === 0) return false;
  let seen = 0;
  for (const shingle of segmentShingles) if (kept.has(shingle)) seen++;
  return seen / segmentShingles.length >= threshold;
}
