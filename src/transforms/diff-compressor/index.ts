/**
 * The diff compressor: unified and git diffs (`git diff`, `git show` with its
 * commit header, `git log -p`, svn/hg, combined `@@@` diffs). Every file
 * header, hunk header and changed line is kept byte for byte; context lines
 * beyond `max_context_lines` per side of a change, and whole files that are
 * generated, deleted, binary or oversized, go behind markers (./plan.ts);
 * lines of a protected block span (an agent tag pair, a fence or JSON over
 * several lines) are never among them.
 * A diff with nothing to trim — only renames, mode changes, tight hunks —
 * passes through.
 */
import { formatMarker } from '../../ccr/markers.js';
import type { HeadroomConfig } from '../../config/headroom-config.js';
import { omitLines, protectedLineFlags, savesEnough, splitLines, type RunDescription } from '../lines.js';
import type { Decline, Rewrite, Transform, TransformBlock, TransformContext, TransformFactory } from '../types.js';
import { pathMatcher } from './globs.js';
import { parseDiff } from './parse.js';
import { planDiff, type DiffPlanSettings, type PlanCosts } from './plan.js';

export const DIFF_COMPRESSOR = 'diff_compressor';

/** A representative key: markers are weighed before the real key exists (hex keys tokenize about alike). */
const SAMPLE_KEY = '0f1e2d3c4b5a69788796a5b4';

export const diffCompressorFactory: TransformFactory = {
  name: DIFF_COMPRESSOR,
  reads: [
    'diff_compressor.enabled',
    'diff_compressor.max_context_lines',
    'diff_compressor.max_file_lines',
    'diff_compressor.summarize_patterns',
    'diff_compressor.summarize_deleted_files',
    'diff_compressor.min_savings_ratio',
  ],
  create: (config) => createDiffCompressor(config),
};

export function createDiffCompressor(config: HeadroomConfig): Transform | null {
  const section = config.diffCompressor;
  if (!section.enabled) return null;
  const settings: DiffPlanSettings = {
    maxContextLines: section.maxContextLines,
    maxFileLines: section.maxFileLines,
    summarize: pathMatcher(section.summarizePatterns),
    summarizeDeletedFiles: section.summarizeDeletedFiles,
  };
  return {
    name: DIFF_COMPRESSOR,
    lossless: false,
    accepts: ['diff'],
    apply: (block, context) => compressDiff(block, context, settings, section.minSavingsRatio),
  };
}

export function compressDiff(block: TransformBlock, context: TransformContext, settings: DiffPlanSettings, minSavingsRatio: number): Rewrite | Decline {
  if (block.structured) return { decline: 'unsupported-shape' };
  const lines = splitLines(block.text);
  const parsed = parseDiff(lines);
  if (parsed.files.length === 0) return { decline: 'unsupported-shape' };
  const costs = planCosts(context, block.text.length > 0 ? block.tokens / block.text.length : 0);
  const plan = planDiff(lines, parsed, settings, costs, protectedLineFlags(lines, block.text));
  if (plan.descriptions.size === 0) return { decline: 'already-compact' };
  // Weighed before anything is offloaded, so a declined rewrite stores nothing.
  if (!savesEnough(block.tokens, block.tokens - plan.savedTokens, minSavingsRatio)) return { decline: 'small-gain' };
  if (!context.canOffload) return { decline: 'needs-offload' };
  const text = omitLines(lines, plan.keep, context, (run) => plan.descriptions.get(run.first) as RunDescription);
  return { text, label: label(plan.summarizedFiles, plan.contextRuns) };
}

function planCosts(context: TransformContext, tokensPerChar: number): PlanCosts {
  return {
    estimate: (chars) => Math.round(chars * tokensPerChar),
    tokens: (text) => context.count(text),
    markerTokens: (description) => context.count(formatMarker({ key: SAMPLE_KEY, ...description }) + '\n'),
  };
}

function label(files: number, runs: number): string {
  const parts: string[] = [];
  if (files > 0) parts.push(files === 1 ? '1 file summarized' : `${files} files summarized`);
  if (runs > 0) parts.push(runs === 1 ? '1 context run trimmed' : `${runs} context runs trimmed`);
  return `diff: ${parts.join(', ')}`;
}
