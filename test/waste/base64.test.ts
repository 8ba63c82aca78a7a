import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { base64Placeholder, detectBase64, entropy, findBase64Blobs } from '../../src/analysis/waste/base64.js';
import { count, prose, pseudoRandomBytes } from './helpers.js';

const blob = pseudoRandomBytes(600).toString('base64');

describe('base64', () => {
  it('reports a bare base64 run: its tokens minus a placeholder', () => {
    const text = `Here is the attachment: ${blob} (end)`;
    const { finding, blobs } = detectBase64(text, count);
    assert.ok(finding);
    assert.equal(finding.key, 'base64');
    assert.equal(blobs.length, 1);
    const found = blobs[0];
    assert.ok(found);
    assert.equal(text.slice(found.start, found.end), blob);
    assert.equal(found.bytes, 600);
    assert.equal(finding.tokens, count(blob) - count(base64Placeholder(found)));
    assert.ok(finding.tokens > 0 && finding.tokens < count(text));
  });

  it('reports data URIs with their media type', () => {
    const text = `<img src="data:image/png;base64,${blob}"> and data:application/pdf;base64,${pseudoRandomBytes(90, 'pdf').toString('base64')}`;
    const { finding, blobs } = detectBase64(text, count);
    assert.equal(blobs.length, 2);
    assert.equal(blobs[0]?.mediaType, 'image/png');
    assert.equal(blobs[1]?.mediaType, 'application/pdf');
    assert.equal(finding?.instances, 2);
    assert.equal(base64Placeholder(blobs[0] as NonNullable<(typeof blobs)[0]>), '[base64 image/png 600 B]');
  });

  it('finds line-wrapped base64 (PEM/MIME) as one blob', () => {
    const wrapped =
      pseudoRandomBytes(900, 'pem')
        .toString('base64')
        .match(/.{1,64}/g)
        ?.join('\n') ?? '';
    const text = `-----BEGIN CERTIFICATE-----\n${wrapped}\n-----END CERTIFICATE-----`;
    const blobs = findBase64Blobs(text);
    assert.equal(blobs.length, 1);
    assert.equal(text.slice(blobs[0]?.start, blobs[0]?.end), wrapped);
  });

  it('ignores hex digests, long words, identifiers and paths', () => {
    const sha = createHash('sha512').update('x').digest('hex');
    const texts = [
      `commit ${sha}${sha}`,
      `${'Supercalifragilisticexpialidocious'.repeat(4)}`,
      `const thisIsAVeryLongIdentifierNameThatKeepsGoing_withSomeMoreWords_andNumbers123_andEvenMoreWordsHere = 1;`,
      '/home/user/projects/SomeProject/src/components/Button/Primary/Large/Rounded/WithIcon/Variant2/index',
      prose(2000),
    ];
    for (const text of texts) assert.deepEqual(findBase64Blobs(text), [], text.slice(0, 40));
  });

  it('leaves JWTs to the volatile-value detector', () => {
    const payload = Buffer.from(JSON.stringify({ sub: '1234567890', name: 'John Doe', iat: 1516239022, scope: 'read write admin', extra: 'x'.repeat(60) })).toString('base64url');
    const jwt = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${payload}.${pseudoRandomBytes(64, 'sig').toString('base64url')}`;
    assert.deepEqual(findBase64Blobs(`Authorization: Bearer ${jwt}`), []);
  });

  it('finds a blob of several MB (a PDF) without overflowing the stack', () => {
    // The run regex this replaced overflowed V8's backtracking stack from ~6 MB.
    const pdf = pseudoRandomBytes(6 << 20, 'big').toString('base64');
    const wrappedPdf =
      pdf
        .slice(0, 76 * 14_000 + 40)
        .match(/.{1,76}/g)
        ?.join('\r\n') ?? '';
    const text = `bare ${pdf} then wrapped\n${wrappedPdf}\nand a URI data:application/pdf;base64,${pdf}`;
    const blobs = findBase64Blobs(text);
    assert.deepEqual(
      blobs.map((found) => [text.slice(found.start, found.end), found.mediaType]),
      [
        [pdf, null],
        [wrappedPdf, null],
        [`data:application/pdf;base64,${pdf}`, 'application/pdf'],
      ],
    );
  });

  it('survives a data URI header with millions of parameters', () => {
    const payload = pseudoRandomBytes(600).toString('base64');
    const text = `data:image/png${';a=b'.repeat(3_000_000)};base64,${payload} and data:image/gif;base64,${payload}`;
    const blobs = findBase64Blobs(text);
    assert.deepEqual(
      blobs.map((found) => found.mediaType),
      [null, 'image/gif'],
    );
  });

  it('measures entropy in bits per character', () => {
    assert.equal(entropy('aaaa'), 0);
    assert.equal(entropy('abcd'), 2);
    assert.ok(entropy(blob) > 5.5);
  });

  it('reports nothing for text without base64', () => {
    assert.equal(detectBase64('short text', count).finding, null);
  });
});
