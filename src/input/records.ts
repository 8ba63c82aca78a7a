/**
 * Reads a source as a stream of JSON records, each with its file and line.
 *
 * Whether a source is one JSON document or JSONL is decided by its content,
 * not its extension: if its first line is a complete JSON value and more
 * content follows, it is JSONL. Input is split into lines as *bytes* (a
 * newline byte is never part of a multi-byte UTF-8 character), so each line
 * keeps its own bytes, memory is bounded by the longest line (a library
 * splitter would hide line numbers and is slower, see toolchain.md §3), and a
 * bad line costs only itself. Every step is linear in the input: nothing
 * already read is scanned again as more arrives.
 *
 * A document is one record, read whole, except that a document that is an
 * array is read element by element when the caller does not need its text
 * back (`keepRaw` off): an array of a million request bodies on one line then
 * costs the memory of one body, like the same records as JSONL.
 */
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { isJsonSpace, jsonSyntaxError, lineAndColumn } from '../json/index.js';
import type { JsonValue } from '../json/types.js';
import { ArrayElementSplitter } from './array-elements.js';
import type { Origin } from './origin.js';
import type { InputProblem } from './problems.js';
import type { Source } from './sources.js';

export type RecordEvent =
  | { kind: 'shape'; shape: 'json' | 'jsonl' }
  /** `text`: the JSON text the value was parsed from (an element's own text when `origin.element` is set), to read source ranges in. */
  | { kind: 'record'; value: JsonValue; origin: Origin; raw?: RawText; text?: string }
  /** With `keepRaw`: a line that holds no record (blank, malformed, torn), so a writer can keep it. */
  | { kind: 'other-line'; raw: RawText; origin: Origin }
  | { kind: 'problem'; problem: InputProblem }
  /** Bytes consumed so far, for progress reporting. */
  | { kind: 'progress'; bytes: number };

/** The text a record was read from, kept (with `keepRaw`) so optimize can write it back byte for byte. */
export interface RawText {
  /** The decoded text, without a leading byte-order mark. */
  text: string;
  /** Whether a newline followed it in the input (JSONL lines; never for a whole document). */
  newline: boolean;
  /**
   * The input's own bytes (without the newline), present only when they are
   * not valid UTF-8: decoding turned those bytes into U+FFFD, so a record that
   * is not edited is written from these to keep it exactly.
   */
  bytes?: Buffer;
  /** The input began with a byte-order mark just before this text. */
  bom?: boolean;
}

export interface ReadOptions {
  /** Attach each record's original text, and report lines that hold no record. */
  keepRaw?: boolean;
}

const CHUNK_BYTES = 1 << 16;
/** How much of the start is inspected to tell binary data from text. */
const BINARY_PROBE_BYTES = 8192;
const NEWLINE = 0x0a;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function openSourceStream(source: Source): AsyncIterable<Buffer> {
  if (source.kind === 'stdin') return process.stdin;
  return createReadStream(source.path ?? source.name, { highWaterMark: CHUNK_BYTES });
}

export async function* readRecords(
  source: Source,
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string> = openSourceStream(source),
  options: ReadOptions = {},
): AsyncGenerator<RecordEvent> {
  const reader = new RecordReader(source.name, options.keepRaw === true);
  let bytes = 0;
  try {
    for await (const raw of chunks) {
      const buffer = typeof raw === 'string' ? Buffer.from(raw) : raw;
      bytes += buffer.length;
      yield* reader.push(buffer);
      if (reader.stopped) return;
      yield { kind: 'progress', bytes };
    }
    yield* reader.finish();
    yield { kind: 'progress', bytes };
  } catch (error) {
    yield { kind: 'problem', problem: { file: source.name, message: `cannot read: ${describeReadError(error)}`, severity: 'error' } };
  }
}

/** One line of input as bytes, with its 1-based number. */
interface Line {
  bytes: Buffer;
  number: number;
  /** Whether a newline byte ended it (false for an unterminated last line). */
  newline: boolean;
}

/**
 * What the input turned out to be, decided once from its first bytes and
 * first line(s):
 * - probing: the first bytes are held until it is clear whether this is text;
 * - first-line: JSON text; waiting for the first non-blank line to end;
 * - first-parsed: the first line was one JSON value; JSONL if anything but
 *   blank lines follows, else a one-line document;
 * - jsonl: every further line is a record;
 * - document: held whole until the end (a multi-line document, or JSONL whose
 *   first line is broken, which the end sorts out);
 * - array: a document that is an array, read element by element;
 * - after-array: the array has closed; only blank lines may follow, unless
 *   the array was the first line of JSONL.
 */
type Mode = 'probing' | 'first-line' | 'first-parsed' | 'jsonl' | 'document' | 'array' | 'after-array';

