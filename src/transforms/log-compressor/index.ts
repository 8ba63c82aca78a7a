/**
 * The log compressor: build, test and CI output and application logs
 * (JSON-lines logs included — the router calls them `app-log`). It keeps
 * what a reader of a log looks for — errors and failures with context,
 * distinct stack traces, test summaries, exit codes, CI annotations, the
 * first warning of each kind, source coordinates, the first and last lines,
 * every line of an agent tag pair, fenced block or JSON over several lines —
 * byte for byte, and puts every run of other lines behind one marker that
 * says which lines, what kind of line most of them are, and how many errors
 * and warnings it holds (src/transforms/lines.ts writes them). Lines are
 * never edited, fused or reordered.
 */
import type { HeadroomConfig, LogCompressorConfig } from '../../config/headroom-config.js';
import { findMarkers } from '../../ccr/markers.js';
import { omitLines, protectedLineFlags, savesEnough, splitLines, type Line } from '../lines.js';
import type { Decline, Rewrite, Transform, TransformBlock, TransformContext, TransformFactory } from '../types.js';
import { runDescriber } from './describe.js';
import { lineRole, plainLine } from './roles.js';
import { selectLines, type LogLines } from './select.js';
import { templateOf } from './template.js';

export const LOG_COMPRESSOR = 'log_compressor';

export const logCompressorFactory: TransformFactory = {
  name: LOG_COMPRESSOR,
  reads: [
    'log_compressor.enabled',
    'log_compressor.min_savings_ratio',
    'log_compressor.error_context_lines',
    'log_compressor.max_error_repeats',
    'log_compressor.max_warning_repeats',
    'log_compressor.max_stack_traces',
    'log_compressor.stack_trace_max_lines',
    'log_compressor.keep_first_lines',
    'log_compressor.keep_last_lines',
  ],
  create(config: HeadroomConfig): Transform | null {
    return config.logCompressor.enabled ? logCompressor(config.logCompressor) : null;
  },
};

export function logCompressor(config: LogCompressorConfig): Transform {
  return {
    name: LOG_COMPRESSOR,
    lossless: false,
    accepts: ['build-log', 'app-log'],
    apply: (block, context) => compressLog(block, context, config),
  };
}

function compressLog(block: TransformBlock, context: TransformContext, config: LogCompressorConfig): Rewrite | Decline {
  // Already compressed (by us or another step): a second pass must change nothing.
  if (findMarkers(block.text).length > 0) return { decline: 'already-marked' };
  const lines = splitLines(block.text);
  const log = readLog(lines);
  const keep = selectLines(
    log,
    config,
    lines.map((line) => line.text.length + line.eol.length),
    protectedLineFlags(lines, block.text),
  );
  const dropped = keep.indexOf(0) >= 0;
  if (!dropped) return { decline: 'already-compact' };
  if (!context.canOffload) return { decline: 'needs-offload' };
  const text = omitLines(lines, keep, context, runDescriber(log));
  if (!savesEnough(block.tokens, context.count(text), config.minSavingsRatio)) return { decline: 'small-gain' };
  let kept = 0;
  for (const flag of keep) kept += flag;
  return { text, label: `log: kept ${kept} of ${lines.length} lines` };
}

function readLog(lines: readonly Line[]): LogLines {
  const plain = lines.map((line) => plainLine(line.text));
  return { plain, roles: plain.map(lineRole), templates: plain.map(templateOf) };
}
