/**
 * Renders an audit summary (and optional per-request rows) as terminal
 * tables that fit the width in `style` (the JSON output keeps full values).
 */
import { CONTENT_KINDS } from '../analysis/content-kind.js';
import type { KindTokens, Location, RequestReport } from '../analysis/report-types.js';
import { KIND_COLUMNS } from '../analysis/report-types.js';
import type { AuditSummary, FileRow, OffenderReport, RunUsageReport } from '../analysis/summary.js';
import { WASTE_KEYS } from '../analysis/waste/types.js';
import { renderCacheForensics } from './cache-forensics-table.js';
import { formatBytes, formatCount, formatShare, type Style } from './style.js';
import { displayPath, FitTable, numeric, wrapText } from './table.js';

/** Files listed in the by-file table unless --per-file asks for all. */
export const FILE_ROWS = 20;

export interface AuditView {
  /** Paths under it are shown relative to it. */
  cwd: string;
  /** List every file, not only the top FILE_ROWS by tokens. */
  perFile: boolean;
}

export const WASTE_LABELS: Record<string, string> = {
  json_bloat: 'pretty-printed JSON',
  html_noise: 'HTML markup',
  base64: 'base64 blobs',
  whitespace: 'collapsible whitespace',
  dynamic_date: 'volatile values in prefix',
  repetition: 'repeated text',
  reread: 'tool output sent again',
  reread_compressed: '  of which compressed',
};

export function renderAuditTables(summary: AuditSummary, requests: readonly RequestReport[] | null, style: Style, view: AuditView): string {
  const sections: string[] = [];
  const { chalk } = style;
  const heading = (text: string): string => chalk.bold(wrapText(text, style.width));
  const relative = (file: string): string => displayPath(file, view.cwd);
  const where = (location: Location): string => relative(location.line === null ? location.file : `${location.file}:${location.line}`);

  sections.push(overview(summary, style, relative));
  // With no requests the command says on stderr why (and exits 2); the tables would all be empty.
  if (summary.requests === 0) return `${sections[0]}\n`;

  if (requests && requests.length > 0) sections.push(`${heading('Requests')}\n${perRequestTable(requests, relative).render(style)}`);

  const kinds = new FitTable([{ head: 'block kind', fit: 'end' }, numeric('tokens'), numeric('share')]);
  for (const kind of KIND_COLUMNS) {
    const tokens = summary.tokens.by_kind[kind as keyof KindTokens];
    const label = kind.replace('_', ' ') + (summary.tokens.estimated_kinds.includes(kind) ? ' (estimate)' : '');
    if (tokens > 0) kinds.push([label, formatCount(tokens), formatShare(tokens / Math.max(1, summary.tokens.total))]);
  }
  kinds.push(['total', formatCount(summary.tokens.total), ''], { bold: true });
  sections.push(`${heading('Tokens by kind')}\n${kinds.render(style)}`);

  const waste = new FitTable([{ head: 'waste', fit: 'end' }, numeric('tokens'), numeric('share of prompt')]);
  for (const key of WASTE_KEYS) {
    const tokens = summary.waste[key];
    if (tokens > 0) waste.push([`${key} (${WASTE_LABELS[key] ?? key})`, formatCount(tokens), formatShare(tokens / Math.max(1, summary.tokens.total))]);
  }
  if (summary.waste.total === 0) waste.push(['none found', '0', '']);
  else waste.push(['total', formatCount(summary.waste.total), formatShare(summary.waste.share)], { bold: true });
  sections.push(`${heading('Waste')}\n${waste.render(style)}`);

  if (summary.usage) {
    let usage = `${heading(`Recorded usage (${formatCount(summary.usage.requests_with_usage)} requests, as billed)`)}\n${usageTable(summary.usage).render(style)}`;
    const compactions = summary.usage.server_iterations?.by_type['compaction'] ?? 0;
    if (compactions > 0) {
      const note = `Recorded usage includes ${formatCount(compactions)} server-side compaction iteration(s) (summed from usage.iterations of ${formatCount(summary.usage.server_iterations?.requests ?? 0)} request(s)).`;
      usage += `\n${wrapText(note, style.width)}`;
    }
    if (summary.formats['claude-code']) {
      usage += `\n${wrapText('Claude Code transcripts do not record the system prompt and tool definitions, so our estimate covers the messages only.', style.width)}`;
    }
    sections.push(usage);
  }

  sections.push(cacheSection(summary, heading, style.width));
  if (summary.cache_forensics) sections.push(renderCacheForensics(summary.cache_forensics, style, relative, requests !== null));

  if (summary.top_offenders.length > 0) {
    sections.push(`${heading('Top offenders (content by tokens sent over all requests)')}\n${offenderTable(summary.top_offenders, true, relative, where).render(style)}`);
  }
  if (summary.largest_tool_outputs.length > 0) {
    sections.push(`${heading('Largest tool outputs')}\n${offenderTable(summary.largest_tool_outputs, false, relative, where).render(style)}`);
  }
  const contentKinds = contentKindTable(summary);
  if (contentKinds) sections.push(`${heading('Tool outputs by content kind')}\n${contentKinds.render(style)}`);
  if (summary.stale_reads.count > 0) {
    const stale = new FitTable([{ head: 'file', fit: 'middle' }, { head: 'why stale', fit: 'end' }, numeric('tokens'), numeric('sent'), { head: 'where', fit: 'middle' }]);
    for (const read of summary.stale_reads.top) {
      stale.push([
        relative(read.file_path),
        read.reason === 'edited' ? 'edited later' : 'read again later',
        formatCount(read.tokens_each),
        formatCount(read.times_sent),
        where(read.where),
      ]);
    }
    sections.push(`${heading(`Stale file reads: ${formatCount(summary.stale_reads.count)} (${formatCount(summary.stale_reads.tokens)} tokens resent)`)}\n${stale.render(style)}`);
  }
  if (summary.by_file.length > 1) sections.push(`${heading('By file')}\n${fileTable(summary.by_file, view, relative, style)}`);
  if (summary.budget) {
    const { limit, exceeded, worst } = summary.budget;
    const line =
      exceeded === 0
        ? chalk.green(`Budget: every request within ${formatCount(limit)} tokens`)
        : chalk.red(
            `Budget: ${formatCount(exceeded)} request(s) over ${formatCount(limit)} tokens; largest ${worst ? relative(worst.id) : ''} with ${formatCount(worst?.tokens ?? 0)} (${worst?.basis})`,
          );
    sections.push(wrapText(line, style.width));
  }
  return `${sections.join('\n\n')}\n`;
}

