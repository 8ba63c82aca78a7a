import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ccrKey } from '../../src/ccr/key.js';
import type { CcrPut } from '../../src/ccr/store.js';

/** The repository root (tests run from dist-test/test/ccr). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The built library the child processes of the concurrency test import. */
export const DIST_CCR = path.join(ROOT, 'dist/ccr/index.js');

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-ccr-'));
}

export function put(original: string, unit = 'rows', count = 1, toolName: string | null = 'search'): CcrPut {
  return { key: ccrKey(original), original, unit, count, toolName };
}

/** A controllable clock in ms. */
export class Clock {
  constructor(public ms = Date.UTC(2026, 10, 24, 12, 0, 0)) {}
  readonly now = (): number => this.ms;
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}
