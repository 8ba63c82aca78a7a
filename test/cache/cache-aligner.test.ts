import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CacheAligner, normalizeWhitespace, prefixWarnings, scanPrefix } from '../../src/cache/aligner/index.js';
import { defaultConfig } from '../../src/config/index.js';
import { contentHash } from '../../src/formats/hash.js';
import { runMain } from '../cli/run-main.js';

/** One token per character: the score's arithmetic is then visible in the test. */
const chars = (text: string): number => text.length;
const aligner = new CacheAligner();

function part(where: string, text: string) {
  return { where, text, hash: contentHash(text), tokens: text.length };
}

describe('cache prefix scan', () => {
  it('scores the share of the prefix before its first dynamic value', () => {
    const tool = part('tool Read', '{"name":"Read","description":"Read a file"}');
    const system = part('system[1]', 'You are helpful. Today is 2026-11-24. Be brief.');
    const scan = aligner.scan([tool, system], chars);
    const before = tool.tokens + system.text.indexOf('2026');
    assert.equal(scan.tokens, tool.tokens + system.tokens);
    assert.equal(scan.stableTokens, before);
    assert.equal(scan.cacheAlignmentScore, Math.round((before / scan.tokens) * 10_000) / 10_000);
    assert.deepEqual(
      scan.findings.map((finding) => [finding.where, finding.type, finding.value]),
      [['system[1]', 'date', '2026-11-24']],
    );
    assert.equal(aligner.scan([tool], chars).cacheAlignmentScore, 1);
    assert.equal(aligner.scan([], chars).cacheAlignmentScore, 1);
    assert.equal(aligner.scan([part('system[0]', '2026-11-24 is today.')], chars).cacheAlignmentScore, 0);
  });

  it('leaves a dynamic tail after dynamic_tail_separator out of the stable prefix hash', () => {
    const separator = defaultConfig().cacheAligner.dynamicTailSeparator;
    const options = { detect: () => [], count: chars, tailSeparator: separator };
    const monday = scanPrefix([part('system[0]', `Be brief.${separator}Date: Monday`)], options);
    const tuesday = scanPrefix([part('system[0]', `Be brief.${separator}Date: Tuesday`)], options);
    const other = scanPrefix([part('system[0]', `Be kind.${separator}Date: Monday`)], options);
    assert.equal(monday.stablePrefixHash, tuesday.stablePrefixHash);
    assert.notEqual(monday.stablePrefixHash, other.stablePrefixHash);
    assert.match(monday.stablePrefixHash, /^[0-9a-f]{16}$/);
  });

  it('warns once per tier it cannot run, and not for regex', () => {
    assert.deepEqual(aligner.tierWarnings(), []);
    const config = { ...defaultConfig().cacheAligner, detectionTiers: ['regex', 'ner', 'semantic'] as Array<'regex' | 'ner' | 'semantic'> };
    const warnings = new CacheAligner(config).tierWarnings();
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? '', /ner detection tier .* skipped/);
    assert.match(warnings[1] ?? '', /semantic detection tier .* skipped/);
  });

  it('reports secrets apart, masked to 4 characters and a length', () => {
    const key = 'sk-proj-abcdEFGH1234ijklMNOP5678';
    const warnings = prefixWarnings(aligner.scan([part('system[0]', `Use key ${key}. Today is 2026-11-24.`)], chars));
    assert.equal(warnings.length, 2);
    assert.match(warnings[0] ?? '', /1 dynamic value in the cacheable prefix \(date=1\)/);
    assert.match(warnings[1] ?? '', /possible secret .* api_key sk-p… \(32 chars\)$/);
    for (const warning of warnings) assert.ok(!warning.includes(key));
  });

  it('normalizes line endings, trailing spaces and blank-line runs, idempotently', () => {
    const text = 'a  \r\nb\t\r\n\r\n\r\n\nc\rd';
    assert.equal(normalizeWhitespace(text, true), 'a\nb\n\nc\nd');
    assert.equal(normalizeWhitespace(text, false), 'a\nb\n\n\n\nc\nd');
    assert.equal(normalizeWhitespace(normalizeWhitespace(text, true), true), normalizeWhitespace(text, true));
  });
});

