/**
 * Token counting with js-tiktoken's ranks (see bpe.ts), bounded in cost and
 * memoized.
 *
 * Byte-pair merging takes time that grows with the square (js-tiktoken's own
 * encoder: the cube) of the length of one pre-tokenizer piece: with
 * js-tiktoken, 20,000 identical letters take ~38 s. Real inputs carry
 * such runs (separator lines, whitespace, CJK text without spaces, padding),
 * so runs of one character class longer than LONG_RUN are cut into chunks
 * (CHUNK_BY_CLASS) and counted piecewise. A pre-tokenizer piece longer than
 * LONG_PIECE_CHARS that mixes classes (letters with combining accents, Latin
 * and CJK letters, ASCII and Unicode punctuation) is cut into
 * LONG_PIECE_CHUNK chunks the same way. Everything else is counted exactly as
 * js-tiktoken would; the cut only changes counts at chunk edges (measured in
 * the bench as "guard deviation").
 */
import { BpeCounter, type LongPieceCounter } from './bpe.js';
import { BoundedMemo } from './memo.js';
import type { EncodingName } from './models.js';
import { loadRankTable } from './rank-file.js';

/** A run of one character class longer than this is counted in chunks. */
export const LONG_RUN = 64;
/**
 * Chunk sizes per class, measured against unguarded o200k counts: repeated
 * spaces and punctuation form tokens of up to 64–128 characters, so 128-char
 * chunks count them exactly (and repeats hit the chunk memo); letters form
 * short tokens, so smaller chunks lose little and cost less (BPE time grows
 * with the square of the chunk's bytes; a non-ASCII char is 2–4 bytes).
 */
const CHUNK_BY_CLASS: Record<RunClass, number> = { space: 128, punctuation: 128, letter: 64, nonAscii: 32 };
/** Chunk size for long mixed pieces: their characters are often non-ASCII (2–4 bytes). */
const LONG_PIECE_CHUNK = 32;
/**
 * Past this many characters of long runs (and long pieces) in one text, the
 * rest is extrapolated from the chunks counted so far, so no text costs more
 * than a bounded amount of BPE work (~0.6 s for the slowest class, CJK).
 */
export const LONG_RUN_BUDGET = 16_384;

/** What one text has spent of LONG_RUN_BUDGET, and the rate measured on it. */
interface RunBudget {
  /** Characters still to be counted chunk by chunk. */
  chars: number;
  countedTokens: number;
  countedChars: number;
  /** The text had a long run or long piece. */
  guarded: boolean;
}

export interface TokenCounter {
  readonly encoding: EncodingName;
  /** Tokens of `text`. `key` (e.g. a content hash) enables memoization. */
  count(text: string, key?: string): number;
  /** How many texts were actually encoded (not served from the memo). */
  readonly stats: CounterStats;
}

export interface CounterStats {
  encodedTexts: number;
  encodedChars: number;
  memoHits: number;
  guardedTexts: number;
  extrapolatedChars: number;
}

const loading = new Map<EncodingName, Promise<BpeCounter>>();

/** Loads the ranks of one encoding, once per process, only when first asked. */
async function loadEncoder(encoding: EncodingName): Promise<BpeCounter> {
  let pending = loading.get(encoding);
  if (!pending) {
    pending = loadRankTable(encoding).then((ranks) => new BpeCounter(ranks));
    loading.set(encoding, pending);
  }
  return pending;
}

const counters = new Map<EncodingName, Promise<TokenCounter>>();

export function getTokenCounter(encoding: EncodingName): Promise<TokenCounter> {
  let counter = counters.get(encoding);
  if (!counter) {
    counter = loadEncoder(encoding).then((encoder) => new GuardedCounter(encoding, encoder));
    counters.set(encoding, counter);
  }
  return counter;
}

/** Memo sizes are capped so a long stream of distinct texts cannot grow memory without bound. */
const MEMO_LIMIT = 250_000;
const CHUNK_MEMO_LIMIT = 100_000;

class GuardedCounter implements TokenCounter {
  readonly stats: CounterStats = {
    encodedTexts: 0,
    encodedChars: 0,
    memoHits: 0,
    guardedTexts: 0,
    extrapolatedChars: 0,
  };
  private readonly memo = new BoundedMemo<number>(MEMO_LIMIT);
  private readonly chunkMemo = new BoundedMemo<number>(CHUNK_MEMO_LIMIT);

  constructor(
    readonly encoding: EncodingName,
    private readonly encoder: BpeCounter,
  ) {}

  count(text: string, key?: string): number {
    if (text.length === 0) return 0;
    if (key !== undefined) {
      const known = this.memo.get(key);
      if (known !== undefined) {
        this.stats.memoHits++;
        return known;
      }
    }
    const tokens = this.countUncached(text);
    if (key !== undefined) this.memo.set(key, tokens);
    return tokens;
  }

