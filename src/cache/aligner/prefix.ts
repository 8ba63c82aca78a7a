/**
 * The cacheable prefix of a request — its tool definitions, then its leading
 * system text, in the order providers cache them — scanned for dynamic
 * values, hashed, and scored.
 *
 * `cache_alignment_score` (0-1) is the share of the prefix's tokens that
 * come before its first dynamic value: what would still be read from the
 * provider's cache if that value changed on the next call. 1 means no
 * dynamic value (or an empty prefix); 0 means the prefix starts with one.
 * It replaces audit's old 0-100 "100 minus 10 per value" score, which
 * scored a date at the very end of a 20,000-token prompt (nearly all of it
 * still cached) as badly as one at its start (nothing cached).
 *
 * `stable_prefix_hash` is 16 hex digits of SHA-256 over the parts' content
 * hashes; a system text holding `cache_aligner.dynamic_tail_separator`
 * contributes only what precedes it, so a dynamic tail placed there on
 * purpose does not make every call's prefix look new.
 */
import { contentHash, shortSha256 } from '../../formats/hash.js';
import type { DynamicFinding } from '../dynamic/types.js';

export interface PrefixPart {
  /** Where the part is, for reports: `tool Bash`, `system[0]`. */
  where: string;
  text: string;
  /** Content hash of `text`. */
  hash: string;
  /** Tokens of `text`, as the request's tokenizer counts it. */
  tokens: number;
}

export interface PrefixFinding extends DynamicFinding {
  /** The part it is in (`PrefixPart.where`). */
  where: string;
  /** The value as found in the text. */
  value: string;
}

export interface PrefixScan {
  stablePrefixHash: string;
  tokens: number;
  findings: PrefixFinding[];
  /** Tokens before the first dynamic value (all of them when there is none). */
  stableTokens: number;
  /** stableTokens ÷ tokens, rounded to 4 decimals; 1 for an empty prefix. */
  cacheAlignmentScore: number;
}

export interface PrefixScanOptions {
  /** The dynamic values of one text (memoized by the caller if it likes). */
  detect: (text: string, hash: string) => readonly DynamicFinding[];
  count: (text: string) => number;
  tailSeparator: string;
}

/**
 * Tokens of `part` before offset `at`, counted on the shorter side: a date
 * at the end of a 50,000-character prompt sent with every call should not
 * cost a count of the whole prompt each time. Counting the tail and taking it
 * from the part's tokens can differ from counting the head by the one token
 * a tokenizer may merge across the cut.
 */
function tokensBefore(part: PrefixPart, at: number, count: (text: string) => number): number {
  if (at === 0) return 0;
  const counted = at <= part.text.length / 2 ? count(part.text.slice(0, at)) : part.tokens - count(part.text.slice(at));
  return Math.max(0, Math.min(part.tokens, counted));
}

export function scanPrefix(parts: readonly PrefixPart[], options: PrefixScanOptions): PrefixScan {
  const hashes: string[] = [];
  const findings: PrefixFinding[] = [];
  let tokens = 0;
  let stableTokens: number | null = null;
  for (const part of parts) {
    const cut = options.tailSeparator.length > 0 ? part.text.indexOf(options.tailSeparator) : -1;
    hashes.push(cut >= 0 ? contentHash(part.text.slice(0, cut)) : part.hash);
    const found = options.detect(part.text, part.hash);
    if (stableTokens === null && found.length > 0) stableTokens = tokens + tokensBefore(part, (found[0] as DynamicFinding).start, options.count);
    for (const value of found) findings.push({ ...value, where: part.where, value: part.text.slice(value.start, value.end) });
    tokens += part.tokens;
  }
  const stable = stableTokens ?? tokens;
  return {
    stablePrefixHash: shortSha256(hashes.join('\n')),
    tokens,
    findings,
    stableTokens: stable,
    cacheAlignmentScore: tokens === 0 ? 1 : Math.round((stable / tokens) * 10_000) / 10_000,
  };
}
