/**
 * `headroom simulate [paths...]`: what optimize would save, per request and
 * in total, in tokens and dollars. Writes nothing and calls nothing.
 */
import type { Command } from 'commander';
import type { OptimizedRequest } from '../pipeline/optimize-request.js';
import { simulationResult, SimulationTotals, type SimulationResult, type SimulationTotal } from '../pipeline/simulation.js';
import { formatDollars } from '../pricing/input-prices.js';
import { ExitCode, UsageError, type CliContext } from './context.js';
import { OptimizeReport, nothingSavedReason } from './optimize-report.js';
import { addPipelineOptions, exitCodeFor, preparePipelineRun, type PipelineFlags } from './pipeline-run.js';
import { formatCount, formatShare, styleFor, type Style } from './style.js';
import { displayPath, FitTable, wrapText, type Column } from './table.js';

interface SimulateFlags extends PipelineFlags {
  json?: boolean;
  showMessages?: boolean;
  perRequest?: boolean;
}

/** Requests in the table unless --per-request asks for all: a folder of transcripts is hundreds of calls. */
const REQUEST_ROWS = 20;

export function registerSimulate(program: Command, context: CliContext): void {
  const command = program
    .command('simulate')
    .summary('project the tokens and dollars optimize would save (changes and calls nothing)')
    .description(
      'Run the optimize pipeline on a copy of each request and report what it would save: tokens ' +
        'before and after, the transforms that ran, and dollars per request at list input price (a small ' +
        'pinned table; models not in it are reported as unpriced). A transcript gets one row per API call ' +
        'and a total. Nothing is written, not even the CCR store.',
    )
    .argument('[paths...]', 'files, directories (searched for .json/.jsonl/.ndjson), globs, or - for stdin')
    .option('--json', 'print one JSON object: a SimulationResult per request and the total')
    .option('--show-messages', 'include the optimized messages in --json output')
    .option('--per-request', `list every request in the table (default: the ${REQUEST_ROWS} that save the most tokens, a count of the rest, and the total)`);
  addPipelineOptions(command)
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 2 usage, config or input error, or no request found.\n' +
        '\nExamples:\n' +
        '  headroom simulate request.json\n' +
        '  headroom simulate ~/.claude/projects/my-project/ --json',
    )
    .action(async (paths: string[], flags: SimulateFlags) => {
      context.exitCode = await simulate(paths, flags, context);
    });
}

async function simulate(paths: string[], flags: SimulateFlags, context: CliContext): Promise<ExitCode> {
  if (flags.showMessages && !flags.json) throw new UsageError('--show-messages needs --json');
  const prepared = await preparePipelineRun(paths, flags, context, 'simulate');
  if (!prepared) return ExitCode.Usage;
  const rows: SimulationResult[] = [];
  const totals = new SimulationTotals();
  const report = new OptimizeReport();
  try {
    // Loaded here, not at startup, so --help and the other commands do not pay for it.
    const { runOptimize } = await import('../pipeline/optimize.js');
    const result = await runOptimize({
      ...prepared.runOptions,
      // Simulate stores nothing: originals behind markers are only counted.
      ccrStore: null,
      mode: 'simulate',
      onResult: (optimized) => {
        const row = simulationResult(optimized, flags.showMessages ? optimizedMessages(optimized) : null);
        totals.add(row);
        report.add(optimized);
        rows.push(flags.json ? row : { ...row, blocks: [], messages_optimized: null });
      },
    });
    prepared.progress?.clear();
    const total = totals.finish();
    if (flags.json) {
      context.stdout.write(`${JSON.stringify({ schema: 1, total, requests: rows }, null, 2)}\n`);
    } else {
      const summary = report.finish(result, null);
      const style = await styleFor(context.stdout, flags.color, context.env);
      // A total row over no requests would read as "simulated, saved nothing";
      // exitCodeFor says on stderr that nothing was found (exit 2).
      if (total.requests > 0) {
        context.stdout.write(renderSimulation(rows, total, style, { cwd: context.cwd, all: flags.perRequest === true }));
        if (total.tokens_saved === 0) context.stdout.write(`${wrapText(`nothing saved: ${nothingSavedReason(summary)}`, style.width)}\n`);
      }
    }
    return exitCodeFor(result, context, 'simulate');
  } finally {
    prepared.close();
  }
}

/** The optimized conversation as role + text parts: what the model would read. */
function optimizedMessages(optimized: OptimizedRequest): unknown {
  return optimized.request.messages.map((message) => ({
    role: message.role,
    parts: message.parts.map((part) => ({ kind: part.kind, text: optimized.replacements.get(part) ?? part.text })),
  }));
}

function renderSimulation(rows: readonly SimulationResult[], total: SimulationTotal, style: Style, view: { cwd: string; all: boolean }): string {
  const numeric = (head: string): Column => ({ head, align: 'right' });
  const table = new FitTable([{ head: 'request', fit: 'middle' }, { head: 'model', fit: 'end' }, numeric('before'), numeric('after'), numeric('saved'), numeric('share'), numeric('est. savings')]);
  // The biggest savings first (ties in input order); with --per-request, every request in input order.
  const shown = view.all ? rows : [...rows].sort((a, b) => b.tokens_saved - a.tokens_saved).slice(0, REQUEST_ROWS);
  for (const row of shown) {
    table.push([displayPath(row.request_id, view.cwd), row.model ?? '–', formatCount(row.tokens_before), formatCount(row.tokens_after), formatCount(row.tokens_saved), share(row.tokens_saved, row.tokens_before), dollars(row.estimated_savings_usd)]);
  }
  table.push([`total (${formatCount(total.requests)})`, '', formatCount(total.tokens_before), formatCount(total.tokens_after), formatCount(total.tokens_saved), share(total.tokens_saved, total.tokens_before), dollars(total.estimated_savings_usd)], { bold: true });
  const notes: string[] = [];
  const more = rows.length - shown.length;
  if (more > 0) notes.push(`… ${formatCount(more)} more requests (--per-request lists all)`);
  if (total.unpriced_requests > 0) {
    notes.push(`${formatCount(total.unpriced_requests)} requests unpriced (model not in the pinned price table, prices as of ${total.prices_as_of})`);
  }
  return [table.render(style), ...notes.map((note) => wrapText(note, style.width))].join('\n') + '\n';
}

/** The table's cell: the column head says "per request", so the cell does not (the JSON's estimated_savings does). */
function dollars(usd: number | null): string {
  return usd === null ? 'unpriced' : formatDollars(usd);
}

function share(saved: number, before: number): string {
  return before > 0 ? formatShare(saved / before) : '–';
}
