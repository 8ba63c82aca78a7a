/**
 * What audit, optimize and simulate share as commands: their common flags,
 * choosing the reporter, the "stdin is a terminal" check, printing input
 * problems, progress, and how a run ends (its exit code and message).
 */
import type { Command } from 'commander';
import { formatProblem, type InputProblem } from '../input/problems.js';
import type { AuditProgress } from '../pipeline/audit.js';
import { FORMAT_IDS } from '../formats/types.js';
import { ExitCode, nothingFoundMessage, UsageError, type CliContext } from './context.js';
import { ProgressLine } from './progress.js';
import { parseReporterName, type Reporter, type ReporterName } from './reporters/index.js';
import type { ReportView, RequestItem, RunExit, RunReport } from './reporters/report.js';
import { styleFor, type Style } from './style.js';

export interface ShellFlags {
  reporter?: string;
  format?: string;
  strict?: boolean;
  quiet?: boolean;
  /** --color (true), --no-color (false), or neither. */
  color?: boolean;
  config?: string;
  set?: string[];
}

export type Mode = 'audit' | 'optimize' | 'simulate';

/** Problems kept in a report; all of them are printed on stderr unless they go inside the report. */
const REPORT_PROBLEM_LIMIT = 1000;

const VERBS: Record<Mode, string> = { audit: 'auditing', optimize: 'optimizing', simulate: 'simulating' };

