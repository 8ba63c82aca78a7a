/**
 * Claude Code session transcripts (`~/.claude/projects/<project>/<session>.jsonl`).
 *
 * A transcript is a tree of entries linked by `parentUuid`. Each API call is
 * one assistant response (streamed as several entries sharing `message.id` and
 * `requestId`, one per content block); its context is the chain of entries
 * from the response's parent back to the root, with each response on it made
 * whole and followed by its tool results, which parallel tool calls leave on
 * side branches (see `contextGroups`). Compaction starts a new root (a
 * `compact_boundary` with no parent, followed by the summary), so walking the
 * chain restarts the context there by itself; a `microcompact_boundary` on
 * the chain clears the tool results it lists from that point on. Sub-agents (`isSidechain`) have their own roots and
 * are their own conversations. Lines that are not messages (summaries,
 * file-history snapshots, progress, hooks) are kept only as links in the chain.
 *
 * The system prompt and tool definitions Claude Code sends are not recorded in
 * transcripts, so a call's context here is its messages only; the recorded
 * `usage` is the real count of everything.
 */
import { CLEARED_TOOL_RESULT } from './body.js';
import type { TranscriptSession } from '../descriptor.js';
import { arrayField, objectField, stringField } from '../json-text.js';
import { parseAnthropicMessage } from '../anthropic/parse.js';
import { pairToolResults } from '../parts.js';
import { type ContextManagement, type JsonObject, type Message, type Origin, type Part, type PartFlags, type Request, type Slot, type Usage } from '../types.js';
import { contextManagementOf } from '../context-management.js';
import { parseUsage } from '../usage.js';

/** Entry types that are part of the transcript format but carry no message. */
const NON_MESSAGE_TYPES = new Set(['summary', 'file-history-snapshot', 'progress', 'queue-operation', 'system', 'custom-title', 'tag', 'agent-name']);

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
  /** Position in the file: what was recorded before a call is what its request could hold. */
  seq: number;
  /** The message this entry contributes, or null for link-only entries. */
  message: Message | null;
  /** For assistant entries: the API response they belong to. */
  responseId: string | null;
  /** For a microcompact boundary: the tool results cleared from here on. */
  clearedToolIds: readonly string[];
  sidechain: boolean;
  sessionId: string;
}

interface Call {
  key: string;
  firstUuid: string;
  origin: Origin;
  model: string | null;
  usage: Usage | null;
  /** The `timestamp` of the response's first entry. */
  timestamp: string | null;
  /** The context edits the response reports applied (Claude Code records the response's `context_management`). */
  contextManagement: ContextManagement | null;
}

export class ClaudeCodeSession implements TranscriptSession {
  private readonly entries = new Map<string, Entry>();
  private readonly calls = new Map<string, Call>();
  private readonly toolNames = new Map<string, string>();
  /** Entries of each API response, in file order (a response is streamed as one entry per content block). */
  private readonly responses = new Map<string, Entry[]>();
  /** User entries holding a tool_result, by the tool_use id they answer. */
  private readonly results = new Map<string, Entry[]>();
  /** Messages built from groups of entries, shared by every call whose context holds them. */
  private readonly groupMessages = new Map<string, Message>();
  private recorded = 0;

  add(record: JsonObject, origin: Origin): void {
    const uuid = stringField(record, 'uuid');
    if (!uuid) return;
    const type = stringField(record, 'type');
    const message = objectField(record, 'message');
    const parent = stringField(record, 'parentUuid') ?? null;
    const entry: Entry = {
      uuid,
      parent,
      seq: this.recorded++,
      message: null,
      responseId: null,
      clearedToolIds: type === 'system' ? microcompactedToolIds(record) : [],
      sidechain: record['isSidechain'] === true,
      sessionId: stringField(record, 'sessionId') ?? '',
    };
    if ((type === 'user' || type === 'assistant') && message && !isSynthetic(record, message)) {
      entry.message = parseAnthropicMessage({ ...message, role: type }, origin, ['message']);
      // Claude Code leaves whitespace-only text blocks (a streamed "\n\n") out of its requests; the API rejects them.
      entry.message.parts = entry.message.parts.filter((part) => !isBlankText(part));
      if (record['isCompactSummary'] === true) {
        for (const part of entry.message.parts) part.flags.compactionSummary = true;
      }
      pairToolResults([entry.message], this.toolNames);
      if (type === 'assistant') {
        const messageId = stringField(message, 'id');
        if (messageId) {
          entry.responseId = `${messageId}:${stringField(record, 'requestId') ?? ''}`;
          this.recordCall(entry.responseId, uuid, origin, message, stringField(record, 'timestamp') ?? null);
          pushTo(this.responses, entry.responseId, entry);
        }
      } else {
        const answered = new Set(entry.message.parts.flatMap((part) => (part.kind === 'tool_result' && part.flags.toolCallId ? [part.flags.toolCallId] : [])));
        for (const id of answered) pushTo(this.results, id, entry);
      }
    }
    const previous = this.entries.get(uuid);
    if (previous) this.forget(previous); // A repeated uuid: the later copy replaces the entry, as in the chain.
    this.entries.set(uuid, entry);
  }

