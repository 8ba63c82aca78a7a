import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DynamicDetector, maskSecret, normalizedEntropy, patternFindings, type DynamicType } from '../../src/cache/dynamic/index.js';
import { detectDynamicValues } from '../../src/analysis/waste/dynamic-values.js';
import { detectTextWaste } from '../../src/analysis/waste/text-detectors.js';
import { count } from '../waste/helpers.js';

const detector = new DynamicDetector({ extraLabels: [], entropyThreshold: 0.7 });

function found(text: string, using = detector): Array<[DynamicType, string]> {
  return using.detect(text).map((finding) => [finding.type, text.slice(finding.start, finding.end)]);
}

const systemPrompt = [
  'You are a helpful assistant.',
  "Today's date: 2026-11-24. Current time: 14:03:59.",
  'Session 3f2b9c1e-8d4a-4e6b-9f0a-1c2d3e4f5a6b started at 2026-11-24T14:03:59Z (unix 1795529039).',
  'Request id req_011CUxYz8Qw3 and x-trace-id: 4bf92f3577b34da6a3ce929d0e0e4736.',
  'Token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlc2lnbmF0dXJl',
].join('\n');

/** One positive example per type: the text, and the value the detector must find in it. */
const POSITIVES: ReadonlyArray<[DynamicType, string, string]> = [
  ['uuid', 'Session 3f2b9c1e-8d4a-4e6b-9f0a-1c2d3e4f5a6b is open.', '3f2b9c1e-8d4a-4e6b-9f0a-1c2d3e4f5a6b'],
  ['datetime', 'Generated 2026-11-24T14:03:59.123+01:00 by the server.', '2026-11-24T14:03:59.123+01:00'],
  ['date', 'The current date is 2026-11-24.', '2026-11-24'],
  ['date', 'Today is Monday, November 24, 2026.', 'November 24, 2026'],
  ['date', 'Report for 11/24/2026 attached.', '11/24/2026'],
  ['time', 'Last sync 14:03:59 UTC.', '14:03:59'],
  ['time', 'The meeting starts at 3:45 PM sharp.', '3:45 PM'],
  ['timestamp', 'Generated at 1795529039123.', '1795529039123'],
  ['jwt', 'Authorization: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlc2lnbmF0dXJl', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlc2lnbmF0dXJl'],
  ['api_key', 'Use sk-ant-api03-abcdEFGH1234ijklMNOP5678qrst for calls.', 'sk-ant-api03-abcdEFGH1234ijklMNOP5678qrst'],
  ['api_key', 'AWS key AKIAIOSFODNN7EXAMPLE is set.', 'AKIAIOSFODNN7EXAMPLE'],
  ['api_key', 'Send Bearer abcDEF1234567890ghijKLMN with each call.', 'abcDEF1234567890ghijKLMN'],
  ['hex_hash', 'Built from commit 9fceb02d0ae598e95dc970b74767f19372d61af8.', '9fceb02d0ae598e95dc970b74767f19372d61af8'],
  ['version', 'You are Claude Code v2.0.14, running in a terminal.', 'v2.0.14'],
  ['request_id', 'Request id req_011CUxYz8Qw3 accepted.', 'req_011CUxYz8Qw3'],
  ['request_id', 'x-trace-id: 4bf92f3577b34da6a3ce929d0e0e4736', '4bf92f3577b34da6a3ce929d0e0e4736'],
  ['labelled', 'Workspace facts:\nsession: 42-blue', '42-blue'],
  ['high_entropy', 'Your workspace handle is x7Kp2mQ9vR4tL8wZ3nB6 today.', 'x7Kp2mQ9vR4tL8wZ3nB6'],
];

describe('dynamic content detector', () => {
  for (const [type, text, value] of POSITIVES) {
    it(`finds ${type} in "${text.slice(0, 40)}"`, () => {
      assert.deepEqual(found(text), [[type, value]]);
    });
  }

  it('finds each value of a realistic system prompt once, in order', () => {
    assert.deepEqual(found(systemPrompt), [
      ['date', '2026-11-24'],
      ['time', '14:03:59'],
      ['uuid', '3f2b9c1e-8d4a-4e6b-9f0a-1c2d3e4f5a6b'],
      ['datetime', '2026-11-24T14:03:59Z'],
      ['timestamp', '1795529039'],
      ['request_id', 'req_011CUxYz8Qw3'],
      ['request_id', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlc2lnbmF0dXJl'],
    ]);
  });

  it('gives every finding a reason, and marks only credentials secret', () => {
    for (const finding of detector.detect(systemPrompt + '\nkey sk-proj-abcdEFGH1234ijklMNOP5678')) {
      assert.ok(finding.reason.length > 10);
      assert.equal(finding.secret, finding.type === 'jwt' || finding.type === 'api_key');
    }
  });

  it('raises no alarm on ordinary prose', () => {
    const prose = [
      'You are a careful assistant. Answer the question, then stop.',
      'Do it now: open the file and read it. The date matters less than the content.',
      'Use time: a few seconds at most. Session handling is described in chapter 3.',
      'In 1999 there were 12 apostles of the 3:16 school; ratios like 16:9 are common.',
      'Phone 5551234567, order 1234567890, port 8080, build 0000000001, year 1999-12-31.',
      'Send header anthropic-version: 2023-06-01 and api-version=2024-02-15.',
      'The risk-assessment-framework and token-based pricing apply.',
    ].join('\n');
    assert.deepEqual(found(prose), []);
  });

  it('raises no alarm on code identifiers', () => {
    const code = [
      'function getUserById(id) { return utf8ToBase64String(id); }',
      'const HTTP2ServerConfig = loadConfig("x86_64-linux-gnu");',
      'parse_json_v2(sha256_digest_of_file); useEffect(); i18nKeys.map(toLowerCase);',
      'class AbstractSingletonProxyFactoryBean2 extends Base64Encoder32 {}',
    ].join('\n');
    assert.deepEqual(found(code), []);
  });

  it('raises no alarm on semver in a dependency list', () => {
    const dependencies = [
      '{ "dependencies": { "typescript": "^5.4.2", "react": "v18.2.0", "lodash": "4.17.21" } }',
      '- react v18.2.0',
      '* node v20.11.1',
      '1. express v4.19.2',
      'pip install requests==2.31.0 numpy>=1.26.4',
      'npm i lodash@4.17.21 left-pad@v1.3.0',
    ].join('\n');
    assert.deepEqual(found(dependencies), []);
  });

  it('takes labelled values only at a structural label with a digit, or any value of an extra label', () => {
    assert.deepEqual(found('session: interactive'), []);
    assert.deepEqual(found('{"session_id": "s-2931", "name": "Bash"}'), [['labelled', 's-2931']]);
    const withTenant = new DynamicDetector({ extraLabels: ['tenant'], entropyThreshold: 0.7 });
    assert.deepEqual(found('tenant: acme corp\nname: tool', withTenant), [['labelled', 'acme corp']]);
    assert.deepEqual(found('tenant: acme corp'), []);
  });

  it('applies entropy_threshold to random-looking tokens', () => {
    const token = 'a7Kp2mQ9a7Kp2mQ9vR4t';
    const entropy = normalizedEntropy(token);
    assert.ok(entropy > 0.7 && entropy < 1);
    assert.deepEqual(found(`handle ${token}`, new DynamicDetector({ extraLabels: [], entropyThreshold: entropy })), [['high_entropy', token]]);
    assert.deepEqual(found(`handle ${token}`, new DynamicDetector({ extraLabels: [], entropyThreshold: entropy + 0.01 })), []);
    assert.ok(normalizedEntropy('aaaaaaaa') === 0);
    assert.ok(normalizedEntropy('a1b2c3d4') > 0.7);
  });

  it('matches only the user patterns when the detector is off', () => {
    const text = 'Current date: 2026-11-24 and uuid 3f2b9c1e-8d4a-4e6b-9f0a-1c2d3e4f5a6b';
    const findings = patternFindings(text, [/Current [Dd]ate:?\s*\d{4}-\d{2}-\d{2}/]);
    assert.deepEqual(
      findings.map((finding) => text.slice(finding.start, finding.end)),
      ['Current date: 2026-11-24'],
    );
  });

  it('masks a secret to its first 4 characters and its length', () => {
    assert.equal(maskSecret('sk-ant-api03-abcdEFGH1234ijklMNOP5678qrst'), 'sk-a… (41 chars)');
  });

  it('never reports overlapping or out-of-range spans, and is deterministic', () => {
    const pieces = fc.constantFrom(
      '2026-11-24',
      ' ',
      '\n',
      'session: 7',
      'v1.2.3',
      'x7Kp2mQ9vR4tL8wZ3nB6',
      'req_0123abcd99',
      'word',
      ':',
      '14:03:59',
      '3f2b9c1e-8d4a-4e6b-9f0a-1c2d3e4f5a6b',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        const findings = detector.detect(text);
        let end = 0;
        for (const finding of findings) {
          assert.ok(finding.start >= end && finding.end > finding.start && finding.end <= text.length);
          end = finding.end;
        }
        assert.deepEqual(detector.detect(text), findings);
      }),
      { numRuns: 30 },
    );
  });
});

describe('dynamic_date waste signal', () => {
  it('values the tokens of the dynamic spans found by the detector', () => {
    const finding = detectDynamicValues(systemPrompt, count);
    assert.ok(finding);
    assert.equal(finding.key, 'dynamic_date');
    assert.equal(finding.instances, 8);
    const expected = detector.detect(systemPrompt).reduce((sum, value) => sum + count(systemPrompt.slice(value.start, value.end)), 0);
    assert.equal(finding.tokens, expected);
    assert.match(finding.detail, /^8 volatile values \(date, time, uuid, datetime, timestamp, request_id, jwt\)/);
  });

  it('only applies to the cacheable prefix', () => {
    const inPrefix = detectTextWaste(systemPrompt, count, { cacheablePrefix: true });
    assert.equal(inPrefix.filter((finding) => finding.key === 'dynamic_date').length, 1);
    const inUserMessage = detectTextWaste(systemPrompt, count, { cacheablePrefix: false });
    assert.equal(inUserMessage.filter((finding) => finding.key === 'dynamic_date').length, 0);
    assert.equal(detectDynamicValues('No numbers at all here.', count), null);
  });
});