/**
 * Tool outputs per detected content kind (kinds with none are left out),
 * counted in every request that sends them, like the tokens by block kind;
 * null when no tool output has text.
 */
function contentKindTable(summary: AuditSummary): FitTable | null {
  const rows = contentKindRows(summary);
  if (rows.length === 0) return null;
  const table = new FitTable([{ head: 'content kind', fit: 'end' }, numeric('sent'), numeric('tokens'), numeric('share')]);
  for (const row of rows) table.push(row);
  return table;
}

/** Tool outputs by content kind, for the table and the Markdown report: kind, sent, tokens, share; none when no tool output had tokens. */
export function contentKindRows(summary: AuditSummary): string[][] {
  const byKind = summary.tool_outputs_by_kind;
  let tokens = 0;
  for (const kind of CONTENT_KINDS) tokens += byKind[kind].tokens;
  if (tokens === 0) return [];
  const rows: string[][] = [];
  for (const kind of CONTENT_KINDS) {
    const totals = byKind[kind];
    if (totals.count > 0) rows.push([kind, formatCount(totals.count), formatCount(totals.tokens), formatShare(totals.tokens / tokens)]);
  }
  return rows;
}

/** The top files by tokens (all of them with --per-file), and how many were left out. */
function fileTable(rows: readonly FileRow[], view: AuditView, relative: (file: string) => string, style: Style): string {
  const sorted = [...rows].sort((a, b) => b.tokens - a.tokens);
  const shown = view.perFile ? sorted : sorted.slice(0, FILE_ROWS);
  const files = new FitTable([{ head: 'file', fit: 'middle' }, numeric('requests'), numeric('tokens'), numeric('waste'), numeric('recorded prompt'), numeric('cache read')]);
  for (const row of shown) {
    files.push([
      relative(row.file),
      formatCount(row.requests),
      formatCount(row.tokens),
      formatCount(row.waste),
      row.usage ? formatCount(row.usage.prompt) : '–',
      row.usage ? formatShare(row.usage.cache_read_share) : '–',
    ]);
  }
  const more = sorted.length - shown.length;
  return files.render(style) + (more > 0 ? `\n… ${formatCount(more)} more files (--per-file lists all)` : '');
}

function overview(summary: AuditSummary, style: Style, relative: (file: string) => string): string {
  const { chalk } = style;
  const lines = [
    chalk.bold(
      `headroom audit: ${formatCount(summary.requests)} request(s) from ${formatCount(summary.files)} file(s)` +
        (summary.conversations > 0 ? `, ${formatCount(summary.conversations)} conversation(s)` : ''),
    ),
  ];
  const tokenizer = summary.tokenizer.encodings.join(', ') || 'none';
  lines.push(`tokenizer: ${tokenizer}` + (summary.tokenizer.estimate ? ' (counts are estimates: the model has no public tokenizer)' : ''));
  const largest = summary.tokens.largest_request;
  lines.push(
    `prompt tokens: ${formatCount(summary.tokens.total)} in total, ${formatCount(summary.tokens.average_per_request)} per request on average` +
      (largest ? `, largest ${formatCount(largest.tokens)} (${relative(largest.id)})` : ''),
  );
  if (summary.tokens.media > 0) lines.push(`media (images, documents): ${formatCount(summary.tokens.media)} tokens, estimated from size`);
  if (summary.tokens.opaque_bytes > 0) lines.push(`encrypted/redacted content not counted: ${formatBytes(summary.tokens.opaque_bytes)}`);
  const { errors, notes } = summary.problems;
  if (errors > 0 || notes > 0) lines.push(`input problems: ${errors} error(s), ${notes} note(s) (see stderr)`);
  return lines.map((line) => wrapText(line, style.width)).join('\n');
}

