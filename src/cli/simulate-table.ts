/**
 * Renders simulate's report as a table that fits the width in `style`: the
 * requests that would save the most (or all, in input order) and the total.
 */
import { formatDollars } from '../pricing/input-prices.js';
import type { SimulationResult, SimulationTotal } from '../pipeline/simulation.js';
import { formatCount, formatShare, type Style } from './style.js';
import { displayPath, FitTable, numeric, wrapText } from './table.js';

/** Requests in the table unless --per-request asks for all: a folder of transcripts is hundreds of calls. */
export const REQUEST_ROWS = 20;

/** One request's cells, as the table and the Markdown report show them: request, model, before, after, saved, share, est. savings. */
export function requestCells(row: SimulationResult, cwd: string): string[] {
  return [
    displayPath(row.request_id, cwd),
    row.model ?? '–',
    formatCount(row.tokens_before),
    formatCount(row.tokens_after),
    formatCount(row.tokens_saved),
    share(row.tokens_saved, row.tokens_before),
    dollars(row.estimated_savings_usd),
  ];
}

export function renderSimulation(rows: readonly SimulationResult[], total: SimulationTotal, style: Style, view: { cwd: string; all: boolean }): string {
  const table = new FitTable([
    { head: 'request', fit: 'middle' },
    { head: 'model', fit: 'end' },
    numeric('before'),
    numeric('after'),
    numeric('saved'),
    numeric('share'),
    numeric('est. savings'),
  ]);
  const shown = requestsShown(rows, view.all);
  for (const row of shown) table.push(requestCells(row, view.cwd));
  table.push(
    [
      `total (${formatCount(total.requests)})`,
      '',
      formatCount(total.tokens_before),
      formatCount(total.tokens_after),
      formatCount(total.tokens_saved),
      share(total.tokens_saved, total.tokens_before),
      dollars(total.estimated_savings_usd),
    ],
    { bold: true },
  );
  const notes: string[] = [];
  const more = rows.length - shown.length;
  if (more > 0) notes.push(`… ${formatCount(more)} more requests (--per-request lists all)`);
  if (total.unpriced_requests > 0) {
    notes.push(`${formatCount(total.unpriced_requests)} requests unpriced (model not in the pinned price table, prices as of ${total.prices_as_of})`);
  }
  return [table.render(style), ...notes.map((note) => wrapText(note, style.width))].join('\n') + '\n';
}

/** The biggest savings first (ties in input order); with --per-request, every request in input order. */
export function requestsShown(rows: readonly SimulationResult[], all: boolean): readonly SimulationResult[] {
  return all ? rows : [...rows].sort((a, b) => b.tokens_saved - a.tokens_saved).slice(0, REQUEST_ROWS);
}

/** The table's cell: the column head says "per request", so the cell does not (the JSON's estimated_savings does). */
export function dollars(usd: number | null): string {
  return usd === null ? 'unpriced' : formatDollars(usd);
}

export function share(saved: number, before: number): string {
  return before > 0 ? formatShare(saved / before) : '–';
}
