/**
 * Codex CLI rollouts (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`): lines
 * `{timestamp, type, payload}` of type `session_meta`, `turn_context` (the
 * model), `response_item` (Responses API items: messages, reasoning, calls and
 * their outputs), `event_msg` (UI events; `token_count` carries cumulative
 * usage) and `compacted`.
 *
 * Each `token_count` whose cumulative total moved marks one API call; the
 * call's usage is the difference from the previous total, and its context is
 * every item before the first item the model produced for that call.
 */
import type { TranscriptSession } from '../descriptor.js';
import { numberField, objectField, stringField } from '../json-text.js';
import { isModelOutputItem, parseResponsesItem } from '../openai-responses/parse.js';
import { pairToolResults, textPart } from '../parts.js';
import { isJsonObject, type JsonObject, type Message, type Origin, type Request } from '../types.js';
import { parseUsage } from '../usage.js';

const CODEX_LINE_TYPES = new Set(['session_meta', 'turn_context', 'response_item', 'event_msg', 'compacted']);
const USAGE_FIELDS = ['input_tokens', 'cached_input_tokens', 'output_tokens', 'reasoning_output_tokens'] as const;

export function isCodexLine(value: JsonObject): boolean {
  return typeof value['type'] === 'string' && CODEX_LINE_TYPES.has(value['type']) && isJsonObject(value['payload']);
}

export class CodexSession implements TranscriptSession {
  private system: Message | null = null;
  private items: Message[] = [];
  /** Index in `items` where the model's output for the pending call began. */
  private outputStart: number | null = null;
  private model: string | null = null;
  private sessionId: string | null = null;
  private previousTotal: Record<string, number> | null = null;
  private readonly toolNames = new Map<string, string>();
  private readonly pending: Request[] = [];
  private sawCall = false;

  constructor(private readonly file: string) {}

  add(record: JsonObject, origin: Origin): void {
    const payload = objectField(record, 'payload');
    if (!payload) return;
    switch (record['type']) {
      case 'session_meta':
        this.sessionId = stringField(payload, 'id') ?? this.sessionId;
        this.system = baseInstructions(payload, origin) ?? this.system;
        break;
      case 'turn_context':
        this.model = stringField(payload, 'model') ?? this.model;
        break;
      case 'response_item':
        this.addItem(payload, origin);
        break;
      case 'compacted':
        this.compact(payload, origin);
        break;
      case 'event_msg':
        if (payload['type'] === 'token_count') this.tokenCount(payload, origin, stringField(record, 'timestamp') ?? null);
        break;
    }
  }

  private addItem(payload: JsonObject, origin: Origin): void {
    const message = parseResponsesItem(payload, origin, ['payload']);
    if (!message) return;
    if (this.outputStart === null && isModelOutputItem(payload)) this.outputStart = this.items.length;
    pairToolResults([message], this.toolNames);
    this.items.push(message);
  }

  /** Compaction replaces the history with a summary (or an explicit replacement history). */
  private compact(payload: JsonObject, origin: Origin): void {
    const replacement = payload['replacement_history'];
    this.items = [];
    this.outputStart = null;
    if (Array.isArray(replacement)) {
      replacement.forEach((item, index) => {
        if (!isJsonObject(item)) return;
        const message = parseResponsesItem(item, origin, ['payload', 'replacement_history', index]);
        if (message) this.items.push(message);
      });
      return;
    }
    const summary = stringField(payload, 'message');
    if (summary) {
      const part = textPart('user', summary, origin, ['payload', 'message'], { compactionSummary: true });
      this.items.push({ role: 'user', parts: [part], origin });
    }
  }

  private tokenCount(payload: JsonObject, origin: Origin, timestamp: string | null): void {
    const info = objectField(payload, 'info');
    if (!info) return;
    const total = objectField(info, 'total_token_usage');
    const last = objectField(info, 'last_token_usage');
    let delta: Record<string, number> | null = null;
    if (total) {
      const current = Object.fromEntries(USAGE_FIELDS.map((field) => [field, numberField(total, field) ?? 0]));
      const previous = this.previousTotal;
      delta = Object.fromEntries(USAGE_FIELDS.map((field) => [field, (current[field] ?? 0) - (previous?.[field] ?? 0)]));
      this.previousTotal = current;
      // Codex repeats the last count on rate-limit updates: no new call.
      if (USAGE_FIELDS.every((field) => delta?.[field] === 0)) return;
    } else if (last) {
      delta = Object.fromEntries(USAGE_FIELDS.map((field) => [field, numberField(last, field) ?? 0]));
    }
    if (!delta) return;
    this.sawCall = true;
    const contextEnd = this.outputStart ?? this.items.length;
    const request = this.request(this.items.slice(0, contextEnd), origin, parseUsage(delta));
    // The token count is written when the call's response completes: the nearest the rollout records to the call's time.
    if (timestamp !== null) request.timestamp = timestamp;
    this.pending.push(request);
    this.outputStart = null;
  }

  private request(items: Message[], origin: Origin, usage: Request['usage']): Request {
    return {
      id: `${origin.file}:${origin.line}`,
      format: 'codex',
      provider: 'openai',
      model: this.model,
      messages: this.system ? [this.system, ...items] : items,
      tools: [],
      usage,
      origin,
      conversation: this.sessionId ?? this.file,
    };
  }

  /** Requests completed so far; call repeatedly while streaming. */
  *drain(): Generator<Request> {
    while (this.pending.length > 0) yield this.pending.shift() as Request;
  }

  /** At the end of the file: a rollout without token counts still yields its final context. */
  *finish(lastOrigin: Origin): Generator<Request> {
    yield* this.drain();
    if (!this.sawCall && this.items.length > 0) yield this.request(this.items, lastOrigin, null);
  }
}

function baseInstructions(payload: JsonObject, origin: Origin): Message | null {
  const base = objectField(payload, 'base_instructions');
  const text = base ? stringField(base, 'text') : stringField(payload, 'instructions');
  if (!text) return null;
  const path = base ? ['payload', 'base_instructions', 'text'] : ['payload', 'instructions'];
  return { role: 'system', parts: [textPart('system', text, origin, path)], origin };
}
