/**
 * `headroom optimize [paths...]`: writes the requests back smaller, in their
 * own format, on stdout or `-o FILE`; the report goes to stderr so stdout
 * stays pipeable.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { OptimizedRequest } from '../pipeline/optimize-request.js';
import { ExitCode, UsageError, type CliContext } from './context.js';
import { OptimizeReport, renderOptimizeReport } from './optimize-report.js';
import { OutputFile, outputIsInput } from './output-file.js';
import { addPipelineOptions, exitCodeFor, preparePipelineRun, type PipelineFlags } from './pipeline-run.js';
import { styleFor } from './style.js';

interface OptimizeFlags extends PipelineFlags {
  output?: string;
  report: string;
}

export function registerOptimize(program: Command, context: CliContext): void {
  const command = program
    .command('optimize')
    .summary('compress tool outputs reversibly and write the requests back in their own format')
    .description(
      'Read requests (or logs of them, HTTP captures, message files, transcripts) and write each one ' +
        'back smaller, in its own format: only rewritten strings change; key order, unknown fields, ids ' +
        'and numbers are kept byte for byte. User, system and assistant text, anything before the last ' +
        'cache_control breakpoint and small tool outputs are never touched.\n\n' +
        'One input keeps its shape (a JSON document stays a document, JSONL keeps one line per input ' +
        'line). Several inputs go out as JSONL, each document on one line. A Claude Code or Codex ' +
        'transcript is written as the final request of each conversation, as an Anthropic Messages or ' +
        'OpenAI Responses body (one per line); Claude Code does not record its system prompt or tools, ' +
        'so those bodies have none; a Claude Code body marks the prefix the provider had cached with ' +
        'the cache_control breakpoint Claude Code sends, so optimizing it again changes nothing.',
    )
    .argument('[paths...]', 'files, directories (searched for .json/.jsonl/.ndjson), globs, or - for stdin')
    .option('-o, --output <file>', 'write the optimized requests here instead of stdout (through a temporary file renamed when the run completes; never one of the inputs)')
    .option('--report <kind>', 'report on stderr: table, json or none', 'table');
  addPipelineOptions(command)
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 2 usage, config or input error (good inputs are still written), or no request found.\n' +
        '\nExamples:\n' +
        '  cat request.json | headroom optimize > smaller.json\n' +
        '  headroom optimize captures/ -o optimized.jsonl --report json\n' +
        '  headroom optimize request.json --lossless-only --diff',
    )
    .action(async (paths: string[], flags: OptimizeFlags) => {
      context.exitCode = await optimize(paths, flags, context);
    });
}

async function optimize(paths: string[], flags: OptimizeFlags, context: CliContext): Promise<ExitCode> {
  const reportKind = flags.report;
  if (!['table', 'json', 'none'].includes(reportKind)) throw new UsageError(`--report must be table, json or none; got "${reportKind}"`);
  const target = flags.output ? path.resolve(context.cwd, flags.output) : null;
  if (target && outputIsInput(target, paths, context.cwd)) {
    throw new UsageError(`-o ${flags.output}: the output file is also an input; write to another file (it would be replaced before it is read)`);
  }
  const prepared = await preparePipelineRun(paths, flags, context, 'optimize');
  if (!prepared) return ExitCode.Usage;
  const output = target ? OutputFile.open(target) : null;
  const write = (chunk: string | Uint8Array): void => {
    if (output) output.write(chunk);
    else context.stdout.write(chunk);
  };
  let completed = false;
  const report = new OptimizeReport();
  // The JSON report lists every request; the table needs only totals.
  const perRequest: Pick<OptimizedRequest, 'metrics' | 'result'>[] | null = reportKind === 'json' ? [] : null;
  try {
    // Loaded here, not at startup, so --help and the other commands do not pay for it.
    const { runOptimize } = await import('../pipeline/optimize.js');
    const result = await runOptimize({
      ...prepared.runOptions,
      mode: 'optimize',
      write,
      exclude: output?.paths ?? [],
      onResult: (optimized) => {
        report.add(optimized);
        perRequest?.push({ metrics: optimized.metrics, result: optimized.result });
      },
    });
    output?.commit();
    completed = true;
    prepared.progress?.clear();
    const summary = report.finish(result, prepared.runOptions.ccrStore?.location ?? null);
    if (perRequest) {
      context.stderr.write(`${JSON.stringify({ schema: 1, summary, requests: perRequest }, null, 2)}\n`);
    } else if (reportKind === 'table') {
      context.stderr.write(renderOptimizeReport(summary, await styleFor(context.stderr, flags.color, context.env), prepared.config.generateDiffArtifact, report.diffs));
    }
    return exitCodeFor(result, context, 'optimize');
  } finally {
    prepared.close();
    if (!completed) output?.abort();
  }
}