  private forget(entry: Entry): void {
    const drop = (map: Map<string, Entry[]>, key: string): void => {
      const list = map.get(key);
      if (list)
        map.set(
          key,
          list.filter((member) => member !== entry),
        );
    };
    if (entry.responseId) drop(this.responses, entry.responseId);
    for (const part of entry.message?.parts ?? []) if (part.kind === 'tool_result' && part.flags.toolCallId) drop(this.results, part.flags.toolCallId);
  }

  /** One call per API response; streamed copies update its usage (the last has the final output count). */
  private recordCall(key: string, uuid: string, origin: Origin, message: JsonObject, timestamp: string | null): void {
    let call = this.calls.get(key);
    if (!call) {
      call = { key, firstUuid: uuid, origin, model: null, usage: null, timestamp, contextManagement: null };
      this.calls.set(key, call);
    }
    call.model = stringField(message, 'model') ?? call.model;
    const usage = objectField(message, 'usage');
    if (usage) call.usage = parseUsage(usage) ?? call.usage;
    call.contextManagement = contextManagementOf(null, message) ?? call.contextManagement;
  }

  /** A call's context is known only once the whole file is read (results arrive after their calls): nothing completes early. */
  drain(): Request[] {
    return [];
  }

  finish(): Generator<Request> {
    return this.requests();
  }

  *requests(): Generator<Request> {
    for (const call of this.calls.values()) {
      const first = this.entries.get(call.firstUuid);
      if (!first) continue;
      const { chain, cleared } = this.chainBefore(first);
      const root = chain[0] ?? first;
      yield {
        id: `${call.origin.file}:${call.origin.line}`,
        format: 'claude-code',
        provider: 'anthropic',
        model: call.model,
        messages: this.contextGroups(chain, first.seq).map((group) => this.groupMessage(group, cleared)),
        tools: [],
        usage: call.usage,
        origin: call.origin,
        conversation: first.sidechain ? `${first.sessionId}/agent:${root.uuid.slice(0, 8)}` : first.sessionId,
        timestamp: call.timestamp,
        contextManagement: call.contextManagement,
      };
    }
  }

  /**
   * Message entries from the root down to (not including) `entry`, and the
   * tool results the microcompact boundaries on that path cleared.
   */
  private chainBefore(entry: Entry): { chain: Entry[]; cleared: Set<string> } {
    const chain: Entry[] = [];
    const cleared = new Set<string>();
    let id = entry.parent;
    let steps = 0;
    while (id !== null && steps++ <= this.entries.size) {
      const current = this.entries.get(id);
      if (!current) break; // The transcript starts mid-conversation: context starts here.
      if (current.message) chain.push(current);
      for (const toolId of current.clearedToolIds) cleared.add(toolId);
      id = current.parent;
    }
    return { chain: chain.reverse(), cleared };
  }

  /**
   * The messages of a call's context as the API received them, each as the
   * entries it is made of. The chain holds only one branch of what Claude
   * Code writes for parallel tool calls: the tool_uses of one response are
   * chained entries, but each tool_result hangs off the entry of its own
   * tool_use, and the next call off the last result written. So each
   * response on the chain is taken whole (every entry recorded before the
   * call), followed by the result of each of its tool_uses (on the chain or
   * not) in tool_use order, then the chain's other user content.
   */
  private contextGroups(chain: readonly Entry[], before: number): Entry[][] {
    const onChain = new Set(chain);
    const taken = new Set<Entry>();
    /** Each entry goes in the first message that claims it. */
    const take = (entries: readonly Entry[]): Entry[] =>
      entries.filter((entry) => {
        if (taken.has(entry)) return false;
        taken.add(entry);
        return true;
      });
    const groups: Entry[][] = [];
    let index = 0;
    while (index < chain.length) {
      const entry = chain[index] as Entry;
      if (entry.message?.role !== 'assistant') {
        const users: Entry[] = [];
        while (index < chain.length && (chain[index] as Entry).message?.role !== 'assistant') users.push(chain[index++] as Entry);
        pushGroup(groups, take(users));
        continue;
      }
      const responseId = entry.responseId;
      const streamed: Entry[] = [];
      while (index < chain.length && sameMessage(entry, chain[index] as Entry)) streamed.push(chain[index++] as Entry);
      const members = responseId === null ? streamed : (this.responses.get(responseId) ?? streamed);
      const whole = members.filter((member) => member.seq < before || streamed.includes(member));
      const response = take(whole);
      pushGroup(groups, response);
      const answers = toolUseIds(response).flatMap((toolId) => {
        const result = this.resultFor(toolId, onChain, before);
        return result ? [result] : [];
      });
      const rest: Entry[] = [];
      while (index < chain.length && (chain[index] as Entry).message?.role !== 'assistant') rest.push(chain[index++] as Entry);
      pushGroup(groups, take([...answers, ...rest]));
    }
    return groups;
  }

