/**
 * `headroom simulate [paths...]`: what optimize would save, per request and
 * in total, in tokens and dollars. Writes nothing and calls nothing.
 */
import type { Command } from 'commander';
import type { OptimizedRequest } from '../pipeline/optimize-request.js';
import type { rewrittenParts } from '../pipeline/write-back.js';
import type { SimulationResult } from '../pipeline/simulation.js';
import { ExitCode, UsageError, type CliContext } from './context.js';
import { OptimizeReport } from './optimize-report.js';
import { addPipelineOptions, preparePipelineRun, type PipelineFlags } from './pipeline-run.js';
import { reporterFor } from './reporters/index.js';
import { chooseReporter, CommandRun, examplesText, parseReporterFlag, runExit } from './shell.js';
import { REQUEST_ROWS } from './simulate-table.js';

interface SimulateFlags extends PipelineFlags {
  json?: boolean;
  showMessages?: boolean;
  perRequest?: boolean;
  /** False with --no-replay. */
  replay?: boolean;
}

export function registerSimulate(program: Command, context: CliContext): void {
  const command = program
    .command('simulate')
    .summary('project the tokens and dollars optimize would save (changes and calls nothing)')
    .description(
      examplesText(['headroom simulate request.json', 'headroom simulate ~/.claude/projects/my-project/ --json', 'headroom simulate captures/ --reporter markdown > simulate.md']) +
        '\n\nRun the optimize pipeline on a copy of each request and report what it would save: tokens ' +
        'before and after, the transforms that ran, and dollars per request at list input price (a small ' +
        'pinned table; models not in it are reported as unpriced). A transcript gets one row per API call ' +
        'and a total. Nothing is written, not even the CCR store.\n\n' +
        'A session transcript (Claude Code, Codex) is replayed by default: its calls in order, as if headroom had ' +
        'been in the loop from the first call (each new tool output optimized when it first appears, later calls ' +
        "resending the optimized text), each call billed under the provider's cache rules (cache reads and writes, " +
        'TTL from the recorded times, the system prompt and tools the transcript does not record estimated from its ' +
        'usage). Per conversation it shows what was recorded, the same session under the billing model (its check ' +
        "against the record), with headroom, under Anthropic's tool-result clearing at its documented defaults, and " +
        'with both. --no-replay shows the per-call view instead.\n\n' +
        'Exit codes: 0 ok, 2 usage, config or input error, or no request found.',
    )
    .argument('[paths...]', 'files, directories (searched for .json/.jsonl/.ndjson), globs, or - for stdin')
    .option('--json', 'print one JSON object: a SimulationResult per request and the total; the same as --reporter json')
    .option('--show-messages', 'include the optimized messages in the JSON or NDJSON report')
    .option(
      '--per-request',
      `list every request in the table (default: the ${REQUEST_ROWS} that save the most tokens, a count of the rest, and the total); with replay, every call of each conversation`,
    )
    .option('--no-replay', 'show session transcripts call by call (what optimize would change in each recorded call now) instead of replaying them');
  addPipelineOptions(command, 'table (default), json (one object), ndjson (one object per request, then the total) or markdown (for a pull-request comment)').action(
    async (paths: string[], flags: SimulateFlags) => {
      context.exitCode = await simulate(paths, flags, context);
    },
  );
}

async function simulate(paths: string[], flags: SimulateFlags, context: CliContext): Promise<ExitCode> {
  const reporterName = chooseReporter(
    [
      { flag: '--json', name: flags.json ? 'json' : undefined },
      { flag: '--reporter', name: parseReporterFlag(flags.reporter) },
    ],
    'table',
  );
  // Only the JSON reports carry each request's blocks and messages; the others drop them to keep memory flat.
  const structured = reporterName === 'json' || reporterName === 'ndjson';
  if (flags.showMessages && !structured) throw new UsageError('--show-messages needs --json (or --reporter json or ndjson)');
  const run = await CommandRun.start(context, flags, 'simulate', reporterFor(reporterName), context.stdout);
  const prepared = await preparePipelineRun(paths, flags, context, run);
  if (!prepared) return ExitCode.Usage;
  // Loaded here, not at startup, so --help and the other commands do not pay for them.
  const [{ runOptimize }, { simulationResult, SimulationTotals }, { rewrittenParts }, { SessionReplay }] = await Promise.all([
    import('../pipeline/optimize.js'),
    import('../pipeline/simulation.js'),
    import('../pipeline/write-back.js'),
    import('../pipeline/replay.js'),
  ]);
  const replay = flags.replay === false ? null : new SessionReplay();
  const rows: SimulationResult[] = [];
  const totals = new SimulationTotals();
  const report = new OptimizeReport();
  try {
    const result = await runOptimize({
      ...prepared.runOptions,
      // Simulate stores nothing: originals behind markers are only counted.
      ccrStore: null,
      mode: 'simulate',
      ...(replay ? { frozenMessages: (request) => replay.frozenMessages(request), weighRecordedCache: true } : {}),
      onResult: (optimized) => {
        report.add(optimized);
        // A replayed call is reported in its conversation's replay, not as a request of its own.
        if (replay && SessionReplay.replays(optimized.request)) {
          replay.add(optimized);
          return;
        }
        const row = simulationResult(optimized, flags.showMessages ? optimizedMessages(optimized, rewrittenParts) : null);
        totals.add(row);
        run.request({ mode: 'simulate', request: row });
        if (reporterName !== 'ndjson') rows.push(structured ? row : { ...row, blocks: [], messages_optimized: null });
      },
    });
    return run.finish(
      {
        mode: 'simulate',
        total: totals.finish(),
        requests: rows,
        replay: replay?.finish() ?? null,
        summary: report.finish(result, null),
        problems: run.problems,
        exit: runExit(result, 'simulate'),
      },
      { cwd: context.cwd, perFile: false, allRequests: flags.perRequest === true, diff: false },
    );
  } finally {
    prepared.close();
  }
}

/** The optimized conversation as role + text parts: what the model would read. */
function optimizedMessages(optimized: OptimizedRequest, rewritten: typeof rewrittenParts): unknown {
  const texts = rewritten(optimized.edits);
  return optimized.request.messages.map((message) => ({
    role: message.role,
    parts: message.parts.map((part) => ({ kind: part.kind, text: texts.get(part) ?? part.text })),
  }));
}