/** One row of usage, so it is shown as label/value pairs: seven numbers side by side do not fit 80 columns. */
function usageTable(usage: RunUsageReport): FitTable {
  const table = new FitTable([{ head: 'recorded', fit: 'end' }, numeric('tokens')]);
  table.push(['input', formatCount(usage.input)]);
  table.push(['cache read', formatCount(usage.cache_read)]);
  table.push(['cache write 5m', formatCount(usage.cache_write_5m)]);
  table.push(['cache write 1h', formatCount(usage.cache_write_1h)]);
  table.push(['output', formatCount(usage.output)]);
  table.push(['cache read share', formatShare(usage.cache_read_share)]);
  table.push(['our estimate', formatCount(usage.estimated_prompt)]);
  return table;
}

function cacheSection(summary: AuditSummary, heading: (text: string) => string, width: number): string {
  const cache = summary.cache;
  const lines = [heading('Cache prefix (tool definitions + system)')];
  if (cache.requests_compared > 0) {
    lines.push(`changed between consecutive calls: ${formatCount(cache.prefix_changes)} of ${formatCount(cache.requests_compared)}`);
  } else {
    lines.push('no consecutive calls of one conversation to compare');
  }
  if (cache.requests_compared > 0)
    lines.push(`same prefix as the call before (cache hit expected): ${formatCount(cache.estimated_cache_hits)} of ${formatCount(cache.requests_compared)}`);
  const score = cache.min_cache_alignment_score === null ? '–' : cache.min_cache_alignment_score.toFixed(2);
  lines.push(
    wrapText(`dynamic values in prefix: ${cache.max_dynamic_values} at most per request; alignment score ${score} at worst (share of the prefix before its first dynamic value)`, width),
  );
  if (cache.secrets > 0)
    lines.push(
      wrapText(`possible secrets (API keys, JWTs) in the prefix: ${formatCount(cache.secrets)}; see cache_prefix.secrets in --json (first 4 characters and length only)`, width),
    );
  return lines.join('\n');
}

function offenderTable(offenders: readonly OffenderReport[], withTotals: boolean, relative: (file: string) => string, where: (location: Location) => string): FitTable {
  const text = [
    { head: 'kind', fit: 'end' },
    { head: 'tool / file', fit: 'middle' },
    { head: 'where', fit: 'middle' },
    { head: 'preview', fit: 'end' },
  ] as const;
  const numbers = withTotals ? [numeric('tokens sent'), numeric('times'), numeric('each')] : [numeric('tokens')];
  const table = new FitTable([...numbers, ...text]);
  for (const offender of offenders) {
    const label = [offender.tool, offender.file_path ? relative(offender.file_path) : null].filter(Boolean).join(' ') || '–';
    const row = [offender.kind, label, where(offender.first_seen), offender.preview];
    table.push(
      withTotals ? [formatCount(offender.tokens_total), formatCount(offender.times_sent), formatCount(offender.tokens_each), ...row] : [formatCount(offender.tokens_each), ...row],
    );
  }
  return table;
}

function perRequestTable(requests: readonly RequestReport[], relative: (file: string) => string): FitTable {
  const table = new FitTable([
    { head: 'request', fit: 'middle' },
    { head: 'model', fit: 'end' },
    numeric('msgs'),
    numeric('tokens'),
    numeric('waste'),
    numeric('recorded prompt'),
    numeric('cache read'),
    { head: 'prefix', fit: 'end' },
  ]);
  for (const request of requests) table.push(requestCells(request, relative, ' !'));
  return table;
}

/** A request's row (request, model, msgs, tokens, waste, recorded prompt, cache read, prefix), for the table and Markdown. */
export function requestCells(request: RequestReport, relative: (file: string) => string, overBudget: string): string[] {
  const prefix = request.cache_prefix.changed === null ? '–' : request.cache_prefix.changed ? 'changed' : 'same';
  return [
    relative(request.id),
    request.model ?? '?',
    formatCount(request.messages),
    formatCount(request.tokens) + (request.budget?.exceeded ? overBudget : ''),
    formatCount(request.waste.total),
    request.usage ? formatCount(request.usage.prompt) : '–',
    request.usage ? formatCount(request.usage.cache_read) : '–',
    prefix,
  ];
}
