/**
 * Errors of the JSON text module, and where (and why) a text is not JSON.
 *
 * JSON.parse says only that text is invalid: V8 reports a position for some
 * errors and none for others ("Unexpected token"), so a message naming the
 * line would point at line 1. `jsonSyntaxError` walks the grammar itself and
 * names the first offending character. It uses an explicit stack, so deeply
 * nested input cannot overflow the call stack.
 */
import { BACKSLASH, COLON, COMMA, LBRACE, LBRACKET, MINUS, QUOTE, RBRACE, RBRACKET, isDigit, isHex, isJsonSpace } from './chars.js';

/** A path or edit that does not fit the text, or text too malformed to walk. */
export class JsonEditError extends Error {
  override name = 'JsonEditError';
}

export interface JsonSyntaxError {
  /** UTF-16 offset of the first offending character (an unterminated string: its opening quote). */
  offset: number;
  /** 1-based line and column of `offset`. */
  line: number;
  column: number;
  /** What was wrong, e.g. `expected ':' after property name`. */
  reason: string;
  /** The text ended before the value did (a truncated or torn write), rather than holding a wrong character. */
  truncated: boolean;
}

class Failure {
  constructor(
    readonly offset: number,
    readonly reason: string,
    /** The position the grammar needed to read next; at or past the end means the text was cut short. */
    readonly needed: number,
  ) {}
}

const WORDS = ['true', 'false', 'null'];

/** The first syntax error in `text`, or null when it is exactly one JSON value (with optional surrounding whitespace). */
export function jsonSyntaxError(text: string): JsonSyntaxError | null {
  const failure = firstFailure(text);
  if (failure === null) return null;
  const { line, column } = lineAndColumn(text, failure.offset);
  return { offset: failure.offset, line, column, reason: failure.reason, truncated: failure.needed >= text.length };
}

/** 1-based line and column (in UTF-16 units) of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function firstFailure(text: string): Failure | null {
  const n = text.length;
  let i = 0;
  const at = (reason: string, offset = i, needed = offset): Failure => new Failure(offset, reason, needed);
  const unexpected = (): Failure => (i >= n ? at('unexpected end of input') : at(`unexpected character ${JSON.stringify(text[i])}`));
  const skipSpace = (): void => {
    while (i < n && isJsonSpace(text.charCodeAt(i))) i++;
  };

  /** Returns null and moves past the string at `i`, or the failure. */
  const string = (): Failure | null => {
    const start = i;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        i++;
        return null;
      }
      if (c < 0x20) return at('unescaped control character in string');
      if (c === BACKSLASH) {
        const e = text[i + 1];
        if (e === 'u') {
          for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(i + k))) return at('invalid \\u escape', i, i + k);
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) return at('invalid escape sequence', i, i + 1);
        i += 2;
        continue;
      }
      i++;
    }
    return at('unterminated string', start, n);
  };

  /** Moves past a number at `i` (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`); a fraction or exponent without digits is left for the caller to reject. */
  const number = (): Failure | null => {
    const start = i;
    if (text.charCodeAt(i) === MINUS) i++;
    if (!isDigit(text.charCodeAt(i))) return at('invalid number', start, i);
    if (text.charCodeAt(i) === 0x30) i++;
    else while (isDigit(text.charCodeAt(i))) i++;
    // A fraction or exponent that the end of the text cut off is a truncation.
    if (text[i] === '.' && i + 1 >= n) return at('unexpected end of input', n);
    if (text[i] === '.' && isDigit(text.charCodeAt(i + 1))) {
      i += 2;
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const e = text[i];
    if (e === 'e' || e === 'E') {
      let k = i + 1;
      if (text[k] === '+' || text[k] === '-') k++;
      if (k >= n) return at('unexpected end of input', n);
      if (isDigit(text.charCodeAt(k))) {
        i = k;
        while (isDigit(text.charCodeAt(i))) i++;
      }
    }
    return null;
  };

  /** Open containers: LBRACE or LBRACKET. */
  const stack: number[] = [];
  for (;;) {
    // A value starts at i (after whitespace).
    skipSpace();
    const c = text.charCodeAt(i);
    let failure: Failure | null = null;
    let opened = false;
    if (c === LBRACE || c === LBRACKET) {
      i++;
      skipSpace();
      if (text.charCodeAt(i) === (c === LBRACE ? RBRACE : RBRACKET)) i++;
      else {
        stack.push(c);
        opened = true;
      }
    } else if (c === QUOTE) failure = string();
    else if (c === MINUS || isDigit(c)) failure = number();
    else {
      const word = WORDS.find((candidate) => text.startsWith(candidate, i));
      if (word !== undefined) i += word.length;
      else {
        // A literal cut short by the end of the text is a truncation, not a wrong character.
        const rest = text.slice(i);
        const cut = rest.length > 0 && WORDS.some((candidate) => candidate.startsWith(rest));
        failure = cut ? at('unexpected end of input', n) : unexpected();
      }
    }
    if (failure !== null) return failure;
    if (opened && stack[stack.length - 1] === LBRACE) {
      const member = memberStart();
      if (member !== null) return member;
      continue;
    }
    if (opened) continue;
    // A value ended: close containers until one continues.
    for (;;) {
      skipSpace();
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? at('unexpected content after the JSON value') : null;
      const close = top === LBRACE ? RBRACE : RBRACKET;
      const d = text.charCodeAt(i);
      if (d === close) {
        stack.pop();
        i++;
        continue;
      }
      if (d !== COMMA) {
        if (i >= n) return at('unexpected end of input');
        return at(top === LBRACE ? "expected ',' or '}' after property value" : "expected ',' or ']' after array element");
      }
      i++;
      if (top === LBRACE) {
        const member = memberStart();
        if (member !== null) return member;
      }
      break;
    }
  }

  /** Inside an object, where a member starts: reads `"key" :` and leaves `i` at the value. */
  function memberStart(): Failure | null {
    skipSpace();
    if (text.charCodeAt(i) !== QUOTE) return i >= n ? at('unexpected end of input') : at('expected a property name in double quotes');
    const failure = string();
    if (failure !== null) return failure;
    skipSpace();
    if (text.charCodeAt(i) !== COLON) return i >= n ? at('unexpected end of input') : at("expected ':' after property name");
    i++;
    return null;
  }
}
