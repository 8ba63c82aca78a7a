/** Query anchors: what a query names exactly, and which items contain it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adaptiveAlpha, extractQueryAnchors, hasAnchors, matchesAnchor } from '../../src/relevance/index.js';

describe('extractQueryAnchors', () => {
  it('finds UUIDs, long numbers, hosts, quoted strings and e-mail addresses', () => {
    const anchors = extractQueryAnchors(
      'Why did order 884213 for Alice@Example.com fail on api.payments.io (10.0.3.17)? Trace 3F2504E0-4F89-11D3-9A0C-0305E82C3301 says "card declined", e.g. in 2026.',
    );
    assert.deepEqual(anchors.uuids, ['3f2504e0-4f89-11d3-9a0c-0305e82c3301']);
    assert.deepEqual(anchors.numbers, ['884213', '2026']);
    assert.deepEqual(anchors.hosts, ['api.payments.io', '10.0.3.17']);
    assert.deepEqual(anchors.quoted, ['card declined']);
    assert.deepEqual(anchors.emails, ['alice@example.com']);
  });

  it('takes no apostrophes for quotes, no decimals for hosts, no short numbers', () => {
    const anchors = extractQueryAnchors("don't show the ones with score 3.14 or id 42, it's fine");
    assert.equal(hasAnchors(anchors), false, JSON.stringify(anchors));
  });

  it('reads single quotes, backticks and curly quotes', () => {
    assert.deepEqual(extractQueryAnchors("find 'OOMKilled' in `kube-system` or “cold start”").quoted, ['oomkilled', 'kube-system', 'cold start']);
  });
});

describe('matchesAnchor', () => {
  it('matches items containing an anchor, numbers and hosts only as whole tokens', () => {
    const anchors = extractQueryAnchors('order 4821 on example.com');
    assert.equal(matchesAnchor(anchors, '{"order":4821}'), true);
    assert.equal(matchesAnchor(anchors, '{"order":948213}'), false);
    assert.equal(matchesAnchor(anchors, '{"host":"api.example.com"}'), true);
    assert.equal(matchesAnchor(anchors, '{"host":"myexample.com"}'), false);
    assert.equal(matchesAnchor(anchors, '{"order":1}'), false);
  });

  it('matches UUIDs, quoted text and e-mails as substrings', () => {
    const anchors = extractQueryAnchors('"Card Declined" for bob@corp.io, trace 3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    assert.equal(matchesAnchor(anchors, '{"error":"card declined: insufficient funds"}'), true);
    assert.equal(matchesAnchor(anchors, '{"user":"bob@corp.io"}'), true);
    assert.equal(matchesAnchor(anchors, '{"trace":"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}'), true);
    // The e-mail's domain is not a host anchor of its own.
    assert.equal(matchesAnchor(anchors, '{"host":"corp.io"}'), false);
  });

  it('matches nothing for a query without anchors', () => {
    assert.equal(matchesAnchor(extractQueryAnchors('show me the errors'), 'the errors'), false);
  });
});

describe('adaptiveAlpha', () => {
  it('moves the hybrid weight toward BM25 for identifier-like queries, never below the configured alpha', () => {
    assert.equal(adaptiveAlpha(0.5, extractQueryAnchors('what went wrong with payments')), 0.5);
    assert.equal(adaptiveAlpha(0.5, extractQueryAnchors('trace 3f2504e0-4f89-11d3-9a0c-0305e82c3301')), 0.85);
    assert.equal(adaptiveAlpha(0.5, extractQueryAnchors('orders 48213 and 48214')), 0.75);
    assert.equal(adaptiveAlpha(0.5, extractQueryAnchors('order 48213')), 0.65);
    assert.equal(adaptiveAlpha(0.5, extractQueryAnchors('errors on api.example.com')), 0.6);
    assert.equal(adaptiveAlpha(0.95, extractQueryAnchors('order 48213')), 0.95);
  });
});
