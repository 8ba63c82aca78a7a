import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { SentPrefixTracker } from '../../../src/cache/freeze/sent-prefix.js';

/** A tracker of strings, sized by their length. */
function tracker(limits = { maxMessages: 1000, maxChars: 1_000_000 }): SentPrefixTracker<string> {
  return new SentPrefixTracker<string>((value) => value.length, limits);
}

/** Sends `keys` as `sent-<key>` and returns what was found frozen first. */
function send(store: SentPrefixTracker<string>, conversation: string | null, keys: string[]): readonly string[] {
  const found = store.lookup(conversation, keys);
  store.remember(
    found.chain,
    keys.map((key) => `sent-${key}`),
  );
  return found.sent;
}

describe('SentPrefixTracker', () => {
  it('finds the longest prefix an earlier request sent, and stops at the first changed message', () => {
    const store = tracker();
    assert.deepEqual(send(store, 'c', ['sys', 'u1']), []);
    assert.deepEqual(send(store, 'c', ['sys', 'u1', 'a1', 'u2']), ['sent-sys', 'sent-u1']);
    assert.deepEqual(send(store, 'c', ['sys', 'u1', 'a1', 'u2', 'a2']), ['sent-sys', 'sent-u1', 'sent-a1', 'sent-u2']);
    // The client changed message 1: only message 0 is the same prefix (a later equal message is not).
    assert.deepEqual(store.lookup('c', ['sys', 'EDITED', 'a1', 'u2']).sent, ['sent-sys']);
  });

  it('keeps conversations apart, and matches a message only after the same messages', () => {
    const store = tracker();
    send(store, 'one', ['sys', 'u1']);
    assert.deepEqual(store.lookup('two', ['sys', 'u1']).sent, []);
    assert.deepEqual(store.lookup('one', ['u1']).sent, []);
  });

  it('forgets the least recently used messages beyond its limits', () => {
    const store = tracker({ maxMessages: 3, maxChars: 1_000_000 });
    send(store, 'a', ['a0', 'a1']);
    send(store, 'b', ['b0', 'b1']);
    assert.equal(store.messages, 3);
    assert.deepEqual(store.lookup('a', ['a0', 'a1']).sent, [], 'the oldest message went first, and its chain with it');
    assert.deepEqual(store.lookup('b', ['b0', 'b1']).sent, ['sent-b0', 'sent-b1']);
    const small = tracker({ maxMessages: 100, maxChars: 12 });
    send(small, null, ['x', 'y', 'z']);
    assert.deepEqual(small.lookup(null, ['x', 'y', 'z']).sent, [], 'a character bound evicts too');
  });

  it('is deterministic: the same requests in the same order give the same prefixes', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom('s', 'u', 'a', 't'), { maxLength: 6 }), { maxLength: 6 }), (requests) => {
        const run = (): (readonly string[])[] => {
          const store = tracker();
          return requests.map((keys) => send(store, null, keys));
        };
        const first = run();
        assert.deepEqual(run(), first);
        first.forEach((sent, index) =>
          assert.deepEqual(
            sent,
            (requests[index] as string[]).slice(0, sent.length).map((key) => `sent-${key}`),
          ),
        );
      }),
      { numRuns: 30 },
    );
  });
});
