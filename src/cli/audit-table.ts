/**
 * Renders an audit summary (and optional per-request rows) as terminal tables.
 */
import Table from 'cli-table3';
import type { KindTokens, Location, RequestReport } from '../analysis/report-types.js';
import { KIND_COLUMNS } from '../analysis/report-types.js';
import type { AuditSummary, OffenderReport, RunUsageReport } from '../analysis/summary.js';
import { WASTE_KEYS } from '../analysis/waste/types.js';
import { formatBytes, formatCount, formatShare, type Style } from './style.js';

const WASTE_LABELS: Record<string, string> = {
  json_bloat: 'pretty-printed JSON',
  html_noise: 'HTML markup',
  base64: 'base64 blobs',
  whitespace: 'collapsible whitespace',
  dynamic_date: 'volatile values in prefix',
  repetition: 'repeated text',
  reread: 'tool output sent again',
  reread_compressed: '  of which compressed',
};

export function renderAuditTables(summary: AuditSummary, requests: readonly RequestReport[] | null, style: Style): string {
  const sections: string[] = [];
  const { chalk } = style;
  const heading = (text: string): string => chalk.bold(text);
  const newTable = (head: string[], alignRight: number[] = []): Table.Table =>
    new Table({
      head,
      style: style.color ? { head: ['cyan'], border: ['grey'], compact: true } : { head: [], border: [], compact: true },
      colAligns: head.map((_, index) => (alignRight.includes(index) ? 'right' : 'left')),
    });

  sections.push(overview(summary, style));
  if (summary.requests === 0) return `${sections[0]}\nnothing to audit: no requests were found in the input\n`;

  if (requests && requests.length > 0) sections.push(`${heading('Requests')}\n${perRequestTable(requests, newTable)}`);

  const kinds = newTable(['block kind', 'tokens', 'share'], [1, 2]);
  for (const kind of KIND_COLUMNS) {
    const tokens = summary.tokens.by_kind[kind as keyof KindTokens];
    const label = kind.replace('_', ' ') + (summary.tokens.estimated_kinds.includes(kind) ? ' (estimate)' : '');
    if (tokens > 0) kinds.push([label, formatCount(tokens), formatShare(tokens / Math.max(1, summary.tokens.total))]);
  }
  kinds.push([chalk.bold('total'), chalk.bold(formatCount(summary.tokens.total)), '']);
  sections.push(`${heading('Tokens by kind')}\n${kinds.toString()}`);

  const waste = newTable(['waste', 'tokens', 'share of prompt'], [1, 2]);
  for (const key of WASTE_KEYS) {
    const tokens = summary.waste[key];
    if (tokens > 0) waste.push([`${key} (${WASTE_LABELS[key] ?? key})`, formatCount(tokens), formatShare(tokens / Math.max(1, summary.tokens.total))]);
  }
  if (summary.waste.total === 0) waste.push(['none found', '0', '']);
  else waste.push([chalk.bold('total'), chalk.bold(formatCount(summary.waste.total)), chalk.bold(formatShare(summary.waste.share))]);
  sections.push(`${heading('Waste')}\n${waste.toString()}`);

  if (summary.usage) {
    let usage = `${heading(`Recorded usage (${formatCount(summary.usage.requests_with_usage)} requests, as billed)`)}\n${usageTable(summary.usage, newTable)}`;
    const compactions = summary.usage.server_iterations?.by_type['compaction'] ?? 0;
    if (compactions > 0) {
      usage += `\nRecorded usage includes ${formatCount(compactions)} server-side compaction iteration(s) (summed from usage.iterations of ${formatCount(summary.usage.server_iterations?.requests ?? 0)} request(s)).`;
    }
    if (summary.formats['claude-code']) {
      usage += '\nClaude Code transcripts do not record the system prompt and tool definitions, so our estimate covers the messages only.';
    }
    sections.push(usage);
  }

  sections.push(cacheSection(summary, heading));

  if (summary.top_offenders.length > 0) {
    sections.push(`${heading('Top offenders (content by tokens sent over all requests)')}\n${offenderTable(summary.top_offenders, newTable, true)}`);
  }
  if (summary.largest_tool_outputs.length > 0) {
    sections.push(`${heading('Largest tool outputs')}\n${offenderTable(summary.largest_tool_outputs, newTable, false)}`);
  }
  if (summary.stale_reads.count > 0) {
    const stale = newTable(['file', 'why stale', 'tokens', 'sent', 'where'], [2, 3]);
    for (const read of summary.stale_reads.top) {
      stale.push([read.file_path, read.reason === 'edited' ? 'edited later' : 'read again later', formatCount(read.tokens_each), formatCount(read.times_sent), where(read.where)]);
    }
    sections.push(`${heading(`Stale file reads: ${formatCount(summary.stale_reads.count)} (${formatCount(summary.stale_reads.tokens)} tokens resent)`)}\n${stale.toString()}`);
  }
  if (summary.by_file.length > 1) {
    const files = newTable(['file', 'requests', 'tokens', 'waste', 'recorded prompt', 'cache read'], [1, 2, 3, 4, 5]);
    for (const row of summary.by_file) {
      files.push([row.file, formatCount(row.requests), formatCount(row.tokens), formatCount(row.waste), row.usage ? formatCount(row.usage.prompt) : '–', row.usage ? formatShare(row.usage.cache_read_share) : '–']);
    }
    sections.push(`${heading('By file')}\n${files.toString()}`);
  }
  if (summary.budget) {
    const { limit, exceeded, worst } = summary.budget;
    const line =
      exceeded === 0
        ? chalk.green(`Budget: every request within ${formatCount(limit)} tokens`)
        : chalk.red(`Budget: ${formatCount(exceeded)} request(s) over ${formatCount(limit)} tokens; largest ${worst?.id} with ${formatCount(worst?.tokens ?? 0)} (${worst?.basis})`);
    sections.push(line);
  }
  return `${sections.join('\n\n')}\n`;
}

