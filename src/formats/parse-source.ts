/**
 * Turns one source's records into requests. Standalone records (request
 * bodies, captures, message arrays) become requests as they arrive; stateful
 * formats (session transcripts, one message per line) gather the file's
 * lines and yield their requests as calls complete or at the end of the file.
 * What a record of each format looks like, and how it is read, comes from the
 * format's descriptor (registry.ts).
 */
import type { InputProblem } from '../input/problems.js';
import { TORN_LAST_LINE, type RecordEvent } from '../input/records.js';
import type { Source } from '../input/sources.js';
import type { TranscriptSession } from './descriptor.js';
import { classifyRecord, EXPECTED_SHAPES, isMessageLike, messageDialect, type Dialect, type RecordShape } from './detect.js';
import { parseRequestBody } from './dialects.js';
import { parseCapture } from './http-capture.js';
import { MessageLines } from './message-lines/lines.js';
import { DEFAULT_DIALECT, dialectFormat, dialectOfFormat, FORMATS, TRANSCRIPTS_BY_PRECEDENCE } from './registry.js';
import { requestParts, settleValueSlots, type RecordText } from './value-slots.js';
import { isJsonObject, type FormatId, type JsonObject, type JsonValue, type Origin, type Request } from './types.js';

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
  /** The open transcript sessions, by format (a file is normally one transcript). */
  private readonly transcripts = new Map<FormatId, TranscriptSession>();
  private lines: MessageLines | null = null;
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
    if (problem.message !== TORN_LAST_LINE || this.transcripts.size > 0) return problem;
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
      case 'transcript': {
        this.recognized++;
        const session = this.transcriptSession(shape.format);
        session.add(value as JsonObject, origin);
        for (const request of session.drain()) yield transcriptRequest(request);
        return;
      }
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
        this.lines ??= new MessageLines(origin);
        this.lines.add(value as JsonObject, origin, shape.dialect, record);
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
          const message = forced ? FORMATS[forced].forcedMismatch : `unrecognized JSON shape; ${EXPECTED_SHAPES}`;
          const problem: InputProblem = { file: origin.file, severity: 'error', message };
          if (origin.element !== undefined) problem.element = origin.element;
          else problem.line = origin.line;
          this.unrecognized.push(problem);
        }
        return;
    }
  }

  private transcriptSession(format: FormatId): TranscriptSession {
    let session = this.transcripts.get(format);
    if (!session) {
      const reader = FORMATS[format].reader;
      if (reader.kind !== 'transcript') throw new Error(`${format} is not a transcript format`);
      session = reader.openSession(this.source.name);
      this.transcripts.set(format, session);
    }
    return session;
  }

  *finish(): Generator<ParseEvent> {
    yield* this.releaseElements(true);
    // In detection order (a file is normally one transcript).
    for (const { id } of TRANSCRIPTS_BY_PRECEDENCE) {
      const session = this.transcripts.get(id);
      if (session) for (const request of session.finish(this.lastOrigin)) yield transcriptRequest(request);
    }
    if (this.lines) yield { kind: 'request', request: this.lines.request(this.source.name) };
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

/**
 * Whether a request body (or bare list) can be read as `dialect`: it carries
 * that dialect's conversation. Without this check a body of another provider
 * would be read as an empty request and reported as a few tokens.
 */
function fitsDialect(dialect: Dialect, value: JsonValue): boolean {
  const reader = dialectFormat(dialect).reader;
  if (Array.isArray(value)) {
    if (value.length === 0 || !value.every(isJsonObject)) return false;
    const objects = value as JsonObject[];
    if (reader.bareList === 'contents') return objects.every((item) => Array.isArray(item['parts']));
    return objects.every((item) => isMessageLike(item) && !(Array.isArray(item['parts']) && !('content' in item)));
  }
  return isJsonObject(value) && reader.fitsBody(value);
}

/** With `--format`, a record is read as that format whatever its shape suggests. */
function forcedShape(format: FormatId, value: JsonValue): RecordShape {
  const detected = classifyRecord(value);
  const reader = FORMATS[format].reader;
  switch (reader.kind) {
    // Transcript lines are taken on a looser test than detection uses, but must still look like transcript lines.
    case 'transcript': {
      const recognized = detected.kind === 'transcript' && detected.format === format;
      return isJsonObject(value) && reader.accepts(value, recognized) ? { kind: 'transcript', format } : { kind: 'unknown' };
    }
    case 'message-lines':
      return isMessageLike(value) ? { kind: 'message', dialect: messageDialect(value) ?? DEFAULT_DIALECT } : { kind: 'unknown' };
    case 'dialect': {
      const dialect = dialectOfFormat(format) ?? DEFAULT_DIALECT;
      if (detected.kind === 'capture' || detected.kind === 'records') return detected;
      if (detected.kind === 'message') return { kind: 'message', dialect };
      return fitsDialect(dialect, value) ? { kind: 'request', dialect } : { kind: 'unknown' };
    }
  }
}
