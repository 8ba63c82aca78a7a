/**
 * Choosing and opening the CCR store: `--ccr-store` wins over the config's
 * `ccr.store_path` (which already folds in HEADROOM_CCR_STORE), which wins
 * over the user data directory. `:memory:` selects an in-process store.
 */
import os from 'node:os';
import path from 'node:path';
import { defaultCcrStorePath } from './data-dir.js';
import { MemoryCcrStore } from './memory-store.js';
import { SqliteCcrReader, SqliteCcrStore } from './sqlite-store.js';
import { CcrStoreError, type CcrReader, type CcrStore, type CcrStoreOptions } from './store.js';

export const MEMORY_STORE = ':memory:';

export interface CcrStorePathOptions {
  /** `--ccr-store`, if given. */
  flag?: string | undefined;
  /** `ccr.store_path` from the resolved config. */
  configPath: string | null;
  env: NodeJS.ProcessEnv;
  /** Relative paths are resolved against this. */
  cwd: string;
}

/** The store location to use: an absolute file path, or ':memory:'. */
export function resolveCcrStorePath(opts: CcrStorePathOptions): string {
  if (opts.flag !== undefined && opts.flag.trim() === '') throw new CcrStoreError('', '--ccr-store needs a file path, or :memory:');
  const chosen = opts.flag ?? (opts.configPath !== null && opts.configPath.trim() !== '' ? opts.configPath : null);
  if (chosen === null) return defaultCcrStorePath(opts.env);
  if (chosen === MEMORY_STORE) return MEMORY_STORE;
  return path.resolve(opts.cwd, expandHome(chosen));
}

/** Opens the store at a path from resolveCcrStorePath. Throws CcrStoreError when it cannot be opened. */
export function openCcrStore(location: string, options: CcrStoreOptions): CcrStore {
  return location === MEMORY_STORE ? new MemoryCcrStore(options) : new SqliteCcrStore(location, options);
}

/**
 * Opens the store at a path from resolveCcrStorePath for reading only: a
 * file store is opened read-only and must exist; a database that is not a
 * headroom store is refused. Throws CcrStoreError.
 */
export function openCcrReader(location: string, options: Pick<CcrStoreOptions, 'now'> = {}): CcrReader {
  // `:memory:` in a new process holds nothing; the lookups simply miss.
  return location === MEMORY_STORE ? new MemoryCcrStore({ ttlSeconds: 1, maxEntries: 1, ...options }) : new SqliteCcrReader(location, options);
}

/** Config files and env values do not go through a shell, so `~/` is expanded here. */
function expandHome(p: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(os.homedir(), p.slice(2));
  return p;
}