class RecordReader {
  stopped = false;
  private mode: Mode = 'probing';
  private probe: Buffer[] = [];
  private probeLength = 0;
  private bom = false;
  private lineNumber = 0;
  /** Bytes of the line being read (slices of the chunks it spans). */
  private partial: Buffer[] = [];
  /** Lines held while the shape is undecided, or a whole document. */
  private held: Line[] = [];
  private firstRecord: JsonValue | undefined = undefined;
  private array: ArrayElementSplitter | null = null;

  constructor(
    private readonly file: string,
    private readonly keepRaw: boolean,
  ) {}

  *push(buffer: Buffer): Generator<RecordEvent> {
    if (this.mode !== 'probing') {
      yield* this.consume(buffer);
      return;
    }
    this.probe.push(buffer);
    this.probeLength += buffer.length;
    if (this.probeLength >= BINARY_PROBE_BYTES) yield* this.decide(false);
  }

  *finish(): Generator<RecordEvent> {
    if (this.mode === 'probing') yield* this.decide(true);
    if (this.stopped) return;
    if (this.mode === 'array') {
      yield this.problem('JSON document ends early (truncated?); expected the rest of the value', (this.array as ArrayElementSplitter).lines);
      return;
    }
    if (this.partial.length > 0) yield* this.onLine({ bytes: this.takePartial(), number: ++this.lineNumber, newline: false });
    if (this.stopped) return;
    if (this.mode === 'after-array') yield { kind: 'shape', shape: 'json' };
    else if (this.mode !== 'jsonl') yield* this.document();
  }

  /** Decides from the first bytes whether this is JSON text at all, then reads them. */
  private *decide(atEnd: boolean): Generator<RecordEvent> {
    let start = Buffer.concat(this.probe);
    this.probe = [];
    if (start.subarray(0, 3).equals(UTF8_BOM)) {
      this.bom = true;
      start = start.subarray(3);
    }
    const first = firstNonSpaceByte(start);
    if (first < 0 && atEnd) {
      this.stopped = true;
      yield this.problem('empty input; expected JSON or JSONL');
      return;
    }
    const firstByte = first >= 0 ? start[first] : undefined;
    if (firstByte !== undefined && firstByte !== OPEN_BRACE && firstByte !== OPEN_BRACKET && !someLineStartsJson(start)) {
      // Neither the first nor any other line in sight starts a JSON value.
      this.stopped = true;
      if (looksBinary(start)) yield this.problem('binary data; expected JSON or JSONL text');
      else yield this.problem(`expected JSON or JSONL (a line starting with "{" or "["), found ${describeByte(start, first)}`, lineNumberAt(start, first));
      return;
    }
    // An array document is read element by element, unless its text is needed back.
    if (firstByte === OPEN_BRACKET && !this.keepRaw) {
      this.mode = 'array';
      this.array = new ArrayElementSplitter();
    } else {
      this.mode = 'first-line';
    }
    yield* this.consume(start);
  }

  private *consume(buffer: Buffer): Generator<RecordEvent> {
    if (this.mode === 'array') {
      yield* this.consumeArray(buffer);
      return;
    }
    let from = 0;
    for (;;) {
      const newline = buffer.indexOf(NEWLINE, from);
      if (newline < 0) break;
      this.partial.push(buffer.subarray(from, newline));
      yield* this.onLine({ bytes: this.takePartial(), number: ++this.lineNumber, newline: true });
      if (this.stopped) return;
      from = newline + 1;
    }
    if (from < buffer.length) this.partial.push(buffer.subarray(from));
  }

  private takePartial(): Buffer {
    const bytes = this.partial.length === 1 ? (this.partial[0] as Buffer) : Buffer.concat(this.partial);
    this.partial = [];
    return bytes;
  }

  private *onLine(line: Line): Generator<RecordEvent> {
    switch (this.mode) {
      case 'jsonl':
        yield* this.lineEvents(line);
        return;
      case 'document':
        this.held.push(line);
        return;
      case 'first-line': {
        this.held.push(line);
        const start = firstNonSpaceByte(line.bytes);
        if (start < 0) return;
        const byte = line.bytes[start];
        if (byte !== OPEN_BRACE && byte !== OPEN_BRACKET) {
          // A bad first line of a JSONL file whose later lines are JSON (the probe saw them).
          yield* this.startJsonl();
          return;
        }
        const value = parseOrError(decode(line.bytes));
        // A value on a line of its own is a one-line document or the first line of JSONL;
        // anything else is a multi-line document, or JSONL whose first line is broken.
        if (value instanceof JsonParseError) {
          this.mode = 'document';
        } else {
          this.firstRecord = value;
          this.mode = 'first-parsed';
        }
        return;
      }
      case 'first-parsed':
        this.held.push(line);
        if (firstNonSpaceByte(line.bytes) >= 0) yield* this.startJsonl();
        return;
      case 'after-array':
        yield* this.afterArrayLine(line);
        return;
      default:
        return;
    }
  }

