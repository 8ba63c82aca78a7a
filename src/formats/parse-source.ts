/**
 * Turns one source's records into requests. Standalone records (request
 * bodies, captures, message arrays) become requests as they arrive; stateful
 * formats (Claude Code transcripts, Codex rollouts, one message per line)
 * gather the file's lines and yield their requests as calls complete or at the
 * end of the file.
 */
import type { InputProblem } from '../input/problems.js';
import { TORN_LAST_LINE, type RecordEvent } from '../input/records.js';
import type { Source } from '../input/sources.js';
import { ClaudeCodeSession } from './claude-code/parse.js';
import { CodexSession } from './codex/parse.js';
import { classifyRecord, EXPECTED_SHAPES, isMessageLike, messageDialect, type Dialect } from './detect.js';
import { parseDialectMessage, parseRequestBody, providerOf } from './dialects.js';
import { parseCapture } from './http-capture.js';
import { pairToolResults } from './parts.js';
import { requestParts, settleValueSlots, type RecordText } from './value-slots.js';
import { isJsonObject, type FormatId, type JsonObject, type JsonValue, type Message, type Origin, type Request } from './types.js';

export type ParseEvent = { kind: 'request'; request: Request } | { kind: 'problem'; problem: InputProblem } | { kind: 'progress'; bytes: number };

export interface ParseOptions {
  /** Forces the interpretation instead of detecting it (`--format`). */
  format?: FormatId;
}

/** Problems kept per file while it is undecided whether the file is a conversation at all. */
const DEFERRED_PROBLEM_LIMIT = 1000;

export async function* parseSource(source: Source, records: AsyncIterable<RecordEvent>, options: ParseOptions = {}): AsyncGenerator<ParseEvent> {
  const state = new SourceState(source, options);
  for await (const event of records) {
    if (event.kind === 'problem') yield { kind: 'problem', problem: state.judge(event.problem) };
    else if (event.kind === 'progress') yield event;
    else if (event.kind === 'record') yield* state.addRecord(event.value, event.origin, event.text ?? null);
  }
  yield* state.finish();
}

/** A run of elements of one array document, held while they could still be one messages array. */
interface HeldElements {
  line: number;
  values: JsonValue[];
  origins: Origin[];
  /** Each element's text, while every element has one (value parts find their source text in them). */
  texts: string[] | null;
}

class SourceState {
  private claudeCode: ClaudeCodeSession | null = null;
  private codex: CodexSession | null = null;
  private lines: { dialect: Dialect | null; messages: Message[]; origin: Origin } | null = null;
  private recognized = 0;
  private readonly unrecognized: InputProblem[] = [];
  private unrecognizedCount = 0;
  private readonly skippedEndpoints = new Map<string, number>();
  private lastOrigin: Origin;
  private heldElements: HeldElements | null = null;
  /** Line of the array document whose elements turned out to be records (read one by one). */
  private recordsArrayLine: number | null = null;

  constructor(
    private readonly source: Source,
    private readonly options: ParseOptions,
  ) {
    this.lastOrigin = { file: source.name, line: 1 };
  }

  /**
   * A record from the reader. The reader hands over the elements of an array
   * document one at a time (origin.element set); a run of message-like
   * elements is held, because an array of messages is one request, and
   * released as separate records once an element shows the array holds records.
   */
  *addRecord(value: JsonValue, origin: Origin, text: string | null): Generator<ParseEvent> {
    if (this.heldElements && (origin.element === undefined || origin.line !== this.heldElements.line)) yield* this.releaseElements(true);
    if (origin.element === undefined || origin.line === this.recordsArrayLine) {
      yield* this.add(value, origin, text === null ? null : { text, origin });
      return;
    }
    if (isMessageLike(value)) {
      this.heldElements ??= { line: origin.line, values: [], origins: [], texts: [] };
      this.heldElements.values.push(value);
      this.heldElements.origins.push(origin);
      if (text === null) this.heldElements.texts = null;
      else this.heldElements.texts?.push(text);
      return;
    }
    this.recordsArrayLine = origin.line;
    yield* this.releaseElements(false);
    yield* this.add(value, origin, text === null ? null : { text, origin });
  }

