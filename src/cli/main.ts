/**
 * The `headroom` program: parses arguments, runs one command, and turns every
 * failure into one line on stderr and an exit code (never a stack trace).
 */
import { Command, CommanderError } from 'commander';
import { CcrStoreError } from '../ccr/store.js';
import { ConfigError } from '../config/errors.js';
import { packageRoot } from '../input/package-root.js';
import { registerAudit } from './audit-command.js';
import { registerConfig } from './config-command.js';
import { registerRetrieve } from './retrieve-command.js';
import { registerOptimize } from './optimize-command.js';
import { registerSimulate } from './simulate-command.js';
import { registerToin } from './toin-command.js';
import { ExitCode, UsageError, type CliContext } from './context.js';

export interface ProcessIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

function processIo(): ProcessIo {
  return { cwd: process.cwd(), env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}

/** Runs the CLI with `argv` (as in process.argv) and resolves to the exit code. */
export async function main(argv: readonly string[] = process.argv, io: ProcessIo = processIo()): Promise<number> {
  const program = new Command('headroom');
  const context: CliContext = {
    ...io,
    exitCode: ExitCode.Ok,
    helpFor: (name) => program.commands.find((command) => command.name() === name)?.helpInformation() ?? program.helpInformation(),
  };
  program
    .description('Audit and compress the context your application sends to LLMs.')
    .version(packageRoot()?.version ?? 'unknown', '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Help paragraphs are wrapped by commander to the terminal they are written to (80 columns into a pipe).
      getOutHelpWidth: () => (io.stdout.isTTY && io.stdout.columns > 0 ? io.stdout.columns : 80),
      getErrHelpWidth: () => (io.stderr.isTTY && io.stderr.columns > 0 ? io.stderr.columns : 80),
    })
    .exitOverride();
  registerAudit(program, context);
  registerOptimize(program, context);
  registerSimulate(program, context);
  registerRun(program);
  // Subcommands inherit exitOverride and the output settings from the program.
  registerConfig(program, context);
  registerRetrieve(program, context);
  registerToin(program, context);

  if (argv.length <= 2) {
    io.stderr.write(program.helpInformation());
    return ExitCode.Usage;
  }
  try {
    await program.parseAsync(argv[2] === 'run' && !asksForHelp(argv) ? await runAsMode(argv, io) : (argv as string[]));
    return context.exitCode;
  } catch (error) {
    return failure(error, io);
  }
}

/**
 * `run` is listed with the commands and has its own help; running it is
 * handled before parsing (runAsMode), since its arguments are those of the
 * mode's command.
 */
function registerRun(program: Command): void {
  program
    .command('run')
    .summary("run the command of a mode: audit, optimize or simulate (default: the config's default_mode)")
    .description(
      'Examples:\n  headroom run --mode optimize request.json > smaller.json\n  headroom run captures/    # the mode configured as default_mode\n\n' +
        'Run the command for a mode with the rest of the arguments: `headroom run --mode optimize …` is `headroom optimize …`. ' +
        "Without --mode, the configuration's default_mode (audit unless set) decides. See each command's --help for its options.",
    )
    .usage('[--mode <mode>] [options] [paths...]')
    .option('--mode <mode>', 'audit, optimize or simulate (default: default_mode from the config)');
}

/** `headroom run --help` without a --mode shows run's own help; with one, the mode's. */
function asksForHelp(argv: readonly string[]): boolean {
  const rest = argv.slice(3);
  return rest.some((arg) => arg === '--help' || arg === '-h') && !rest.some((arg) => arg === '--mode' || arg.startsWith('--mode='));
}

/**
 * `headroom run [--mode audit|optimize|simulate] …` is the command for that
 * mode; without `--mode`, the configured `default_mode` picks it.
 */
async function runAsMode(argv: readonly string[], io: ProcessIo): Promise<string[]> {
  const rest = argv.slice(3);
  const flagAt = rest.findIndex((arg) => arg === '--mode' || arg.startsWith('--mode='));
  let mode: string;
  if (flagAt >= 0) {
    const flag = rest[flagAt] as string;
    const inline = flag.startsWith('--mode=');
    mode = inline ? flag.slice('--mode='.length) : (rest[flagAt + 1] ?? '');
    rest.splice(flagAt, inline ? 1 : 2);
  } else {
    const configAt = rest.indexOf('--config');
    const { loadConfig } = await import('../config/index.js');
    mode = loadConfig({ cwd: io.cwd, env: io.env, configPath: configAt >= 0 ? rest[configAt + 1] : undefined }).config.defaultMode;
  }
  if (!MODES.includes(mode)) throw new UsageError(`--mode must be audit, optimize or simulate; got "${mode}"`);
  return [...argv.slice(0, 2), mode, ...rest];
}

const MODES = ['audit', 'optimize', 'simulate'];

function failure(error: unknown, io: ProcessIo): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message (or the help/version text).
    const informational = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
    return informational ? ExitCode.Ok : ExitCode.Usage;
  }
  if (error instanceof UsageError || error instanceof ConfigError || error instanceof CcrStoreError) {
    io.stderr.write(`headroom: ${error.message}\n`);
    return ExitCode.Usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`headroom: internal error: ${message} (please report it; HEADROOM_DEBUG=1 shows details)\n`);
  if (io.env.HEADROOM_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return ExitCode.Usage;
}
