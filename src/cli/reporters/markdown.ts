/**
 * The Markdown reporter: what a pull-request comment needs. Headings and
 * GitHub tables, totals first, then the largest offenders and per-request
 * rows; no colour and no wrapping (the reader's browser wraps).
 */
import type { KindTokens, Location, RequestReport } from '../../analysis/report-types.js';
import type { ReplayReport } from '../../pipeline/replay.js';
import { KIND_COLUMNS } from '../../analysis/report-types.js';
import type { AuditSummary, OffenderReport } from '../../analysis/summary.js';
import { WASTE_KEYS } from '../../analysis/waste/types.js';
import { formatProblem, type InputProblem } from '../../input/problems.js';
import { contentKindRows, FILE_ROWS, requestCells, WASTE_LABELS } from '../audit-table.js';
import { nothingSavedReason, toolRows } from '../optimize-report.js';
import { REPLAY_HEADS, replayCells, replayNotes } from '../replay-table.js';
import { dollars, REQUEST_ROWS, requestCells as simulationCells, requestsShown, share } from '../simulate-table.js';
import { formatCount, formatShare } from '../style.js';
import { displayPath } from '../table.js';
import type { Reporter } from './reporter.js';
import type { AuditRunReport, OptimizeRunReport, ReportView, RunReport, SimulateRunReport } from './report.js';

/** Problems listed; a comment has a size limit, and the count says how many there were. */
const PROBLEM_ROWS = 20;

export const markdownReporter: Reporter = {
  selfContained: true,
  request: () => '',
  render: (report, view) => {
    const sections = report.mode === 'audit' ? audit(report, view) : report.mode === 'optimize' ? optimize(report, view) : simulate(report, view);
    if (report.exit.message) sections.push(`**${escapeText(report.exit.message)}**`);
    sections.push(...problems(report));
    return `${sections.join('\n\n')}\n`;
  },
};

type Align = 'left' | 'right';

/** A GitHub table; every cell is escaped, so a `|` in a path or preview cannot end it. */
export function markdownTable(columns: readonly (string | [string, Align])[], rows: readonly (readonly string[])[]): string {
  const heads = columns.map((column): [string, Align] => (typeof column === 'string' ? [column, 'left'] : column));
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(heads.map(([head]) => escapeText(head))), line(heads.map(([, align]) => (align === 'right' ? '---:' : '---'))), ...rows.map((row) => line(row.map(escapeText)))].join(
    '\n',
  );
}

/**
 * Text as Markdown shows it literally: characters that would format, link,
 * start HTML or end a table cell are backslash-escaped; line breaks become
 * spaces. An underscore inside a word (`json_bloat`) cannot start emphasis,
 * so it stays as it is and the raw comment stays readable.
 */
