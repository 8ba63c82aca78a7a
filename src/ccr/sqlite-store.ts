/**
 * The CCR store in a SQLite file (better-sqlite3). Several headroom processes
 * may use one file at once: the database runs in WAL mode (readers never
 * block the writer), every write is one IMMEDIATE transaction (the write lock
 * is taken up front, so two writers queue instead of deadlocking on a lock
 * upgrade), and a 10 s busy timeout makes a writer wait for another rather
 * than fail. Opening a fresh file races on creating the schema and switching
 * to WAL; that step retries on SQLITE_BUSY within the same 10 s.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { checkPuts, checkStoreOptions, CcrStoreError, lookupResult, type CcrEntry, type CcrLookup, type CcrPut, type CcrReader, type CcrStore, type CcrStoreOptions } from './store.js';

/** Bumped only for incompatible changes to the tables below. */
export const CCR_SCHEMA_VERSION = 1;
const BUSY_TIMEOUT_MS = 10_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ccr_entries (
  key TEXT PRIMARY KEY,
  original TEXT NOT NULL,
  unit TEXT NOT NULL,
  count INTEGER NOT NULL,
  tool_name TEXT,
  created_at INTEGER NOT NULL,
  ttl_seconds INTEGER NOT NULL,
  retrieval_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ccr_entries_created_at ON ccr_entries (created_at);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

const COLUMNS = ['key', 'original', 'unit', 'count', 'tool_name', 'created_at', 'ttl_seconds', 'retrieval_count'];
const SELECT_ENTRY = `SELECT ${COLUMNS.join(', ')} FROM ccr_entries WHERE key = ?`;

interface Row {
  key: string;
  /** Text, or UTF-16LE bytes for text SQLite cannot hold exactly (see storedOriginal). */
  original: string | Buffer;
  unit: string;
  count: number;
  tool_name: string | null;
  created_at: number;
  ttl_seconds: number;
  retrieval_count: number;
}

type Statement<P extends unknown[], R = unknown> = Database.Statement<P, R>;

export class SqliteCcrStore implements CcrStore {
  readonly location: string;
  private readonly db: Database.Database;
  private readonly options: Required<CcrStoreOptions>;
  private readonly upsert: Statement<[string, string | Buffer, string, number, string | null, number, number]>;
  private readonly deleteExpired: Statement<[number]>;
  private readonly countAll: Statement<[], number>;
  private readonly evictOldest: Statement<[number]>;
  private readonly select: Statement<[string], Row>;
  private readonly deleteIfUnchanged: Statement<[string, number]>;
  private readonly countRetrieval: Statement<[string], number>;
  private readonly putAll: (entries: readonly CcrPut[]) => number;
  private readonly lookup: (key: string) => CcrLookup;

  constructor(file: string, options: CcrStoreOptions) {
    this.options = checkStoreOptions(options);
    this.location = path.resolve(file);
    this.db = openDatabase(this.location);
    try {
      this.upsert = this.db.prepare(
        `INSERT INTO ccr_entries (key, original, unit, count, tool_name, created_at, ttl_seconds, retrieval_count)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0)
         ON CONFLICT (key) DO UPDATE SET original = excluded.original, unit = excluded.unit, count = excluded.count,
           tool_name = excluded.tool_name, created_at = excluded.created_at, ttl_seconds = excluded.ttl_seconds`,
      );
      this.deleteExpired = this.db.prepare('DELETE FROM ccr_entries WHERE created_at + ttl_seconds * 1000 < ?');
      this.countAll = this.db.prepare<[], number>('SELECT count(*) FROM ccr_entries').pluck();
      this.evictOldest = this.db.prepare('DELETE FROM ccr_entries WHERE key IN (SELECT key FROM ccr_entries ORDER BY created_at, key LIMIT ?)');
      this.select = this.db.prepare<[string], Row>(SELECT_ENTRY);
      this.deleteIfUnchanged = this.db.prepare('DELETE FROM ccr_entries WHERE key = ? AND created_at = ?');
      this.countRetrieval = this.db.prepare<[string], number>('UPDATE ccr_entries SET retrieval_count = retrieval_count + 1 WHERE key = ? RETURNING retrieval_count').pluck();
    } catch (error) {
      this.db.close();
      throw storeError(this.location, error);
    }

    const putAll = this.db.transaction((entries: readonly CcrPut[]): number => {
      const now = this.options.now();
      for (const entry of entries) {
        this.upsert.run(entry.key, storedOriginal(entry.original), entry.unit, entry.count, entry.toolName, now, this.options.ttlSeconds);
      }
      this.deleteExpired.run(now);
      const excess = (this.countAll.get() ?? 0) - this.options.maxEntries;
      return excess > 0 ? this.evictOldest.run(excess).changes : 0;
    });
    // IMMEDIATE: take the write lock before reading, so concurrent writers wait on the busy timeout.
    this.putAll = (entries) => putAll.immediate(entries);

    const lookup = this.db.transaction((key: string): CcrLookup => {
      const row = this.select.get(key);
      const result = lookupResult(key, row && toEntry(row), this.options.now());
      if (result.status === 'expired' && row) this.deleteIfUnchanged.run(key, row.created_at);
      if (result.status === 'available') result.entry.retrievalCount = this.countRetrieval.get(key) ?? result.entry.retrievalCount + 1;
      return result;
    });
    this.lookup = (key) => lookup.immediate(key);
  }

  put(entries: readonly CcrPut[]): { evicted: number } {
    checkPuts(entries);
    if (entries.length === 0) return { evicted: 0 };
    try {
      return { evicted: this.putAll(entries) };
    } catch (error) {
      throw storeError(this.location, error, 'cannot store originals');
    }
  }

  get(key: string): CcrLookup {
    try {
      return this.lookup(key);
    } catch (error) {
      throw storeError(this.location, error, 'cannot read');
    }
  }

  peek(key: string): CcrLookup {
    return peekRow(this.location, this.select, key, this.options.now());
  }

  size(): number {
    try {
      return this.countAll.get() ?? 0;
    } catch (error) {
      throw storeError(this.location, error, 'cannot read');
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * A store file opened for reading only, for `headroom retrieve`: it refuses a
 * database that is not a headroom store and changes nothing (see
 * openForReading).
 */
export class SqliteCcrReader implements CcrReader {
  readonly location: string;
  private readonly file: StoreFile;
  private readonly select: Statement<[string], Row>;
  private readonly now: () => number;

  constructor(file: string, options: { now?: () => number } = {}) {
    this.location = path.resolve(file);
    this.now = options.now ?? Date.now;
    this.file = openStoreFile(this.location, 'read');
    try {
      this.select = this.file.db.prepare<[string], Row>(SELECT_ENTRY);
    } catch (error) {
      this.file.close();
      throw storeError(this.location, error, 'cannot read');
    }
  }

  peek(key: string): CcrLookup {
    return peekRow(this.location, this.select, key, this.now());
  }

  close(): void {
    this.file.close();
  }
}

/**
 * An existing store file opened for a table that lives beside the originals
 * (learned feedback, src/feedback/): the same checks as the store's own
 * openers (a headroom store of this schema version, never someone else's
 * database), without touching the originals. `read` opens it the way
 * SqliteCcrReader does (nothing changes, no -wal/-shm left behind); `write`
 * opens it for writing with the store's busy timeout. Throws CcrStoreError.
 */
export interface StoreFile {
  readonly location: string;
  readonly db: Database.Database;
  close(): void;
}

export function openStoreFile(file: string, access: 'read' | 'write'): StoreFile {
  const location = path.resolve(file);
  let db: Database.Database;
  let sidecars: string[] = [];
  if (access === 'read') ({ db, sidecars } = openForReading(location));
  else {
    try {
      db = new (sqliteModule())(location, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    } catch (error) {
      throw storeError(location, error, 'cannot open');
    }
  }
  const close = (): void => {
    if (!db.open) return;
    db.close();
    removeSidecars(sidecars);
  };
  try {
    if (access === 'write') db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!isStore(db)) throw new CcrStoreError(location, NOT_A_STORE);
    checkSchema(db, location);
  } catch (error) {
    close();
    throw storeError(location, error, access === 'read' ? 'cannot read' : 'cannot open');
  }
  return { location, db, close };
}

function peekRow(location: string, select: Statement<[string], Row>, key: string, now: number): CcrLookup {
  let row: Row | undefined;
  try {
    row = select.get(key);
  } catch (error) {
    throw storeError(location, error, 'cannot read');
  }
  return lookupResult(key, row && toEntry(row), now);
}

/** Unpaired UTF-16 surrogates: valid in a JS string (JSON "\ud800" makes one), but not in UTF-8. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * SQLite stores text as UTF-8, which would turn a lone surrogate into U+FFFD
 * and break byte-for-byte retrieval; such (rare) originals are stored as their
 * UTF-16LE code units in a BLOB instead, which SQLite keeps as-is.
 */
function storedOriginal(original: string): string | Buffer {
  return LONE_SURROGATE.test(original) ? Buffer.from(original, 'utf16le') : original;
}

function toEntry(row: Row): CcrEntry {
  return {
    key: row.key,
    original: typeof row.original === 'string' ? row.original : row.original.toString('utf16le'),
    unit: row.unit,
    count: row.count,
    toolName: row.tool_name,
    createdAt: row.created_at,
    ttlSeconds: row.ttl_seconds,
    retrievalCount: row.retrieval_count,
  };
}

/** better-sqlite3, loaded when a store is first opened: importing it costs ~10 ms, and most runs open no store. */
let sqlite: typeof Database | undefined;
function sqliteModule(): typeof Database {
  sqlite ??= createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  return sqlite;
}

function openDatabase(file: string): Database.Database {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new CcrStoreError(file, `cannot create the directory ${dir} (${errnoCode(error)})`);
  }
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new CcrStoreError(file, 'is a directory, not a store file');

  let db: Database.Database;
  try {
    db = new (sqliteModule())(file, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw storeError(file, error, 'cannot open');
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    retryWhileBusy(() => initialize(db, file));
    return db;
  } catch (error) {
    db.close();
    throw error instanceof CcrStoreError ? error : storeError(file, error, 'cannot open');
  }
}

const NOT_A_STORE = 'is not a headroom CCR store (it has no ccr_entries and meta tables); name another file with --ccr-store';

/** The database has headroom's tables (their columns and version are checked by checkSchema). */
function isStore(db: Database.Database): boolean {
  const ours = db.prepare<[], number>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('ccr_entries', 'meta')").pluck().get();
  return ours === 2;
}

/** Empty (a new or zero-byte file), or a store: anything else is someone else's database. */
function isStoreOrEmpty(db: Database.Database): boolean {
  const tables = db.prepare<[], number>("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get() ?? 0;
  return tables === 0 || isStore(db);
}

/**
 * Opens a store file so that reading it changes nothing. A read-only
 * connection (better-sqlite3 `readonly`) to a WAL-mode database needs its
 * -wal and -shm files: SQLite creates them when missing (if the directory is
 * writable) and, being read-only, cannot remove them on close. So when there
 * is no -wal (no writer active; the store was closed cleanly) and the file
 * is writable, the connection is opened normally with `query_only` (SQLite
 * then refuses every write statement); as the last connection it removes the
 * -wal/-shm it needed, as it does for any reader, and the file's bytes and
 * mtime stay as they were. Otherwise (a -wal exists, or the file is not
 * writable) it is opened `readonly`; the -wal/-shm SQLite had to create for
 * it are returned as `sidecars`, to be removed on close (see removeSidecars).
 */
function openForReading(file: string): { db: Database.Database; sidecars: string[] } {
  const sidecarFiles = [`${file}-wal`, `${file}-shm`];
  const hadSidecars = sidecarFiles.map((sidecar) => fs.existsSync(sidecar));
  const readonly = hadSidecars[0] === true || !isWritable(file);
  let db: Database.Database;
  try {
    db = new (sqliteModule())(file, { readonly, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw storeError(file, error, 'cannot open');
  }
  try {
    if (!readonly) db.pragma('query_only = ON');
  } catch (error) {
    db.close();
    throw storeError(file, error, 'cannot open');
  }
  const createdForUs = readonly && !hadSidecars.includes(true);
  return { db, sidecars: createdForUs ? sidecarFiles : [] };
}

/**
 * Removes the -wal/-shm files a read-only connection made SQLite create
 * (neither existed before), once it is closed. Left behind they would carry
 * the read-only file's permissions and this user as owner, and stop the
 * store's next writer. They are removed only while they are still this
 * process's and the -wal is empty: nothing was written through them.
 */
function removeSidecars(sidecars: readonly string[]): void {
  const stats = sidecars.map((sidecar) => fs.statSync(sidecar, { throwIfNoEntry: false }));
  const untouched = stats.every((stat, index) => !stat || (stat.uid === process.getuid?.() && (!sidecars[index]?.endsWith('-wal') || stat.size === 0)));
  if (!untouched) return;
  for (const sidecar of sidecars) {
    try {
      fs.unlinkSync(sidecar);
    } catch {
      // Best effort (already gone, or not ours to remove): nothing the store holds changes.
    }
  }
}

export function isWritable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function initialize(db: Database.Database, file: string): void {
  // Checked before anything is written: switching to WAL or creating tables
  // would change another application's database.
  if (!isStoreOrEmpty(db)) throw new CcrStoreError(file, NOT_A_STORE);
  // The journal mode is stored in the file; only the first opener switches it.
  if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') {
    const mode = String(db.pragma('journal_mode = WAL', { simple: true })).toLowerCase();
    if (mode !== 'wal') throw new CcrStoreError(file, `cannot switch to WAL journaling (got ${mode})`);
  }
  db.pragma('synchronous = NORMAL');
  db.transaction(() => {
    db.exec(SCHEMA);
    db.prepare("INSERT OR IGNORE INTO meta (name, value) VALUES ('schema_version', ?)").run(String(CCR_SCHEMA_VERSION));
  }).immediate();
  checkSchema(db, file);
}

/** The schema version and columns this headroom reads. */
function checkSchema(db: Database.Database, file: string): void {
  const version = db.prepare<[], string>("SELECT value FROM meta WHERE name = 'schema_version'").pluck().get();
  if (version !== String(CCR_SCHEMA_VERSION)) {
    throw new CcrStoreError(file, `has CCR schema version ${version ?? 'none'}; this headroom reads version ${CCR_SCHEMA_VERSION}`);
  }
  const columns = new Set(db.prepare<[], string>("SELECT name FROM pragma_table_info('ccr_entries')").pluck().all());
  const absent = COLUMNS.filter((column) => !columns.has(column));
  if (absent.length > 0) throw new CcrStoreError(file, `has a ccr_entries table without the columns ${absent.join(', ')} (not a headroom CCR store?)`);
}

/**
 * SQLite skips the busy handler where waiting could deadlock (two connections
 * upgrading locks while creating the schema or switching to WAL); such a
 * SQLITE_BUSY is retried here until the busy timeout has passed.
 */
export function retryWhileBusy(step: () => void): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; ; attempt += 1) {
    try {
      step();
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, Math.min(5 + attempt * 5, 100));
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function sqliteCode(error: unknown): string | undefined {
  return error instanceof sqliteModule().SqliteError ? error.code : undefined;
}

function errnoCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

/** Turns a SQLite or file-system failure into one line a user can act on. */
export function storeError(file: string, error: unknown, action = 'cannot open'): Error {
  if (error instanceof CcrStoreError) return error;
  const code = sqliteCode(error);
  if (code === undefined) {
    // Not SQLite's: a programming error (closed store, bad argument) stays what it is.
    if (error instanceof TypeError || error instanceof RangeError) return error;
    return new CcrStoreError(file, `${action}: ${errnoCode(error)}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB') return new CcrStoreError(file, 'is not a SQLite database');
  if (code.startsWith('SQLITE_CORRUPT')) return new CcrStoreError(file, `is corrupt (${message}); move it aside to start a new store`);
  if (code.startsWith('SQLITE_READONLY')) return new CcrStoreError(file, `${action}: the file is read-only`);
  if (code.startsWith('SQLITE_CANTOPEN')) return new CcrStoreError(file, `${action}: the file cannot be opened or created (check the path and its permissions)`);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new CcrStoreError(file, `${action}: still locked by another process after ${BUSY_TIMEOUT_MS / 1000} s`);
  }
  if (code === 'SQLITE_FULL') return new CcrStoreError(file, `${action}: the disk is full`);
  return new CcrStoreError(file, `${action}: ${message} (${code})`);
}
