import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectDynamicValues, findVolatileValues } from '../../src/analysis/waste/dynamic-values.js';
import { detectTextWaste } from '../../src/analysis/waste/text-detectors.js';
import { count } from './helpers.js';

const systemPrompt = [
  'You are a helpful assistant.',
  "Today's date: 2026-11-24. Current time: 14:03:59.",
  'Session 3f2b9c1e-8d4a-4e6b-9f0a-1c2d3e4f5a6b started at 2026-11-24T14:03:59Z (unix 1795529039).',
  'Request id req_011CUxYz8Qw3 and x-trace-id: 4bf92f3577b34da6a3ce929d0e0e4736.',
  'Token: eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlc2lnbmF0dXJl',
].join('\n');

describe('dynamic_date', () => {
  it('finds each kind of volatile value once', () => {
    const values = findVolatileValues(systemPrompt);
    const kinds = values.map((value) => value.kind);
    assert.deepEqual(kinds, ['date', 'time', 'uuid', 'datetime', 'timestamp', 'request_id', 'request_id', 'jwt']);
    const texts = values.map((value) => systemPrompt.slice(value.start, value.end));
    assert.deepEqual(texts, [
      '2026-11-24',
      '14:03:59',
      '3f2b9c1e-8d4a-4e6b-9f0a-1c2d3e4f5a6b',
      '2026-11-24T14:03:59Z',
      '1795529039',
      'req_011CUxYz8Qw3',
      '4bf92f3577b34da6a3ce929d0e0e4736',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlc2lnbmF0dXJl',
    ]);
  });

  it('values the tokens of the volatile spans', () => {
    const finding = detectDynamicValues(systemPrompt, count);
    assert.ok(finding);
    assert.equal(finding.key, 'dynamic_date');
    assert.equal(finding.instances, 8);
    const expected = findVolatileValues(systemPrompt).reduce((sum, value) => sum + count(systemPrompt.slice(value.start, value.end)), 0);
    assert.equal(finding.tokens, expected);
    assert.ok(finding.tokens < count(systemPrompt));
    assert.match(finding.detail, /^8 volatile values \(date, time, uuid, datetime, timestamp, request_id, jwt\)/);
  });

  it('only applies to the cacheable prefix', () => {
    const inPrefix = detectTextWaste(systemPrompt, count, { cacheablePrefix: true });
    assert.equal(inPrefix.filter((finding) => finding.key === 'dynamic_date').length, 1);
    const inUserMessage = detectTextWaste(systemPrompt, count, { cacheablePrefix: false });
    assert.equal(inUserMessage.filter((finding) => finding.key === 'dynamic_date').length, 0);
  });

  it('ignores API version dates, implausible numbers and ordinary text', () => {
    const text = [
      'Send header anthropic-version: 2023-06-01 and api-version=2024-02-15.',
      'Phone 5551234567, order 1234567890, build 0000000001, year 1999-12-31, port 8080.',
      'Version 10.4.2 was released; call req_parameters before trace_handler.',
    ].join('\n');
    assert.deepEqual(findVolatileValues(text), []);
    assert.equal(detectDynamicValues('No numbers at all here.', count), null);
  });

  it('finds written-out dates and millisecond timestamps', () => {
    const values = findVolatileValues('Today is Monday, November 24, 2026. Generated at 1795529039123.');
    assert.deepEqual(
      values.map((value) => value.kind),
      ['date', 'timestamp'],
    );
  });
});
