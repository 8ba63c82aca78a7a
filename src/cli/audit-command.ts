/**
 * `headroom audit [paths...]`: reads conversations, reports where the tokens
 * go and which are waste. Changes nothing.
 */
import type { Command } from 'commander';
import type { RequestReport } from '../analysis/report-types.js';
import type { FormatId } from '../formats/types.js';
import { formatProblem, type InputProblem } from '../input/problems.js';
import { FILE_ROWS, renderAuditTables } from './audit-table.js';
import { ExitCode, nothingFoundMessage, UsageError, type CliContext } from './context.js';
import { ProgressLine } from './progress.js';
import { styleFor } from './style.js';

export const FORMAT_IDS: readonly FormatId[] = ['openai-chat', 'openai-responses', 'anthropic', 'gemini', 'message-lines', 'claude-code', 'codex'];

/** Problems kept in the --json output; all of them are printed on stderr regardless. */
const JSON_PROBLEM_LIMIT = 1000;

interface AuditFlags {
  json?: boolean;
  ndjson?: boolean;
  perRequest?: boolean;
  perFile?: boolean;
  budget?: string;
  format?: string;
  strict?: boolean;
  quiet?: boolean;
  /** --color (true), --no-color (false), or neither. */
  color?: boolean;
  config?: string;
  set?: string[];
}

export function registerAudit(program: Command, context: CliContext): void {
  program
    .command('audit')
    .summary('measure tokens, waste and cache stability (changes nothing)')
    .description(
      'Read conversations (request bodies, message arrays, JSONL logs, HTTP captures, Claude Code and\n' +
        'Codex transcripts) from files, directories, globs or stdin, and report where the tokens go:\n' +
        'tokens by block kind, waste by category, top offenders, recorded usage and cache behaviour.\n\n' +
        'Kinds whose count is not exact (media, tool calls, models without a public tokenizer, tool definitions ' +
        'not counted as the provider renders them) are marked "(estimate)". Recorded usage is shown ' +
        'as billed, server-side compaction iterations included.',
    )
    .argument('[paths...]', 'files, directories (searched for .json/.jsonl/.ndjson), globs, or - for stdin')
    .option('--json', 'print one JSON object (documented in the README)')
    .option('--ndjson', 'stream one JSON object per request, then a summary object')
    .option('--per-request', 'also report a row per request')
    .option('--per-file', `list every file in the by-file table (default: the top ${FILE_ROWS} by tokens and a count)`)
    .option('--budget <tokens>', 'exit 1 if any request uses more prompt tokens than this')
    .option('--format <format>', `read every record as this format: ${FORMAT_IDS.join(', ')}`)
    .option('--strict', 'stop at the first input error')
    .option('-q, --quiet', 'hide notes and progress; errors are still printed')
    .option('--color', 'colors even into a pipe (also FORCE_COLOR=1)')
    .option('--no-color', 'plain output without colors (also NO_COLOR=1, FORCE_COLOR=0, TERM=dumb); the last of the two wins')
    .option('--config <path>', 'config file (default: headroom.config.json, .headroomrc.json or package.json#headroom)')
    .option('--set <key=value>', 'override a config value, e.g. --set audit.top_offenders=20 (repeatable)', collect, [])
    .addHelpText(
      'after',
      '\nTables fit the terminal (into a pipe: COLUMNS, else 80 columns); paths are shown relative to the\n' +
        'working directory and shortened; --json keeps every value whole.\n' +
        '\nExit codes: 0 ok, 1 a request exceeded --budget, 2 usage, config or input error, or nothing to audit.\n' +
        '\nExamples:\n' +
        '  headroom audit ~/.claude/projects/my-project/\n' +
        '  headroom audit requests.jsonl --per-request --budget 100000\n' +
        '  cat request.json | headroom audit --json',
    )
    .action(async (paths: string[], flags: AuditFlags) => {
      context.exitCode = await audit(paths, flags, context);
    });
}

