import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { defaultCcrStorePath } from '../../src/ccr/data-dir.js';
import { MemoryCcrStore } from '../../src/ccr/memory-store.js';
import { openCcrStore, resolveCcrStorePath } from '../../src/ccr/open-store.js';
import { SqliteCcrStore } from '../../src/ccr/sqlite-store.js';
import { CcrStoreError } from '../../src/ccr/store.js';
import { loadConfig } from '../../src/config/index.js';
import { tempDir } from './helpers.js';

describe('defaultCcrStorePath', () => {
  it('uses XDG_DATA_HOME on Linux, else ~/.local/share', () => {
    assert.equal(defaultCcrStorePath({ XDG_DATA_HOME: '/data' }, 'linux', '/home/ann'), '/data/headroom/ccr.db');
    assert.equal(defaultCcrStorePath({}, 'linux', '/home/ann'), '/home/ann/.local/share/headroom/ccr.db');
    // A relative XDG_DATA_HOME is invalid per the spec and ignored.
    assert.equal(defaultCcrStorePath({ XDG_DATA_HOME: 'rel/data' }, 'freebsd', '/home/ann'), '/home/ann/.local/share/headroom/ccr.db');
  });

  it('uses Application Support on macOS', () => {
    assert.equal(defaultCcrStorePath({ XDG_DATA_HOME: '/data' }, 'darwin', '/Users/ann'), '/Users/ann/Library/Application Support/headroom/ccr.db');
  });

  it('uses LOCALAPPDATA on Windows, else home\\AppData\\Local', () => {
    assert.equal(defaultCcrStorePath({ LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' }, 'win32', 'C:\\Users\\ann'), 'C:\\Users\\ann\\AppData\\Local\\headroom\\ccr.db');
    assert.equal(defaultCcrStorePath({}, 'win32', 'C:\\Users\\ann'), 'C:\\Users\\ann\\AppData\\Local\\headroom\\ccr.db');
  });

  it('defaults to this machine', () => {
    assert.equal(defaultCcrStorePath({}), defaultCcrStorePath({}, process.platform, os.homedir()));
  });
});

describe('resolveCcrStorePath', () => {
  const cwd = '/work/project';
  const env = { XDG_DATA_HOME: '/xdg' };

  it('prefers the flag, then the config, then the data directory', () => {
    assert.equal(resolveCcrStorePath({ flag: '/a.db', configPath: '/b.db', env, cwd }), '/a.db');
    assert.equal(resolveCcrStorePath({ configPath: '/b.db', env, cwd }), '/b.db');
    assert.equal(resolveCcrStorePath({ flag: undefined, configPath: null, env, cwd }), defaultCcrStorePath(env));
  });

  it('resolves relative paths against cwd, expands ~/, and passes :memory: through', () => {
    assert.equal(resolveCcrStorePath({ flag: 'store/ccr.db', configPath: null, env, cwd }), path.resolve(cwd, 'store/ccr.db'));
    assert.equal(resolveCcrStorePath({ configPath: '../ccr.db', env, cwd }), path.resolve(cwd, '../ccr.db'));
    assert.equal(resolveCcrStorePath({ configPath: '~/s/ccr.db', env, cwd }), path.join(os.homedir(), 's/ccr.db'));
    assert.equal(resolveCcrStorePath({ flag: ':memory:', configPath: '/b.db', env, cwd }), ':memory:');
    assert.equal(resolveCcrStorePath({ configPath: ':memory:', env, cwd }), ':memory:');
  });

  it('rejects an empty --ccr-store with a one-line error', () => {
    assert.throws(
      () => resolveCcrStorePath({ flag: '', configPath: null, env, cwd }),
      (error: unknown) => error instanceof CcrStoreError && !error.message.includes('\n') && /--ccr-store/.test(error.message),
    );
  });

  it('ccr.store_path comes from config files, HEADROOM_CCR_STORE and HEADROOM_CCR_STORE_PATH', () => {
    const dir = tempDir();
    const base = { cwd: dir, env: {} };
    assert.equal(loadConfig(base).config.ccr.storePath, null);
    assert.equal(loadConfig({ ...base, env: { HEADROOM_CCR_STORE: 'alias.db' } }).config.ccr.storePath, 'alias.db');
    const both = loadConfig({ ...base, env: { HEADROOM_CCR_STORE: 'alias.db', HEADROOM_CCR_STORE_PATH: 'canonical.db' } });
    assert.equal(both.config.ccr.storePath, 'canonical.db');
    assert.deepEqual(both.sources['ccr.store_path'], { kind: 'env', name: 'HEADROOM_CCR_STORE_PATH' });
    assert.equal(loadConfig({ ...base, overrides: ['ccr.store_path=/x.db'] }).config.ccr.storePath, '/x.db');
  });
});

describe('openCcrStore', () => {
  it('opens :memory: in process and anything else as a SQLite file', () => {
    const options = { ttlSeconds: 60, maxEntries: 10 };
    const memory = openCcrStore(':memory:', options);
    assert.ok(memory instanceof MemoryCcrStore);
    assert.equal(memory.location, ':memory:');
    memory.close();
    const file = path.join(tempDir(), 'x', 'ccr.db');
    const sqlite = openCcrStore(file, options);
    assert.ok(sqlite instanceof SqliteCcrStore);
    assert.equal(sqlite.location, file);
    sqlite.close();
  });
});
