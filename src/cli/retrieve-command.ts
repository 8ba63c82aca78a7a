/**
 * `headroom retrieve <key>`: prints the original that optimize stored behind a
 * `[headroom: omitted …; headroom_retrieve hash=<key>]` marker, byte for byte.
 * The entry is only read; when the original is a JSON array of items, the
 * retrieval is recorded as feedback (TOIN) in the same store file.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { isCcrKey } from '../ccr/key.js';
import { retrieveItems } from '../ccr/retrieval-tool.js';
import { CcrStoreError, type CcrEntry, type CcrLookup } from '../ccr/store.js';
import type { HeadroomConfig } from '../config/index.js';
import { collect, examplesText } from './shell.js';
import { ExitCode, UsageError, type CliContext } from './context.js';

interface RetrieveFlags {
  query?: string;
  /** false with --no-feedback. */
  feedback?: boolean;
  ccrStore?: string;
  config?: string;
  set?: string[];
}

export function registerRetrieve(program: Command, context: CliContext): void {
  program
    .command('retrieve')
    .summary('print the original behind a [headroom: omitted …] marker')
    .description(
      examplesText([
        'headroom retrieve 0123456789abcdef01234567',
        'headroom retrieve 0123456789abcdef01234567 --query "status error"',
        'headroom retrieve 0123456789abcdef01234567 --ccr-store ./originals.db',
      ]) +
        '\n\nPrint, byte for byte, the original content that optimize stored in the CCR ' +
        'store when it wrote a marker such as\n' +
        '  [headroom: omitted 85 rows (rows 16-100); headroom_retrieve hash=<key>]\n' +
        'The store is --ccr-store, else ccr.store_path (or HEADROOM_CCR_STORE), else ' +
        'the user data directory (~/.local/share/headroom/ccr.db on Linux).\n\n' +
        'The original goes to stdout unchanged (no newline is added when it has none). ' +
        'The stored entry is only read (no retrieval count, no purge), and a SQLite file ' +
        'that is not a headroom CCR store is refused.\n\n' +
        'Feedback: when the original is a JSON array of items (what smart_crusher drops), ' +
        'the retrieval is recorded in the same file, in tables of its own, under the tool ' +
        'and the shape of its items: the fields and values the --query words matched, or ' +
        'a count of full retrievals. Later optimize runs keep items with values asked for ' +
        'repeatedly (smart_crusher.use_feedback_hints); headroom toin lists them. Nothing ' +
        'is recorded with --no-feedback or ccr.feedback_enabled=false, for other ' +
        'originals, or when the store file is not writable (it is then left unchanged).\n\n' +
        'Exit codes: 0 printed, 2 usage, config or store error, or nothing retrievable ' +
        'under <key> (never stored, evicted, or expired: the message gives the TTL the ' +
        'original was stored with).',
    )
    .argument('<key>', 'the hash= value of the marker: 24 hex characters')
    .option('--query <text>', 'print only the items (of a JSON array), entries (of a JSON object) or lines containing every word of <text>')
    .option('--no-feedback', 'do not record this retrieval as feedback (see headroom toin)')
    .option('--ccr-store <path>', 'CCR store file to read (default: ccr.store_path or the user data directory)')
    .option('--config <path>', 'config file (default: headroom.config.json, .headroomrc.json or package.json#headroom)')
    .option('--set <key=value>', 'override a config value, e.g. --set ccr.store_path=originals.db (repeatable)', collect, [])
    .action(async (key: string, flags: RetrieveFlags) => {
      context.exitCode = await retrieve(key, flags, context);
    });
}

