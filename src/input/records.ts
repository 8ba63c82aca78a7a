/**
 * Reads a source as a stream of JSON records, each with its file and line.
 *
 * Whether a source is one JSON document or JSONL is decided by its content,
 * not its extension: if its first line is a complete JSON value and more
 * content follows, it is JSONL. JSONL is split by hand as it streams in, so
 * memory is bounded by the longest line (a library splitter would hide line
 * numbers and is slower, see toolchain.md §3), and a bad line costs only
 * itself. A document is read whole: it is a single record.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { JsonValue, Origin } from '../formats/types.js';
import type { InputProblem } from './problems.js';
import type { Source } from './sources.js';

export type RecordEvent =
  | { kind: 'shape'; shape: 'json' | 'jsonl' }
  | { kind: 'record'; value: JsonValue; origin: Origin; raw?: RawText }
  /** With `keepRaw`: a line that holds no record (blank, malformed, torn), so a writer can keep it. */
  | { kind: 'other-line'; raw: RawText; origin: Origin }
  | { kind: 'problem'; problem: InputProblem }
  /** Bytes consumed so far, for progress reporting. */
  | { kind: 'progress'; bytes: number };

/** The text a record was read from, kept (with `keepRaw`) so optimize can write it back byte for byte. */
export interface RawText {
  text: string;
  /** Whether a newline followed it in the input (JSONL lines; never for a whole document). */
  newline: boolean;
}

export interface ReadOptions {
  /** Attach each record's original text, and report lines that hold no record. */
  keepRaw?: boolean;
}

const CHUNK_BYTES = 1 << 16;
/** How much of the start is inspected for binary content. */
const BINARY_PROBE_BYTES = 8192;

export function openSourceStream(source: Source): AsyncIterable<Buffer> {
  if (source.kind === 'stdin') return process.stdin;
  return createReadStream(source.path ?? source.name, { highWaterMark: CHUNK_BYTES });
}

export async function* readRecords(
  source: Source,
  chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string> = openSourceStream(source),
  options: ReadOptions = {},
): AsyncGenerator<RecordEvent> {
  const file = source.name;
  const keepRaw = options.keepRaw === true;
  const problem = (message: string, line?: number, severity: InputProblem['severity'] = 'error'): RecordEvent => ({
    kind: 'problem',
    problem: line === undefined ? { file, message, severity } : { file, line, message, severity },
  });

  const lines = new LineSplitter(keepRaw);
  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  let probed = false;
  // Typed through a cast so TypeScript does not narrow it here: `take` changes it.
  let mode = 'sniffing' as 'sniffing' | 'jsonl' | 'document';
  /** Text held while sniffing or while reading a whole document. */
  let held = '';

  /**
   * Routes decoded text by what the input turned out to be: held while still
   * sniffing, held whole for a JSON document, split into lines for JSONL.
   * Returns false when reading should stop (the input is not JSON at all).
   */
  const take = function* (text: string, atEnd: boolean): Generator<RecordEvent, boolean> {
    if (mode === 'document') {
      held += text;
      return true;
    }
    if (mode === 'sniffing') {
      held += text;
      const decision = sniff(held, atEnd);
      if (decision === 'undecided' || decision.kind === 'empty') {
        if (!atEnd) return true;
        yield problem('empty input; expected JSON or JSONL');
        return false;
      }
      if (decision.kind === 'not-json') {
        yield problem(decision.message, decision.line);
        return false;
      }
      mode = decision.kind;
      if (mode === 'document') return true;
      yield { kind: 'shape', shape: 'jsonl' };
      text = held;
      held = '';
    }
    if (text) yield* lines.push(text, file);
    return true;
  };

  try {
    for await (const raw of chunks) {
      const buffer = typeof raw === 'string' ? Buffer.from(raw) : raw;
      bytes += buffer.length;
      if (!probed) {
        probed = true;
        if (looksBinary(buffer)) {
          yield problem('binary data; expected JSON or JSONL text');
          return;
        }
      }
      if (!(yield* take(decoder.write(buffer), false))) return;
      yield { kind: 'progress', bytes };
    }
    if (!(yield* take(decoder.end(), true))) return;
    if (mode === 'document') yield* parseDocument(held, file, keepRaw);
    else yield* lines.finish(file);
    yield { kind: 'progress', bytes };
  } catch (error) {
    yield problem(`cannot read: ${describeReadError(error)}`);
  }
}

type SniffDecision =
  | 'undecided'
  | { kind: 'jsonl' | 'document' | 'empty' }
  | { kind: 'not-json'; message: string; line: number };

/**
 * Decides JSON document vs JSONL from the text seen so far: a first line that
 * parses on its own and is followed by more content means JSONL. A first line
 * that does not parse means a multi-line document (or JSONL with a broken
 * first line, which `parseDocument` sorts out once the whole text is in).
 */
function sniff(text: string, atEnd: boolean): SniffDecision {
  const start = firstNonSpace(text);
  if (start < 0) return atEnd ? { kind: 'empty' } : 'undecided';
  const first = text[start];
  if (first !== '{' && first !== '[') {
    const line = lineNumberAt(text, start);
    return { kind: 'not-json', line, message: `expected JSON or JSONL (a line starting with "{" or "["), found ${describeChar(first ?? '')}` };
  }
  const firstEnd = text.indexOf('\n', start);
  if (firstEnd < 0) return atEnd ? { kind: 'document' } : 'undecided';
  if (!parses(text.slice(start, firstEnd))) return { kind: 'document' };
  if (firstNonSpace(text, firstEnd) >= 0) return { kind: 'jsonl' };
  return atEnd ? { kind: 'document' } : 'undecided';
}

