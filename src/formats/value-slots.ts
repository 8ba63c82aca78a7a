/**
 * Structured tool outputs (a JSON value, not a string) get a value slot. Their
 * parser can only re-serialize the parsed value, which loses number literals
 * (a 64-bit id, `1.0`, `1e5`); so once the record's own text is at hand, each
 * value part's text becomes the value's source range with every literal as
 * written, and that is what is counted, compressed and replaced. The range
 * is taken compact: the provider parses the value, so whitespace between its
 * tokens never reaches the model — counting it would bill tokens nobody pays,
 * and "saving" it by compaction would be a saving no invoice shows. A value part whose record
 * text is not at hand (a transcript, whose parts are built after its lines
 * have gone) loses its slot: it is counted but never rewritten, as before.
 */
import { locateValues, minifyJson } from '../json/index.js';
import { isValueSlot } from './parts.js';
import { pathInRecord } from './record-key.js';
import type { Origin, Part, Request } from './types.js';

/** A record's text and where it was read; `origin.element` set means the text is that element's alone. */
export interface RecordText {
  text: string;
  origin: Origin;
}

/** Gives the value parts read from `record` their text as written; drops the slot of every other value part. */
export function settleValueSlots(parts: Iterable<Part>, record: RecordText | null): void {
  const pending: Part[] = [];
  for (const part of parts) {
    if (!isValueSlot(part)) continue;
    if (record && fromRecord(part, record.origin)) pending.push(part);
    else part.slot = null;
  }
  if (pending.length === 0 || !record) return;
  const elementText = record.origin.element !== undefined;
  const ranges = locateValues(
    record.text,
    pending.map((part) => {
      const slot = part.slot as NonNullable<Part['slot']>;
      return elementText ? slot.path : pathInRecord(slot.origin, slot.path);
    }),
  );
  pending.forEach((part, index) => {
    const range = ranges[index];
    if (range) {
      const written = record.text.slice(range.start, range.end);
      part.text = minifyJson(written) ?? written;
    } else part.slot = null;
  });
}

/** Every part of a request, tools included. */
export function requestParts(request: Request): Iterable<Part> {
  return [...request.messages.flatMap((message) => message.parts), ...request.tools];
}

function fromRecord(part: Part, origin: Origin): boolean {
  const slot = part.slot;
  if (!slot || slot.origin.file !== origin.file || slot.origin.line !== origin.line) return false;
  return origin.element === undefined || slot.origin.element === origin.element;
}

/**
 * Whether `text` can replace the value in `part`'s slot: any text for a
 * string slot; for a value slot, one JSON value of the same type as the
 * original (a Gemini `response` must stay an object) on one line (a record
 * of JSONL must stay one line; a line break outside a string is only
 * whitespace, so a compressor that wants one gains nothing by it).
 */
export function fitsSlot(part: Part, text: string): boolean {
  if (!isValueSlot(part)) return true;
  if (/[\r\n]/.test(text)) return false;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  return value !== undefined && jsonType(text) === jsonType(part.text);
}

/** The type of a valid JSON text, from its first character. */
function jsonType(text: string): string {
  const first = text.trimStart()[0] ?? '';
  if (first === '{' || first === '[' || first === '"' || first === 't' || first === 'f' || first === 'n') return first === 'f' ? 't' : first;
  return 'number';
}