  /** The held lines turned out to be the start of JSONL: emit them as lines. */
  private *startJsonl(): Generator<RecordEvent> {
    this.mode = 'jsonl';
    yield { kind: 'shape', shape: 'jsonl' };
    const held = this.held;
    this.held = [];
    this.firstRecord = undefined;
    for (const line of held) yield* this.lineEvents(line);
  }

  /** Events for one line of JSONL. */
  private *lineEvents(line: Line): Generator<RecordEvent> {
    const text = decode(line.bytes);
    const event = firstNonSpaceByte(line.bytes) < 0 ? null : parseLine(text, this.file, line.number, !line.newline);
    const raw = this.keepRaw ? this.rawText(text, line.bytes, line.newline, line.number === 1) : undefined;
    if (event?.kind === 'record' && raw) event.raw = raw;
    if (event) yield event;
    if (raw && event?.kind !== 'record') yield { kind: 'other-line', raw, origin: { file: this.file, line: line.number } };
  }

  /** The whole input as one JSON document (or, when it is not one, JSONL with a broken first line). */
  private *document(): Generator<RecordEvent> {
    const lines = this.held;
    this.held = [];
    if (lines.every((line) => firstNonSpaceByte(line.bytes) < 0)) {
      yield this.problem('empty input; expected JSON or JSONL');
      return;
    }
    const parts: Buffer[] = [];
    for (const line of lines) {
      parts.push(line.bytes);
      if (line.newline) parts.push(NEWLINE_BYTE);
    }
    const bytes = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    const text = decode(bytes);
    const parsed = this.firstRecord !== undefined ? this.firstRecord : parseOrError(text);
    this.firstRecord = undefined;
    if (!(parsed instanceof JsonParseError)) {
      yield { kind: 'shape', shape: 'json' };
      const event: RecordEvent = { kind: 'record', value: parsed, origin: { file: this.file, line: lineNumberAt(bytes, firstNonSpaceByte(bytes)) }, text };
      if (this.keepRaw) event.raw = this.rawText(text, bytes, false, true);
      yield event;
      return;
    }
    if (mostLinesParse(lines)) {
      // JSONL whose first line is broken: report that line, keep the rest.
      this.mode = 'jsonl';
      yield { kind: 'shape', shape: 'jsonl' };
      for (const line of lines) yield* this.lineEvents(line);
      return;
    }
    const { truncated, line } = syntaxErrorOf(text);
    yield this.problem(
      truncated ? 'JSON document ends early (truncated?); expected the rest of the value' : `malformed JSON document (${describeParseError(parsed.cause)}); expected one JSON value`,
      line,
    );
  }

  private *consumeArray(buffer: Buffer): Generator<RecordEvent> {
    const splitter = this.array as ArrayElementSplitter;
    const rest = splitter.push(buffer);
    for (const element of splitter.drain()) {
      const text = decode(element.bytes);
      const value = parseOrError(text);
      if (value instanceof JsonParseError) {
        const message = `malformed JSON (${describeParseError(value.cause)}); expected one JSON value`;
        yield { kind: 'problem', problem: { file: this.file, element: element.index, severity: 'error', message } };
      } else {
        yield { kind: 'record', value, origin: { file: this.file, line: splitter.startLine, element: element.index }, text };
      }
    }
    if (splitter.failure) {
      this.stopped = true;
      yield this.problem(`malformed JSON document (${splitter.failure}); expected one JSON value`, splitter.lines);
      return;
    }
    if (rest === null) return;
    if (splitter.count === 0) {
      // `[]`: no elements to read, but still a value the parser must see (and reject).
      yield { kind: 'record', value: [], origin: { file: this.file, line: splitter.startLine } };
    }
    // The array has closed: the rest of its line and what follows decide whether it was the whole document.
    this.mode = 'after-array';
    this.lineNumber = splitter.lines - 1;
    yield* this.consume(rest);
  }

  /** A line after an array document closed: blank, or (after a one-line array) the next line of JSONL. */
  private *afterArrayLine(line: Line): Generator<RecordEvent> {
    if (firstNonSpaceByte(line.bytes) < 0) return;
    const splitter = this.array as ArrayElementSplitter;
    if (line.number > splitter.lines && splitter.startLine === splitter.lines) {
      // The array was the first line of JSONL.
      this.mode = 'jsonl';
      yield { kind: 'shape', shape: 'jsonl' };
      yield* this.lineEvents(line);
      return;
    }
    this.stopped = true;
    yield this.problem('malformed JSON document (unexpected text after the value); expected one JSON value', line.number);
  }

  private rawText(text: string, bytes: Buffer, newline: boolean, first: boolean): RawText {
    const raw: RawText = { text, newline };
    if (!isUtf8(bytes)) raw.bytes = bytes;
    if (first && this.bom) raw.bom = true;
    return raw;
  }

