/**
 * `headroom toin`: what retrievals taught (TOIN, learned feedback) — per tool
 * and items shape, the fields and values asked for and how confident the
 * hint is — and `--clear` to forget it. Reads the same store file as
 * `retrieve`; listing changes nothing.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { CcrStoreError } from '../ccr/store.js';
import type { HeadroomConfig } from '../config/index.js';
import type { LearnedHint, LearnedOutput } from '../feedback/index.js';
import { ExitCode, UsageError, type CliContext } from './context.js';
import { storeFor } from './retrieve-command.js';
import { collect, examplesText } from './shell.js';
import { formatCount, styleFor } from './style.js';
import { FitTable, numeric } from './table.js';

interface ToinFlags {
  json?: boolean;
  clear?: boolean;
  ccrStore?: string;
  config?: string;
  set?: string[];
  color?: boolean;
}

export const TOIN_SCHEMA = 'headroom.toin/1';

export function registerToin(program: Command, context: CliContext): void {
  program
    .command('toin')
    .summary('list what retrievals taught (learned feedback hints), or --clear it')
    .description(
      examplesText(['headroom toin', 'headroom toin --json', 'headroom toin --clear --ccr-store ./originals.db']) +
        '\n\nWhen headroom retrieve returns items of a JSON array that optimize dropped, it records, ' +
        'under the tool and the shape of its items (field names and types, not values), which fields ' +
        'and values the --query words matched. A value asked for in n retrievals has confidence ' +
        'n/(n+3); optimize keeps items holding values at or above smart_crusher.toin_confidence_threshold ' +
        '(default 0.3: two retrievals) when smart_crusher.use_feedback_hints is on. The same learned ' +
        'state always gives the same hints: counts, no clocks.\n\n' +
        'The feedback lives in the CCR store file (--ccr-store, else ccr.store_path or HEADROOM_CCR_STORE, ' +
        'else the user data directory), beside the originals. Listing changes nothing; --clear forgets ' +
        'every learned value and count and keeps the originals.\n\n' +
        'Exit codes: 0 ok, 2 usage, config or store error.',
    )
    .option('--json', 'print the learned hints as one JSON object')
    .option('--clear', 'forget everything learned (the stored originals stay)')
    .option('--ccr-store <path>', 'CCR store file holding the feedback (default: ccr.store_path or the user data directory)')
    .option('--color', 'colors even into a pipe (also FORCE_COLOR=1)')
    .option('--no-color', 'plain output without colors (also NO_COLOR=1, FORCE_COLOR=0, TERM=dumb)')
    .option('--config <path>', 'config file (default: headroom.config.json, .headroomrc.json or package.json#headroom)')
    .option('--set <key=value>', 'override a config value, e.g. --set smart_crusher.toin_confidence_threshold=0.5 (repeatable)', collect, [])
    .action(async (flags: ToinFlags) => {
      context.exitCode = await toin(flags, context);
    });
}

async function toin(flags: ToinFlags, context: CliContext): Promise<ExitCode> {
  const { config, location } = await storeFor(flags, context);
  const { MEMORY_STORE } = await import('../ccr/open-store.js');
  // Nothing learned can be there: `:memory:` holds nothing between runs, and a missing file is not created.
  const absent = location === MEMORY_STORE ? 'the :memory: store keeps nothing between runs' : fs.existsSync(location) ? null : `there is no CCR store at ${location}`;
  const feedback = await import('../feedback/index.js');
  const outputs = absent === null ? storeCall(() => feedback.readLearned(location)) : [];

  if (flags.clear) {
    let cleared = { outputs: 0, values: 0 };
    // Only a store that learned something is opened for writing, so clearing an empty one changes no file.
    if (absent === null && outputs.length > 0) {
      const writer = storeCall(() => new feedback.SqliteFeedbackWriter(location));
      try {
        cleared = storeCall(() => writer.clear());
      } finally {
        writer.close();
      }
    }
    if (flags.json) context.stdout.write(`${JSON.stringify({ schema: TOIN_SCHEMA, store: location, cleared }, null, 2)}\n`);
    else {
      const where = absent ?? location;
      context.stdout.write(
        cleared.outputs === 0
          ? `nothing to forget: no feedback learned (${where})\n`
          : `forgot ${formatCount(cleared.values)} learned ${plural(cleared.values, 'value')} and the retrieval counts of ${formatCount(cleared.outputs)} tool ${plural(cleared.outputs, 'output')} (${where}); the originals stay\n`,
      );
    }
    return ExitCode.Ok;
  }

  const listed = outputs.map((output) => ({ output, hints: feedback.hintsFrom(output.values) }));
  const threshold = config.smartCrusher.toinConfidenceThreshold;
  const used = (hint: LearnedHint): boolean => config.smartCrusher.useFeedbackHints && hint.confidence >= threshold;
  if (flags.json) {
    context.stdout.write(`${JSON.stringify(toinJson(location, config, listed, used), null, 2)}\n`);
    return ExitCode.Ok;
  }
  if (listed.length === 0) {
    context.stdout.write(`nothing learned yet: no retrieval of dropped JSON items was recorded (${absent ?? location})\n`);
    return ExitCode.Ok;
  }
  const style = await styleFor(context.stdout, flags.color, context.env);
  const table = new FitTable([
    { head: 'tool', fit: 'end' },
    { head: 'shape', fit: 'middle' },
    numeric('full'),
    numeric('query'),
    { head: 'field', fit: 'end' },
    { head: 'values', fit: 'end' },
    numeric('asks'),
    numeric('confidence'),
    { head: 'used' },
  ]);
  for (const { output, hints } of listed) {
    const head = [output.toolName ?? '(unknown)', output.shape, String(output.fullRetrievals), String(output.queryRetrievals)];
    if (hints.length === 0) table.push([...head, '—', '—', '', '', '']);
    hints.forEach((hint, index) => {
      table.push([...(index === 0 ? head : ['', '', '', '']), hint.field, hint.values.join(', '), String(hint.count), hint.confidence.toFixed(2), used(hint) ? 'yes' : 'no']);
    });
  }
  const footer = config.smartCrusher.useFeedbackHints
    ? `used: confidence ≥ ${threshold} (smart_crusher.toin_confidence_threshold)`
    : 'used: no — smart_crusher.use_feedback_hints is off, optimize ignores these hints';
  const legend = 'full / query: retrievals of the whole original / with --query; asks: retrievals that asked for each of the values';
  context.stdout.write(`${table.render(style)}\n\n${style.chalk.gray(`${legend}\n${footer}; store ${location}`)}\n`);
  return ExitCode.Ok;
}

function toinJson(location: string, config: HeadroomConfig, listed: readonly { output: LearnedOutput; hints: readonly LearnedHint[] }[], used: (hint: LearnedHint) => boolean): unknown {
  return {
    schema: TOIN_SCHEMA,
    store: location,
    use_feedback_hints: config.smartCrusher.useFeedbackHints,
    toin_confidence_threshold: config.smartCrusher.toinConfidenceThreshold,
    outputs: listed.map(({ output, hints }) => ({
      tool: output.toolName,
      shape: output.shape,
      full_retrievals: output.fullRetrievals,
      query_retrievals: output.queryRetrievals,
      hints: hints.map((hint) => ({ field: hint.field, values: hint.values, count: hint.count, confidence: Math.round(hint.confidence * 10_000) / 10_000, used: used(hint) })),
    })),
  };
}

/** A store failure is one line and exit 2, like retrieve's. */
function storeCall<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof CcrStoreError) throw new UsageError(error.message);
    throw error;
  }
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