function* parseDocument(text: string, file: string, keepRaw: boolean): Generator<RecordEvent> {
  const body = stripBom(text);
  try {
    const value = JSON.parse(body) as JsonValue;
    yield { kind: 'shape', shape: 'json' };
    const event: RecordEvent = { kind: 'record', value, origin: { file, line: lineNumberAt(body, firstNonSpace(body)) } };
    if (keepRaw) event.raw = { text: body, newline: false };
    yield event;
    return;
  } catch (error) {
    if (mostLinesParse(body)) {
      // JSONL whose first line is broken: report that line, keep the rest.
      yield { kind: 'shape', shape: 'jsonl' };
      const lines = new LineSplitter(keepRaw);
      yield* lines.push(body, file);
      yield* lines.finish(file);
      return;
    }
    const position = errorPosition(error, body);
    const truncated = position >= body.trimEnd().length;
    const line = lineNumberAt(body, Math.min(position, body.length));
    yield {
      kind: 'problem',
      problem: {
        file,
        line,
        severity: 'error',
        message: truncated
          ? 'JSON document ends early (truncated?); expected the rest of the value'
          : `malformed JSON document (${describeParseError(error)}); expected one JSON value`,
      },
    };
  }
}

/** True when the text has several lines and most of them are JSON values on their own. */
function mostLinesParse(text: string): boolean {
  let total = 0;
  let parsed = 0;
  for (const line of text.split('\n')) {
    if (firstNonSpace(line) < 0) continue;
    total++;
    if (parses(line)) parsed++;
  }
  return total >= 2 && parsed * 2 > total;
}

/** Splits streamed text into lines and parses each one as a record. */
class LineSplitter {
  private partial: string[] = [];
  private lineNumber = 0;

  constructor(private readonly keepRaw: boolean) {}

  *push(text: string, file: string): Generator<RecordEvent> {
    let from = 0;
    for (;;) {
      const newline = text.indexOf('\n', from);
      if (newline < 0) break;
      this.partial.push(text.slice(from, newline));
      const line = this.partial.length === 1 ? (this.partial[0] as string) : this.partial.join('');
      this.partial = [];
      yield* this.emit(line, file, true);
      from = newline + 1;
    }
    if (from < text.length) this.partial.push(text.slice(from));
  }

  *finish(file: string): Generator<RecordEvent> {
    if (this.partial.length === 0) return;
    const line = this.partial.join('');
    this.partial = [];
    yield* this.emit(line, file, false);
  }

  private *emit(line: string, file: string, newline: boolean): Generator<RecordEvent> {
    this.lineNumber++;
    const text = this.lineNumber === 1 ? stripBom(line) : line;
    const event = parseLine(text, file, this.lineNumber, !newline);
    if (event?.kind === 'record' && this.keepRaw) event.raw = { text, newline };
    if (event) yield event;
    if (this.keepRaw && event?.kind !== 'record') yield { kind: 'other-line', raw: { text, newline }, origin: { file, line: this.lineNumber } };
  }
}

function parseLine(text: string, file: string, line: number, last: boolean): RecordEvent | null {
  if (firstNonSpace(text) < 0) return null;
  try {
    return { kind: 'record', value: JSON.parse(text) as JsonValue, origin: { file, line } };
  } catch (error) {
    if (last && errorPosition(error, text) >= text.trimEnd().length) {
      // A torn last line: the writer (an agent still running, a killed process)
      // stopped mid-record. Everything before it is intact.
      return { kind: 'problem', problem: { file, line, severity: 'note', message: 'last line is incomplete (torn write); skipped' } };
    }
    return {
      kind: 'problem',
      problem: { file, line, severity: 'error', message: `malformed JSON (${describeParseError(error)}); expected one JSON value per line` },
    };
  }
}

function looksBinary(buffer: Buffer): boolean {
  const probe = buffer.subarray(0, BINARY_PROBE_BYTES);
  if (probe.includes(0)) return true;
  // Many control characters other than tab/newline/carriage return: not text.
  let control = 0;
  for (const byte of probe) if (byte < 9 || (byte > 13 && byte < 32)) control++;
  return control > probe.length / 100;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function firstNonSpace(text: string, from = 0): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 10 && code !== 13 && code !== 9 && code !== 0xfeff) return i;
  }
  return -1;
}

function lineNumberAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** V8 reports the failing offset as "... in JSON at position N". */
function errorPosition(error: unknown, text: string): number {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (match) return Number(match[1]);
  return /end of (JSON|data) input|Unterminated/i.test(error instanceof Error ? error.message : '') ? text.length : 0;
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Drop V8's echo of the input, which can be megabytes long.
  return message.replace(/, "[\s\S]*$/, '').replace(/ in JSON at position \d+.*$/, '').slice(0, 120);
}

function describeChar(char: string): string {
  if (char === '') return 'nothing';
  const code = char.charCodeAt(0);
  return code < 32 || code === 127 ? `control character 0x${code.toString(16).padStart(2, '0')}` : `"${char}"`;
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ENOENT') return 'no such file';
  return error instanceof Error ? error.message : String(error);
}
