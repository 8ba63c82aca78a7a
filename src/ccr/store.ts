/**
 * The CCR store: originals of compressed spans, kept under their CCR key so a
 * marker can be turned back into what it replaced. Two implementations share
 * these semantics: SqliteCcrStore (a file, safe for several processes) and
 * MemoryCcrStore (tests, library callers, `:memory:`).
 */
import { ccrKey } from './key.js';

export interface CcrEntry {
  key: string;
  original: string;
  unit: string;
  count: number;
  toolName: string | null;
  /** When the entry was (last) stored, in ms since the epoch. */
  createdAt: number;
  ttlSeconds: number;
  retrievalCount: number;
}

export type CcrPut = Pick<CcrEntry, 'key' | 'original' | 'unit' | 'count' | 'toolName'>;

export type CcrLookup =
  | { status: 'available'; entry: CcrEntry }
  /** `ttlSeconds` is the entry's own, from when it was stored (the setting may have changed since). */
  | { status: 'expired'; key: string; expiredAt: number; ttlSeconds: number }
  | { status: 'missing'; key: string };

export interface CcrStoreOptions {
  /** Seconds a newly stored original stays retrievable. */
  ttlSeconds: number;
  /** Most entries kept; the oldest are evicted beyond it. */
  maxEntries: number;
  /** Clock in ms since the epoch; injectable for tests. Defaults to Date.now. */
  now?: () => number;
}

/**
 * Looking originals up without changing anything: what reading commands
 * (`headroom retrieve`) get from openCcrReader, which opens a file store
 * read-only.
 */
export interface CcrReader {
  /** The store's file path, or ':memory:'. */
  readonly location: string;
  /** Looks a key up. Changes nothing: no retrieval is counted, an expired entry stays. */
  peek(key: string): CcrLookup;
  close(): void;
}

/** A store optimize writes originals into. */
export interface CcrStore extends CcrReader {
  /**
   * Stores originals in one transaction. Each key must equal ccrKey(original)
   * (otherwise throws and stores nothing). Re-putting a key overwrites it and
   * restarts its TTL. Expired entries are dropped, then the oldest (by
   * created_at, then key) until at most maxEntries remain; `evicted` counts
   * the entries dropped that had not expired.
   */
  put(entries: readonly CcrPut[]): { evicted: number };
  /** Looks a key up; counts the retrieval when available; an expired entry is deleted and reported as expired. */
  get(key: string): CcrLookup;
  /** Entries currently stored (expired ones not yet purged included). */
  size(): number;
}

/** The store cannot be opened or written: one line naming the path and the problem, for the CLI to print. */
export class CcrStoreError extends Error {
  constructor(
    readonly location: string,
    problem: string,
  ) {
    super(`CCR store${location ? ` ${location}` : ''}: ${problem}`.replace(/\s*[\r\n]+\s*/g, ' '));
    this.name = 'CcrStoreError';
  }
}

/** Validates store options; shared by both stores. */
export function checkStoreOptions(options: CcrStoreOptions): Required<CcrStoreOptions> {
  if (!Number.isSafeInteger(options.ttlSeconds) || options.ttlSeconds < 1) {
    throw new Error(`CCR store ttlSeconds must be a whole number >= 1; got ${options.ttlSeconds}`);
  }
  if (!Number.isSafeInteger(options.maxEntries) || options.maxEntries < 1) {
    throw new Error(`CCR store maxEntries must be a whole number >= 1; got ${options.maxEntries}`);
  }
  return { ttlSeconds: options.ttlSeconds, maxEntries: options.maxEntries, now: options.now ?? Date.now };
}

/** Rejects puts that would break retrieval (a key that is not the original's hash, a bad count); shared by both stores. */
export function checkPuts(entries: readonly CcrPut[]): void {
  for (const entry of entries) {
    if (typeof entry.original !== 'string') throw new Error(`CCR put ${String(entry.key)}: original must be a string`);
    const expected = ccrKey(entry.original);
    if (entry.key !== expected) throw new Error(`CCR put: key ${JSON.stringify(entry.key)} is not ccrKey(original) (${expected})`);
    if (!Number.isSafeInteger(entry.count) || entry.count < 0) throw new Error(`CCR put ${entry.key}: count must be a whole number >= 0; got ${entry.count}`);
    if (typeof entry.unit !== 'string' || entry.unit.length === 0) throw new Error(`CCR put ${entry.key}: unit must be a non-empty string`);
    if (entry.toolName !== null && typeof entry.toolName !== 'string') throw new Error(`CCR put ${entry.key}: toolName must be a string or null`);
  }
}

/** When an entry stops being retrievable, in ms since the epoch; it is expired once `now` is past this. */
export function expiresAt(entry: Pick<CcrEntry, 'createdAt' | 'ttlSeconds'>): number {
  return entry.createdAt + entry.ttlSeconds * 1000;
}

/** What a lookup of `key` finds, given its entry (if any) and the time; shared by the stores. */
export function lookupResult(key: string, entry: CcrEntry | undefined, now: number): CcrLookup {
  if (!entry) return { status: 'missing', key };
  if (now > expiresAt(entry)) return { status: 'expired', key, expiredAt: expiresAt(entry), ttlSeconds: entry.ttlSeconds };
  return { status: 'available', entry };
}
