/**
 * The optimize report: totals, what happened to the blocks, and, when
 * nothing was saved, why. With --diff, a before/after view of changed blocks.
 */
import type { OptimizedRequest } from '../pipeline/optimize-request.js';
import type { OptimizeRunResult } from '../pipeline/optimize.js';
import type { BlockDecision, BlockDiff } from '../pipeline/results.js';
import { decisionKey } from './reporters/decision.js';
import { formatCount, formatShare, type Style } from './style.js';
import { FitTable, numeric, shorten, wrapText } from './table.js';

export interface OptimizeSummary {
  requests: number;
  tokens_before: number;
  tokens_after: number;
  tokens_saved: number;
  /** Decision (without its numbers) → blocks, e.g. `compressed:json-compact`, `protected:user`. */
  decisions: Record<string, number>;
  /** Tool outputs by the content kind the router found (`json-array`, `build-log`, …). */
  content_kinds: Record<string, number>;
  /** Tool outputs by the tool that produced them (`Bash`, `Read`, `Grep`, …; `(unknown)` when the request does not say), most tokens saved first. */
  tool_outputs_by_tool: Record<string, ToolOutputTotals>;
  transforms_summary: Record<string, number>;
  markers_inserted: number;
  ccr: { stored: number; evicted: number; store: string | null };
  /** The provider cache optimizers: requests each strategy planned, breakpoints added, tokens a repeat call could read from cache. */
  cache: CacheSummary;
  warnings: string[];
  errors: number;
  notes: number;
}

export interface CacheSummary {
  /** Strategy (`explicit_breakpoints`, `prefix_stabilization`, `cached_content`) → requests it planned. */
  strategies: Record<string, number>;
  breakpoints_inserted: number;
  cacheable_tokens: number;
}

/** What optimize did to the outputs of one tool. */
export interface ToolOutputTotals {
  outputs: number;
  tokens_before: number;
  tokens_after: number;
  /** Transform → outputs it rewrote (one output can be rewritten by several, e.g. json_compaction then smart_crusher). */
  compressed_by: Record<string, number>;
}

/** The name a tool output is grouped under when the request does not say which tool produced it. */
export const UNKNOWN_TOOL = '(unknown)';

/** Warnings listed in a report; the count says how many there were. */
const WARNING_LIMIT = 20;
/** Changed blocks shown in a --diff table. */
const DIFF_BLOCK_LIMIT = 20;

export class OptimizeReport {
  private readonly decisions: Record<string, number> = {};
  private readonly kinds: Record<string, number> = {};
  private readonly tools = new Map<string, ToolOutputTotals>();
  private readonly transforms: Record<string, number> = {};
  private readonly warnings: string[] = [];
  private warningCount = 0;
  private markers = 0;
  private readonly cache: CacheSummary = { strategies: {}, breakpoints_inserted: 0, cacheable_tokens: 0 };
  readonly diffs: { request: string; block: BlockDiff }[] = [];

  add(optimized: OptimizedRequest): void {
    const { result } = optimized;
    for (const block of result.blocks) {
      const key = decisionKey(block);
      this.decisions[key] = (this.decisions[key] ?? 0) + 1;
      if (block.content_kind !== null) this.kinds[block.content_kind] = (this.kinds[block.content_kind] ?? 0) + 1;
      if (block.kind === 'tool_result') this.addToolOutput(block);
    }
    for (const [tag, count] of Object.entries(result.transforms_summary)) this.transforms[tag] = (this.transforms[tag] ?? 0) + count;
    this.markers += result.markers_inserted.length;
    const plan = result.cache_plan;
    if (plan) {
      this.cache.strategies[plan.strategy] = (this.cache.strategies[plan.strategy] ?? 0) + 1;
      this.cache.breakpoints_inserted += optimized.metrics.breakpoints_inserted ?? 0;
      this.cache.cacheable_tokens += plan.cacheable_tokens;
    }
    for (const warning of result.warnings) {
      this.warningCount++;
      if (this.warnings.length < WARNING_LIMIT) this.warnings.push(`${result.request_id}: ${warning}`);
    }
    for (const block of result.diff_artifact?.blocks ?? []) {
      if (this.diffs.length < DIFF_BLOCK_LIMIT) this.diffs.push({ request: result.request_id, block });
    }
  }

  private addToolOutput(block: BlockDecision): void {
    const name = block.tool ?? UNKNOWN_TOOL;
    let totals = this.tools.get(name);
    if (totals === undefined) {
      totals = { outputs: 0, tokens_before: 0, tokens_after: 0, compressed_by: {} };
      this.tools.set(name, totals);
    }
    totals.outputs++;
    totals.tokens_before += block.tokens_before;
    totals.tokens_after += block.tokens_after;
    for (const transform of new Set(block.steps.map((step) => step.transform))) totals.compressed_by[transform] = (totals.compressed_by[transform] ?? 0) + 1;
  }

