import type { Issue } from './schema.js';

/**
 * A user-facing configuration problem. The message is always one line that
 * names where the problem is and what was expected; the CLI maps it to exit 2.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    // Values echoed back (templates, separators) may contain line breaks.
    super(message.replace(/\r\n|\r|\n/g, '\\n'));
    this.name = 'ConfigError';
  }
}

const MAX_SHOWN = 60;

/** A value as it would be written in JSON, cut short so the message stays readable. */
export function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

function withDetail(message: string, detail: string | undefined): string {
  return detail === undefined ? message : `${message} (${detail})`;
}

/** `<where>: unknown key "a.b" (did you mean "a.c"?)` or `<where>: "a.b" must be …, got …`. */
export function issueMessage(where: string, issue: Issue): string {
  if (issue.kind === 'unknown-key') {
    const hint = issue.suggestion === undefined ? '' : ` (did you mean "${issue.suggestion}"?)`;
    return `${where}: unknown key "${issue.path}"${hint}`;
  }
  const subject = issue.path === '' ? 'top level' : `"${issue.path}"`;
  return withDetail(`${where}: ${subject} must be ${issue.expected}, got ${showValue(issue.got)}`, issue.detail);
}

export function envValueMessage(name: string, raw: string, expected: string, detail?: string): string {
  return withDetail(`environment ${name}: must be ${expected}, got ${showValue(raw)}`, detail);
}

/** The `--set` argument already shows the value, so no "got". */
export function setValueMessage(arg: string, expected: string, detail?: string): string {
  return withDetail(`--set ${arg}: expected ${expected}`, detail);
}

/** `--set audit=5`: the key names a section, so point at one of its settings instead. */
export function sectionKeyMessage(where: string, key: string, example: string): string {
  return `${where}: "${key}" is a section, not a setting (e.g. "${example}")`;
}

/** Both halves of a min/max pair, each with its value and where it came from. */
export function orderMessage(low: { path: string; value: unknown; source: string }, high: { path: string; value: unknown; source: string }): string {
  return (
    `"${low.path}" (${showValue(low.value)}, ${low.source}) must not be greater than ` +
    `"${high.path}" (${showValue(high.value)}, ${high.source})`
  );
}

export function flagValueMessage(flag: string, value: unknown, expected: string, detail?: string): string {
  return withDetail(`${flag}: must be ${expected}, got ${showValue(value)}`, detail);
}

/** `<file>:<line>:<col>: invalid JSON (<reason>)` for text that JSON.parse rejected. */
export function invalidJsonMessage(file: string, text: string): string {
  const { offset, reason } = locateJsonError(text);
  const before = text.slice(0, offset).split('\n');
  const line = before.length;
  const column = (before[before.length - 1]?.length ?? 0) + 1;
  return `${file}:${line}:${column}: invalid JSON (${reason})`;
}

class JsonSyntax extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Where and why JSON text is invalid. V8 reports a position for only some
 * errors (never for "Unexpected token"), so we scan the grammar ourselves.
 */
export function locateJsonError(text: string): { offset: number; reason: string } {
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new JsonSyntax(at, reason);
  };
  const unexpected = (): never =>
    i >= text.length ? fail('unexpected end of input') : fail(`unexpected character ${JSON.stringify(text[i])}`);
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (char: string, reason: string): void => {
    skipSpace();
    if (text[i] !== char) fail(i >= text.length ? 'unexpected end of input' : reason);
    i++;
  };

  const parseString = (): void => {
    const start = i;
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c < ' ') fail('unescaped control character in string');
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape');
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('invalid escape sequence');
        i += 2;
        continue;
      }
      i++;
    }
    fail('unterminated string', start);
  };

  const parseNumber = (): void => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match) fail('invalid number');
    i += match![0].length;
  };

  const parseValue = (): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') return parseObject();
    if (c === '[') return parseArray();
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    unexpected();
  };

  const parseObject = (): void => {
    i++;
    skipSpace();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      if (text[i] !== '"') fail(i >= text.length ? 'unexpected end of input' : 'expected a property name in double quotes');
      parseString();
      expect(':', "expected ':' after property name");
      parseValue();
      skipSpace();
      if (text[i] === '}') {
        i++;
        return;
      }
      expect(',', "expected ',' or '}' after property value");
    }
  };

  const parseArray = (): void => {
    i++;
    skipSpace();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      parseValue();
      skipSpace();
      if (text[i] === ']') {
        i++;
        return;
      }
      expect(',', "expected ',' or ']' after array element");
    }
  };

  try {
    parseValue();
    skipSpace();
    if (i < text.length) fail('unexpected content after the JSON value');
  } catch (error) {
    if (error instanceof JsonSyntax) return { offset: error.offset, reason: error.reason };
    throw error;
  }
  // Only reached if JSON.parse and this scanner disagree; point at the end.
  return { offset: text.length, reason: 'not valid JSON' };
}