function overview(summary: AuditSummary, style: Style): string {
  const { chalk } = style;
  const lines = [
    chalk.bold(
      `headroom audit: ${formatCount(summary.requests)} request(s) from ${formatCount(summary.files)} file(s)` +
        (summary.conversations > 0 ? `, ${formatCount(summary.conversations)} conversation(s)` : ''),
    ),
  ];
  const tokenizer = summary.tokenizer.encodings.join(', ') || 'none';
  lines.push(
    `tokenizer: ${tokenizer}` +
      (summary.tokenizer.estimate ? ' (counts are estimates: the model has no public tokenizer)' : ''),
  );
  lines.push(
    `prompt tokens: ${formatCount(summary.tokens.total)} in total, ${formatCount(summary.tokens.average_per_request)} per request on average` +
      (summary.tokens.largest_request ? `, largest ${formatCount(summary.tokens.largest_request.tokens)} (${summary.tokens.largest_request.id})` : ''),
  );
  if (summary.tokens.media > 0) lines.push(`media (images, documents): ${formatCount(summary.tokens.media)} tokens, estimated from size`);
  if (summary.tokens.opaque_bytes > 0) lines.push(`encrypted/redacted content not counted: ${formatBytes(summary.tokens.opaque_bytes)}`);
  const { errors, notes } = summary.problems;
  if (errors > 0 || notes > 0) lines.push(`input problems: ${errors} error(s), ${notes} note(s) (see stderr)`);
  return lines.join('\n');
}

function usageTable(usage: RunUsageReport, newTable: (head: string[], right?: number[]) => Table.Table): string {
  const table = newTable(['input', 'cache read', 'cache write 5m', 'cache write 1h', 'output', 'cache read share', 'our estimate'], [0, 1, 2, 3, 4, 5, 6]);
  table.push([
    formatCount(usage.input),
    formatCount(usage.cache_read),
    formatCount(usage.cache_write_5m),
    formatCount(usage.cache_write_1h),
    formatCount(usage.output),
    formatShare(usage.cache_read_share),
    formatCount(usage.estimated_prompt),
  ]);
  return table.toString();
}

function cacheSection(summary: AuditSummary, heading: (text: string) => string): string {
  const cache = summary.cache;
  const lines = [heading('Cache prefix (tool definitions + system)')];
  if (cache.requests_compared > 0) {
    lines.push(`changed between consecutive calls: ${formatCount(cache.prefix_changes)} of ${formatCount(cache.requests_compared)}`);
  } else {
    lines.push('no consecutive calls of one conversation to compare');
  }
  lines.push(
    `volatile values in prefix: ${cache.max_dynamic_values} at most per request; alignment score ${cache.min_alignment_score ?? '–'}/100 at worst`,
  );
  return lines.join('\n');
}

function offenderTable(offenders: readonly OffenderReport[], newTable: (head: string[], right?: number[]) => Table.Table, withTotals: boolean): string {
  const head = withTotals ? ['tokens sent', 'times', 'each', 'kind', 'tool / file', 'where', 'preview'] : ['tokens', 'kind', 'tool / file', 'where', 'preview'];
  const table = newTable(head, withTotals ? [0, 1, 2] : [0]);
  for (const offender of offenders) {
    const label = [offender.tool, offender.file_path].filter(Boolean).join(' ') || '–';
    const preview = offender.preview.length > 48 ? `${offender.preview.slice(0, 47)}…` : offender.preview;
    const row = [offender.kind, label, where(offender.first_seen), preview];
    table.push(withTotals ? [formatCount(offender.tokens_total), formatCount(offender.times_sent), formatCount(offender.tokens_each), ...row] : [formatCount(offender.tokens_each), ...row]);
  }
  return table.toString();
}

function perRequestTable(requests: readonly RequestReport[], newTable: (head: string[], right?: number[]) => Table.Table): string {
  const table = newTable(['request', 'model', 'msgs', 'tokens', 'waste', 'recorded prompt', 'cache read', 'prefix'], [2, 3, 4, 5, 6]);
  for (const request of requests) {
    const prefix = request.cache_prefix.changed === null ? '–' : request.cache_prefix.changed ? 'changed' : 'same';
    table.push([
      request.id,
      request.model ?? '?',
      formatCount(request.messages),
      formatCount(request.tokens) + (request.budget?.exceeded ? ' !' : ''),
      formatCount(request.waste.total),
      request.usage ? formatCount(request.usage.prompt) : '–',
      request.usage ? formatCount(request.usage.cache_read) : '–',
      prefix,
    ]);
  }
  return table.toString();
}

function where(location: Location): string {
  return location.line === null ? location.file : `${location.file}:${location.line}`;
}
