/**
 * What `optimize` and `simulate` share beyond the shell: their pipeline
 * flags, loading the configuration and opening the CCR store.
 */
import type { Command } from 'commander';
import type { openCcrStore } from '../ccr/open-store.js';
import type { CcrPut, CcrStore } from '../ccr/store.js';
import type { HeadroomConfig } from '../config/index.js';
import type { ConfiguredOptimizeOptions } from '../pipeline/options.js';
import { parseFormat } from './audit-command.js';
import type { CliContext } from './context.js';
import { addShellOptions, helpInsteadOfWaiting, type CommandRun, type ShellFlags } from './shell.js';

export interface PipelineFlags extends ShellFlags {
  losslessOnly?: boolean;
  diff?: boolean;
  ccrStore?: string;
}

export function addPipelineOptions(command: Command, reporterHelp: string): Command {
  command
    .option('--lossless-only', 'only lossless rewrites: no markers, no retrieval tool, nothing removed')
    .option('--diff', 'report per-transform token deltas and a before/after view of each changed block')
    .option('--ccr-store <path>', 'CCR store file for originals behind markers (also HEADROOM_CCR_STORE, ccr.store_path)');
  return addShellOptions(command, { reporter: reporterHelp, setExample: 'smart_crusher.min_tokens_to_crush=100' });
}

export interface PreparedRun {
  config: HeadroomConfig;
  runOptions: ConfiguredOptimizeOptions;
  /** Closes the CCR store if one was opened. */
  close(): void;
}

/** Loads config and builds the run options both commands use. Returns null (after printing help) when there is nothing to read. */
export async function preparePipelineRun(paths: string[], flags: PipelineFlags, context: CliContext, run: CommandRun): Promise<PreparedRun | null> {
  const format = parseFormat(flags.format);
  if (helpInsteadOfWaiting(paths, context, run.mode)) return null;
  // Loaded here, not at startup, so --help and the other commands do not pay for them (SQLite among them).
  const [{ loadConfig }, { openCcrStore, resolveCcrStorePath }, { optimizeOptions }, { transformServices }, { openFeedbackReader }] = await Promise.all([
    import('../config/index.js'),
    import('../ccr/open-store.js'),
    import('../pipeline/options.js'),
    import('../pipeline/services.js'),
    import('../feedback/open.js'),
  ]);
  const { config } = loadConfig({
    cwd: context.cwd,
    env: context.env,
    configPath: flags.config,
    overrides: flags.set,
    flagValues: { 'smart_crusher.lossless_only': flags.losslessOnly ? true : undefined, generate_diff_artifact: flags.diff ? true : undefined },
    flagNames: { 'smart_crusher.lossless_only': '--lossless-only', generate_diff_artifact: '--diff' },
  });
  const storePath = resolveCcrStorePath({ flag: flags.ccrStore, configPath: config.ccr.storePath, env: context.env, cwd: context.cwd });
  const store = new LazyStore(storePath, config, openCcrStore);
  // The hints learned by `headroom retrieve` live in the same file; read (only) when the first array asks for them.
  const services = transformServices({ onWarning: run.warn });
  const feedback = config.smartCrusher.useFeedbackHints ? openFeedbackReader(storePath, services.warn) : null;
  return {
    config,
    close: () => store.close(),
    runOptions: optimizeOptions(config, {
      paths,
      cwd: context.cwd,
      format,
      strict: flags.strict === true,
      stdin: context.stdin,
      ccrStore: store,
      services: { ...services, feedback },
      onProblem: run.onProblem,
      onProgress: run.onProgress,
    }),
  };
}

/** Opens the store only when the first original is stored, so a run without markers creates no file. */
class LazyStore implements CcrStore {
  private store: CcrStore | null = null;

  constructor(
    readonly location: string,
    private readonly config: HeadroomConfig,
    private readonly openStore: typeof openCcrStore,
  ) {}

  private open(): CcrStore {
    this.store ??= this.openStore(this.location, { ttlSeconds: this.config.ccr.storeTtlSeconds, maxEntries: this.config.ccr.storeMaxEntries });
    return this.store;
  }

  put(entries: readonly CcrPut[]): { evicted: number } {
    return this.open().put(entries);
  }

  get(key: string): ReturnType<CcrStore['get']> {
    return this.open().get(key);
  }

  peek(key: string): ReturnType<CcrStore['peek']> {
    return this.open().peek(key);
  }

  size(): number {
    return this.open().size();
  }

  close(): void {
    this.store?.close();
    this.store = null;
  }
}
