import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { configErrorIn, inDir, loadIn } from './helpers.js';

const tuned = (n: number) => ({ smart_crusher: { max_items_after_crush: n } });

test('headroom.config.json in cwd is used and recorded as the source', () => {
  const { config, sources, file } = loadIn({ 'headroom.config.json': tuned(20) });
  assert.equal(file, 'headroom.config.json');
  assert.equal(config.smartCrusher.maxItemsAfterCrush, 20);
  assert.deepEqual(sources['smart_crusher.max_items_after_crush'], { kind: 'file', file: 'headroom.config.json' });
  // Keys the file does not set keep their default source.
  assert.deepEqual(sources['smart_crusher.enabled'], { kind: 'default' });
});

test('.headroomrc.json is used when there is no headroom.config.json', () => {
  const { config, sources, file } = loadIn({ '.headroomrc.json': tuned(21) });
  assert.equal(file, '.headroomrc.json');
  assert.equal(config.smartCrusher.maxItemsAfterCrush, 21);
  assert.deepEqual(sources['smart_crusher.max_items_after_crush'], { kind: 'file', file: '.headroomrc.json' });
});

test('package.json#headroom is used when neither dedicated file exists', () => {
  const { config, sources, file } = loadIn({ 'package.json': { name: 'app', version: '1.0.0', headroom: tuned(22) } });
  assert.equal(file, 'package.json#headroom');
  assert.equal(config.smartCrusher.maxItemsAfterCrush, 22);
  assert.deepEqual(sources['smart_crusher.max_items_after_crush'], { kind: 'file', file: 'package.json#headroom' });
});

test('package.json without a headroom key is ignored, not validated', () => {
  // "name" and "scripts" would be unknown keys if package.json were read as config.
  const { config, file } = loadIn({ 'package.json': { name: 'app', scripts: { test: 'x' } } });
  assert.equal(file, null);
  assert.equal(config.smartCrusher.maxItemsAfterCrush, 15);
});

test('discovery order: headroom.config.json beats .headroomrc.json beats package.json', () => {
  const all = {
    'headroom.config.json': tuned(30),
    '.headroomrc.json': tuned(31),
    'package.json': { headroom: tuned(32) },
  };
  assert.equal(loadIn(all).config.smartCrusher.maxItemsAfterCrush, 30);
  const { 'headroom.config.json': _first, ...rest } = all;
  assert.equal(loadIn(rest).config.smartCrusher.maxItemsAfterCrush, 31);
});

test('a file is found only in cwd, not in a parent directory', () => {
  inDir({ 'headroom.config.json': tuned(40), 'sub/keep.txt': '' }, (dir) => {
    const { file, config } = loadConfig({ cwd: path.join(dir, 'sub'), env: {} });
    assert.equal(file, null);
    assert.equal(config.smartCrusher.maxItemsAfterCrush, 15);
  });
});

test('--config PATH (relative to cwd) replaces discovery', () => {
  const files = { 'headroom.config.json': tuned(50), 'conf/custom.json': tuned(51) };
  const { config, sources, file } = loadIn(files, { configPath: 'conf/custom.json' });
  assert.equal(file, 'conf/custom.json');
  assert.equal(config.smartCrusher.maxItemsAfterCrush, 51);
  assert.deepEqual(sources['smart_crusher.max_items_after_crush'], { kind: 'file', file: 'conf/custom.json' });
});

test('--config accepts an absolute path', () => {
  inDir({ 'elsewhere.json': tuned(52) }, (dir) => {
    const absolute = path.join(dir, 'elsewhere.json');
    const { config, file } = loadConfig({ cwd: '/', env: {}, configPath: absolute });
    assert.equal(file, absolute);
    assert.equal(config.smartCrusher.maxItemsAfterCrush, 52);
  });
});

test('--config pointing at a package.json reads its headroom key', () => {
  const { config, file } = loadIn({ 'pkg/package.json': { name: 'x', headroom: tuned(53) } }, { configPath: 'pkg/package.json' });
  assert.equal(file, 'pkg/package.json#headroom');
  assert.equal(config.smartCrusher.maxItemsAfterCrush, 53);
});

test('--config pointing at a package.json without a headroom key is an error', () => {
  const message = configErrorIn({ 'package.json': { name: 'x' } }, { configPath: 'package.json' });
  assert.equal(message, '--config package.json: no "headroom" key');
});

test('--config with a missing file is an error naming the path, even if a discoverable file exists', () => {
  const message = configErrorIn({ 'headroom.config.json': tuned(60) }, { configPath: 'missing.json' });
  assert.equal(message, '--config missing.json: file not found');
});

test('--config pointing at a directory is an error, not a crash', () => {
  const message = configErrorIn({ 'dir/x.txt': '' }, { configPath: 'dir' });
  assert.match(message, /^--config dir: cannot read file/);
});

test('a UTF-8 byte-order mark and a "$schema" key are tolerated', () => {
  const text = '\uFEFF' + JSON.stringify({ $schema: './headroom.schema.json', default_mode: 'optimize' });
  assert.equal(loadIn({ 'headroom.config.json': text }).config.defaultMode, 'optimize');
});

test('an empty object file is valid and changes nothing', () => {
  const { config, file, sources } = loadIn({ '.headroomrc.json': {} });
  assert.equal(file, '.headroomrc.json');
  assert.equal(config.defaultMode, 'audit');
  assert.ok(Object.values(sources).every((s) => s.kind === 'default'));
});

test('nested sections in a file merge with defaults key by key', () => {
  const { config } = loadIn({
    'headroom.config.json': { smart_crusher: { relevance: { tier: 'bm25' } }, ccr: { enabled: false } },
  });
  assert.equal(config.smartCrusher.relevance.tier, 'bm25');
  assert.equal(config.smartCrusher.relevance.bm25K1, 1.5);
  assert.equal(config.smartCrusher.enabled, true);
  assert.equal(config.ccr.enabled, false);
  assert.equal(config.ccr.storeTtlSeconds, 1800);
});
