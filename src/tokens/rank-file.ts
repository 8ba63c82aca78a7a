/**
 * Where each encoding's rank table comes from: the binary file `npm run build`
 * writes under dist/ranks/ (see rank-table.ts), or, when this code runs
 * without a build (from the sources), js-tiktoken's text ranks encoded in
 * memory: the same table, only slower to load.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TiktokenBPE } from 'js-tiktoken/lite';
import { packageRoot } from '../input/package-root.js';
import type { EncodingName } from './models.js';
import { encodeRankTable, RankTable, RankTableError } from './rank-table.js';

/** The rank tables' directory, relative to the package root. */
export const RANK_TABLE_DIR = path.join('dist', 'ranks');

/** The binary rank table of `encoding` under the package directory `root`. */
export function rankTablePath(root: string, encoding: EncodingName): string {
  return path.join(root, RANK_TABLE_DIR, `${encoding}.bin`);
}

/** js-tiktoken's own ranks of `encoding` (a 1–2 MB module: loaded only when asked). */
export async function tiktokenRanks(encoding: EncodingName): Promise<TiktokenBPE> {
  switch (encoding) {
    case 'o200k_base':
      return (await import('js-tiktoken/ranks/o200k_base')).default;
    case 'cl100k_base':
      return (await import('js-tiktoken/ranks/cl100k_base')).default;
  }
}

/** Loads the rank table of `encoding`: the built file when there is one. */
export async function loadRankTable(encoding: EncodingName): Promise<RankTable> {
  const root = packageRoot();
  if (root) {
    const file = rankTablePath(root.dir, encoding);
    let bytes: Buffer | null = null;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (bytes) {
      try {
        return RankTable.decode(bytes);
      } catch (error) {
        if (error instanceof RankTableError) throw new RankTableError(`${file}: ${error.message} (\`npm run build\` writes it again)`);
        throw error;
      }
    }
  }
  return RankTable.decode(encodeRankTable(await tiktokenRanks(encoding)));
}
