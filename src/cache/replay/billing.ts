/**
 * What a provider with breakpoint prompt caching (Anthropic's) bills for each
 * call of a conversation, given only what each call sent: a list of prompt
 * segments (hidden prefix, then messages), each with an identity and a token
 * count, and when it was sent. Pure: calls in, billed buckets out.
 *
 * The model, and why:
 * - A call is cached up to its end (Claude Code puts its last breakpoint on
 *   the last message) and at every segment marked `breakpoint` (the system
 *   prompt and tools). Each such prefix becomes a cache entry.
 * - A later call reads the longest live entry that is an exact prefix of it
 *   (the provider matches whole prefixes up to a breakpoint); everything after
 *   that is written. A prompt below the model's minimum is neither read nor
 *   written: all of it is uncached input.
 * - An entry lives `ttlSeconds` from its last write or read (reading refreshes
 *   it); a call without a timestamp is taken to be within the TTL.
 * - Not modelled: the provider's 20-block lookback limit, and the few tokens
 *   after the last breakpoint a real client leaves uncached.
 */
import { createHash } from 'node:crypto';

export interface PromptSegment {
  /** Same id ⇔ same bytes sent: the hidden prefix, or one message as sent. */
  id: string;
  tokens: number;
  /** The client sets a cache breakpoint at the end of this segment (besides the end of the prompt). */
  breakpoint?: boolean;
}

export interface BilledCallInput {
  /** When the call was sent, in ms since the epoch; null when unknown. */
  at: number | null;
  segments: readonly PromptSegment[];
}

export interface CachePolicy {
  ttlSeconds: number;
  /** The cache-write price bucket the client's TTL bills to. */
  writeBucket: '5m' | '1h';
  minCacheableTokens: number;
}

/** Why a call wrote more than what it added since the previous call. */
export type BillingCause = 'first' | 'extends' | 'ttl-lapse' | 'prefix-change' | 'below-minimum';

export interface BilledCall {
  prompt: number;
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cause: BillingCause;
  /** Segments the cached prefix covered (0: nothing read). */
  readSegments: number;
}

interface CacheEntry {
  tokens: number;
  /** When the entry expires, in ms; Infinity when calls carry no timestamps. */
  expires: number;
}

/**
 * Bills each call in order; the same calls and policy always give the same
 * result. `warm` are prefixes already cached when the first call is made (a
 * system prompt an earlier session of the same client cached), live for one
 * TTL from the first call.
 */
export function billConversation(calls: readonly BilledCallInput[], policy: CachePolicy, warm: readonly (readonly PromptSegment[])[] = []): BilledCall[] {
  const entries = new Map<string, CacheEntry>();
  const ttlMs = policy.ttlSeconds * 1000;
  const firstAt = calls.find((call) => call.at !== null)?.at ?? null;
  for (const prefix of warm) {
    const keys = prefixKeys(prefix);
    const tokens = runningTokens(prefix);
    if (keys.length > 0) entries.set(keys[keys.length - 1] as string, { tokens: tokens[tokens.length - 1] as number, expires: firstAt === null ? Infinity : firstAt + ttlMs });
  }
  let previousKeys: readonly string[] = [];
  let lastAt: number | null = null;
  return calls.map((call, index) => {
    // A call without a time is placed at the last known time: it cannot lapse a TTL.
    const at = call.at ?? lastAt;
    if (call.at !== null) lastAt = call.at;
    const keys = prefixKeys(call.segments);
    const sums = runningTokens(call.segments);
    const prompt = sums[sums.length - 1] ?? 0;
    const live = (entry: CacheEntry | undefined): boolean => entry !== undefined && (at === null || entry.expires >= at);
    let readAt = 0;
    let staleAt = 0;
    for (let boundary = keys.length; boundary > 0; boundary--) {
      const entry = entries.get(keys[boundary - 1] as string);
      if (!entry) continue;
      if (live(entry)) {
        readAt = boundary;
        break;
      }
      if (staleAt === 0) staleAt = boundary;
    }
    const billed: BilledCall = { prompt, input: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, cause: 'extends', readSegments: readAt };
    if (prompt < policy.minCacheableTokens) {
      billed.input = prompt;
      billed.cause = 'below-minimum';
      billed.readSegments = 0;
      previousKeys = keys;
      return billed;
    }
    billed.cacheRead = readAt > 0 ? (sums[readAt - 1] as number) : 0;
    const written = prompt - billed.cacheRead;
    if (policy.writeBucket === '1h') billed.cacheWrite1h = written;
    else billed.cacheWrite5m = written;
    billed.cause = causeOf(index, readAt, staleAt, previousKeys, keys);
    // Reading refreshes every entry on the read prefix; writing creates the entries at this call's breakpoints.
    const expires = at === null ? Infinity : at + ttlMs;
    for (let boundary = 1; boundary <= keys.length; boundary++) {
      const key = keys[boundary - 1] as string;
      const entry = entries.get(key);
      const isBreakpoint = boundary === keys.length || call.segments[boundary - 1]?.breakpoint === true;
      if ((boundary <= readAt && entry) || isBreakpoint) entries.set(key, { tokens: sums[boundary - 1] as number, expires });
    }
    previousKeys = keys;
    return billed;
  });
}

function causeOf(index: number, readAt: number, staleAt: number, previous: readonly string[], keys: readonly string[]): BillingCause {
  if (index === 0 || previous.length === 0) return readAt > 0 ? 'extends' : 'first';
  // A longer prefix was cached but had expired: the gap, not a change, lost it.
  if (staleAt > readAt) return 'ttl-lapse';
  const extendsPrevious = previous.length <= keys.length && keys[previous.length - 1] === previous[previous.length - 1];
  return extendsPrevious && readAt >= previous.length ? 'extends' : 'prefix-change';
}

/** A key per segment boundary naming the whole prefix up to it (a hash chain, so equal keys mean equal prefixes). */
function prefixKeys(segments: readonly PromptSegment[]): string[] {
  const keys: string[] = [];
  let previous = '';
  for (const segment of segments) {
    previous = createHash('sha256').update(previous).update('\u0000').update(segment.id).update('\u0000').update(String(segment.tokens)).digest('base64');
    keys.push(previous);
  }
  return keys;
}

function runningTokens(segments: readonly PromptSegment[]): number[] {
  let running = 0;
  return segments.map((segment) => (running += segment.tokens));
}

/** Tokens of each bucket summed over calls. */
export interface BilledTotals {
  calls: number;
  prompt: number;
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

export function sumBilled(calls: readonly Pick<BilledCall, 'prompt' | 'input' | 'cacheRead' | 'cacheWrite5m' | 'cacheWrite1h'>[]): BilledTotals {
  const total: BilledTotals = { calls: 0, prompt: 0, input: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0 };
  for (const call of calls) {
    total.calls++;
    total.prompt += call.prompt;
    total.input += call.input;
    total.cacheRead += call.cacheRead;
    total.cacheWrite5m += call.cacheWrite5m;
    total.cacheWrite1h += call.cacheWrite1h;
  }
  return total;
}
