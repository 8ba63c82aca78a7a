/** The semantics both stores share, run against each. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ccrKey } from '../../src/ccr/key.js';
import { MemoryCcrStore } from '../../src/ccr/memory-store.js';
import { SqliteCcrStore } from '../../src/ccr/sqlite-store.js';
import type { CcrStore, CcrStoreOptions } from '../../src/ccr/store.js';
import { Clock, put, tempDir } from './helpers.js';

const KINDS: [string, (options: CcrStoreOptions) => CcrStore][] = [
  ['MemoryCcrStore', (options) => new MemoryCcrStore(options)],
  ['SqliteCcrStore', (options) => new SqliteCcrStore(path.join(tempDir(), 'nested', 'dir', 'ccr.db'), options)],
];

for (const [name, open] of KINDS) {
  describe(name, () => {
    const withStore = (options: Partial<CcrStoreOptions>, body: (store: CcrStore, clock: Clock) => void): void => {
      const clock = new Clock();
      const store = open({ ttlSeconds: 1800, maxEntries: 100, now: clock.now, ...options });
      try {
        body(store, clock);
      } finally {
        store.close();
      }
    };

    it('stores and returns originals byte for byte, with their metadata', () => {
      withStore({}, (store, clock) => {
        const originals = [
          '[{"id":1},{"id":2}]',
          'naïve 日本語 🚀\r\n\ttabs\u0000nul',
          '',
          'no newline at end',
          'x'.repeat(200_000),
          // Lone surrogates (JSON "\ud800" escapes) have no UTF-8 form; they must still come back exactly.
          'lone \ud800 high, lone \udc00 low, pair 🚀',
        ];
        assert.deepEqual(store.put(originals.map((o, i) => put(o, 'lines', i, i % 2 ? null : 'grep'))), { evicted: 0 });
        assert.equal(store.size(), originals.length);
        originals.forEach((original, i) => {
          const lookup = store.get(ccrKey(original));
          assert.equal(lookup.status, 'available');
          if (lookup.status !== 'available') return;
          assert.equal(lookup.entry.original, original);
          assert.deepEqual(
            { ...lookup.entry, original: '' },
            {
              key: ccrKey(original),
              original: '',
              unit: 'lines',
              count: i,
              toolName: i % 2 ? null : 'grep',
              createdAt: clock.ms,
              ttlSeconds: 1800,
              retrievalCount: 1,
            },
          );
        });
        assert.ok(store.location === ':memory:' || path.isAbsolute(store.location));
      });
    });

    it('reports a key never stored as missing', () => {
      withStore({}, (store) => {
        assert.deepEqual(store.get(ccrKey('never stored')), { status: 'missing', key: ccrKey('never stored') });
        assert.deepEqual(store.get('not-a-key'), { status: 'missing', key: 'not-a-key' });
      });
    });

    it('counts retrievals', () => {
      withStore({}, (store) => {
        store.put([put('counted')]);
        const counts = [1, 2, 3].map(() => {
          const lookup = store.get(ccrKey('counted'));
          return lookup.status === 'available' ? lookup.entry.retrievalCount : -1;
        });
        assert.deepEqual(counts, [1, 2, 3]);
      });
    });

    it('re-putting a key overwrites it and restarts its TTL', () => {
      withStore({ ttlSeconds: 100 }, (store, clock) => {
        store.put([put('again', 'rows', 5, 'a')]);
        clock.advance(90);
        store.put([put('again', 'lines', 7, null)]);
        clock.advance(90); // 180 s after the first put, 90 s after the second
        const lookup = store.get(ccrKey('again'));
        assert.equal(lookup.status, 'available');
        if (lookup.status !== 'available') return;
        assert.equal(lookup.entry.unit, 'lines');
        assert.equal(lookup.entry.count, 7);
        assert.equal(lookup.entry.toolName, null);
        assert.equal(lookup.entry.createdAt, clock.ms - 90_000);
        assert.equal(store.size(), 1);
      });
    });

    it('peek looks up without changing anything: no retrieval count, expired entries stay', () => {
      withStore({ ttlSeconds: 60 }, (store, clock) => {
        store.put([put('peeked')]);
        const key = ccrKey('peeked');
        for (let index = 0; index < 2; index++) {
          const lookup = store.peek(key);
          assert.equal(lookup.status === 'available' && lookup.entry.retrievalCount, 0);
        }
        clock.advance(61);
        const expired = { status: 'expired', key, expiredAt: clock.ms - 1000, ttlSeconds: 60 };
        assert.deepEqual(store.peek(key), expired);
        assert.deepEqual(store.peek(key), expired);
        assert.equal(store.size(), 1);
        assert.deepEqual(store.peek(ccrKey('never')), { status: 'missing', key: ccrKey('never') });
      });
    });

    it('expires entries once now - createdAt > ttl, deleting them', () => {
      withStore({ ttlSeconds: 60 }, (store, clock) => {
        store.put([put('short-lived'), put('checked late')]);
        const created = clock.ms;
        clock.advance(60);
        assert.equal(store.get(ccrKey('short-lived')).status, 'available', 'exactly at the TTL it is still there');
        clock.ms += 1;
        assert.deepEqual(store.get(ccrKey('short-lived')), { status: 'expired', key: ccrKey('short-lived'), expiredAt: created + 60_000, ttlSeconds: 60 });
        // Deleted when found expired: the next lookup finds nothing.
        assert.deepEqual(store.get(ccrKey('short-lived')), { status: 'missing', key: ccrKey('short-lived') });
        assert.equal(store.size(), 1);
        // A put purges the other expired entry and does not count it as evicted.
        assert.deepEqual(store.put([put('fresh')]), { evicted: 0 });
        assert.equal(store.size(), 1);
        assert.equal(store.get(ccrKey('checked late')).status, 'missing');
      });
    });

    it('evicts the oldest entries (ties by key) beyond maxEntries and reports how many', () => {
      withStore({ maxEntries: 3, ttlSeconds: 1000 }, (store, clock) => {
        store.put([put('a1'), put('a2')]);
        clock.advance(1);
        store.put([put('b1')]);
        clock.advance(1);
        // Two more: the two oldest (a1, a2, same time) go.
        assert.deepEqual(store.put([put('c1'), put('c2')]), { evicted: 2 });
        assert.equal(store.size(), 3);
        for (const gone of ['a1', 'a2']) assert.equal(store.get(ccrKey(gone)).status, 'missing', gone);
        for (const kept of ['b1', 'c1', 'c2']) assert.equal(store.get(ccrKey(kept)).status, 'available', kept);

        // Ties at the same created_at are broken by key: the smaller keys go first.
        clock.advance(1);
        const batch = ['d1', 'd2', 'd3', 'd4'].map((o) => put(o));
        assert.deepEqual(store.put(batch), { evicted: 4 });
        const survivors = batch
          .map((p) => p.key)
          .sort()
          .slice(1);
        assert.deepEqual(
          batch
            .map((p) => p.key)
            .filter((key) => store.get(key).status === 'available')
            .sort(),
          survivors,
        );
      });
    });

    it('purges expired entries before evicting, and counts only live ones as evicted', () => {
      withStore({ maxEntries: 2, ttlSeconds: 10 }, (store, clock) => {
        store.put([put('old1'), put('old2')]);
        clock.advance(11);
        store.put([put('live1')]);
        assert.equal(store.size(), 1);
        clock.advance(1);
        assert.deepEqual(store.put([put('live2'), put('live3')]), { evicted: 1 });
        assert.equal(store.get(ccrKey('live1')).status, 'missing');
      });
    });

    it('rejects a key that is not ccrKey(original), storing nothing from the batch', () => {
      withStore({}, (store) => {
        const bad = { ...put('right'), original: 'wrong' };
        assert.throws(() => store.put([put('fine'), bad]), /not ccrKey\(original\)/);
        assert.throws(() => store.put([{ ...put('upper'), key: ccrKey('upper').toUpperCase() }]), /ccrKey/);
        assert.throws(() => store.put([{ ...put('neg'), count: -1 }]), /count/);
        assert.equal(store.size(), 0);
        assert.deepEqual(store.put([]), { evicted: 0 });
      });
    });

    it('rejects nonsensical options', () => {
      assert.throws(() => open({ ttlSeconds: 0, maxEntries: 10 }), /ttlSeconds/);
      assert.throws(() => open({ ttlSeconds: 10, maxEntries: 0 }), /maxEntries/);
    });
  });
}
