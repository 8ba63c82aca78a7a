/**
 * `headroom audit [paths...]`: reads conversations, reports where the tokens
 * go and which are waste. Changes nothing.
 */
import type { Command } from 'commander';
import type { RequestReport } from '../analysis/report-types.js';
import { FORMAT_IDS, type FormatId } from '../formats/types.js';
import { FILE_ROWS } from './audit-table.js';
import { ExitCode, UsageError, type CliContext } from './context.js';
import { reporterFor } from './reporters/index.js';
import { addShellOptions, chooseReporter, CommandRun, examplesText, helpInsteadOfWaiting, parseReporterFlag, runExit, type ShellFlags } from './shell.js';

interface AuditFlags extends ShellFlags {
  json?: boolean;
  ndjson?: boolean;
  perRequest?: boolean;
  perFile?: boolean;
  budget?: string;
}

export function registerAudit(program: Command, context: CliContext): void {
  const command = program
    .command('audit')
    .summary('measure tokens, waste and cache stability (changes nothing)')
    .description(
      examplesText([
        'headroom audit ~/.claude/projects/my-project/',
        'headroom audit requests.jsonl --per-request --budget 100000',
        'cat request.json | headroom audit --json',
        'headroom audit prompts/ --reporter markdown > audit.md',
      ]) +
        '\n\nRead conversations (request bodies, message arrays, JSONL logs, HTTP captures, Claude Code and ' +
        'Codex transcripts) from files, directories, globs or stdin, and report where the tokens go: ' +
        'tokens by block kind, waste by category, top offenders, recorded usage and cache behaviour.\n\n' +
        'Where usage is recorded (Claude Code, Codex, captured responses), a Cache section gives the hit rate ' +
        '(cache reads ÷ prompt), every call that read less from the cache than the call before had cached with its ' +
        'likely cause (ttl_lapse, prefix_change, compaction, model_change, sub_agent, unknown), the tokens re-written ' +
        'and what that cost, and the hidden prefix (the system prompt and tools a transcript does not record) that ' +
        'reconciles our count with the recorded prompt; --per-request adds a row per call.\n\n' +
        'Kinds whose count is not exact (media, tool calls, models without a public tokenizer, tool definitions ' +
        'not counted as the provider renders them) are marked "(estimate)". Recorded usage is shown ' +
        'as billed, server-side compaction iterations included. JSON and NDJSON output also give each tool ' +
        "output's detected content kind (json-array, build-log, search, diff, code, table, …; see the README).\n\n" +
        'Tables fit the terminal (into a pipe: COLUMNS, else 80 columns); paths are shown relative to the ' +
        'working directory and shortened; JSON keeps every value whole.\n\n' +
        'Exit codes: 0 ok, 1 a request exceeded --budget, 2 usage, config or input error, or nothing to audit.',
    )
    .argument('[paths...]', 'files, directories (searched for .json/.jsonl/.ndjson), globs, or - for stdin')
    .option('--json', 'print one JSON object (documented in the README); the same as --reporter json')
    .option('--ndjson', 'stream one JSON object per request, then a summary object; the same as --reporter ndjson')
    .option('--per-request', 'also report a row per request')
    .option('--per-file', `list every file in the by-file table (default: the top ${FILE_ROWS} by tokens and a count)`)
    .option('--budget <tokens>', 'exit 1 if any request uses more prompt tokens than this');
  addShellOptions(command, {
    reporter: 'table (default), json (one object), ndjson (one object per request, then the summary) or markdown (for a pull-request comment)',
    setExample: 'audit.top_offenders=20',
  }).action(async (paths: string[], flags: AuditFlags) => {
    context.exitCode = await audit(paths, flags, context);
  });
}

async function audit(paths: string[], flags: AuditFlags, context: CliContext): Promise<ExitCode> {
  const reporterName = chooseReporter(
    [
      { flag: '--json', name: flags.json ? 'json' : undefined },
      { flag: '--ndjson', name: flags.ndjson ? 'ndjson' : undefined },
      { flag: '--reporter', name: parseReporterFlag(flags.reporter) },
    ],
    'table',
  );
  const format = parseFormat(flags.format);
  const budgetFlag = flags.budget === undefined ? undefined : parseBudget(flags.budget);
  if (helpInsteadOfWaiting(paths, context, 'audit')) return ExitCode.Usage;

  // Loaded here, not at startup, so --help and the other commands do not pay for them.
  const [{ loadConfig }, { runAudit }, { auditOptions }] = await Promise.all([import('../config/index.js'), import('../pipeline/audit.js'), import('../pipeline/options.js')]);
  const { config } = loadConfig({
    cwd: context.cwd,
    env: context.env,
    configPath: flags.config,
    overrides: flags.set,
    flagValues: { 'audit.budget_tokens': budgetFlag },
    flagNames: { 'audit.budget_tokens': '--budget' },
  });

  const run = await CommandRun.start(context, flags, 'audit', reporterFor(reporterName), context.stdout);
  // NDJSON streams the requests; the other reporters list them at the end with --per-request.
  const keptRequests: RequestReport[] | null = flags.perRequest && reporterName !== 'ndjson' ? [] : null;

  const result = await runAudit(
    auditOptions(config, {
      paths,
      cwd: context.cwd,
      format,
      strict: flags.strict === true,
      stdin: context.stdin,
      onRequest: (report) => {
        run.request({ mode: 'audit', request: report });
        keptRequests?.push(report);
      },
      onProblem: run.onProblem,
      onProgress: run.onProgress,
      onWarning: run.warn,
    }),
  );
  const exit = runExit({ ...result, requests: result.summary.requests, overBudget: result.summary.budget?.exceeded ?? 0 }, 'audit');
  return run.finish(
    { mode: 'audit', summary: result.summary, requests: keptRequests, problems: run.problems, exit },
    { cwd: context.cwd, perFile: flags.perFile === true, allRequests: false, diff: false },
  );
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
