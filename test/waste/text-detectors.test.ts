import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectTextWaste } from '../../src/analysis/waste/text-detectors.js';
import { count, countingCounter, prose, pseudoRandomBytes } from './helpers.js';

describe('detectTextWaste', () => {
  it('returns nothing for clean prose and for the empty text', () => {
    assert.deepEqual(detectTextWaste(prose(5000), count, { cacheablePrefix: true }), []);
    assert.deepEqual(detectTextWaste('', count, { cacheablePrefix: true }), []);
  });

  it('counts a base64 blob inside pretty JSON once: as base64, not again as JSON', () => {
    const image = pseudoRandomBytes(3000).toString('base64');
    const text = JSON.stringify({ type: 'image', encoding: 'base64', data: image, meta: { width: 64, height: 64 } }, null, 2);
    const findings = detectTextWaste(text, count, { cacheablePrefix: false });
    const byKey = new Map(findings.map((finding) => [finding.key, finding.tokens]));
    assert.ok((byKey.get('base64') ?? 0) > 0);
    const json = byKey.get('json_bloat') ?? 0;
    assert.ok(json > 0 && json < 40, `json_bloat ${json} should be the whitespace only`);
    const total = findings.reduce((sum, finding) => sum + finding.tokens, 0);
    assert.ok(total < count(text));
  });

  it('does not count whitespace inside pretty JSON twice', () => {
    const json = JSON.stringify({ rows: Array.from({ length: 20 }, (_, id) => ({ id, label: `row ${id}` })) }, null, 2);
    const text = json.replace(/\n/g, '   \n');
    const keys = detectTextWaste(text, count, { cacheablePrefix: false }).map((finding) => finding.key);
    assert.deepEqual(keys, ['json_bloat']);
  });

  it('reports every finding with positive tokens', () => {
    const text = `<div class="a"><p>Hi</p><p>There</p></div>\n\n\n\nvalue    with    padding   \n${pseudoRandomBytes(300).toString('base64')}`;
    const findings = detectTextWaste(text, count, { cacheablePrefix: false });
    assert.deepEqual(findings.map((finding) => finding.key).sort(), ['base64', 'html_noise', 'whitespace']);
    for (const finding of findings) assert.ok(finding.tokens > 0);
  });

  // The times of this test and the next are rows of `npm run bench` (detector
  // worst cases); here, the results and the work that can be counted.
  it('audits a 1 MB mixed text, handing the token counter each character at most twice', () => {
    const pieces: string[] = [];
    let length = 0;
    for (let index = 0; length < 1_000_000; index++) {
      const piece = [
        prose(3000, index),
        JSON.stringify({ id: index, items: [1, 2, 3], owner: { name: 'x', tags: ['a', 'b'] }, note: prose(200, index) }, null, 2),
        `<div class="row"><span id="s${index}">cell</span><a href="/x/${index}">link</a></div>`,
        `trailing   \nList<String> items = new ArrayList<>();\n\n\n\ncol1      col2      col3`,
        index % 5 === 0 ? `data:image/png;base64,${pseudoRandomBytes(2000, String(index)).toString('base64')}` : '',
        `Created 2026-11-24T10:00:00Z by req_abc123def456 at 12:30:45`,
      ].join('\n');
      pieces.push(piece);
      length += piece.length;
    }
    const text = pieces.join('\n');
    const counted = countingCounter();
    const findings = detectTextWaste(text, counted.count, { cacheablePrefix: true });
    const keys = findings.map((finding) => finding.key).sort();
    assert.deepEqual(keys, ['base64', 'dynamic_date', 'html_noise', 'json_bloat', 'whitespace']);
    assert.ok(counted.chars() <= 2 * text.length, `counted ${counted.chars()} of ${text.length} chars`);
  });

  it('on adversarial megabyte inputs, finds no more waste than the text and counts each character at most twice', () => {
    const size = 1_000_000;
    const inputs: Record<string, string> = {
      'unclosed tags': '<div '.repeat(size / 5),
      'tags only': '<b>'.repeat(size / 3),
      'unclosed scripts': '<script>'.repeat(size / 8),
      'unclosed comments': '<!--'.repeat(size / 4),
      'open brackets': '{\n  '.repeat(size / 4),
      'unterminated strings': '{"a'.repeat(size / 3),
      spaces: ' '.repeat(size),
      padding: 'a    '.repeat(size / 5),
      'blank lines': ' \n'.repeat(size / 2),
      'low-entropy base64 alphabet': 'aB3+'.repeat(size / 4),
      'data uri prefixes': 'data:image/png;base64,'.repeat(size / 22),
      dates: '2026-11-24 '.repeat(size / 11),
    };
    for (const [name, text] of Object.entries(inputs)) {
      const counted = countingCounter();
      const findings = detectTextWaste(text, counted.count, { cacheablePrefix: true });
      const wasted = findings.reduce((sum, finding) => sum + finding.tokens, 0);
      for (const finding of findings) assert.ok(finding.tokens > 0, `${name}: ${finding.key}`);
      assert.ok(wasted <= count(text), `${name}: ${wasted} tokens of waste in ${count(text)}`);
      assert.ok(counted.chars() <= 2 * text.length, `${name}: counted ${counted.chars()} of ${text.length} chars`);
    }
  });
});
