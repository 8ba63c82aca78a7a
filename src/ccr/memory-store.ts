/**
 * An in-process CCR store with the same semantics as the SQLite one. Its
 * originals live as long as the object: for tests, library callers that keep
 * one process alive, and the `:memory:` store path.
 */
import { checkPuts, checkStoreOptions, expiresAt, lookupResult, type CcrEntry, type CcrLookup, type CcrPut, type CcrStore, type CcrStoreOptions } from './store.js';

export class MemoryCcrStore implements CcrStore {
  readonly location = ':memory:';
  private readonly entries = new Map<string, CcrEntry>();
  private readonly options: Required<CcrStoreOptions>;
  private closed = false;

  constructor(options: CcrStoreOptions) {
    this.options = checkStoreOptions(options);
  }

  put(entries: readonly CcrPut[]): { evicted: number } {
    this.ensureOpen();
    checkPuts(entries);
    const now = this.options.now();
    for (const put of entries) {
      const previous = this.entries.get(put.key);
      this.entries.set(put.key, {
        key: put.key,
        original: put.original,
        unit: put.unit,
        count: put.count,
        toolName: put.toolName,
        createdAt: now,
        ttlSeconds: this.options.ttlSeconds,
        // Same key, same original: its retrieval history carries over.
        retrievalCount: previous?.retrievalCount ?? 0,
      });
    }
    for (const entry of [...this.entries.values()]) {
      if (now > expiresAt(entry)) this.entries.delete(entry.key);
    }
    let evicted = 0;
    const excess = this.entries.size - this.options.maxEntries;
    if (excess > 0) {
      const oldest = [...this.entries.values()].sort((a, b) => a.createdAt - b.createdAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      for (const entry of oldest.slice(0, excess)) {
        this.entries.delete(entry.key);
        evicted += 1;
      }
    }
    return { evicted };
  }

  get(key: string): CcrLookup {
    this.ensureOpen();
    const lookup = lookupResult(key, this.entries.get(key), this.options.now());
    if (lookup.status === 'expired') this.entries.delete(key);
    if (lookup.status !== 'available') return lookup;
    lookup.entry.retrievalCount += 1;
    return { status: 'available', entry: { ...lookup.entry } };
  }

  peek(key: string): CcrLookup {
    this.ensureOpen();
    const lookup = lookupResult(key, this.entries.get(key), this.options.now());
    return lookup.status === 'available' ? { status: 'available', entry: { ...lookup.entry } } : lookup;
  }

  size(): number {
    this.ensureOpen();
    return this.entries.size;
  }

  close(): void {
    this.closed = true;
    this.entries.clear();
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error('CCR store is closed');
  }
}
