import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectHtmlNoise } from '../../src/analysis/waste/html-noise.js';
import { count, prose } from './helpers.js';

const page = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Release notes</title>
  <style>
    body { font-family: sans-serif; margin: 0 auto; max-width: 60rem; }
    .note { color: #333; padding: 1rem; }
  </style>
  <script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>
</head>
<body>
  <!-- navigation -->
  <div class="note" id="main"><p>Version <strong>2.0</strong> adds streaming&nbsp;support.</p>
  <ul class="changes"><li><a href="/docs/streaming">Streaming</a> responses</li><li>Faster startup</li></ul></div>
</body>
</html>`;

describe('html_noise', () => {
  it('reports markup in an HTML page: savings below the text tokens', () => {
    const { finding } = detectHtmlNoise(page, count);
    assert.ok(finding);
    assert.equal(finding.key, 'html_noise');
    assert.ok(finding.tokens > 0 && finding.tokens < count(page));
    assert.ok((finding.instances ?? 0) >= 10);
    assert.match(finding.detail, /HTML markup/);
  });

  it('counts script and style contents as markup', () => {
    const withoutScript = page.replace(/<script>[\s\S]*<\/script>/, '');
    const full = detectHtmlNoise(page, count).finding?.tokens ?? 0;
    const lighter = detectHtmlNoise(withoutScript, count).finding?.tokens ?? 0;
    assert.ok(full > lighter);
  });

  it('does not mistake generics, comparisons or addresses for HTML', () => {
    const texts = [
      'fn parse(items: List<String>) -> Map<K, V> where T: Clone { let x: Vec<T> = Vec::new(); }',
      'if a < b > c then swap; Option<T>, Result<T, E>, HashMap<String, Vec<u8>>',
      'Contact: Jane Doe <jane@example.com>, John <john.doe@example.org>, <ops@example.net>',
      'class Box<T extends Item> implements Store<T> { get<K extends keyof T>(key: K): T[K] }',
      'while (i <b && c> d) { i++; } for (j = 0; j<n; j++) {}',
    ];
    for (const text of texts) assert.equal(detectHtmlNoise(text, count).finding, null, text);
  });

  it('leaves XML-style prompt sections alone', () => {
    const prompt = `<instructions>\nAnswer briefly.\n</instructions>\n<example>\n<question>What is 2+2?</question>\n<answer>4</answer>\n</example>\n<system-reminder>Be kind.</system-reminder>`;
    assert.equal(detectHtmlNoise(prompt, count).finding, null);
  });

  it('needs at least three real tags', () => {
    assert.equal(detectHtmlNoise('Line one<br>line two</p>', count).finding, null);
    assert.ok(detectHtmlNoise('Line one<br>line two<br/>line three</p>', count).finding);
  });

  it('accepts custom elements and XML with attributes', () => {
    const xml = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry id="1" kind="post"><title type="text">Hello</title></entry></feed>';
    assert.ok(detectHtmlNoise(xml, count).finding);
  });

  it('counts only the regions around markup in a long text', () => {
    const text = `${prose(20_000)}\n${page}\n${prose(20_000, 5)}`;
    const calls: number[] = [];
    const spy = (chunk: string): number => {
      calls.push(chunk.length);
      return count(chunk);
    };
    const { finding, regions } = detectHtmlNoise(text, spy);
    assert.ok(finding);
    assert.ok(
      calls.every((length) => length < page.length + 400),
      `counted ${calls.join(', ')} chars`,
    );
    assert.ok(regions.length >= 1 && regions.every((region) => region.end - region.start <= page.length));
  });
});