/** The flags every run command takes, after its own. */
export function addShellOptions(command: Command, help: { reporter: string; setExample: string }): Command {
  return command
    .option('--reporter <name>', help.reporter)
    .option('--format <format>', `read every record as this format: ${FORMAT_IDS.join(', ')}`)
    .option('--strict', 'stop at the first input error')
    .option('-q, --quiet', 'hide notes and progress; errors are still printed')
    .option('--color', 'colors even into a pipe (also FORCE_COLOR=1)')
    .option('--no-color', 'plain output without colors (also NO_COLOR=1, FORCE_COLOR=0, TERM=dumb); the last of the two wins')
    .option('--config <path>', 'config file (default: headroom.config.json, .headroomrc.json or package.json#headroom)')
    .option('--set <key=value>', `override a config value, e.g. --set ${help.setExample} (repeatable)`, collect, []);
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The `Examples:` block a command's help opens with. */
export function examplesText(examples: readonly string[]): string {
  return `Examples:\n${examples.map((example) => `  ${example}`).join('\n')}`;
}

/**
 * The reporter the flags ask for: `--reporter NAME` or one of the command's
 * older aliases (`--json`, `--ndjson`, `--report KIND`). Two that disagree
 * are a usage error; none gives `fallback`.
 */
export function chooseReporter<Name extends string>(requests: readonly { flag: string; name: Name | undefined }[], fallback: Name): Name {
  const given = requests.filter((request): request is { flag: string; name: Name } => request.name !== undefined);
  const first = given[0];
  const conflict = given.find((request) => request.name !== first?.name);
  if (first && conflict) throw new UsageError(`${first.flag} and ${conflict.flag} cannot be combined`);
  return first?.name ?? fallback;
}

/** `--reporter`'s value, checked. */
export function parseReporterFlag(value: string | undefined): ReporterName | undefined {
  return value === undefined ? undefined : parseReporterName<never>(value, '--reporter');
}

/** Nothing named and nothing piped in: waiting on the terminal would look like a hang, so the help is printed instead. */
export function helpInsteadOfWaiting(paths: readonly string[], context: CliContext, commandName: string): boolean {
  if (paths.length > 0 || !context.stdin.isTTY) return false;
  context.stderr.write(context.helpFor(commandName));
  return true;
}

/** What decides a run's exit code. */
export interface RunCounts {
  requests: number;
  errors: number;
  stoppedAt: InputProblem | null;
  sources: number;
  skippedFiles: number;
  /** Requests over the audit budget (audit only). */
  overBudget?: number;
}

/** `0` ok, `1` a request over the budget, `2` an input error, a --strict stop, or nothing found (so a gate pointed at the wrong folder fails). */
export function runExit(run: RunCounts, mode: Mode): RunExit {
  if (run.stoppedAt) return { code: ExitCode.Usage, message: STOPPED };
  if (run.requests === 0) return { code: ExitCode.Usage, message: nothingFoundMessage(mode, run) };
  if (run.errors > 0) return { code: ExitCode.Usage, message: null };
  if ((run.overBudget ?? 0) > 0) return { code: ExitCode.Check, message: null };
  return { code: ExitCode.Ok, message: null };
}

const STOPPED = 'stopped at the first input error (--strict)';

/**
 * One run of a command: where its report goes, and whether problems are
 * printed on stderr as they are found or kept inside the report. A report
 * that is self-contained (JSON, NDJSON, Markdown) and written to stderr
 * (optimize's) must be that stream's only content, so problems, progress
 * and the exit message go inside it.
 */
export class CommandRun {
  readonly progress: ProgressLine | null;
  readonly problems: InputProblem[] = [];
  private readonly problemsInside: boolean;

  /** Starts a run: decides the styles of its two streams (loading chalk) first. */
  static async start(context: CliContext, flags: ShellFlags, mode: Mode, reporter: Reporter | null, stream: NodeJS.WriteStream): Promise<CommandRun> {
    const [errStyle, outStyle] = await Promise.all([styleFor(context.stderr, flags.color, context.env), styleFor(stream, flags.color, context.env)]);
    return new CommandRun(context, flags, mode, reporter, stream, errStyle, outStyle);
  }

  private constructor(
    private readonly context: CliContext,
    private readonly flags: ShellFlags,
    readonly mode: Mode,
    private readonly reporter: Reporter | null,
    private readonly stream: NodeJS.WriteStream,
    private readonly errStyle: Style,
    private readonly outStyle: Style,
  ) {
    this.problemsInside = reporter !== null && reporter.selfContained && stream === context.stderr;
    const showProgress = !this.problemsInside && ProgressLine.enabled(context.stderr, flags.quiet === true);
    this.progress = showProgress ? new ProgressLine(context.stderr, VERBS[mode]) : null;
  }

  readonly onProblem = (problem: InputProblem): void => {
    if (this.problems.length < REPORT_PROBLEM_LIMIT) this.problems.push(problem);
    if (this.problemsInside || (problem.severity === 'note' && this.flags.quiet)) return;
    this.progress?.clear();
    const label = problem.severity === 'error' ? this.errStyle.chalk.red('error') : this.errStyle.chalk.yellow('note');
    this.context.stderr.write(`${label}: ${formatProblem(problem)}\n`);
  };

  /**
   * A warning of the run (services.warn: a model that cannot load, a feedback
   * store that cannot be read), one line on stderr as `warning: …` — or, when
   * the report must be stderr's only content, a note inside it. Callers pass
   * each distinct message once (transformServices).
   */
  readonly warn = (message: string): void => {
    if (this.problemsInside) {
      if (this.problems.length < REPORT_PROBLEM_LIMIT) this.problems.push({ file: 'headroom', severity: 'note', message });
      return;
    }
    this.progress?.clear();
    this.context.stderr.write(`${this.errStyle.chalk.yellow('warning')}: ${message}\n`);
  };

  readonly onProgress = (update: AuditProgress): void => {
    this.progress?.update(update);
  };

  /** Writes what a streaming reporter has for one request. */
  request(item: RequestItem): void {
    const text = this.reporter?.request(item) ?? '';
    if (text) this.stream.write(text);
  }

  /** Writes the report, then (unless it went inside) the exit message, and returns the exit code. */
  finish(report: RunReport, view: ReportView): ExitCode {
    this.progress?.clear();
    if (this.reporter) this.stream.write(this.reporter.render(report, view, this.outStyle));
    const { code, message } = report.exit;
    // The --strict line has always been printed bare; "nothing to …" as a headroom: error.
    if (message && !this.problemsInside) this.context.stderr.write(message === STOPPED ? `${message}\n` : `headroom: ${message}\n`);
    return code;
  }
}
