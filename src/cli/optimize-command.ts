/**
 * `headroom optimize [paths...]`: writes the requests back smaller, in their
 * own format, on stdout or `-o FILE`; the report goes to stderr so stdout
 * stays pipeable.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { ExitCode, UsageError, type CliContext } from './context.js';
import { OptimizeReport } from './optimize-report.js';
import { OutputFile, outputIsInput } from './output-file.js';
import { addPipelineOptions, preparePipelineRun, type PipelineFlags } from './pipeline-run.js';
import { parseReporterName, reporterFor, type OptimizeRequestEntry } from './reporters/index.js';
import { chooseReporter, CommandRun, examplesText, parseReporterFlag, runExit } from './shell.js';

interface OptimizeFlags extends PipelineFlags {
  output?: string;
  report?: string;
}

export function registerOptimize(program: Command, context: CliContext): void {
  const command = program
    .command('optimize')
    .summary('compress tool outputs reversibly and write the requests back in their own format')
    .description(
      examplesText([
        'cat request.json | headroom optimize > smaller.json',
        'headroom optimize captures/ -o optimized.jsonl --reporter json',
        'headroom optimize request.json --lossless-only --diff',
      ]) +
        '\n\nRead requests (or logs of them, HTTP captures, message files, transcripts) and write each one ' +
        'back smaller, in its own format: only rewritten tool outputs change (strings, and structured ' +
        'outputs such as a Gemini functionResponse object, written back as JSON of the same type); key order, unknown fields, ids ' +
        'and numbers are kept byte for byte. User, system and assistant text, anything before the last ' +
        'cache_control breakpoint and small tool outputs are never touched.\n\n' +
        'Large JSON arrays in tool outputs keep the items that matter (SmartCrusher) and end with a marker ' +
        'naming the dropped indices and the key they are stored under: headroom retrieve KEY prints them as a ' +
        'JSON array, `--query TEXT` only those that match. Objects used as maps (keyed by ids or versions, or ' +
        '50+ scalar entries such as {"alice": true, …}) are crushed the same way, their markers ending the ' +
        'object as "_headroom_omitted" entries. Counts in the output (total, count) are left as they are; ' +
        'the marker states the real numbers. --lossless-only drops nothing.\n\n' +
        'Source-code file reads pass through untouched unless tool results are intercepted ' +
        '(--set intercept_tool_results=true or HEADROOM_INTERCEPT_ENABLED=1): then a large read of TypeScript, ' +
        'TSX, JavaScript, Python, Go, Rust or Java becomes its outline (imports, signatures, doc comments), ' +
        'each function body replaced by a marker that retrieves it; numbered reads keep their numbers, and ' +
        'what the parser does not fully understand passes through, as does a range of lines the read asked for ' +
        '(offset/limit, sed -n, head, tail).\n\n' +
        'Diffs (git diff, git show, combined diffs) keep every file header, hunk header and changed line; ' +
        'context beyond diff_compressor.max_context_lines (2) per side of a change, and whole lockfiles, ' +
        'generated, deleted and binary files and files over diff_compressor.max_file_lines (250), go behind ' +
        'markers that give their counts.\n\n' +
        'Search results (grep and ripgrep output, -C context, --heading, --json) keep the matches most ' +
        'relevant to the question and the search pattern, lines unchanged and in place; every file stays ' +
        'named with its match count, and each run of dropped matches becomes one marker listing their ' +
        'line numbers (search_compressor.*).\n\n' +
        'Build, test and application logs (JSON-lines logs too) keep every kind of error and failure line ' +
        'with context, distinct stack traces (capped), test summaries, exit codes, CI annotations, the first ' +
        'warning of each kind and the first and last lines, byte for byte; each run of other lines becomes one ' +
        'marker naming its line numbers, the kind of line most of them are and how many errors and warnings ' +
        'it holds (settings: log_compressor.*).\n\n' +
        'Prompt caching (cache_optimizer.*): an Anthropic request body gets cache_control breakpoints ' +
        '(at most 4 in all) at the end of its system prompt, its last message and its latest user turns, ' +
        "only where the prefix reaches the model's minimum cacheable size; a client's own breakpoints are " +
        'never moved, and headroom adds only before the last of them. An OpenAI request is checked for ' +
        'volatile values (dates, ids) that end its cached prefix, and gets cache_optimizer.prompt_cache_key ' +
        'if set and it has none; a Gemini request gets a CachedContent plan in the report. Nothing else ' +
        'changes for caching.\n\n' +
        'One input keeps its shape (a JSON document stays a document, JSONL keeps one line per input ' +
        'line). Several inputs go out as JSONL, each document on one line. A Claude Code or Codex ' +
        'transcript is written as the final request of each conversation, as an Anthropic Messages or ' +
        'OpenAI Responses body (one per line); Claude Code does not record its system prompt or tools, ' +
        'so those bodies have none; a Claude Code body marks the prefix the provider had cached with ' +
        'the cache_control breakpoint Claude Code sends, so optimizing it again changes nothing.\n\n' +
        'The report (stderr) gives the totals, what happened to each block, the tool outputs by content kind ' +
        'and by tool (Bash, Read, Grep…: outputs, tokens before → after, how many each transform rewrote), ' +
        'and what the cache optimizers planned (breakpoints added, tokens cacheable for a repeat call).\n\n' +
        'Exit codes: 0 ok, 2 usage, config or input error (good inputs are still written), or no request found.',
    )
    .argument('[paths...]', 'files, directories (searched for .json/.jsonl/.ndjson), globs, or - for stdin')
    .option('-o, --output <file>', 'write the optimized requests here instead of stdout (through a temporary file renamed when the run completes; never one of the inputs)')
    .option('--report <kind>', 'the report on stderr: table (default), json, ndjson, markdown or none; --reporter takes the same names but none');
  addPipelineOptions(
    command,
    'the report on stderr: table (default), json, ndjson or markdown; a json, ndjson or markdown report carries the input problems and is the only thing written to stderr',
  ).action(async (paths: string[], flags: OptimizeFlags) => {
    context.exitCode = await optimize(paths, flags, context);
  });
}

async function optimize(paths: string[], flags: OptimizeFlags, context: CliContext): Promise<ExitCode> {
  const reportKind = chooseReporter(
    [
      { flag: '--report', name: flags.report === undefined ? undefined : parseReporterName(flags.report, '--report', ['none'] as const) },
      { flag: '--reporter', name: parseReporterFlag(flags.reporter) },
    ],
    'table',
  );
  const target = flags.output ? path.resolve(context.cwd, flags.output) : null;
  if (target && outputIsInput(target, paths, context.cwd)) {
    throw new UsageError(`-o ${flags.output}: the output file is also an input; write to another file (it would be replaced before it is read)`);
  }
  // stdout is the optimized data, so the report goes to stderr.
  const run = await CommandRun.start(context, flags, 'optimize', reportKind === 'none' ? null : reporterFor(reportKind), context.stderr);
  const prepared = await preparePipelineRun(paths, flags, context, run);
  if (!prepared) return ExitCode.Usage;
  const output = target ? OutputFile.open(target) : null;
  const write = (chunk: string | Uint8Array): void => {
    if (output) output.write(chunk);
    else context.stdout.write(chunk);
  };
  let completed = false;
  const report = new OptimizeReport();
  // JSON and Markdown list the requests; the table needs only totals, and NDJSON streams them.
  const requests: OptimizeRequestEntry[] | null = reportKind === 'json' || reportKind === 'markdown' ? [] : null;
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
        const entry = { metrics: optimized.metrics, result: optimized.result };
        requests?.push(entry);
        run.request({ mode: 'optimize', request: entry });
      },
    });
    output?.commit();
    completed = true;
    const summary = report.finish(result, prepared.runOptions.ccrStore?.location ?? null);
    return run.finish(
      { mode: 'optimize', summary, requests, diffs: report.diffs, problems: run.problems, exit: runExit(result, 'optimize') },
      { cwd: context.cwd, perFile: false, allRequests: false, diff: prepared.config.generateDiffArtifact },
    );
  } finally {
    prepared.close();
    if (!completed) output?.abort();
  }
}
