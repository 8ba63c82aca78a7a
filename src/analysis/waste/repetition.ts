/**
 * repetition: text the request already contains, sent again in a later block
 * of the same request. Two grains:
 *   - a whole block (≥ MIN_BLOCK_TOKENS tokens) identical to an earlier block:
 *     the later copy is waste (its block tokens, framing included);
 *   - a paragraph (≥ MIN_UNIT_CHARS characters, split on blank lines) that an
 *     earlier, different block already holds: the later copy's tokens.
 * A block that is a whole repeat is not searched for paragraphs again.
 *
 * Tool results and tool calls are left out: identical tool output is a reread
 * (see rereads.ts), and a re-issued call is part of that same event.
 *
 * Sessions resend their history in every call, so the paragraph split of each
 * distinct text is memoized here by content hash (bounded).
 */
import { contentHash } from '../../formats/hash.js';
import { preview } from './describe.js';
import type { Span } from './spans.js';
import type { CountTokens, WasteBlock } from './types.js';

export const MIN_UNIT_CHARS = 200;
export const MIN_BLOCK_TOKENS = 20;
const UNIT_MEMO_LIMIT = 50_000;

export interface RepetitionFinding {
  /** Tokens the later copy costs. */
  tokens: number;
  sourceIndex: number;
  /** Message index of the block that first held the text. */
  firstSourceIndex: number;
  scope: 'block' | 'paragraph';
  preview: string;
}

export interface RepetitionDetection {
  tokens: number;
  findings: RepetitionFinding[];
}

interface Unit extends Span {
  hash: string;
}

/** The paragraphs of `text` (split on blank lines, trimmed) of at least MIN_UNIT_CHARS characters. */
export function repetitionUnits(text: string): string[] {
  return unitSpans(text).map((span) => text.slice(span.start, span.end));
}

export function detectRepetition(blocks: readonly WasteBlock[], count: CountTokens): RepetitionDetection {
  const detection: RepetitionDetection = { tokens: 0, findings: [] };
  const firstBlock = new Map<string, WasteBlock>();
  const firstUnit = new Map<string, { position: number; block: WasteBlock }>();
  const add = (finding: RepetitionFinding): void => {
    detection.findings.push(finding);
    detection.tokens += finding.tokens;
  };

  blocks.forEach((block, position) => {
    if (block.kind === 'tool_result' || block.kind === 'tool_call' || block.text.length === 0) return;
    const earlier = firstBlock.get(block.contentHash);
    if (earlier) {
      if (block.tokens >= MIN_BLOCK_TOKENS) add(finding(block, earlier, block.tokens, block.text, 'block'));
      return; // its paragraphs are the earlier block's, already registered
    }
    firstBlock.set(block.contentHash, block);
    for (const unit of unitsOf(block)) {
      const first = firstUnit.get(unit.hash);
      if (!first) {
        firstUnit.set(unit.hash, { position, block });
        continue;
      }
      // Repeats inside the block that first held the paragraph are left alone.
      if (first.position === position) continue;
      const text = block.text.slice(unit.start, unit.end);
      const tokens = count(text);
      if (tokens > 0) add(finding(block, first.block, tokens, text, 'paragraph'));
    }
  });
  return detection;
}

function finding(block: WasteBlock, earlier: WasteBlock, tokens: number, text: string, scope: RepetitionFinding['scope']): RepetitionFinding {
  return { tokens, sourceIndex: block.sourceIndex, firstSourceIndex: earlier.sourceIndex, scope, preview: preview(text) };
}

const unitMemo = new Map<string, readonly Unit[]>();

/** Units of a block, memoized by its content hash (and length, as a guard against reused hashes). */
function unitsOf(block: WasteBlock): readonly Unit[] {
  if (block.text.length < MIN_UNIT_CHARS) return [];
  const key = `${block.contentHash}:${block.text.length}`;
  let units = unitMemo.get(key);
  if (!units) {
    units = unitSpans(block.text).map((span) => ({ ...span, hash: contentHash(block.text.slice(span.start, span.end)) }));
    if (unitMemo.size >= UNIT_MEMO_LIMIT) unitMemo.clear();
    unitMemo.set(key, units);
  }
  return units;
}

/**
 * Paragraph spans: runs of lines between whitespace-only lines, with
 * surrounding whitespace trimmed. A loop over lines (a `\n\s*\n` split
 * backtracks on long whitespace runs).
 */
function unitSpans(text: string): Span[] {
  const spans: Span[] = [];
  if (text.length < MIN_UNIT_CHARS) return spans;
  let paragraphStart = -1;
  let paragraphEnd = -1;
  const close = (): void => {
    if (paragraphStart >= 0) {
      const span = trimSpan(text, paragraphStart, paragraphEnd);
      if (span.end - span.start >= MIN_UNIT_CHARS) spans.push(span);
    }
    paragraphStart = -1;
  };
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    if (isBlank(text, lineStart, lineEnd)) close();
    else {
      if (paragraphStart < 0) paragraphStart = lineStart;
      paragraphEnd = lineEnd;
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  close();
  return spans;
}

function isWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    if (!isWhitespace(text.charCodeAt(index))) return false;
  }
  return true;
}

function trimSpan(text: string, start: number, end: number): Span {
  let from = start;
  let to = end;
  while (from < to && isWhitespace(text.charCodeAt(from))) from++;
  while (to > from && isWhitespace(text.charCodeAt(to - 1))) to--;
  return { start: from, end: to };
}