  /** Held elements go on as one messages array (`asArray`) or, when the array holds records, one by one. */
  private *releaseElements(asArray: boolean): Generator<ParseEvent> {
    const held = this.heldElements;
    this.heldElements = null;
    if (!held) return;
    if (asArray) {
      const origin = { file: this.source.name, line: held.line };
      // The elements' own texts, rejoined, are an array whose element i is at path [i]: source ranges stay exact.
      yield* this.add(held.values, origin, held.texts ? { text: `[${held.texts.join(',')}]`, origin } : null);
      return;
    }
    for (let index = 0; index < held.values.length; index++) {
      const text = held.texts?.[index];
      const origin = held.origins[index] as Origin;
      yield* this.add(held.values[index] as JsonValue, origin, text === undefined ? null : { text, origin });
    }
  }

  /**
   * A torn last line is tolerated in a transcript (an agent still writing
   * it); in any other JSONL it is an error like any other bad line.
   */
  judge(problem: InputProblem): InputProblem {
    if (problem.message !== TORN_LAST_LINE || this.claudeCode || this.codex) return problem;
    return { ...problem, severity: 'error', message: 'last line is cut short (truncated?); expected a complete JSON value' };
  }

  /** `record`: the text `value` was read from, where value parts find their source text (null: the text is gone). */
  *add(value: JsonValue, origin: Origin, record: RecordText | null = null): Generator<ParseEvent> {
    this.lastOrigin = origin;
    const forced = this.options.format;
    const shape = forced ? forcedShape(forced, value) : classifyRecord(value);
    switch (shape.kind) {
      case 'capture': {
        const result = parseCapture(value as JsonObject, origin, dialectOfFormat(forced));
        if (result.kind === 'skip') {
          this.skippedEndpoints.set(result.endpoint, (this.skippedEndpoints.get(result.endpoint) ?? 0) + 1);
          return;
        }
        this.recognized++;
        settleValueSlots(requestParts(result.request), record);
        yield { kind: 'request', request: result.request };
        return;
      }
      case 'claude-code':
        this.recognized++;
        this.claudeCode ??= new ClaudeCodeSession();
        this.claudeCode.add(value as JsonObject, origin);
        return;
      case 'codex':
        this.recognized++;
        this.codex ??= new CodexSession(this.source.name);
        this.codex.add(value as JsonObject, origin);
        for (const request of this.codex.drain()) yield transcriptRequest(request);
        return;
      case 'request':
      case 'messages': {
        this.recognized++;
        const request = parseRequestBody(shape.dialect, value, origin);
        settleValueSlots(requestParts(request), record);
        yield { kind: 'request', request };
        return;
      }
      case 'message':
        this.recognized++;
        this.addMessageLine(value as JsonObject, origin, shape.dialect, record);
        return;
      case 'records': {
        // An array document of records: each element is read like a line.
        const elements = value as JsonValue[];
        for (let index = 0; index < elements.length; index++) {
          yield* this.add(elements[index] as JsonValue, { ...origin, element: index }, record);
        }
        return;
      }
      case 'unknown':
        this.unrecognizedCount++;
        if (this.unrecognized.length < DEFERRED_PROBLEM_LIMIT) {
          const message = forced ? FORCED_EXPECTATION[forced] : `unrecognized JSON shape; ${EXPECTED_SHAPES}`;
          const problem: InputProblem = { file: origin.file, severity: 'error', message };
          if (origin.element !== undefined) problem.element = origin.element;
          else problem.line = origin.line;
          this.unrecognized.push(problem);
        }
        return;
    }
  }

  private addMessageLine(message: JsonObject, origin: Origin, dialect: Dialect, record: RecordText | null): void {
    this.lines ??= { dialect: null, messages: [], origin };
    // The first line that reveals a dialect fixes it for the file.
    this.lines.dialect ??= messageDialect(message);
    const parsed = parseDialectMessage(this.lines.dialect ?? dialect, message, origin, []);
    if (!parsed) return;
    settleValueSlots(parsed.parts, record);
    this.lines.messages.push(parsed);
  }

  *finish(): Generator<ParseEvent> {
    yield* this.releaseElements(true);
    if (this.claudeCode) for (const request of this.claudeCode.requests()) yield transcriptRequest(request);
    if (this.codex) for (const request of this.codex.finish(this.lastOrigin)) yield transcriptRequest(request);
    if (this.lines) {
      pairToolResults(this.lines.messages);
      const dialect = this.lines.dialect ?? 'openai-chat';
      yield {
        kind: 'request',
        request: {
          id: `${this.source.name}:${this.lines.origin.line}`,
          format: 'message-lines',
          provider: providerOf(dialect),
          model: null,
          messages: this.lines.messages,
          tools: [],
          usage: null,
          origin: this.lines.origin,
          conversation: this.source.name,
        },
      };
    }
    yield* this.finishProblems();
  }

