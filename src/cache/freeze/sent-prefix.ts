/**
 * Prefix freeze's memory: what the optimized conversation already sent.
 *
 * A client resends the whole conversation on every call, as it wrote it; the
 * provider caches the prefix it was sent. Once optimize has sent a message in
 * some form (compressed or not), every later request of that conversation
 * must send it in the same form, or the provider's cached prefix breaks there
 * and everything after it is written to the cache again. Compressing the
 * same text again is not enough: compressors read the user's latest question,
 * which changes every turn.
 *
 * Each sent message is remembered under a chain hash of the conversation and
 * every message up to it (by content), so a message is frozen exactly when
 * the request's messages up to and including it are ones an earlier request
 * sent — the longest sent prefix, whatever request sent it. A request that
 * edits an earlier message (compaction, a cleared tool result) matches up to
 * the edit and no further. Nothing here reads a clock: the same requests in
 * the same order give the same frozen prefixes.
 *
 * What a message was sent as is the caller's (`T`): this module only keys it.
 */
import { createHash } from 'node:crypto';

export interface SentPrefixLimits {
  /** Most remembered messages; the least recently used go first. */
  maxMessages: number;
  /** Most characters of remembered content (as `size` measures it). */
  maxChars: number;
}

/** Enough for every message of thousands of long agent sessions in one run, bounded so a gigabyte log stays within memory. */
export const DEFAULT_SENT_PREFIX_LIMITS: SentPrefixLimits = { maxMessages: 200_000, maxChars: 64 * 1024 * 1024 };

/** The frozen prefix of a request: what each of its first messages was sent as, in order. */
export interface SentPrefix<T> {
  /** Chain hash of each message, for `remember` (one per message of the request). */
  chain: readonly string[];
  /** What the first `sent.length` messages were sent as. */
  sent: readonly T[];
}

export class SentPrefixTracker<T> {
  /** Insertion order is recency order: a hit moves its entry to the end. */
  private readonly entries = new Map<string, { value: T; size: number }>();
  private chars = 0;

  constructor(
    /** Characters a remembered value holds (for the memory bound). */
    private readonly size: (value: T) => number,
    private readonly limits: SentPrefixLimits = DEFAULT_SENT_PREFIX_LIMITS,
  ) {}

  /**
   * The longest prefix of `messageKeys` (one content key per message) that
   * an earlier request of `conversation` sent.
   */
  lookup(conversation: string | null, messageKeys: readonly string[]): SentPrefix<T> {
    const chain = chainOf(conversation, messageKeys);
    const sent: T[] = [];
    for (const link of chain) {
      const entry = this.entries.get(link);
      if (!entry) break;
      this.entries.delete(link);
      this.entries.set(link, entry);
      sent.push(entry.value);
    }
    return { chain, sent };
  }

  /** Remembers what each message of a request was sent as (`values[i]` for the message whose chain hash is `chain[i]`). */
  remember(chain: readonly string[], values: readonly T[]): void {
    chain.forEach((link, index) => {
      if (index >= values.length) return;
      const value = values[index] as T;
      const old = this.entries.get(link);
      if (old) {
        this.chars -= old.size;
        this.entries.delete(link);
      }
      const size = this.size(value);
      this.entries.set(link, { value, size });
      this.chars += size;
    });
    this.evict();
  }

  /** Messages remembered now. */
  get messages(): number {
    return this.entries.size;
  }

  private evict(): void {
    for (const [link, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxMessages && this.chars <= this.limits.maxChars) return;
      this.entries.delete(link);
      this.chars -= entry.size;
    }
  }
}

/**
 * Chain hash per message: each covers the conversation and every message up
 * to it. Whole SHA-256 digests: a collision would send one message's text in
 * place of another's.
 */
function chainOf(conversation: string | null, messageKeys: readonly string[]): string[] {
  let link = sha256(`conversation\0${conversation ?? ''}`);
  return messageKeys.map((key) => (link = sha256(`${link}\0${key}`)));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
