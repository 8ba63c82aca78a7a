/**
 * The feedback a run reads: the learned hints in the store file optimize and
 * retrieve use. Opened lazily — on the first hint asked for — and read
 * once, so a run that compresses no array never opens SQLite, and every
 * block of a run sees the same hints.
 */
import fs from 'node:fs';
import { CcrStoreError } from '../ccr/store.js';
import type { FeedbackReader } from './types.js';
import { LearnedSnapshot, type LearnedHint } from './learned.js';
import { readLearned } from './sqlite-store.js';

/** The in-process store path (src/ccr/open-store.ts): nothing was learned there in a new process. */
const MEMORY_LOCATION = ':memory:';

/**
 * A reader of the hints learned in the store file at `location` (from
 * resolveCcrStorePath), or null when there is none (`:memory:`, or no file:
 * nothing was ever stored or retrieved). A file that cannot be read is
 * reported once through `warn` and gives no hints; the run goes on.
 */
export function openFeedbackReader(location: string, warn: (message: string) => void): FeedbackReader | null {
  if (location === MEMORY_LOCATION || !fs.existsSync(location)) return null;
  let snapshot: LearnedSnapshot | null = null;
  return {
    hintsFor(toolName: string | null, shape: string): readonly LearnedHint[] {
      snapshot ??= load(location, warn);
      return snapshot.hintsFor(toolName, shape);
    },
  };
}

function load(location: string, warn: (message: string) => void): LearnedSnapshot {
  try {
    return new LearnedSnapshot(readLearned(location));
  } catch (error) {
    if (!(error instanceof CcrStoreError)) throw error;
    warn(`feedback hints are off for this run: ${error.message}`);
    return new LearnedSnapshot([]);
  }
}
