import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import type { LoadOptions, ResolvedConfig } from '../../src/config/index.js';

/** A fresh temp dir holding the given files (name → contents; objects are JSON-encoded). */
export function tempDir(files: Record<string, string | object> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-config-'));
  for (const [name, contents] of Object.entries(files)) {
    const text = typeof contents === 'string' ? contents : JSON.stringify(contents, null, 2);
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Run `fn` in a fresh temp dir holding `files`, removing the dir afterwards. */
export function inDir<T>(files: Record<string, string | object>, fn: (dir: string) => T): T {
  const dir = tempDir(files);
  try {
    return fn(dir);
  } finally {
    removeDir(dir);
  }
}

/** loadConfig with `files` in the working directory and an empty environment unless given. */
export function loadIn(files: Record<string, string | object>, options: Partial<LoadOptions> = {}): ResolvedConfig {
  return inDir(files, (cwd) => loadConfig({ cwd, env: {}, ...options }));
}

/** The message of the ConfigError that loading throws; fails if it throws anything else or nothing. */
export function configErrorIn(files: Record<string, string | object>, options: Partial<LoadOptions> = {}): string {
  let thrown: unknown;
  try {
    loadIn(files, options);
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof ConfigError, `expected a ConfigError, got ${String(thrown)}`);
  assert.doesNotMatch(thrown.message, /\n/, 'config errors are one line');
  return thrown.message;
}
