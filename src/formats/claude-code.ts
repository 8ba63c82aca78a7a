/**
 * Claude Code session transcripts (`~/.claude/projects/<project>/<session>.jsonl`).
 *
 * A transcript is a tree of entries linked by `parentUuid`. Each API call is
 * one assistant response (streamed as several entries sharing `message.id` and
 * `requestId`); its context is the chain of entries from the response's
 * parent back to the root. Compaction starts a new root (a `compact_boundary`
 * with no parent, followed by the summary), so walking the chain restarts the
 * context there by itself. Sub-agents (`isSidechain`) have their own roots and
 * are their own conversations. Lines that are not messages (summaries,
 * file-history snapshots, progress, hooks) are kept only as links in the chain.
 *
 * The system prompt and tool definitions Claude Code sends are not recorded in
 * transcripts, so a call's context here is its messages only; the recorded
 * `usage` is the real count of everything.
 */
import { objectField, stringField } from './json-text.js';
import { parseAnthropicMessage } from './anthropic.js';
import { pairToolResults } from './parts.js';
import { type JsonObject, type Message, type Origin, type Part, type Request, type Slot, type Usage } from './types.js';
import { parseUsage } from './usage.js';

/** Entry types that are part of the transcript format but carry no message. */
const NON_MESSAGE_TYPES = new Set([
  'summary',
  'file-history-snapshot',
  'progress',
  'queue-operation',
  'system',
  'custom-title',
  'tag',
  'agent-name',
]);

const TRANSCRIPT_ENTRY_TYPES = new Set(['user', 'assistant', ...NON_MESSAGE_TYPES]);

/** True for a JSON line that looks like a Claude Code transcript entry. */
export function isClaudeCodeEntry(value: JsonObject): boolean {
  const type = value['type'];
  if (typeof type !== 'string' || !TRANSCRIPT_ENTRY_TYPES.has(type)) return false;
  return (
    'parentUuid' in value ||
    'sessionId' in value ||
    (type === 'summary' && 'leafUuid' in value) ||
    (type === 'file-history-snapshot' && 'snapshot' in value) ||
    (type === 'queue-operation' && 'operation' in value)
  );
}

interface Entry {
  uuid: string;
  parent: string | null;
  /** The message this entry contributes, or null for link-only entries. */
  message: Message | null;
  /** For assistant entries: the API response they belong to. */
  responseId: string | null;
  sidechain: boolean;
  sessionId: string;
}

interface Call {
  key: string;
  firstUuid: string;
  origin: Origin;
  model: string | null;
  usage: Usage | null;
}

export class ClaudeCodeSession {
  private readonly entries = new Map<string, Entry>();
  private readonly calls = new Map<string, Call>();
  private readonly toolNames = new Map<string, string>();
  /** Messages built from groups of entries, shared by every call whose context holds them. */
  private readonly groupMessages = new Map<string, Message>();

  add(record: JsonObject, origin: Origin): void {
    const uuid = stringField(record, 'uuid');
    if (!uuid) return;
    const type = stringField(record, 'type');
    const message = objectField(record, 'message');
    const parent = stringField(record, 'parentUuid') ?? null;
    const entry: Entry = {
      uuid,
      parent,
      message: null,
      responseId: null,
      sidechain: record['isSidechain'] === true,
      sessionId: stringField(record, 'sessionId') ?? '',
    };
    if ((type === 'user' || type === 'assistant') && message && !isSynthetic(record, message)) {
      entry.message = parseAnthropicMessage({ ...message, role: type }, origin, ['message']);
      if (record['isCompactSummary'] === true) {
        for (const part of entry.message.parts) part.flags.compactionSummary = true;
      }
      pairToolResults([entry.message], this.toolNames);
      if (type === 'assistant') {
        const messageId = stringField(message, 'id');
        if (messageId) {
          entry.responseId = `${messageId}:${stringField(record, 'requestId') ?? ''}`;
          this.recordCall(entry.responseId, uuid, origin, message);
        }
      }
    }
    this.entries.set(uuid, entry);
  }

  /** One call per API response; streamed copies update its usage (the last has the final output count). */
  private recordCall(key: string, uuid: string, origin: Origin, message: JsonObject): void {
    let call = this.calls.get(key);
    if (!call) {
      call = { key, firstUuid: uuid, origin, model: null, usage: null };
      this.calls.set(key, call);
    }
    call.model = stringField(message, 'model') ?? call.model;
    const usage = objectField(message, 'usage');
    if (usage) call.usage = parseUsage(usage) ?? call.usage;
  }

  *requests(): Generator<Request> {
    for (const call of this.calls.values()) {
      const first = this.entries.get(call.firstUuid);
      if (!first) continue;
      const chain = this.chainBefore(first);
      const root = chain[0] ?? first;
      yield {
        id: `${call.origin.file}:${call.origin.line}`,
        format: 'claude-code',
        provider: 'anthropic',
        model: call.model,
        messages: this.messagesOf(chain),
        tools: [],
        usage: call.usage,
        origin: call.origin,
        conversation: first.sidechain ? `${first.sessionId}/agent:${root.uuid.slice(0, 8)}` : first.sessionId,
      };
    }
  }

  /** Message entries from the root down to (not including) `entry`. */
  private chainBefore(entry: Entry): Entry[] {
    const chain: Entry[] = [];
    let id = entry.parent;
    let steps = 0;
    while (id !== null && steps++ <= this.entries.size) {
      const current = this.entries.get(id);
      if (!current) break; // The transcript starts mid-conversation: context starts here.
      if (current.message) chain.push(current);
      id = current.parent;
    }
    return chain.reverse();
  }

  /**
   * Consecutive entries of one role become one message, as the API receives
   * them: streamed pieces of one response, parallel tool results.
   */
  private messagesOf(chain: readonly Entry[]): Message[] {
    const messages: Message[] = [];
    let start = 0;
    for (let i = 1; i <= chain.length; i++) {
      const previous = chain[i - 1] as Entry;
      const current = chain[i];
      if (current && sameMessage(previous, current)) continue;
      messages.push(this.groupMessage(chain, start, i));
      start = i;
    }
    return messages;
  }

  private groupMessage(chain: readonly Entry[], start: number, end: number): Message {
    const first = chain[start] as Entry;
    const last = chain[end - 1] as Entry;
    if (start + 1 === end && first.message) return first.message;
    const key = `${first.uuid}>${last.uuid}`;
    let message = this.groupMessages.get(key);
    if (!message) {
      const parts: Part[] = [];
      const sources: Slot[] = [];
      for (let i = start; i < end; i++) {
        const member = (chain[i] as Entry).message as Message;
        parts.push(...member.parts);
        sources.push(...(member.sources ?? []));
      }
      message = { role: (first.message as Message).role, parts, origin: (first.message as Message).origin, sources };
      this.groupMessages.set(key, message);
    }
    return message;
  }
}

function sameMessage(a: Entry, b: Entry): boolean {
  const roleA = a.message?.role;
  if (roleA !== b.message?.role) return false;
  return roleA !== 'assistant' || a.responseId === b.responseId;
}

/** Error notices Claude Code writes as assistant entries; they were never API responses. */
function isSynthetic(record: JsonObject, message: JsonObject): boolean {
  return record['isApiErrorMessage'] === true || message['model'] === '<synthetic>';
}
