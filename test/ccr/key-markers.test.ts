import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { holdsRetrievalMarker } from '../../src/analysis/waste/rereads.js';
import { CCR_KEY_LENGTH, ccrKey, isCcrKey } from '../../src/ccr/key.js';
import { MARKER_DETAIL_MAX_LENGTH, MARKER_PATTERN, MARKER_UNIT_MAX_LENGTH, findMarkers, formatMarker, type MarkerInfo } from '../../src/ccr/markers.js';

const KEY = '0123456789abcdef01234567';

describe('ccrKey', () => {
  it('is the first 24 hex characters of the SHA-256 of the UTF-8 text', () => {
    assert.equal(CCR_KEY_LENGTH, 24);
    // Known vector: SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assert.equal(ccrKey('abc'), 'ba7816bf8f01cfea414140de');
    const unicode = 'naïve café — 日本語 🚀';
    assert.equal(ccrKey(unicode), createHash('sha256').update(Buffer.from(unicode, 'utf8')).digest('hex').slice(0, 24));
    assert.notEqual(ccrKey('a'), ccrKey('a\n'));
  });

  it('isCcrKey accepts exactly 24 lowercase hex characters', () => {
    assert.equal(isCcrKey(ccrKey('x')), true);
    assert.equal(isCcrKey(KEY), true);
    for (const bad of ['', KEY.slice(0, 12), `${KEY}0`, KEY.toUpperCase(), `${KEY.slice(0, 23)}g`, ` ${KEY}`, `${KEY}\n`]) {
      assert.equal(isCcrKey(bad), false, JSON.stringify(bad));
    }
  });
});

describe('markers', () => {
  it('formats the documented grammar', () => {
    assert.equal(
      formatMarker({ key: KEY, count: 85, unit: 'rows', detail: 'rows 16-100' }),
      '[headroom: omitted 85 rows (rows 16-100); headroom_retrieve hash=0123456789abcdef01234567]',
    );
    assert.equal(formatMarker({ key: KEY, count: 3, unit: 'hunks' }), '[headroom: omitted 3 hunks; headroom_retrieve hash=0123456789abcdef01234567]');
  });

  it('round-trips through findMarkers, in order, inside surrounding text', () => {
    const infos: MarkerInfo[] = [
      { key: ccrKey('one'), count: 85, unit: 'rows', detail: 'rows 16-100' },
      { key: ccrKey('two'), count: 0, unit: 'lines' },
      { key: ccrKey('three'), count: 12, unit: 'log lines', detail: 'DEBUG; lines 3-14, 20' },
      { key: ccrKey('four'), count: 7, unit: 'search_matches', detail: 'é 日本' },
    ];
    const text = `before ${formatMarker(infos[0]!)}\n[not a marker]\n${formatMarker(infos[1]!)}${formatMarker(infos[2]!)} x ${formatMarker(infos[3]!)} after`;
    assert.deepEqual(findMarkers(text), infos);
    // No lastIndex state leaks between calls.
    assert.deepEqual(findMarkers(text), infos);
    assert.deepEqual(findMarkers('no markers here'), []);
  });

  it('finds nothing in look-alikes', () => {
    for (const text of [
      `[headroom: omitted 5 rows; headroom_retrieve hash=${KEY.slice(0, 12)}]`,
      `[headroom: omitted five rows; headroom_retrieve hash=${KEY}]`,
      `[headroom: omitted 5 Rows; headroom_retrieve hash=${KEY}]`,
      `[headroom: omitted 5 rows (a\nb); headroom_retrieve hash=${KEY}]`,
      `[150 items compressed to 15. Retrieve more: hash=${KEY}]`,
    ]) {
      assert.deepEqual(findMarkers(text), [], text);
      assert.equal(MARKER_PATTERN.test(text), false, text);
    }
  });

  it('MARKER_PATTERN is not global and captures count, unit, detail, key', () => {
    assert.equal(MARKER_PATTERN.global, false);
    const match = MARKER_PATTERN.exec(`x ${formatMarker({ key: KEY, count: 9, unit: 'items', detail: 'ids 4, 9' })} y`);
    assert.deepEqual(match?.slice(1), ['9', 'items', 'ids 4, 9', KEY]);
  });

  it('rejects malformed units, details, counts and keys', () => {
    const base = { key: KEY, count: 1, unit: 'rows' };
    for (const unit of ['', 'Rows', '1rows', 'rows-x', 'rows\n', ' rows', 'rows ', 'r'.repeat(MARKER_UNIT_MAX_LENGTH + 1), 'rows;']) {
      assert.throws(() => formatMarker({ ...base, unit }), /unit/, JSON.stringify(unit));
    }
    for (const detail of ['', 'a [b]', 'a]', '(a)', 'a)', 'a\nb', 'a\rb', 'x'.repeat(MARKER_DETAIL_MAX_LENGTH + 1)]) {
      assert.throws(() => formatMarker({ ...base, detail }), /detail/, JSON.stringify(detail));
    }
    for (const count of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
      assert.throws(() => formatMarker({ ...base, count }), /count/, String(count));
    }
    for (const key of ['', KEY.toUpperCase(), KEY.slice(0, 12), `${KEY}00`]) {
      assert.throws(() => formatMarker({ ...base, key }), /key/, key);
    }
    assert.doesNotThrow(() => formatMarker({ ...base, unit: 'r'.repeat(MARKER_UNIT_MAX_LENGTH), detail: 'x'.repeat(MARKER_DETAIL_MAX_LENGTH) }));
  });

  it("every marker, even the longest, is recognised by the audit's re-read detector", () => {
    const markers = [
      formatMarker({ key: KEY, count: 85, unit: 'rows', detail: 'rows 16-100' }),
      formatMarker({ key: KEY, count: 0, unit: 'chars' }),
      formatMarker({
        key: KEY,
        count: Number.MAX_SAFE_INTEGER,
        unit: 'z'.repeat(MARKER_UNIT_MAX_LENGTH),
        detail: 'd'.repeat(MARKER_DETAIL_MAX_LENGTH),
      }),
    ];
    for (const marker of markers) {
      assert.ok(holdsRetrievalMarker(`prefix ${marker} suffix`), marker);
      assert.deepEqual(findMarkers(marker).length, 1);
    }
  });
});
