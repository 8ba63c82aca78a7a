/**
 * Writes a source's records back out in input order as optimize finishes
 * with them. `flush` is called when the parser asks for the next record, so
 * every record queued by then is settled (no request can still edit it);
 * records a session format holds
 * (one message per line) wait for the end of the file. Lines that hold no
 * request — blank, malformed, not a conversation — are written unchanged, so
 * nothing in the input is lost. When several sources go to one JSONL output,
 * only records that carried a request are written (the rest were reported as
 * input problems or notes), so the output stays a file of requests.
 */
import { applyJsonEdits, minifyJson, type JsonEdit } from '../json/index.js';
import type { JsonValue, Origin } from '../formats/types.js';
import type { InputProblem } from '../input/problems.js';
import type { RawText } from '../input/records.js';
import { recordKey } from './write-back.js';

interface Entry {
  key: string | null;
  origin: Origin;
  raw: RawText;
  value: JsonValue | null;
  edits: JsonEdit[];
  /** Held by a session format until the end of the file. */
  held: boolean;
  /** A request was read from it. */
  used: boolean;
}

export interface RecordWriterOptions {
  /** Emits output in order: text, or the input's own bytes for records that are not valid UTF-8. */
  write: (chunk: string | Uint8Array) => void;
  /** Told when a record could not be written byte for byte. */
  onProblem?: (problem: InputProblem) => void;
  /**
   * When several sources go to one output, it is JSONL: each whole JSON
   * document is written on one line (whitespace removed, values untouched),
   * and records that carried no request are left out.
   */
  oneLinePerDocument: boolean;
}

export class RecordWriter {
  private readonly queue: Entry[] = [];
  private readonly byKey = new Map<string, Entry>();
  private head = 0;

  constructor(private readonly options: RecordWriterOptions) {}

  addRecord(origin: Origin, raw: RawText, value: JsonValue, held: boolean): void {
    const entry: Entry = { key: recordKey(origin), origin, raw, value, edits: [], held, used: held };
    this.queue.push(entry);
    this.byKey.set(entry.key as string, entry);
  }

  addOtherLine(raw: RawText, origin: Origin): void {
    this.queue.push({ key: null, origin, raw, value: null, edits: [], held: false, used: false });
  }

  value(key: string): JsonValue | undefined {
    return this.byKey.get(key)?.value ?? undefined;
  }

  /** Marks the record a request was read from. */
  markUsed(key: string): void {
    const entry = this.byKey.get(key);
    if (entry) entry.used = true;
  }

  addEdits(key: string, edits: readonly JsonEdit[]): void {
    const entry = this.byKey.get(key);
    if (!entry) throw new Error('an edit targets a record that was already written');
    entry.edits.push(...edits);
  }

  /** A record's text with the edits so far. */
  editedText(key: string): string {
    const entry = this.byKey.get(key);
    if (!entry) throw new Error('unknown record');
    return entry.edits.length === 0 ? entry.raw.text : applyJsonEdits(entry.raw.text, entry.edits);
  }

  /** The parser has moved past every record queued so far: writes them from the front, up to the first held one. */
  flush(): void {
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head] as Entry;
      if (entry.held) break;
      this.emit(entry);
    }
    this.compact();
  }

  /** End of the source: writes everything left, or (for transcripts, which are replaced by request bodies) drops it. */
  finish(drop: boolean): void {
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head] as Entry;
      if (drop) this.forget(entry);
      else this.emit(entry);
    }
    this.compact();
  }

  private emit(entry: Entry): void {
    if (this.options.oneLinePerDocument && !entry.used) {
      this.forget(entry);
      return;
    }
    const { raw } = entry;
    if (this.options.oneLinePerDocument) {
      // One line of JSONL per record (a whole document is minified onto one line); no byte-order marks inside the output.
      const text = entry.edits.length === 0 ? raw.text : applyJsonEdits(raw.text, entry.edits);
      this.options.write(`${raw.newline ? text : (minifyJson(text) ?? text)}\n`);
    } else {
      if (raw.bom) this.options.write('\uFEFF');
      if (entry.edits.length === 0 && raw.bytes) {
        // Bytes that are not valid UTF-8 cannot go through a string: write the input's own.
        this.options.write(raw.bytes);
        if (raw.newline) this.options.write('\n');
      } else {
        const text = entry.edits.length === 0 ? raw.text : applyJsonEdits(raw.text, entry.edits);
        this.options.write(raw.newline ? `${text}\n` : text);
      }
    }
    if (raw.bytes && entry.edits.length > 0) {
      this.options.onProblem?.({
        ...entry.origin,
        severity: 'note',
        message: 'holds bytes that are not valid UTF-8; the record was rewritten, so they are written as U+FFFD',
      });
    }
    this.forget(entry);
  }

  private forget(entry: Entry): void {
    if (entry.key) this.byKey.delete(entry.key);
    this.head++;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}