  private *finishProblems(): Generator<ParseEvent> {
    const file = this.source.name;
    for (const [endpoint, count] of this.skippedEndpoints) {
      const exchanges = count === 1 ? 'exchange' : 'exchanges';
      yield { kind: 'problem', problem: { file, severity: 'note', message: `skipped ${count} HTTP ${exchanges} with ${endpoint} (not an LLM request)` } };
    }
    if (this.unrecognizedCount === 0) return;
    if (this.recognized === 0 && this.source.discovered) {
      // Found while walking a directory: a JSON file that is not a conversation.
      yield { kind: 'problem', problem: { file, severity: 'note', message: 'skipped: not a conversation or request file', skipped: true } };
      return;
    }
    for (const problem of this.unrecognized) yield { kind: 'problem', problem };
    const more = this.unrecognizedCount - this.unrecognized.length;
    if (more > 0) yield { kind: 'problem', problem: { file, severity: 'error', message: `${more} more records with an unrecognized shape` } };
  }
}

/** A transcript's parts are built after its lines have gone: its value parts keep no slot (see value-slots.ts). */
function transcriptRequest(request: Request): ParseEvent {
  settleValueSlots(requestParts(request), null);
  return { kind: 'request', request };
}

function dialectOfFormat(format: FormatId | undefined): Dialect | null {
  switch (format) {
    case 'openai-chat':
    case 'openai-responses':
    case 'anthropic':
    case 'gemini':
      return format;
    default:
      return null;
  }
}

/** What a record must look like to be read as a forced format, for error lines. */
const FORCED_EXPECTATION: Record<FormatId, string> = {
  'claude-code': 'not a Claude Code transcript entry (--format claude-code); expected an object with "type" and "uuid"',
  codex: 'not a Codex rollout line (--format codex); expected an object with "type" and "payload"',
  'message-lines': 'not a message (--format message-lines); expected an object with "role"',
  'openai-chat': 'not an OpenAI chat request (--format openai-chat); expected an object with "messages", or an array of messages',
  'openai-responses': 'not an OpenAI Responses request (--format openai-responses); expected an object with "input" or "instructions", or an array of input items',
  anthropic: 'not an Anthropic request (--format anthropic); expected an object with "messages", or an array of messages',
  gemini: 'not a Gemini request (--format gemini); expected an object with "contents", or an array of contents with "parts"',
};

/**
 * Whether a request body (or bare list) can be read as `dialect`: it carries
 * that dialect's conversation. Without this check a body of another provider
 * would be read as an empty request and reported as a few tokens.
 */
function fitsDialect(dialect: Dialect, value: JsonValue): boolean {
  if (Array.isArray(value)) {
    if (value.length === 0 || !value.every(isJsonObject)) return false;
    const objects = value as JsonObject[];
    if (dialect === 'gemini') return objects.every((item) => Array.isArray(item['parts']));
    return objects.every((item) => isMessageLike(item) && !(Array.isArray(item['parts']) && !('content' in item)));
  }
  if (!isJsonObject(value)) return false;
  switch (dialect) {
    case 'gemini':
      return Array.isArray(value['contents']) || 'systemInstruction' in value || 'system_instruction' in value;
    case 'openai-responses':
      return 'input' in value || 'instructions' in value;
    default:
      return Array.isArray(value['messages']);
  }
}

/** With `--format`, a record is read as that format whatever its shape suggests. */
function forcedShape(format: FormatId, value: JsonValue): ReturnType<typeof classifyRecord> {
  const detected = classifyRecord(value);
  switch (format) {
    // Transcript lines are taken on a looser test than detection uses (newer
    // tool versions add line types), but must still look like transcript lines.
    case 'claude-code':
      return isJsonObject(value) && typeof value['type'] === 'string' && ('uuid' in value || 'sessionId' in value || detected.kind === 'claude-code')
        ? { kind: 'claude-code' }
        : { kind: 'unknown' };
    case 'codex':
      return isJsonObject(value) && typeof value['type'] === 'string' && isJsonObject(value['payload']) ? { kind: 'codex' } : { kind: 'unknown' };
    case 'message-lines':
      return isMessageLike(value) ? { kind: 'message', dialect: messageDialect(value) ?? 'openai-chat' } : { kind: 'unknown' };
    default: {
      const dialect = dialectOfFormat(format) ?? 'openai-chat';
      if (detected.kind === 'capture' || detected.kind === 'records') return detected;
      if (detected.kind === 'message') return { kind: 'message', dialect };
      return fitsDialect(dialect, value) ? { kind: 'request', dialect } : { kind: 'unknown' };
    }
  }
}
