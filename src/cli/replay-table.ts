/**
 * Renders simulate's session replay: per conversation, what it cost as
 * recorded, under the billing model, with headroom, under Anthropic's
 * tool-result clearing and with both; the total; where the savings came
 * from; and the calls the projection bills higher.
 */
import { formatDollars } from '../pricing/input-prices.js';
import type { ConversationReplay, ReplayBill, ReplayReport } from '../pipeline/replay.js';
import { formatCount, formatShare, type Style } from './style.js';
import { displayPath, FitTable, numeric, wrapText } from './table.js';

/** Savings sources listed per run. */
const SOURCE_ROWS = 5;

export const REPLAY_HEADS = ['conversation', 'calls', 'recorded', 'model', 'headroom', 'saved', 'clearing', 'both'] as const;

/** One conversation's (or the total's) cells: calls, then each bill in dollars (tokens when unpriced), and the saving against the model. */
export function replayCells(name: string, calls: number, row: Pick<ConversationReplay, 'recorded' | 'modeled' | 'projected' | 'clearing' | 'headroom_and_clearing'>): string[] {
  return [name, formatCount(calls), bill(row.recorded), bill(row.modeled), bill(row.projected), saved(row.modeled, row.projected), bill(row.clearing), bill(row.headroom_and_clearing)];
}

export function renderReplay(replay: ReplayReport, style: Style, view: { all: boolean; cwd: string }): string {
  const table = new FitTable([{ head: 'conversation', fit: 'middle' }, ...REPLAY_HEADS.slice(1).map((head) => numeric(head))]);
  for (const conversation of replay.conversations) table.push(replayCells(conversation.conversation, conversation.calls, conversation));
  const total = replay.total;
  if (total.recorded || total.modeled) table.push(replayCells(`total (${formatCount(total.conversations)})`, total.calls, total), { bold: true });
  const out = [table.render(style)];
  out.push(...replayNotes(replay).map((note) => wrapText(note, style.width)));
  if (view.all) for (const conversation of replay.conversations) out.push(renderCalls(conversation, style, view.cwd));
  return out.join('\n') + '\n';
}

/** What the table's columns mean, how far the model is from the record, where savings came from, and what cost more. */
export function replayNotes(replay: ReplayReport): string[] {
  const notes = [
    'session replay: recorded = usage the provider reported; model = the recorded prompts under the billing model; headroom = optimized from the first call; clearing = Anthropic tool-result clearing at its defaults; both = headroom and clearing; saved = model − headroom',
  ];
  for (const conversation of replay.conversations) {
    const parts: string[] = [];
    if (conversation.model_deviation !== null) parts.push(`model vs recorded ${signedShare(conversation.model_deviation)}`);
    if (conversation.hidden_prefix_tokens !== null) parts.push(`hidden prefix ${formatCount(conversation.hidden_prefix_tokens)} tokens`);
    parts.push(`cache TTL ${conversation.cache_ttl_seconds >= 3600 ? '1h' : '5m'}`);
    const tools = conversation.savings_by_tool.slice(0, SOURCE_ROWS).map((source) => `${source.name} ${formatCount(source.tokens_saved)}`);
    if (tools.length > 0) parts.push(`saved by tool: ${tools.join(', ')}`);
    const transforms = conversation.savings_by_transform.slice(0, SOURCE_ROWS).map((source) => `${source.name} ${formatCount(source.tokens_saved)}`);
    if (transforms.length > 0) parts.push(`by compressor: ${transforms.join(', ')}`);
    if (conversation.costlier_calls.length > 0) {
      const causes = new Map<string, number>();
      for (const call of conversation.costlier_calls) causes.set(call.cause, (causes.get(call.cause) ?? 0) + 1);
      parts.push(`${formatCount(conversation.costlier_calls.length)} calls cost more with headroom (${[...causes].map(([cause, count]) => `${cause} ${count}`).join(', ')})`);
    }
    notes.push(`${conversation.conversation}: ${parts.join('; ')}`);
  }
  if (replay.total.unpriced_conversations > 0)
    notes.push(
      `${formatCount(replay.total.unpriced_conversations)} conversations unpriced (model not in the pinned price table, prices as of ${replay.total.prices_as_of}); shown in billed tokens`,
    );
  return notes;
}

function renderCalls(conversation: ConversationReplay, style: Style, cwd: string): string {
  const table = new FitTable([
    { head: `calls of ${conversation.conversation}`, fit: 'middle' },
    numeric('recorded'),
    numeric('model'),
    numeric('headroom'),
    numeric('clearing'),
    { head: 'cause (model / headroom)', fit: 'end' },
  ]);
  for (const row of conversation.call_rows) {
    table.push([displayPath(row.request_id, cwd), bill(row.recorded), bill(row.modeled), bill(row.projected), bill(row.clearing), `${row.recorded_cause} / ${row.projected_cause}`]);
  }
  return table.render(style);
}

/** Dollars, or billed prompt tokens for an unpriced model; – when nothing was recorded. */
function bill(value: ReplayBill | null): string {
  if (value === null) return '–';
  return value.usd === null ? `${formatCount(value.prompt_tokens)} tok` : formatDollars(value.usd);
}

function saved(model: ReplayBill, projected: ReplayBill): string {
  if (model.usd === null || projected.usd === null) return model.prompt_tokens > 0 ? formatShare((model.prompt_tokens - projected.prompt_tokens) / model.prompt_tokens) : '–';
  const difference = model.usd - projected.usd;
  const share = model.usd > 0 ? ` (${formatShare(difference / model.usd)})` : '';
  // A negative saving (headroom costs more) reads −$0.49, not $-0.4900.
  return `${difference < 0 ? '−' : ''}${formatDollars(Math.abs(difference))}${share}`;
}

function signedShare(value: number): string {
  return `${value >= 0 ? '+' : '−'}${formatShare(Math.abs(value))}`;
}
