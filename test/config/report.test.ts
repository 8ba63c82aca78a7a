import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONFIG_SCHEMA, formatConfigReport, sourceLabel } from '../../src/config/index.js';
import type { ResolvedConfig } from '../../src/config/index.js';
import { loadIn } from './helpers.js';

function resolvedFromAllLayers(): ResolvedConfig {
  return loadIn(
    { 'headroom.config.json': { smart_crusher: { max_items_after_crush: 20 } } },
    {
      env: { HEADROOM_DEFAULT_MODE: 'simulate' },
      overrides: ['audit.top_offenders=3'],
      flagValues: { 'audit.budget_tokens': '5000' },
      flagNames: { 'audit.budget_tokens': '--budget' },
    },
  );
}

/** The text report line for one leaf path. */
function lineFor(report: string, path: string): string {
  const line = report.split('\n').find((l) => l.startsWith(`${path} `));
  assert.ok(line !== undefined, `no line for ${path}`);
  return line;
}

test('sourceLabel spells each kind of source', () => {
  assert.equal(sourceLabel({ kind: 'default' }), 'default');
  assert.equal(sourceLabel({ kind: 'file', file: 'headroom.config.json' }), 'file headroom.config.json');
  assert.equal(sourceLabel({ kind: 'env', name: 'HEADROOM_X' }), 'env HEADROOM_X');
  assert.equal(sourceLabel({ kind: 'flag', flag: '--set' }), 'flag --set');
});

test('text report: one "path = value  (source)" line per leaf with the right source', () => {
  const report = formatConfigReport(resolvedFromAllLayers(), { json: false });
  assert.match(lineFor(report, 'smart_crusher.max_items_after_crush'), /= 20 +\(file headroom\.config\.json\)$/);
  assert.match(lineFor(report, 'default_mode'), /= "simulate" +\(env HEADROOM_DEFAULT_MODE\)$/);
  assert.match(lineFor(report, 'audit.top_offenders'), /= 3 +\(flag --set\)$/);
  assert.match(lineFor(report, 'audit.budget_tokens'), /= 5000 +\(flag --budget\)$/);
  assert.match(lineFor(report, 'prefix_freeze.cache_ttl_seconds'), /= null +\(default\)$/);
  assert.match(lineFor(report, 'store_url'), /= "sqlite:\/\/\/headroom\.db" +\(default\)$/);
  for (const leaf of CONFIG_SCHEMA.leaves) lineFor(report, leaf.path);
});

test('text report: header names the file, or lists the searched names when there is none', () => {
  assert.match(formatConfigReport(resolvedFromAllLayers(), { json: false }), /^config file: headroom\.config\.json\n/);
  assert.match(formatConfigReport(loadIn({}), { json: false }), /^no config file found; searched: headroom\.config\.json, \.headroomrc\.json, package\.json#headroom\n/);
});

test('text report: values with line breaks stay on one line', () => {
  const report = formatConfigReport(loadIn({}), { json: false });
  const line = lineFor(report, 'cache_aligner.dynamic_tail_separator');
  assert.ok(line.includes(String.raw`"\n\n---\n[Dynamic Context]\n"`));
  assert.equal(report.trimEnd().split('\n').length, CONFIG_SCHEMA.leaves.length + 1);
});

test('text report with descriptions puts a "#" line above each leaf', () => {
  const report = formatConfigReport(loadIn({}), { json: false, descriptions: true });
  const lines = report.split('\n');
  const index = lines.findIndex((l) => l.startsWith('cache_aligner.entropy_threshold '));
  assert.equal(
    lines[index - 1],
    '# Normalized entropy above which an id-like token (16+ characters mixing letters and digits) counts as random. [read by: audit, optimize, simulate (dynamic values in the cacheable prefix)]',
  );
  const unread = lines.findIndex((l) => l.startsWith('smart_crusher.include_summaries '));
  assert.equal(lines[unread - 1], '# Disabled: kept for compatibility with the reference configuration; it has no effect. [not used yet]');
});

test('json report: {config, sources, file} with snake_case config and labelled sources for every leaf', () => {
  const parsed = JSON.parse(formatConfigReport(resolvedFromAllLayers(), { json: true })) as {
    config: Record<string, Record<string, unknown>>;
    sources: Record<string, string>;
    file: string | null;
  };
  assert.deepEqual(Object.keys(parsed), ['config', 'sources', 'file']);
  assert.equal(parsed.file, 'headroom.config.json');
  assert.equal(parsed.config['smart_crusher']?.['max_items_after_crush'], 20);
  assert.equal(parsed.config['default_mode'] as unknown, 'simulate');
  assert.deepEqual(parsed.config['audit'], { budget_tokens: 5000, top_offenders: 3 });
  assert.deepEqual(
    Object.keys(parsed.sources),
    CONFIG_SCHEMA.leaves.map((leaf) => leaf.path),
  );
  assert.equal(parsed.sources['smart_crusher.max_items_after_crush'], 'file headroom.config.json');
  assert.equal(parsed.sources['default_mode'], 'env HEADROOM_DEFAULT_MODE');
  assert.equal(parsed.sources['audit.top_offenders'], 'flag --set');
  assert.equal(parsed.sources['audit.budget_tokens'], 'flag --budget');
  assert.equal(parsed.sources['store_url'], 'default');
});

test('json report is stable: same input, same bytes; no file gives file null', () => {
  const a = formatConfigReport(loadIn({}), { json: true });
  const b = formatConfigReport(loadIn({}), { json: true });
  assert.equal(a, b);
  assert.equal((JSON.parse(a) as { file: unknown }).file, null);
});

test('json report config round-trips as a config file', () => {
  const resolved = resolvedFromAllLayers();
  const { config } = JSON.parse(formatConfigReport(resolved, { json: true })) as { config: object };
  const reloaded = loadIn({ 'headroom.config.json': config });
  assert.deepEqual(reloaded.config, resolved.config);
});
