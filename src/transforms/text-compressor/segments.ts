/**
 * Prose split into segments the text compressor keeps or drops whole. A
 * segment is a span of the input (offsets, never a copy), so what is kept is
 * the original bytes. Segments never cross a line break — a dropped run of
 * sentences inside a line is marked inside that line, and lines are never
 * fused — except a segment that holds a protected span (a fenced code block,
 * a custom tag, JSON): that is one segment however many lines it covers,
 * and it is always kept.
 */
import { splitLines } from '../lines.js';
import type { ProtectedSpan } from '../protected-spans.js';

export interface Segment {
  readonly start: number;
  readonly end: number;
  /** 0-based index of the line it starts on and of the line it ends on. */
  readonly firstLine: number;
  readonly lastLine: number;
  /** Holds (part of) a protected span: always kept. */
  readonly protected: boolean;
  /** A Markdown heading (`## Usage`): the document's outline. */
  readonly heading: boolean;
}

export interface LineBounds {
  /** Offset of the line's first character. */
  readonly start: number;
  /** Offset just after its text (before the terminator). */
  readonly end: number;
}

/** Words that end with a period without ending the sentence (lower-case, without the period). */
const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr prof sr jr st vs etc e.g i.e eg ie cf al approx fig figs no nos vol vols pp inc ltd co corp dept est ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun ca resp incl min max sec'
  ).split(' '),
);

const CLOSERS = new Set(['"', "'", ')', ']', '”', '’', '»', '*', '_']);

/** Sentence spans of one line: [start, end) offsets in `text`, trimmed of surrounding whitespace. */
export function lineSentences(text: string, start: number, end: number): [number, number][] {
  const sentences: [number, number][] = [];
  let from = start;
  while (from < end && isSpace(text.charCodeAt(from))) from++;
  for (let p = from; p < end; p++) {
    const c = text[p];
    if (c !== '.' && c !== '!' && c !== '?') continue;
    let close = p + 1;
    while (close < end && CLOSERS.has(text[close] as string)) close++;
    if (close >= end || !isSpace(text.charCodeAt(close))) continue;
    let next = close;
    while (next < end && isSpace(text.charCodeAt(next))) next++;
    if (next >= end) break;
    if (!startsSentence(text[next] as string) || (c === '.' && !endsSentence(text, from, p))) continue;
    sentences.push([from, close]);
    from = next;
    p = next - 1;
  }
  let last = end;
  while (last > from && isSpace(text.charCodeAt(last - 1))) last--;
  if (last > from) sentences.push([from, last]);
  return sentences;
}

/** Whitespace between words (a line break included: a segment of a hard-wrapped paragraph holds several lines). */
export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0x0c || c === 0x0b || c === 0xa0;
}

/** A sentence starts with anything but a lower-case letter (`e.g. the` goes on). */
function startsSentence(char: string): boolean {
  return !/\p{Ll}/u.test(char);
}

