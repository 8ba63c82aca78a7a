#!/usr/bin/env node
/**
 * Prepares dist-test/ for `tsc -p tsconfig.test.json`: starts it empty (no
 * compiled test of a deleted source lingers) and links dist-test/src to dist/.
 * The compiled tests keep their `../../src/*.js` imports, and through this link
 * they load the same dist/ that bin/headroom.js runs, so src/ is compiled once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist-test');
if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) {
  console.error('prepare-test-build: dist/ is not built; run `npm run build` first');
  process.exit(2);
}
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out);
// A junction on Windows needs no privilege; elsewhere the type is ignored.
fs.symlinkSync(path.join('..', 'dist'), path.join(out, 'src'), 'junction');