export function escapeText(text: string): string {
  return text.replace(/\r?\n|\r/g, ' ').replace(/[\\`*[\]<>|~]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\$&');
}

function right(head: string): [string, Align] {
  return [head, 'right'];
}

function audit(report: AuditRunReport, view: ReportView): string[] {
  const { summary } = report;
  const relative = (file: string): string => displayPath(file, view.cwd);
  const where = (location: Location): string => relative(location.line === null ? location.file : `${location.file}:${location.line}`);
  const sections = [`## headroom audit`, auditTotals(summary, relative)];
  if (summary.requests === 0) return sections;

  const kinds: string[][] = [];
  for (const kind of KIND_COLUMNS) {
    const tokens = summary.tokens.by_kind[kind as keyof KindTokens];
    const label = kind.replace('_', ' ') + (summary.tokens.estimated_kinds.includes(kind) ? ' (estimate)' : '');
    if (tokens > 0) kinds.push([label, formatCount(tokens), formatShare(tokens / Math.max(1, summary.tokens.total))]);
  }
  sections.push(`### Tokens by kind\n\n${markdownTable(['block kind', right('tokens'), right('share')], kinds)}`);

  const waste = WASTE_KEYS.filter((key) => summary.waste[key] > 0).map((key) => [
    `${key} (${WASTE_LABELS[key] ?? key})`,
    formatCount(summary.waste[key]),
    formatShare(summary.waste[key] / Math.max(1, summary.tokens.total)),
  ]);
  sections.push(waste.length > 0 ? `### Waste\n\n${markdownTable(['waste', right('tokens'), right('share of prompt')], waste)}` : '### Waste\n\nnone found');

  if (summary.top_offenders.length > 0) {
    const rows = summary.top_offenders.map((offender) => [
      formatCount(offender.tokens_total),
      formatCount(offender.times_sent),
      formatCount(offender.tokens_each),
      ...offenderText(offender, relative, where),
    ]);
    sections.push(`### Top offenders (content by tokens sent over all requests)\n\n${markdownTable([right('tokens sent'), right('times'), right('each'), ...OFFENDER_TEXT], rows)}`);
  }
  if (summary.largest_tool_outputs.length > 0) {
    const rows = summary.largest_tool_outputs.map((offender) => [formatCount(offender.tokens_each), ...offenderText(offender, relative, where)]);
    sections.push(`### Largest tool outputs\n\n${markdownTable([right('tokens'), ...OFFENDER_TEXT], rows)}`);
  }
  const contentKinds = contentKindRows(summary);
  if (contentKinds.length > 0) {
    sections.push(`### Tool outputs by content kind\n\n${markdownTable(['content kind', right('sent'), right('tokens'), right('share')], contentKinds)}`);
  }
  if (summary.stale_reads.count > 0) {
    const rows = summary.stale_reads.top.map((read) => [
      relative(read.file_path),
      read.reason === 'edited' ? 'edited later' : 'read again later',
      formatCount(read.tokens_each),
      formatCount(read.times_sent),
      where(read.where),
    ]);
    sections.push(
      `### Stale file reads: ${formatCount(summary.stale_reads.count)} (${formatCount(summary.stale_reads.tokens)} tokens resent)\n\n` +
        markdownTable(['file', 'why stale', right('tokens'), right('sent'), 'where'], rows),
    );
  }
  if (summary.by_file.length > 1) {
    const sorted = [...summary.by_file].sort((a, b) => b.tokens - a.tokens);
    const shown = view.perFile ? sorted : sorted.slice(0, FILE_ROWS);
    const rows = shown.map((row) => [relative(row.file), formatCount(row.requests), formatCount(row.tokens), formatCount(row.waste)]);
    const more = sorted.length - shown.length;
    sections.push(`### By file\n\n${markdownTable(['file', right('requests'), right('tokens'), right('waste')], rows)}${more > 0 ? `\n\n… ${formatCount(more)} more files` : ''}`);
  }
  if (report.requests && report.requests.length > 0) sections.push(`### Requests\n\n${auditRequests(report.requests, relative)}`);
  return sections;
}

function auditTotals(summary: AuditSummary, relative: (file: string) => string): string {
  const rows: string[][] = [
    ['requests', formatCount(summary.requests)],
    ['files', formatCount(summary.files)],
  ];
  if (summary.conversations > 0) rows.push(['conversations', formatCount(summary.conversations)]);
  const tokenizer = summary.tokenizer.encodings.join(', ') || 'none';
  rows.push(['tokenizer', tokenizer + (summary.tokenizer.estimate ? ' (counts are estimates)' : '')]);
  rows.push(['prompt tokens', formatCount(summary.tokens.total)]);
  rows.push(['average per request', formatCount(summary.tokens.average_per_request)]);
  const largest = summary.tokens.largest_request;
  if (largest) rows.push(['largest request', `${formatCount(largest.tokens)} (${relative(largest.id)})`]);
  rows.push(['waste', `${formatCount(summary.waste.total)} (${formatShare(summary.waste.share)})`]);
  if (summary.usage) {
    rows.push(['recorded prompt (as billed)', formatCount(summary.usage.prompt)]);
    rows.push(['cache read share', formatShare(summary.usage.cache_read_share)]);
  }
  if (summary.budget) {
    const { limit, exceeded } = summary.budget;
    rows.push(['budget', exceeded === 0 ? `every request within ${formatCount(limit)} tokens` : `${formatCount(exceeded)} request(s) over ${formatCount(limit)} tokens`]);
  }
  const { errors, notes } = summary.problems;
  if (errors > 0 || notes > 0) rows.push(['input problems', `${errors} error(s), ${notes} note(s)`]);
  return markdownTable(['total', right('value')], rows);
}

const OFFENDER_TEXT = ['kind', 'tool / file', 'where', 'preview'];

function offenderText(offender: OffenderReport, relative: (file: string) => string, where: (location: Location) => string): string[] {
  const label = [offender.tool, offender.file_path ? relative(offender.file_path) : null].filter(Boolean).join(' ') || '–';
  return [offender.kind, label, where(offender.first_seen), offender.preview];
}

function auditRequests(requests: readonly RequestReport[], relative: (file: string) => string): string {
  const rows = requests.map((request) => requestCells(request, relative, ' (over budget)'));
  return markdownTable(['request', 'model', right('msgs'), right('tokens'), right('waste'), right('recorded prompt'), right('cache read'), 'prefix'], rows);
}

/** The totals rows optimize and simulate share. */
function savingsRows(total: { requests: number; tokens_before: number; tokens_after: number; tokens_saved: number }): string[][] {
  return [
    ['requests', formatCount(total.requests)],
    ['tokens before', formatCount(total.tokens_before)],
    ['tokens after', formatCount(total.tokens_after)],
    ['saved', `${formatCount(total.tokens_saved)} (${share(total.tokens_saved, total.tokens_before)})`],
  ];
}

function optimize(report: OptimizeRunReport, view: ReportView): string[] {
  const { summary } = report;
  const rows = savingsRows(summary);
  if (summary.markers_inserted > 0) rows.push(['markers', `${formatCount(summary.markers_inserted)} (originals in ${summary.ccr.store ?? '(none)'})`]);
  const sections = [`## headroom optimize`, markdownTable(['total', right('value')], rows)];
  if (summary.tokens_saved === 0) sections.push(`Nothing saved: ${escapeText(nothingSavedReason(summary))}.`);
  const decisions = Object.entries(summary.decisions);
  if (decisions.length > 0)
    sections.push(
      `### Blocks\n\n${markdownTable(
        ['decision', right('blocks')],
        decisions.map(([key, count]) => [key, formatCount(count)]),
      )}`,
    );
  const kinds = Object.entries(summary.content_kinds);
  if (kinds.length > 0)
    sections.push(
      `### Tool outputs by kind\n\n${markdownTable(
        ['kind', right('tool outputs')],
        kinds.map(([kind, count]) => [kind, formatCount(count)]),
      )}`,
    );
  const tools = toolRows(summary);
  if (tools.length > 0) sections.push(`### Tool outputs by tool\n\n${markdownTable(['tool', right('outputs'), right('tokens before → after'), 'rewritten by'], tools)}`);
  if (report.requests && report.requests.length > 0) {
    const savers = [...report.requests].sort((a, b) => saved(b) - saved(a)).slice(0, REQUEST_ROWS);
    const table = markdownTable(
      ['request', 'model', right('before'), right('after'), right('saved'), right('share')],
      savers.map(({ metrics, result }) => [
        displayPath(result.request_id, view.cwd),
        metrics.model ?? '–',
        formatCount(result.tokens_before),
        formatCount(result.tokens_after),
        formatCount(saved({ result })),
        share(saved({ result }), result.tokens_before),
      ]),
    );
    const more = report.requests.length - savers.length;
    sections.push(`### Requests that save the most\n\n${table}${more > 0 ? `\n\n… ${formatCount(more)} more requests` : ''}`);
  }
  const warnings = [...summary.warnings];
  if (summary.ccr.evicted > 0) warnings.unshift(`the CCR store evicted ${formatCount(summary.ccr.evicted)} originals to stay within ccr.store_max_entries; raise it`);
  if (warnings.length > 0) sections.push(`### Warnings\n\n${warnings.map((warning) => `- ${escapeText(warning)}`).join('\n')}`);
  return sections;
}

function saved(entry: { result: { tokens_before: number; tokens_after: number } }): number {
  return entry.result.tokens_before - entry.result.tokens_after;
}

function simulate(report: SimulateRunReport, view: ReportView): string[] {
  const replay = report.replay ? replaySection(report.replay) : [];
  if (report.total.requests === 0 && replay.length > 0) return [`## headroom simulate`, ...replay];
  return [...simulateRequests(report, view), ...replay];
}

function replaySection(replay: ReplayReport): string[] {
  const rows = replay.conversations.map((conversation) => replayCells(escapeText(conversation.conversation), conversation.calls, conversation));
  rows.push(replayCells(`total (${formatCount(replay.total.conversations)})`, replay.total.calls, replay.total));
  const table = markdownTable([REPLAY_HEADS[0], ...REPLAY_HEADS.slice(1).map((head) => right(head))], rows);
  return [
    `### Session replay\n\n${table}\n\n${replayNotes(replay)
      .map((note) => `- ${escapeText(note)}`)
      .join('\n')}`,
  ];
}

function simulateRequests(report: SimulateRunReport, view: ReportView): string[] {
  const { total } = report;
  const rows = [...savingsRows(total), ['est. savings (priced requests, list input price)', dollars(total.estimated_savings_usd)]];
  if (total.unpriced_requests > 0) rows.push(['unpriced requests', `${formatCount(total.unpriced_requests)} (prices as of ${total.prices_as_of})`]);
  const sections = [`## headroom simulate`, markdownTable(['total', right('value')], rows)];
  if (total.requests === 0) return sections;
  if (total.tokens_saved === 0) sections.push(`Nothing saved: ${escapeText(nothingSavedReason(report.summary))}.`);
  const shown = requestsShown(report.requests, view.allRequests);
  const table = markdownTable(
    ['request', 'model', right('before'), right('after'), right('saved'), right('share'), right('est. savings')],
    shown.map((row) => simulationCells(row, view.cwd)),
  );
  const more = report.requests.length - shown.length;
  const heading = view.allRequests ? '### Requests' : '### Requests that save the most';
  sections.push(`${heading}\n\n${table}${more > 0 ? `\n\n… ${formatCount(more)} more requests (--per-request lists all)` : ''}`);
  return sections;
}

function problems(report: RunReport): string[] {
  if (report.problems.length === 0) return [];
  const listed = report.problems.slice(0, PROBLEM_ROWS).map((problem: InputProblem) => `- ${problem.severity}: ${escapeText(formatProblem(problem))}`);
  const more = report.problems.length - listed.length;
  if (more > 0) listed.push(`- … ${formatCount(more)} more`);
  return [`### Input problems\n\n${listed.join('\n')}`];
}
