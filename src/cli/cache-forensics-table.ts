/**
 * The "Cache" section of the audit report: cache forensics over recorded
 * usage (hit rate, every bust with its cause, what the busts cost, the hidden
 * prefix), as rows the table and Markdown reporters share.
 */
import type { BustReport, CacheForensicsReport, CallForensicsReport, ConversationForensicsReport } from '../analysis/cache-forensics.js';
import { BUST_CAUSES } from '../cache/forensics/index.js';
import { dollars } from './simulate-table.js';
import { formatCount, formatShare, type Style } from './style.js';
import { FitTable, numeric, shorten, wrapText } from './table.js';

export const CONVERSATION_HEADS = ['conversation', 'calls', 'hit rate', 'busts', 're-written', 'bust cost', 'hidden prefix'] as const;
export const CALL_HEADS = ['call', 'read', 'write 5m', 'write 1h', 'input', 'counted', 'hidden', 'recorded', 'residual'] as const;

/** One line on the whole run: hit rate, busts by cause, what they cost. */
export function forensicsHeadline(forensics: CacheForensicsReport): string {
  const causes = BUST_CAUSES.filter((cause) => forensics.busts_by_cause[cause] > 0).map((cause) => `${cause} ${formatCount(forensics.busts_by_cause[cause])}`);
  const busts = forensics.busts === 0 ? 'no busts' : `${formatCount(forensics.busts)} bust(s) (${causes.join(', ')})`;
  const cost = forensics.rewrite_cost_usd === null ? 'unpriced' : dollars(forensics.rewrite_cost_usd);
  const unpriced = forensics.unpriced_busts > 0 ? ` (${formatCount(forensics.unpriced_busts)} unpriced)` : '';
  return (
    `hit rate ${formatShare(forensics.hit_rate)} (cache reads ÷ recorded prompt) over ${formatCount(forensics.calls)} call(s); ${busts}; ` +
    `${formatCount(forensics.rewritten_tokens)} tokens re-written because of busts, ${cost} over cache reads${unpriced}`
  );
}

export function conversationCells(conversation: ConversationForensicsReport, relative: (file: string) => string): string[] {
  const hidden = conversation.hidden_prefix;
  return [
    // Requests with no conversation of their own are grouped by file: the key is then a path.
    relative(conversation.conversation),
    formatCount(conversation.calls),
    formatShare(conversation.hit_rate),
    formatCount(conversation.busts),
    formatCount(conversation.rewritten_tokens),
    conversation.busts === 0 ? '–' : conversation.rewrite_cost_usd === null ? 'unpriced' : dollars(conversation.rewrite_cost_usd),
    hidden ? `${formatCount(hidden.tokens)} ±${formatCount(hidden.spread)}` : '–',
  ];
}

export interface BustEntry {
  cause: string;
  call: string;
  numbers: string;
  detail: string;
}

/** Every bust, in call order per conversation: its cause, where, its numbers, and what was seen. */
export function bustEntries(forensics: CacheForensicsReport, relative: (file: string) => string): BustEntry[] {
  const entries: BustEntry[] = [];
  for (const conversation of forensics.conversations) {
    for (const call of conversation.per_call) {
      if (call.bust) entries.push({ cause: call.bust.cause, call: relative(call.id), numbers: bustNumbers(call.bust), detail: call.bust.detail });
    }
  }
  return entries;
}

function bustNumbers(bust: BustReport): string {
  const read = `read ${formatCount(bust.expected_read - bust.shortfall)} of ${formatCount(bust.expected_read)} reusable`;
  if (bust.rewritten_tokens === null) return read;
  const cost = bust.extra_cost_usd === null ? 'unpriced' : `+${dollars(bust.extra_cost_usd)}`;
  return `${read}; ${formatCount(bust.rewritten_tokens)} re-written, ${cost}`;
}

/** Per call: billed buckets and how counted + hidden prefix reconcile with the recorded prompt. */
export function callCells(call: CallForensicsReport, relative: (file: string) => string): string[] {
  return [
    relative(call.id),
    formatCount(call.cache_read),
    formatCount(call.cache_write_5m),
    formatCount(call.cache_write_1h),
    formatCount(call.input),
    formatCount(call.counted),
    formatCount(call.hidden_prefix),
    formatCount(call.prompt),
    formatCount(call.residual),
  ];
}

export const HIDDEN_PREFIX_NOTE =
  'hidden prefix: what the input does not record (Claude Code: the system prompt and tools), the median of recorded prompt − our count per call, ± its interquartile range; per call, counted + hidden ≈ recorded, the residual being the difference';

export function renderCacheForensics(forensics: CacheForensicsReport, style: Style, relative: (file: string) => string, perCall: boolean): string {
  const heading = (text: string): string => style.chalk.bold(wrapText(text, style.width));
  const parts = [`${heading('Cache (from recorded usage)')}\n${wrapText(forensicsHeadline(forensics), style.width)}`];
  const conversations = new FitTable([{ head: CONVERSATION_HEADS[0], fit: 'middle' }, ...CONVERSATION_HEADS.slice(1).map((head) => numeric(head))]);
  for (const conversation of forensics.conversations) conversations.push(conversationCells(conversation, relative));
  parts.push(conversations.render(style));
  const busts = bustEntries(forensics, relative);
  if (busts.length > 0) {
    // The call's id keeps its end (file name and line), like the other tables' `where`.
    const callWidth = Math.max(20, Math.floor(style.width / 2));
    const lines = busts.map(
      (bust) => `${wrapText(`${bust.cause}  ${shorten(bust.call, callWidth, 'middle')}  ${bust.numbers}`, style.width)}\n${wrapText(`  ${bust.detail}`, style.width)}`,
    );
    parts.push(`${heading('Cache busts (calls that read less than the call before had cached)')}\n${lines.join('\n')}`);
  }
  parts.push(wrapText(HIDDEN_PREFIX_NOTE, style.width));
  if (perCall) {
    const calls = new FitTable([{ head: CALL_HEADS[0], fit: 'middle' }, ...CALL_HEADS.slice(1).map((head) => numeric(head))]);
    for (const conversation of forensics.conversations) for (const call of conversation.per_call) calls.push(callCells(call, relative));
    parts.push(`${heading('Cache per call (recorded tokens; counted + hidden + residual = recorded)')}\n${calls.render(style)}`);
  }
  return parts.join('\n\n');
}