const SYSTEM = 'You are a code review assistant. The date is 2026-11-24. Key sk-proj-abcdEFGH1234ijklMNOP5678.';
function chat(user: string): string {
  return JSON.stringify({
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: user },
    ],
  });
}

interface SimRow {
  stable_prefix_hash: string;
  cache_alignment_score: number;
  estimated_cache_hit: boolean | null;
  warnings: string[];
  transforms: string[];
}

describe('CacheAligner in optimize and simulate', () => {
  const input = `${chat('Review this  \r\n\r\n\r\nplease')}\n${chat('And this one')}\n`;

  it('is silent and changes nothing by default, but still fills the prefix metrics', async () => {
    const run = await runMain(['simulate', '--json'], { input });
    assert.equal(run.status, 0, run.stderr);
    const rows = (JSON.parse(run.stdout) as { requests: SimRow[] }).requests;
    assert.deepEqual(
      rows.map((row) => row.estimated_cache_hit),
      [null, true],
    );
    assert.equal(rows[0]?.stable_prefix_hash, rows[1]?.stable_prefix_hash);
    assert.ok((rows[0]?.cache_alignment_score ?? 1) < 1);
    for (const row of rows) {
      // The aligner says nothing (the OpenAI cache optimizer, on by default, may report the volatile values itself).
      assert.deepEqual(
        row.warnings.filter((warning) => warning.startsWith('cache_aligner')),
        [],
      );
      assert.deepEqual(row.transforms, []);
    }
    const optimized = await runMain(['optimize', '--report', 'none'], { input });
    assert.equal(optimized.stdout, input);
  });

  it('when enabled, warns about the prefix and normalizes whitespace outside cached prefixes', async () => {
    const run = await runMain(['simulate', '--json', '--set', 'cache_aligner.enabled=true'], { input });
    assert.equal(run.status, 0, run.stderr);
    const rows = (JSON.parse(run.stdout) as { requests: SimRow[] }).requests;
    assert.match(rows[0]?.warnings[0] ?? '', /cache_aligner: 1 dynamic value .*\(date=1\)/);
    assert.match(rows[0]?.warnings[1] ?? '', /possible secret in the cacheable prefix, system\[0\]: api_key sk-p… \(32 chars\)/);
    assert.ok(!run.stdout.includes('sk-proj-abcd'));
    assert.deepEqual(rows[0]?.transforms, ['cache_aligner:normalized_whitespace']);
    assert.deepEqual(rows[1]?.transforms, []);

    const optimized = await runMain(['optimize', '--report', 'none', '--set', 'cache_aligner.enabled=true'], { input });
    assert.equal(optimized.status, 0, optimized.stderr);
    const [first, second] = optimized.stdout.trimEnd().split('\n');
    assert.equal(first, chat('Review this\n\nplease'));
    assert.equal(second, chat('And this one'));
  });

  it('leaves messages at or before a cache_control breakpoint alone', async () => {
    const body = JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      system: [{ type: 'text', text: 'Be brief.  \r\n', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'first  \r\n', cache_control: { type: 'ephemeral' } }] },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: 'second  \r\n' },
      ],
    });
    const run = await runMain(['optimize', '--report', 'none', '--set', 'cache_aligner.enabled=true'], { input: `${body}\n` });
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { system: Array<{ text: string }>; messages: Array<{ content: unknown }> };
    assert.equal(out.system[0]?.text, 'Be brief.  \r\n');
    assert.deepEqual(out.messages[0]?.content, [{ type: 'text', text: 'first  \r\n', cache_control: { type: 'ephemeral' } }]);
    assert.equal(out.messages[2]?.content, 'second\n');
  });

  it('warns once per run about a tier it cannot run', async () => {
    const run = await runMain(['audit', '--set', 'cache_aligner.detection_tiers=["regex","ner"]', '--json'], { input });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr.match(/ner detection tier/g)?.length, 1);
  });
});