  finish(run: OptimizeRunResult, store: string | null): OptimizeSummary {
    const warnings = [...this.warnings];
    if (this.warningCount > warnings.length) warnings.push(`… ${this.warningCount - warnings.length} more warnings`);
    return {
      requests: run.requests,
      tokens_before: run.tokensBefore,
      tokens_after: run.tokensAfter,
      tokens_saved: run.tokensBefore - run.tokensAfter,
      decisions: sortedByCount(this.decisions),
      content_kinds: sortedByCount(this.kinds),
      tool_outputs_by_tool: Object.fromEntries(
        [...this.tools].sort(([a, x], [b, y]) => y.tokens_before - y.tokens_after - (x.tokens_before - x.tokens_after) || y.tokens_before - x.tokens_before || a.localeCompare(b)),
      ),
      transforms_summary: this.transforms,
      markers_inserted: this.markers,
      ccr: { stored: run.stored, evicted: run.evicted, store: run.stored > 0 ? store : null },
      cache: { ...this.cache, strategies: { ...this.cache.strategies } },
      warnings,
      errors: run.errors,
      notes: run.notes,
    };
  }
}

/** One line on the cache optimizers, or null when none planned anything. */
function cacheSummaryLine(cache: CacheSummary): string | null {
  const strategies = Object.entries(cache.strategies);
  if (strategies.length === 0) return null;
  const planned = strategies.map(([strategy, count]) => `${strategy} ${formatCount(count)}`).join(', ');
  return `  cache: ${planned}; ${formatCount(cache.breakpoints_inserted)} breakpoints added; ${formatCount(cache.cacheable_tokens)} tokens cacheable for a repeat call`;
}