  private problem(message: string, line?: number): RecordEvent {
    const problem: InputProblem = line === undefined ? { file: this.file, message, severity: 'error' } : { file: this.file, line, message, severity: 'error' };
    return { kind: 'problem', problem };
  }
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const NEWLINE_BYTE = Buffer.from([NEWLINE]);

class JsonParseError {
  constructor(readonly cause: unknown) {}
}

function parseOrError(text: string): JsonValue | JsonParseError {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    return new JsonParseError(error);
  }
}

function decode(bytes: Buffer): string {
  return bytes.toString('utf8');
}

/** True when the input has several lines and most of them are JSON values on their own. */
function mostLinesParse(lines: readonly Line[]): boolean {
  let total = 0;
  let parsed = 0;
  for (const line of lines) {
    if (firstNonSpaceByte(line.bytes) < 0) continue;
    total++;
    if (!(parseOrError(decode(line.bytes)) instanceof JsonParseError)) parsed++;
  }
  return total >= 2 && parsed * 2 > total;
}

/** A non-blank line of JSONL: its record, or the problem with it. */
function parseLine(text: string, file: string, line: number, last: boolean): RecordEvent {
  const value = parseOrError(text);
  if (!(value instanceof JsonParseError)) return { kind: 'record', value, origin: { file, line }, text };
  if (last && syntaxErrorOf(text).truncated) {
    // A torn last line: the writer (an agent still running, a killed
    // process) stopped mid-record. Transcript formats tolerate it as a note
    // (parseSource decides); for other JSONL it is an error.
    return { kind: 'problem', problem: { file, line, severity: 'note', message: TORN_LAST_LINE } };
  }
  return {
    kind: 'problem',
    problem: { file, line, severity: 'error', message: `malformed JSON (${describeParseError(value.cause)}); expected one JSON value per line` },
  };
}

/** The message of a torn last line; parseSource raises it to an error for inputs that are not transcripts. */
export const TORN_LAST_LINE = 'last line is incomplete (torn write); skipped';

/** Many NUL or other control bytes (other than tab/newline/carriage return): not text. */
function looksBinary(probe: Buffer): boolean {
  if (probe.includes(0)) return true;
  let control = 0;
  for (const byte of probe) if (byte < 9 || (byte > 13 && byte < 32)) control++;
  return control > probe.length / 100;
}

/** Whether some line of the probe (other than its last, possibly cut, one) starts with `{` or `[`. */
function someLineStartsJson(probe: Buffer): boolean {
  for (let newline = probe.indexOf(NEWLINE); newline >= 0 && newline + 1 < probe.length; newline = probe.indexOf(NEWLINE, newline + 1)) {
    const next = firstNonSpaceByte(probe, newline + 1, true);
    const byte = next >= 0 ? probe[next] : undefined;
    if (byte === 0x7b || byte === 0x5b) return true;
  }
  return false;
}

/** Index of the first byte that is not JSON whitespace (stopping at a newline when `lineOnly`), or -1. */
function firstNonSpaceByte(bytes: Buffer, from = 0, lineOnly = false): number {
  for (let i = from; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (lineOnly && byte === NEWLINE) return -1;
    if (!isJsonSpace(byte)) return i;
  }
  return -1;
}

/** 1-based line of a byte offset. */
function lineNumberAt(bytes: Buffer, index: number): number {
  let line = 1;
  for (let i = bytes.indexOf(NEWLINE); i >= 0 && i < index; i = bytes.indexOf(NEWLINE, i + 1)) line++;
  return line;
}

/**
 * Whether text that JSON.parse rejected was cut short (a truncated document,
 * a torn last line) and the line of its first error; for a cut, the line
 * where the text ends.
 */
function syntaxErrorOf(text: string): { truncated: boolean; line: number } {
  const error = jsonSyntaxError(text);
  // Only reached if JSON.parse and the scanner disagree: point at the end.
  if (error === null || error.truncated) return { truncated: error !== null, line: lineAndColumn(text, text.length).line };
  return { truncated: false, line: error.line };
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Drop V8's echo of the input, which can be megabytes long.
  return message
    .replace(/, "[\s\S]*$/, '')
    .replace(/ in JSON at position \d+.*$/, '')
    .slice(0, 120);
}

function describeByte(bytes: Buffer, index: number): string {
  const text = decode(bytes.subarray(index, index + 4));
  const char = String.fromCodePoint(text.codePointAt(0) ?? 0);
  const code = char.codePointAt(0) ?? 0;
  return code < 32 || code === 127 ? `control character 0x${code.toString(16).padStart(2, '0')}` : `"${char}"`;
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ENOENT') return 'no such file';
  return error instanceof Error ? error.message : String(error);
}