  private encodeLength(text: string, longPiece?: LongPieceCounter): number {
    if (text.length === 0) return 0;
    this.stats.encodedTexts++;
    this.stats.encodedChars += text.length;
    // Special tokens such as <|endoftext|> are counted as plain text: they are
    // data inside a prompt.
    return this.encoder.count(text, longPiece);
  }

  private countUncached(text: string): number {
    const runs = findLongRuns(text);
    const budget: RunBudget = { chars: LONG_RUN_BUDGET, countedTokens: 0, countedChars: 0, guarded: runs.length > 0 };
    let total = 0;
    let position = 0;
    for (const { start, end, runClass } of runs) {
      total += this.countSegment(text.slice(position, start), budget);
      total += this.countInChunks(text, start, end, CHUNK_BY_CLASS[runClass], budget);
      position = end;
    }
    total += this.countSegment(text.slice(position), budget);
    if (budget.guarded) this.stats.guardedTexts++;
    return total;
  }

  /** A stretch without long runs: exact, except for its long pre-tokenizer pieces. */
  private countSegment(segment: string, budget: RunBudget): number {
    const longPiece = (piece: string): number => {
      budget.guarded = true;
      return this.countInChunks(piece, 0, piece.length, LONG_PIECE_CHUNK, budget);
    };
    let total = 0;
    for (let start = 0; start < segment.length;) {
      const end = windowEnd(segment, start);
      total += this.encodeLength(segment.slice(start, end), longPiece);
      start = end;
    }
    return total;
  }

  /**
   * [start, end) of `text` in chunks of `chunkSize` while the budget lasts;
   * the rest is extrapolated at the rate measured on the chunks so far.
   */
  private countInChunks(text: string, start: number, end: number, chunkSize: number, budget: RunBudget): number {
    let total = 0;
    let chunkStart = start;
    while (chunkStart < end && budget.chars > 0) {
      const chunkEnd = safeCut(text, Math.min(chunkStart + chunkSize, end));
      const tokens = this.countChunk(text.slice(chunkStart, chunkEnd));
      total += tokens;
      budget.countedTokens += tokens;
      budget.countedChars += chunkEnd - chunkStart;
      budget.chars -= chunkEnd - chunkStart;
      chunkStart = chunkEnd;
    }
    if (chunkStart < end) {
      const rest = end - chunkStart;
      total += Math.round((rest * budget.countedTokens) / Math.max(1, budget.countedChars));
      this.stats.extrapolatedChars += rest;
    }
    return total;
  }

  private countChunk(chunk: string): number {
    return this.chunkMemo.getOrCompute(chunk, (text) => this.encodeLength(text));
  }
}

/**
 * The pre-tokenizer regex itself overflows V8's stack on a piece of several
 * MB (e.g. alternating Latin and CJK letters), so a segment is handed to it
 * in windows of at most WINDOW_CHARS.
 */
export const WINDOW_CHARS = 65_536;

/**
 * Where the window starting at `start` ends: before the last space in it
 * that follows a non-space character (every piece ends there, in both
 * encodings' pre-tokenizers, so the cut changes no count); without one, the
 * window is inside one giant piece, which is chunked anyway.
 */
function windowEnd(text: string, start: number): number {
  const limit = start + WINDOW_CHARS;
  if (limit >= text.length) return text.length;
  for (let index = limit; index > start + 1; index--) {
    if (text.charCodeAt(index) === 32 && classify(text.charCodeAt(index - 1)) !== 'space') return index;
  }
  return safeCut(text, limit);
}

/** Never cut between the two halves of a surrogate pair. */
function safeCut(text: string, index: number): number {
  if (index < text.length) {
    const code = text.charCodeAt(index);
    if (code >= 0xdc00 && code <= 0xdfff) return index + 1;
  }
  return index;
}

type RunClass = 'letter' | 'nonAscii' | 'space' | 'punctuation';
type CharClass = RunClass | 'digit';

function classify(code: number): CharClass {
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90)) return 'letter';
  if (code >= 48 && code <= 57) return 'digit';
  if (code === 32 || (code >= 9 && code <= 13)) return 'space';
  if (code < 128) return 'punctuation';
  // CJK text without spaces forms one long pre-tokenizer piece: exactly the
  // case the guard exists for.
  return 'nonAscii';
}

export interface LongRun {
  start: number;
  end: number;
  runClass: RunClass;
}

/**
 * Runs of one character class longer than LONG_RUN. Digits never form long
 * pieces (the pre-tokenizer splits them by three), so they end runs without
 * starting one. A plain loop: it is several times faster than a Unicode regex
 * over megabytes of text.
 */
export function findLongRuns(text: string): LongRun[] {
  const runs: LongRun[] = [];
  let runStart = 0;
  let runClass: CharClass | null = null;
  const length = text.length;
  for (let i = 0; i <= length; i++) {
    const cls = i < length ? classify(text.charCodeAt(i)) : null;
    if (cls !== runClass) {
      if (runClass !== null && runClass !== 'digit' && i - runStart > LONG_RUN) {
        runs.push({ start: runStart, end: i, runClass });
      }
      runStart = i;
      runClass = cls;
    }
  }
  return runs;
}
