/**
 * What `optimize` and `simulate` share: their common flags, loading the
 * configuration, opening the CCR store, and printing input problems.
 */
import type { Command } from 'commander';
import type { CcrPut, CcrStore } from '../ccr/store.js';
import type { HeadroomConfig } from '../config/index.js';
import type { openCcrStore } from '../ccr/open-store.js';
import { formatProblem, type InputProblem } from '../input/problems.js';
import type { OptimizeRunOptions, OptimizeRunResult } from '../pipeline/optimize.js';
import { collect, FORMAT_IDS, parseFormat } from './audit-command.js';
import { ExitCode, nothingFoundMessage, type CliContext } from './context.js';
import { ProgressLine } from './progress.js';
import { styleFor } from './style.js';

export interface PipelineFlags {
  format?: string;
  strict?: boolean;
  quiet?: boolean;
  /** --color (true), --no-color (false), or neither. */
  color?: boolean;
  config?: string;
  set?: string[];
  losslessOnly?: boolean;
  diff?: boolean;
  ccrStore?: string;
}

export function addPipelineOptions(command: Command): Command {
  return command
    .option('--lossless-only', 'only lossless rewrites: no markers, no retrieval tool, nothing removed')
    .option('--diff', 'report per-transform token deltas and a before/after view of each changed block')
    .option('--format <format>', `read every record as this format: ${FORMAT_IDS.join(', ')}`)
    .option('--ccr-store <path>', 'CCR store file for originals behind markers (also HEADROOM_CCR_STORE, ccr.store_path)')
    .option('--strict', 'stop at the first input error')
    .option('-q, --quiet', 'hide notes and progress; errors are still printed')
    .option('--color', 'colors even into a pipe (also FORCE_COLOR=1)')
    .option('--no-color', 'plain output without colors (also NO_COLOR=1, FORCE_COLOR=0, TERM=dumb); the last of the two wins')
    .option('--config <path>', 'config file (default: headroom.config.json, .headroomrc.json or package.json#headroom)')
    .option('--set <key=value>', 'override a config value, e.g. --set smart_crusher.min_tokens_to_crush=100 (repeatable)', collect, []);
}

export interface PreparedRun {
  config: HeadroomConfig;
  runOptions: Omit<OptimizeRunOptions, 'mode' | 'write' | 'onResult'>;
  progress: ProgressLine | null;
  /** Closes the CCR store if one was opened. */
  close(): void;
}

/** Loads config and builds the run options both commands use. Returns null (after printing help) when there is nothing to read. */
export async function preparePipelineRun(paths: string[], flags: PipelineFlags, context: CliContext, commandName: string): Promise<PreparedRun | null> {
  const format = parseFormat(flags.format);
  if (paths.length === 0 && context.stdin.isTTY) {
    // Nothing piped in and nothing named: waiting on the terminal would look like a hang.
    context.stderr.write(context.helpFor(commandName));
    return null;
  }
  // Loaded here, not at startup, so --help and the other commands do not pay for them (SQLite among them).
  const [{ loadConfig }, { openCcrStore, resolveCcrStorePath }] = await Promise.all([import('../config/index.js'), import('../ccr/open-store.js')]);
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
  const errStyle = await styleFor(context.stderr, flags.color, context.env);
  const progress = ProgressLine.enabled(context.stderr, flags.quiet === true) ? new ProgressLine(context.stderr) : null;
  const onProblem = (problem: InputProblem): void => {
    if (problem.severity === 'note' && flags.quiet) return;
    progress?.clear();
    const label = problem.severity === 'error' ? errStyle.chalk.red('error') : errStyle.chalk.yellow('note');
    context.stderr.write(`${label}: ${formatProblem(problem)}\n`);
  };
  return {
    config,
    progress,
    close: () => store.close(),
    runOptions: {
      paths,
      cwd: context.cwd,
      format,
      strict: flags.strict === true,
      stdin: context.stdin,
      losslessOnly: config.smartCrusher.losslessOnly,
      diff: config.generateDiffArtifact,
      minTokensToCrush: config.smartCrusher.minTokensToCrush,
      outputBufferTokens: config.outputBufferTokens,
      prefixFreeze: { enabled: config.prefixFreeze.enabled, minCachedTokens: config.prefixFreeze.minCachedTokens },
      ccr: { enabled: config.ccr.enabled, injectMarkers: config.ccr.injectRetrievalMarker, injectTool: config.ccr.injectTool },
      ccrStore: store,
      onProblem,
      onProgress: (update) => progress?.update(update),
    },
  };
}

export function exitCodeFor(result: OptimizeRunResult, context: CliContext, verb: string): ExitCode {
  if (result.stoppedAt) context.stderr.write('stopped at the first input error (--strict)\n');
  if (result.requests === 0 && !result.stoppedAt) {
    context.stderr.write(`headroom: ${nothingFoundMessage(verb, result)}\n`);
    return ExitCode.Usage;
  }
  return result.errors > 0 ? ExitCode.Usage : ExitCode.Ok;
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
