/**
 * Classifies each distinct tool output once per run: sessions resend the same
 * outputs in every call, so the class is memoized by content hash (like token
 * counts), and the memo is bounded so a long stream cannot grow memory.
 */
import { BoundedMemo } from '../../tokens/memo.js';
import { classifyContent, type ContentClass } from '../content-kind.js';

const MEMO_LIMIT = 100_000;

export class ContentClassifier {
  private readonly memo = new BoundedMemo<ContentClass>(MEMO_LIMIT);

  /** The class of `text`, whose content hash is `hash`. */
  classify(text: string, hash: string): ContentClass {
    return this.memo.getOrCompute(hash, () => classifyContent(text));
  }
}