function sortedByCount(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

/** Why a run saved nothing, from what happened to its tool outputs. */
export function nothingSavedReason(summary: OptimizeSummary): string {
  const reasons = Object.entries(summary.decisions).filter(([key]) => !key.startsWith('protected:') || key === 'protected:retrieved');
  if (summary.requests === 0) return 'no requests were found';
  if (reasons.length === 0) return 'the requests hold no tool outputs (user, system and assistant text is never rewritten)';
  const explained = reasons.map(([key, count]) => `${formatCount(count)} ${REASON_WORDS[key] ?? key}`);
  return `tool outputs: ${explained.join(', ')}`;
}

const REASON_WORDS: Record<string, string> = {
  'skipped:small': 'below smart_crusher.min_tokens_to_crush',
  'skipped:cached': 'in the cached prefix (cache_control or prefix freeze)',
  'skipped:no-compressor': 'of a content kind no compressor handles yet',
  'skipped:already-compact': 'already compact JSON',
  'skipped:no-large-array': 'JSON with no array of smart_crusher.min_items_to_analyze items',
  'skipped:nothing-to-rank': 'whose items are unique entities with nothing to rank (kept whole)',
  'skipped:within-budget': 'whose arrays are within the item budget (every item kept)',
  'skipped:marker-costs-more': 'where the dropped items would cost less than their marker',
  'skipped:lossless-enough': 'where keeping every item in a table costs about as much as dropping some',
  'skipped:small-gain': "where the saving would be under the compressor's min_savings_ratio",
  'skipped:file-read': 'read from a file on disk (source, kept as it is)',
  'skipped:partial-read': 'a range of lines a read asked for (kept as it is, not outlined)',
  'skipped:needs-offload': 'where dropping items needs CCR, which is off',
  'skipped:already-marked': 'already crushed (selection markers present)',
  'skipped:no-gain': 'where a rewrite saved no tokens',
  'skipped:no-net-gain': 'whose markers would not pay for the retrieval tool',
  'skipped:invalid-output': 'structured, where a rewrite was not JSON of the same type',
  'skipped:error': 'where a compressor failed (see the warnings)',
  'skipped:cleared': 'cleared by the client before sending',
  'skipped:structured': 'composed by the parser, with no slot to write back (server tools, transcripts)',
  'skipped:media': 'media',
  'skipped:empty': 'empty',
  'protected:retrieved': 'returned by headroom_retrieve',
};

export function renderOptimizeReport(summary: OptimizeSummary, style: Style, showDiff: boolean, diffs: OptimizeReport['diffs']): string {
  const { chalk } = style;
  const lines: string[] = [];
  const share = summary.tokens_before > 0 ? summary.tokens_saved / summary.tokens_before : 0;
  lines.push(
    `${chalk.bold('optimize')}: ${formatCount(summary.requests)} ${summary.requests === 1 ? 'request' : 'requests'}, ${formatCount(summary.tokens_before)} → ${formatCount(summary.tokens_after)} tokens ` +
      `(${chalk.green(`-${formatCount(summary.tokens_saved)}`)}, ${formatShare(share)})`,
  );
  if (summary.tokens_saved === 0) lines.push(`  nothing saved: ${nothingSavedReason(summary)}`);
  const decisions = Object.entries(summary.decisions);
  if (decisions.length > 0) lines.push(`  blocks: ${decisions.map(([key, count]) => `${key} ${formatCount(count)}`).join(', ')}`);
  const kinds = Object.entries(summary.content_kinds);
  if (kinds.length > 0) lines.push(`  tool outputs by kind: ${kinds.map(([kind, count]) => `${kind} ${formatCount(count)}`).join(', ')}`);
  if (summary.markers_inserted > 0) {
    lines.push(`  markers: ${formatCount(summary.markers_inserted)}; originals stored in ${summary.ccr.store ?? '(none)'} (retrieve with: headroom retrieve KEY)`);
  }
  const cacheLine = cacheSummaryLine(summary.cache);
  if (cacheLine !== null) lines.push(cacheLine);
  if (summary.ccr.evicted > 0) lines.push(chalk.yellow(`  warning: the CCR store evicted ${formatCount(summary.ccr.evicted)} originals to stay within ccr.store_max_entries; raise it`));
  for (const warning of summary.warnings) lines.push(chalk.yellow(`  warning: ${warning}`));
  const report = lines.map((line) => wrapText(line, style.width));
  const tools = toolRows(summary);
  if (tools.length > 0) {
    // After the totals and before the markers line: what each tool's outputs came to.
    const table = new FitTable([{ head: 'tool', fit: 'end' }, numeric('outputs'), numeric('tokens before → after'), { head: 'rewritten by', fit: 'end' }]);
    for (const row of tools) table.push(row);
    const at = lines.findIndex((line) => line.startsWith('  markers:') || line.includes('warning:'));
    const rendered = table
      .render({ ...style, width: style.width - 4 })
      .replace(/\n$/, '')
      .split('\n');
    report.splice(at < 0 ? report.length : at, 0, '  tool outputs by tool:', ...rendered.map((line) => `    ${line}`));
  }
  if (showDiff) {
    for (const { request, block } of diffs) {
      report.push(
        '',
        chalk.bold(
          wrapText(
            `${request} block ${block.block_index} (message ${block.message_index}): ${formatCount(block.tokens_before)} → ${formatCount(block.tokens_after)} tokens` +
              (block.labels.length > 0 ? ` — ${block.labels.join(', ')}` : ''),
            style.width,
          ),
        ),
      );
      report.push(...indent(block.before, chalk.red('- '), style.width), ...indent(block.after, chalk.green('+ '), style.width));
    }
  }
  return `${report.join('\n')}\n`;
}

/** Tools listed in a report, most tokens saved first; the rest are summed in one row. */
const TOOL_ROWS = 12;

/**
 * One row per tool: name, outputs, `before → after (-share)`, and which
 * transforms rewrote how many of its outputs. Shared by the text and
 * Markdown reporters.
 */
export function toolRows(summary: OptimizeSummary): string[][] {
  const entries = Object.entries(summary.tool_outputs_by_tool);
  const shown = entries.slice(0, TOOL_ROWS);
  const rest = entries.slice(TOOL_ROWS);
  if (rest.length > 0) {
    const totals: ToolOutputTotals = { outputs: 0, tokens_before: 0, tokens_after: 0, compressed_by: {} };
    for (const [, tool] of rest) {
      totals.outputs += tool.outputs;
      totals.tokens_before += tool.tokens_before;
      totals.tokens_after += tool.tokens_after;
      for (const [transform, count] of Object.entries(tool.compressed_by)) totals.compressed_by[transform] = (totals.compressed_by[transform] ?? 0) + count;
    }
    shown.push([`${formatCount(rest.length)} more tools`, totals]);
  }
  return shown.map(([name, tool]) => {
    const saved = tool.tokens_before - tool.tokens_after;
    const by = Object.entries(tool.compressed_by).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    return [
      name,
      formatCount(tool.outputs),
      `${formatCount(tool.tokens_before)} → ${formatCount(tool.tokens_after)}` + (saved > 0 ? ` (-${formatShare(saved / tool.tokens_before)})` : ''),
      by.length === 0 ? '–' : by.map(([transform, count]) => `${transform} ${formatCount(count)}`).join(', '),
    ];
  });
}

/** The before/after lines are previews: each is cut to the width, like a table cell. */
function indent(text: string, prefix: string, width: number): string[] {
  return text.split('\n').map((line) => `  ${prefix}${shorten(line, width - 4, 'end')}`);
}