  /** The entry answering a tool_use: the one on the chain if there is one, else the first recorded before the call. */
  private resultFor(toolId: string, onChain: ReadonlySet<Entry>, before: number): Entry | null {
    const candidates = (this.results.get(toolId) ?? []).filter((entry) => entry.seq < before);
    return candidates.find((entry) => onChain.has(entry)) ?? candidates[0] ?? null;
  }

  /**
   * One message from a group of entries (streamed pieces of one response,
   * tool results), with the results microcompact cleared replaced by the
   * placeholder. Memoized: the same group in the same state is one shared
   * object across calls, so it is never mutated.
   */
  private groupMessage(group: readonly Entry[], cleared: ReadonlySet<string>): Message {
    const clearedHere = [...new Set(group.flatMap((entry) => (entry.message as Message).parts.flatMap((part) => clearedId(part, cleared))))];
    const first = (group[0] as Entry).message as Message;
    if (group.length === 1 && clearedHere.length === 0) return first;
    const key = `${group.map((entry) => entry.uuid).join(',')}|${clearedHere.join(',')}`;
    let message = this.groupMessages.get(key);
    if (!message) {
      const parts: Part[] = [];
      const sources: Slot[] = [];
      for (const entry of group) {
        const member = entry.message as Message;
        parts.push(...withCleared(member.parts, cleared));
        sources.push(...(member.sources ?? []));
      }
      message = { role: first.role, parts, origin: first.origin, sources };
      this.groupMessages.set(key, message);
    }
    return message;
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function pushGroup(groups: Entry[][], group: Entry[]): void {
  if (group.length > 0) groups.push(group);
}

/** tool_use ids of a response's entries, in order. */
function toolUseIds(response: readonly Entry[]): string[] {
  return response.flatMap((entry) =>
    (entry.message as Message).parts.flatMap((part) => (part.kind === 'tool_call' && part.flags.sourceType === 'tool_use' && part.flags.toolCallId ? [part.flags.toolCallId] : [])),
  );
}

function clearedId(part: Part, cleared: ReadonlySet<string>): string[] {
  const id = part.kind === 'tool_result' ? part.flags.toolCallId : undefined;
  return id !== undefined && cleared.has(id) ? [id] : [];
}

/**
 * The parts with each cleared tool result (all its parts: text, images) as
 * one placeholder part. The placeholder has no slot: it is not in the
 * transcript's text, and nothing may rewrite it.
 */
function withCleared(parts: readonly Part[], cleared: ReadonlySet<string>): Part[] {
  const out: Part[] = [];
  const done = new Set<string>();
  for (const part of parts) {
    const [id] = clearedId(part, cleared);
    if (id === undefined) out.push(part);
    else if (!done.has(id)) {
      done.add(id);
      const flags: PartFlags = { toolCallId: id, sourceType: 'tool_result', cleared: true };
      if (part.flags.toolName) flags.toolName = part.flags.toolName;
      if (part.flags.isError) flags.isError = true;
      out.push({ kind: 'tool_result', text: CLEARED_TOOL_RESULT, slot: null, flags });
    }
  }
  return out;
}

/** `compactedToolIds` of a `microcompact_boundary` system entry. */
function microcompactedToolIds(record: JsonObject): string[] {
  if (stringField(record, 'subtype') !== 'microcompact_boundary') return [];
  const metadata = objectField(record, 'microcompactMetadata');
  const ids = metadata ? arrayField(metadata, 'compactedToolIds') : undefined;
  return (ids ?? []).filter((id): id is string => typeof id === 'string');
}

/** A top-level text block (or string content) with nothing but whitespace. */
function isBlankText(part: Part): boolean {
  return (part.kind === 'user' || part.kind === 'assistant') && part.slot !== null && part.flags.reasoning !== true && part.text.trim() === '';
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

export { CLEARED_TOOL_RESULT };
