/**
 * Learned feedback in the CCR store's SQLite file, in tables of its own
 * (toin_outputs, toin_values) beside the originals: one file to keep, move or
 * delete, found wherever the originals are (`--ccr-store`, `ccr.store_path`,
 * the data directory). The tables are created by the first retrieval that
 * records feedback, never by optimize; the originals' table is never touched.
 * Their schema has its own version (`toin_schema_version` in the store's
 * meta table), so the CCR schema does not change.
 */
import { openStoreFile, retryWhileBusy, storeError, type StoreFile } from '../ccr/sqlite-store.js';
import { CcrStoreError } from '../ccr/store.js';
import { outputKey, sortOutputs, toolKey, type LearnedOutput, type LearnedValue } from './learned.js';
import type { ClearedFeedback } from './memory-store.js';
import type { FeedbackRecorder, RetrievalEvent } from './record.js';

/** Bumped only for incompatible changes to the tables below. */
export const TOIN_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS toin_outputs (
  tool_name TEXT NOT NULL,
  shape TEXT NOT NULL,
  full_retrievals INTEGER NOT NULL DEFAULT 0,
  query_retrievals INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tool_name, shape)
);
CREATE TABLE IF NOT EXISTS toin_values (
  tool_name TEXT NOT NULL,
  shape TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (tool_name, shape, field, value)
);
`;

const VERSION_KEY = 'toin_schema_version';

interface OutputRow {
  tool_name: string;
  shape: string;
  full_retrievals: number;
  query_retrievals: number;
}

interface ValueRow {
  tool_name: string;
  shape: string;
  field: string;
  value: string;
  count: number;
}

/**
 * Everything learned in the store file at `location`, read without changing
 * the file; [] when nothing was ever recorded there. Throws CcrStoreError
 * (not a store, unreadable, a newer feedback schema).
 */
export function readLearned(location: string): LearnedOutput[] {
  const file = openStoreFile(location, 'read');
  try {
    if (!hasTables(file)) return [];
    checkVersion(file);
    const outputs = file.db.prepare<[], OutputRow>('SELECT tool_name, shape, full_retrievals, query_retrievals FROM toin_outputs').all();
    const values = file.db.prepare<[], ValueRow>('SELECT tool_name, shape, field, value, count FROM toin_values').all();
    const byOutput = new Map<string, LearnedValue[]>();
    for (const row of values) {
      const key = outputKey(row.tool_name, row.shape);
      byOutput.set(key, [...(byOutput.get(key) ?? []), { field: row.field, value: row.value, count: row.count }]);
    }
    return sortOutputs(
      outputs.map((row) => ({
        toolName: row.tool_name === '' ? null : row.tool_name,
        shape: row.shape,
        fullRetrievals: row.full_retrievals,
        queryRetrievals: row.query_retrievals,
        values: byOutput.get(outputKey(row.tool_name, row.shape)) ?? [],
      })),
    );
  } catch (error) {
    throw storeError(file.location, error, 'cannot read feedback');
  } finally {
    file.close();
  }
}

/** Records retrievals into (and clears) the feedback tables of an existing store file. */
export class SqliteFeedbackWriter implements FeedbackRecorder {
  readonly location: string;
  private readonly file: StoreFile;

  /** Opens the store file at `location` (it must exist and be a headroom store) and creates the feedback tables if needed. Throws CcrStoreError. */
  constructor(location: string) {
    this.file = openStoreFile(location, 'write');
    this.location = this.file.location;
    try {
      const { db } = this.file;
      // Another process may be creating them too: the same busy retry as the store's own schema.
      retryWhileBusy(() =>
        db
          .transaction(() => {
            db.exec(SCHEMA);
            db.prepare('INSERT OR IGNORE INTO meta (name, value) VALUES (?, ?)').run(VERSION_KEY, String(TOIN_SCHEMA_VERSION));
          })
          .immediate(),
      );
      checkVersion(this.file);
    } catch (error) {
      this.file.close();
      throw storeError(this.location, error, 'cannot record feedback');
    }
  }

  record(event: RetrievalEvent): void {
    const { db } = this.file;
    const tool = toolKey(event.toolName);
    try {
      db.transaction(() => {
        db.prepare(
          `INSERT INTO toin_outputs (tool_name, shape, full_retrievals, query_retrievals) VALUES (?, ?, ?, ?)
           ON CONFLICT (tool_name, shape) DO UPDATE SET full_retrievals = full_retrievals + excluded.full_retrievals,
             query_retrievals = query_retrievals + excluded.query_retrievals`,
        ).run(tool, event.shape, event.kind === 'full' ? 1 : 0, event.kind === 'query' ? 1 : 0);
        const count = db.prepare(
          `INSERT INTO toin_values (tool_name, shape, field, value, count) VALUES (?, ?, ?, ?, 1)
           ON CONFLICT (tool_name, shape, field, value) DO UPDATE SET count = count + 1`,
        );
        for (const { field, values } of event.fields) for (const value of new Set(values)) count.run(tool, event.shape, field, value);
      }).immediate();
    } catch (error) {
      throw storeError(this.location, error, 'cannot record feedback');
    }
  }

  /** Forgets everything learned (the originals stay); says how much was forgotten. */
  clear(): ClearedFeedback {
    const { db } = this.file;
    try {
      return db
        .transaction(() => ({
          outputs: db.prepare('DELETE FROM toin_outputs').run().changes,
          values: db.prepare('DELETE FROM toin_values').run().changes,
        }))
        .immediate();
    } catch (error) {
      throw storeError(this.location, error, 'cannot clear feedback');
    }
  }

  close(): void {
    this.file.close();
  }
}

function hasTables(file: StoreFile): boolean {
  const found = file.db.prepare<[], number>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('toin_outputs', 'toin_values')").pluck().get();
  return found === 2;
}

function checkVersion(file: StoreFile): void {
  const version = file.db.prepare<[string], string>('SELECT value FROM meta WHERE name = ?').pluck().get(VERSION_KEY);
  if (version !== String(TOIN_SCHEMA_VERSION)) {
    throw new CcrStoreError(file.location, `has feedback (TOIN) schema version ${version ?? 'none'}; this headroom reads version ${TOIN_SCHEMA_VERSION}`);
  }
}