/** Whether the period at `dot` ends a sentence: not after an abbreviation, an initial, or a list number at the start of the sentence. */
function endsSentence(text: string, sentenceStart: number, dot: number): boolean {
  let wordStart = dot;
  while (wordStart > sentenceStart && !isSpace(text.charCodeAt(wordStart - 1))) wordStart--;
  const word = text.slice(wordStart, dot).replace(/^[("'[*_]+/, '');
  if (word.length === 0) return true;
  if (ABBREVIATIONS.has(word.toLowerCase())) return false;
  if (/^\p{L}$/u.test(word)) return false;
  // `1. Install`: the number of a list item, not the end of a sentence.
  if (/^\d{1,3}$/.test(word) && wordStart === sentenceStart) return false;
  return true;
}

/** Line bounds of `text` (every line, blank ones included), as `splitLines` sees them. */
export function lineBounds(text: string): LineBounds[] {
  const bounds: LineBounds[] = [];
  let offset = 0;
  for (const line of splitLines(text)) {
    bounds.push({ start: offset, end: offset + line.text.length });
    offset += line.text.length + line.eol.length;
  }
  return bounds;
}

/**
 * The segments of `text`: sentences of each line, with every group of
 * sentences that a protected span touches merged into one protected segment
 * covering the span too. Sorted, non-overlapping.
 */
export function segmentText(text: string, lines: readonly LineBounds[], spans: readonly ProtectedSpan[]): Segment[] {
  const raw = wrappedParagraphs(text, lines);
  const segments: Segment[] = [];
  let s = 0;
  let i = 0;
  while (i < raw.length || s < spans.length) {
    const sentence = raw[i];
    const span = spans[s];
    // A protected span that starts before the next sentence ends claims it and every sentence it reaches.
    if (span !== undefined && (sentence === undefined || span.start < sentence.end)) {
      let start = span.start;
      let end = span.end;
      while (i < raw.length && (raw[i] as { start: number }).start < end) {
        const claimed = raw[i] as { start: number; end: number };
        start = Math.min(start, claimed.start);
        end = Math.max(end, claimed.end);
        i++;
        // Later spans the grown segment reaches join it.
        while (s + 1 < spans.length && (spans[s + 1] as ProtectedSpan).start < end) end = Math.max(end, (spans[++s] as ProtectedSpan).end);
      }
      while (s + 1 < spans.length && (spans[s + 1] as ProtectedSpan).start < end) end = Math.max(end, (spans[++s] as ProtectedSpan).end);
      s++;
      segments.push({ start, end, firstLine: lineOf(lines, start), lastLine: lineOf(lines, Math.max(start, end - 1)), protected: true, heading: false });
      continue;
    }
    if (sentence === undefined) break;
    const heading = sentence.start === lines[sentence.firstLine]?.start && /^#{1,6}\s/.test(text.slice(sentence.start, sentence.start + 8));
    segments.push({ start: sentence.start, end: sentence.end, firstLine: sentence.firstLine, lastLine: sentence.lastLine, protected: false, heading });
    i++;
  }
  return segments;
}

interface Fragment {
  start: number;
  end: number;
  firstLine: number;
  lastLine: number;
}

/** A line that starts a new block rather than continuing a wrapped paragraph: a heading, list item, quote, table row, fence or tag. */
const BLOCK_START = /^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d{1,3}[.)]\s|>|\||```|~~~|<)/;
const TABLE_ROW = /^\s{0,3}\|/;

/** The line trimmed of surrounding whitespace, as its one sentence (none when blank). */
function wholeLine(text: string, line: LineBounds): [number, number][] {
  let start = line.start;
  let end = line.end;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return end > start ? [[start, end]] : [];
}

/** How a line ends when its last sentence is complete. */
const SENTENCE_END = /[.!?:;]["')\]”’»*_]*$/;

/**
 * The sentences of every line; where a paragraph is hard-wrapped (a line
 * ends mid-sentence and the next line goes on with it), the lines the
 * sentence runs over become one segment of whole lines, so that dropping it
 * removes whole lines and never joins what is left of two lines.
 */
function wrappedParagraphs(text: string, lines: readonly LineBounds[]): Fragment[] {
  const out: Fragment[] = [];
  let group: Fragment | null = null;
  for (const [index, line] of lines.entries()) {
    // A table row is one segment: a sentence cut out of a cell would leave a broken row.
    const sentences = TABLE_ROW.test(text.slice(line.start, line.start + 4)) ? wholeLine(text, line) : lineSentences(text, line.start, line.end);
    if (sentences.length === 0) continue;
    const first = (sentences[0] as [number, number])[0];
    const last = (sentences[sentences.length - 1] as [number, number])[1];
    if (group !== null) {
      group.end = last;
      group.lastLine = index;
    }
    const next = lines[index + 1];
    const continues =
      next !== undefined &&
      next.end > next.start &&
      !SENTENCE_END.test(text.slice(Math.max(first, last - 8), last)) &&
      !/^#{1,6}\s/.test(text.slice(line.start, line.start + 8)) &&
      !BLOCK_START.test(text.slice(next.start, Math.min(next.end, next.start + 8))) &&
      text.slice(next.start, next.end).trim() !== '';
    if (group === null && continues) {
      group = { start: first, end: last, firstLine: index, lastLine: index };
    } else if (group === null) {
      for (const [start, end] of sentences) out.push({ start, end, firstLine: index, lastLine: index });
    }
    if (group !== null && !continues) {
      out.push(group);
      group = null;
    }
  }
  if (group !== null) out.push(group);
  return out;
}

/** The line holding offset `at` (binary search over sorted bounds). */
export function lineOf(lines: readonly LineBounds[], at: number): number {
  let low = 0;
  let high = lines.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lines[mid] as LineBounds).start <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}
