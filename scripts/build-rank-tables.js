#!/usr/bin/env node
/**
 * Part of `npm run build` (after tsc): writes each encoding's BPE rank table
 * in the binary form the tokenizer loads (src/tokens/rank-table.ts) to
 * dist/ranks/<encoding>.bin, from the js-tiktoken package installed here.
 * Nothing is downloaded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENCODINGS } from '../dist/tokens/models.js';
import { rankTablePath, tiktokenRanks } from '../dist/tokens/rank-file.js';
import { encodeRankTable } from '../dist/tokens/rank-table.js';

const root = path.resolve(fileURLToPath(import.meta.url), '../..');
for (const encoding of ENCODINGS) {
  const file = rankTablePath(root, encoding);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written beside and renamed, so a CLI running during a build never reads half a table.
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, encodeRankTable(await tiktokenRanks(encoding)));
  fs.renameSync(partial, file);
}