async function audit(paths: string[], flags: AuditFlags, context: CliContext): Promise<ExitCode> {
  if (flags.json && flags.ndjson) throw new UsageError('--json and --ndjson cannot be combined');
  const format = parseFormat(flags.format);
  const budgetFlag = flags.budget === undefined ? undefined : parseBudget(flags.budget);
  if (paths.length === 0 && context.stdin.isTTY) {
    // Nothing piped in and nothing named: waiting on the terminal would look like a hang.
    context.stderr.write(context.helpFor('audit'));
    return ExitCode.Usage;
  }

  // Loaded here, not at startup, so --help and the other commands do not pay for them.
  const [{ loadConfig }, { runAudit }] = await Promise.all([import('../config/index.js'), import('../pipeline/audit.js')]);
  const { config } = loadConfig({
    cwd: context.cwd,
    env: context.env,
    configPath: flags.config,
    overrides: flags.set,
    flagValues: { 'audit.budget_tokens': budgetFlag },
    flagNames: { 'audit.budget_tokens': '--budget' },
  });

  const style = await styleFor(context.stdout, flags.color, context.env);
  const errStyle = await styleFor(context.stderr, flags.color, context.env);
  const progress = ProgressLine.enabled(context.stderr, flags.quiet === true) ? new ProgressLine(context.stderr) : null;
  const keptRequests: RequestReport[] | null = flags.perRequest && !flags.ndjson ? [] : null;
  const jsonProblems: InputProblem[] = [];

  const result = await runAudit({
    paths,
    cwd: context.cwd,
    format,
    strict: flags.strict === true,
    budgetTokens: config.audit.budgetTokens,
    topOffenders: config.audit.topOffenders,
    stdin: context.stdin,
    onRequest: (report) => {
      if (flags.ndjson) context.stdout.write(`${JSON.stringify(report)}\n`);
      keptRequests?.push(report);
    },
    onProblem: (problem) => {
      if (flags.json && jsonProblems.length < JSON_PROBLEM_LIMIT) jsonProblems.push(problem);
      if (problem.severity === 'note' && flags.quiet) return;
      progress?.clear();
      const label = problem.severity === 'error' ? errStyle.chalk.red('error') : errStyle.chalk.yellow('note');
      context.stderr.write(`${label}: ${formatProblem(problem)}\n`);
    },
    onProgress: (update) => progress?.update(update),
  });
  progress?.clear();

  if (flags.ndjson) {
    context.stdout.write(`${JSON.stringify(result.summary)}\n`);
  } else if (flags.json) {
    const output = {
      schema: 1,
      summary: result.summary,
      ...(keptRequests ? { requests: keptRequests } : {}),
      problems: jsonProblems,
    };
    context.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  } else {
    context.stdout.write(renderAuditTables(result.summary, keptRequests, style, { cwd: context.cwd, perFile: flags.perFile === true }));
  }

  if (result.stoppedAt) context.stderr.write('stopped at the first input error (--strict)\n');
  if (result.summary.requests === 0 && !result.stoppedAt) {
    context.stderr.write(`headroom: ${nothingFoundMessage('audit', result)}\n`);
    return ExitCode.Usage;
  }
  if (result.errors > 0) return ExitCode.Usage;
  if (result.summary.budget && result.summary.budget.exceeded > 0) return ExitCode.Check;
  return ExitCode.Ok;
}

export function parseFormat(value: string | undefined): FormatId | undefined {
  if (value === undefined) return undefined;
  const format = FORMAT_IDS.find((id) => id === value);
  if (!format) throw new UsageError(`--format must be one of ${FORMAT_IDS.join(', ')}; got "${value}"`);
  return format;
}

function parseBudget(value: string): number {
  const tokens = Number(value.replace(/[_,]/g, ''));
  if (!Number.isInteger(tokens) || tokens <= 0) throw new UsageError(`--budget must be a positive whole number of tokens; got "${value}"`);
  return tokens;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
