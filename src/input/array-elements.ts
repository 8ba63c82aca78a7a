/**
 * Cuts a top-level JSON array, arriving as bytes in chunks, into the bytes of
 * its elements, without parsing them. It lets the reader hand over an array
 * document one element at a time, so a document holding a million records
 * needs the memory of one record, not of the whole document.
 *
 * Only the structure needed to find element boundaries is tracked (nesting
 * depth, strings and their escapes); each element is validated by JSON.parse
 * when the reader parses it. The state survives chunk boundaries anywhere,
 * inside a string or an escape included, and each byte is looked at once.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const NEWLINE = 0x0a;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === NEWLINE || byte === 0x0d || byte === 0x09;
}

export interface ArrayElement {
  index: number;
  bytes: Buffer;
}

/**
 * before: the opening bracket is still to come; between: a first element or
 * the closing bracket is next; next: an element (after a comma) is next;
 * element: inside an element; after: an element ended, a comma or the
 * closing bracket is next; closed: the array has ended.
 */
type Phase = 'before' | 'between' | 'next' | 'element' | 'after' | 'closed';

export class ArrayElementSplitter {
  /** 1-based line where the array's opening bracket is. */
  startLine = 1;
  /** 1-based line of the last byte looked at (newlines inside elements included). */
  lines = 1;
  /** Set when the bytes cannot be an array: what was wrong. */
  failure: string | null = null;
  private phase: Phase = 'before';
  /** Open containers inside the current element. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: Buffer[] = [];
  private index = 0;
  private ready: ArrayElement[] = [];

  get closed(): boolean {
    return this.phase === 'closed';
  }

  /** Elements found so far. */
  get count(): number {
    return this.index;
  }

  /**
   * Takes the next chunk. Returns null while the array is open (or after a
   * failure), and the bytes after the closing bracket once it has closed.
   */
  push(chunk: Buffer): Buffer | null {
    if (this.failure) return null;
    let i = 0;
    let elementStart = this.phase === 'element' ? 0 : -1;
    const length = chunk.length;
    while (i < length) {
      const byte = chunk[i] as number;
      if (this.phase === 'element') {
        if (this.inString) {
          i = this.skipStringBytes(chunk, i);
          if (!this.inString && this.depth === 0) {
            this.endElement(chunk, elementStart, i);
            elementStart = -1;
          }
          continue;
        }
        if (byte === QUOTE) {
          this.inString = true;
          i++;
          continue;
        }
        if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
          this.depth++;
          i++;
          continue;
        }
        if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
          if (this.depth > 0) {
            this.depth--;
            i++;
            if (this.depth === 0) {
              this.endElement(chunk, elementStart, i);
              elementStart = -1;
            }
            continue;
          }
          // A scalar element ends at the array's closing bracket.
          this.endElement(chunk, elementStart, i);
          elementStart = -1;
          continue;
        }
        if (this.depth === 0 && (byte === COMMA || isSpace(byte))) {
          this.endElement(chunk, elementStart, i);
          elementStart = -1;
          continue;
        }
        if (byte === NEWLINE) this.lines++;
        i++;
        continue;
      }
      if (isSpace(byte)) {
        if (byte === NEWLINE) this.lines++;
        i++;
        continue;
      }
      switch (this.phase) {
        case 'before':
          if (byte !== OPEN_BRACKET) return this.fail('expected "["');
          this.startLine = this.lines;
          this.phase = 'between';
          i++;
          continue;
        case 'between':
        case 'after':
          if (byte === CLOSE_BRACKET) {
            this.phase = 'closed';
            return chunk.subarray(i + 1);
          }
          if (this.phase === 'after') {
            if (byte !== COMMA) return this.fail('expected "," or "]" after an element');
            this.phase = 'next';
            i++;
            continue;
          }
          break;
        case 'next':
          if (byte === CLOSE_BRACKET || byte === COMMA) return this.fail('expected a value after ","');
          break;
        default:
          break;
      }
      // The first byte of an element.
      this.phase = 'element';
      this.depth = 0;
      elementStart = i;
    }
    if (this.phase === 'element' && elementStart >= 0 && elementStart < length) this.parts.push(chunk.subarray(elementStart));
    return null;
  }

  /** Elements completed since the last call. */
  drain(): ArrayElement[] {
    const ready = this.ready;
    this.ready = [];
    return ready;
  }

  /** Inside a string: returns the position after its closing quote, or the chunk's end. */
  private skipStringBytes(chunk: Buffer, from: number): number {
    let i = from;
    if (this.escaped) {
      this.escaped = false;
      i++;
    }
    while (i < chunk.length) {
      const quote = chunk.indexOf(QUOTE, i);
      const backslash = chunk.indexOf(BACKSLASH, i);
      if (backslash >= 0 && (quote < 0 || backslash < quote)) {
        if (backslash + 1 >= chunk.length) {
          this.escaped = true;
          return chunk.length;
        }
        i = backslash + 2;
        continue;
      }
      if (quote < 0) return chunk.length;
      this.inString = false;
      return quote + 1;
    }
    return i;
  }

  private endElement(chunk: Buffer, start: number, end: number): void {
    if (start >= 0 && end > start) this.parts.push(chunk.subarray(start, end));
    const bytes = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
    this.parts = [];
    this.ready.push({ index: this.index++, bytes });
    this.phase = 'after';
  }

  private fail(message: string): null {
    this.failure = message;
    return null;
  }
}