async function retrieve(keyArgument: string, flags: RetrieveFlags, context: CliContext): Promise<ExitCode> {
  const key = parseKey(keyArgument);
  const [{ config, location }, { MEMORY_STORE, openCcrReader }] = await Promise.all([storeFor(flags, context), import('../ccr/open-store.js')]);

  // Looking something up must not create an empty store (and its directories) as a side effect.
  if (location !== MEMORY_STORE && !fs.existsSync(location)) {
    context.stderr.write(`headroom: no original stored under ${key}: there is no CCR store at ${location} (${STORE_HINT})\n`);
    return ExitCode.Usage;
  }

  let lookup: CcrLookup;
  try {
    // Read-only: retrieving changes no entry (no retrieval count, no purge of expired entries).
    const store = openCcrReader(location);
    try {
      lookup = store.peek(key);
    } finally {
      store.close();
    }
  } catch (error) {
    if (error instanceof CcrStoreError) throw new UsageError(error.message);
    throw error;
  }

  if (lookup.status === 'missing') {
    context.stderr.write(
      `headroom: no original stored under ${key} in ${location} (it may have expired or been evicted ` +
        `(ccr.store_ttl_seconds, ccr.store_max_entries), or optimize ran with another store: ${STORE_HINT})\n`,
    );
    return ExitCode.Usage;
  }
  if (lookup.status === 'expired') {
    context.stderr.write(
      `headroom: the original stored under ${key} in ${location} expired at ${new Date(lookup.expiredAt).toISOString()}: ` +
        `it was stored with a TTL of ${lookup.ttlSeconds} s (ccr.store_ttl_seconds when optimize stored it; raise it to keep originals longer)\n`,
    );
    return ExitCode.Usage;
  }

  const text = flags.query === undefined ? lookup.entry.original : retrieveItems(lookup.entry.original, flags.query);
  if (flags.query !== undefined && (text === '' || text === '[]' || text === '{}') && text !== lookup.entry.original) {
    context.stderr.write(`note: nothing in the original under ${key} contains every word of ${JSON.stringify(flags.query)}\n`);
  }
  // Exact bytes for pipes and files; on a terminal, end the line so the prompt is not glued to the text.
  const tail = context.stdout.isTTY && text.length > 0 && !text.endsWith('\n') ? '\n' : '';
  context.stdout.write(text + tail);
  if (flags.feedback !== false && config.ccr.feedbackEnabled && location !== MEMORY_STORE) {
    const problem = await recordFeedback(location, lookup.entry, flags.query, text);
    if (problem) context.stderr.write(`note: this retrieval was not recorded as feedback: ${problem}\n`);
  }
  return ExitCode.Ok;
}

/**
 * Records the retrieval in the store file's feedback tables; returns why it
 * could not, or null. An original that is not a JSON array teaches nothing
 * and opens nothing; a store file this user cannot write is left alone
 * without a word (a shared, read-only store is a choice, not an error).
 */
async function recordFeedback(location: string, entry: CcrEntry, query: string | undefined, returned: string): Promise<string | null> {
  const [{ recordRetrieval, SqliteFeedbackWriter }, { isWritable }] = await Promise.all([import('../feedback/index.js'), import('../ccr/sqlite-store.js')]);
  try {
    // The file is opened for writing only once there is something to record.
    recordRetrieval(
      {
        record: (event) => {
          if (!isWritable(location)) return;
          const writer = new SqliteFeedbackWriter(location);
          try {
            writer.record(event);
          } finally {
            writer.close();
          }
        },
      },
      entry,
      query,
      returned,
    );
    return null;
  } catch (error) {
    if (error instanceof CcrStoreError) return error.message;
    throw error;
  }
}

const STORE_HINT = 'pass the store optimize used with --ccr-store or HEADROOM_CCR_STORE';

function parseKey(argument: string): string {
  // Accept the marker's `hash=<key>` as copied, and upper case from tools that shout.
  const key = argument
    .trim()
    .replace(/^hash=/i, '')
    .toLowerCase();
  if (!isCcrKey(key)) {
    throw new UsageError(`a CCR key is the 24 hex characters after hash= in a [headroom: omitted …] marker; got ${JSON.stringify(argument)}`);
  }
  return key;
}

/** The configuration and the store location a store command uses: --ccr-store, else ccr.store_path, else the data directory. */
export async function storeFor(flags: { ccrStore?: string; config?: string; set?: string[] }, context: CliContext): Promise<{ config: HeadroomConfig; location: string }> {
  // Loaded here, not at startup, so --help and the other commands do not pay for them (SQLite among them).
  const [{ loadConfig }, { resolveCcrStorePath }] = await Promise.all([import('../config/index.js'), import('../ccr/open-store.js')]);
  const { config } = loadConfig({ cwd: context.cwd, env: context.env, configPath: flags.config, overrides: flags.set });
  try {
    return { config, location: resolveCcrStorePath({ flag: flags.ccrStore, configPath: config.ccr.storePath, env: context.env, cwd: context.cwd }) };
  } catch (error) {
    if (error instanceof CcrStoreError) throw new UsageError(error.message);
    throw error;
  }
}
