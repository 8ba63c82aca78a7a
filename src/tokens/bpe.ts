/**
 * Counts BPE tokens with js-tiktoken's rank tables (in the binary form of
 * rank-table.ts), without building tokens.
 *
 * js-tiktoken's `encode` compiles two regular expressions on every call and
 * keeps a decode table of 200,000 typed arrays. Over a long audit (millions of
 * small texts) the per-call regex compilation alone grew the process by
 * hundreds of MB of native memory, and counting never needs to decode. This
 * counter uses the same ranks and pre-tokenizer pattern, compiled once, and
 * the same merge rule (repeatedly merge the adjacent pair with the lowest
 * rank, leftmost first), so its counts equal `encode(text, [], []).length`
 * (tested against js-tiktoken). Special tokens are counted as plain text, as
 * with those arguments.
 */
import { BoundedMemo } from './memo.js';
import type { RankTable } from './rank-table.js';

/**
 * Byte-pair merging one piece takes time that grows with the square of its
 * length. The pre-tokenizer joins characters of different kinds into one
 * piece (a letter and its combining accents, Latin and CJK letters, ASCII
 * and Unicode punctuation), so a piece can be megabytes long; a caller can
 * count pieces longer than this itself (see counter.ts).
 */
export const LONG_PIECE_CHARS = 256;

/** Counts one pre-tokenizer piece longer than LONG_PIECE_CHARS. */
export type LongPieceCounter = (piece: string) => number;

/** Bounds the merge memo, so a stream of distinct pieces cannot grow memory without bound. */
const MERGE_MEMO_LIMIT = 100_000;

export class BpeCounter {
  /** Merge results of pieces that are not one token: words and numbers repeat across texts. */
  private readonly merged = new BoundedMemo<number>(MERGE_MEMO_LIMIT);
  private readonly pattern: RegExp;

  /** `ranks` looks up token bytes given as a latin1 string (one char per byte). */
  constructor(private readonly ranks: RankTable) {
    this.pattern = new RegExp(ranks.pattern, 'gu');
  }

  /** Exact unless `longPiece` is given: then it counts the pieces longer than LONG_PIECE_CHARS. */
  count(text: string, longPiece?: LongPieceCounter): number {
    const pattern = this.pattern;
    pattern.lastIndex = 0;
    let total = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const piece = match[0];
      if (piece.length === 0) {
        pattern.lastIndex++;
        continue;
      }
      if (longPiece && piece.length > LONG_PIECE_CHARS) {
        // The callback may count (re-entering this method and its shared
        // pattern): resume this scan where it was.
        const resume = pattern.lastIndex;
        total += longPiece(piece);
        pattern.lastIndex = resume;
        continue;
      }
      const bytes = isAscii(piece) ? piece : Buffer.from(piece, 'utf8').toString('latin1');
      total += this.ranks.rank(bytes, 0, bytes.length) >= 0 ? 1 : this.merged.getOrCompute(bytes, (piece) => this.mergedLength(piece));
    }
    return total;
  }

  /** How many tokens byte-pair merging leaves of one pre-tokenized piece. */
  private mergedLength(bytes: string): number {
    // starts[i] is where part i begins; part i ends where part i+1 begins.
    const starts: number[] = [];
    for (let index = 0; index <= bytes.length; index++) starts.push(index);
    // pairRank[i]: rank of part i joined with part i+1 (Infinity if not a token).
    const pairRank: number[] = [];
    for (let index = 0; index + 2 < starts.length; index++) pairRank.push(this.rankOf(bytes, starts[index] as number, starts[index + 2] as number));

    while (pairRank.length > 0) {
      let best = 0;
      for (let index = 1; index < pairRank.length; index++) {
        if ((pairRank[index] as number) < (pairRank[best] as number)) best = index;
      }
      if (pairRank[best] === Infinity) break;
      // Merge part best with part best+1: drop the boundary between them.
      starts.splice(best + 1, 1);
      pairRank.splice(best, 1);
      if (best < pairRank.length) pairRank[best] = this.rankOf(bytes, starts[best] as number, starts[best + 2] as number);
      if (best > 0) pairRank[best - 1] = this.rankOf(bytes, starts[best - 1] as number, starts[best + 1] as number);
    }
    return starts.length - 1;
  }

  private rankOf(bytes: string, start: number, end: number): number {
    const rank = this.ranks.rank(bytes, start, end);
    return rank >= 0 ? rank : Infinity;
  }
}

function isAscii(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) > 0x7f) return false;
  }
  return true;
}
