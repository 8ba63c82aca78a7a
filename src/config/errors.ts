import { jsonSyntaxError, lineAndColumn } from '../json/index.js';
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
  return `"${low.path}" (${showValue(low.value)}, ${low.source}) must not be greater than ` + `"${high.path}" (${showValue(high.value)}, ${high.source})`;
}

export function flagValueMessage(flag: string, value: unknown, expected: string, detail?: string): string {
  return withDetail(`${flag}: must be ${expected}, got ${showValue(value)}`, detail);
}

/** `<file>:<line>:<col>: invalid JSON (<reason>)` for text that JSON.parse rejected. */
export function invalidJsonMessage(file: string, text: string): string {
  const error = jsonSyntaxError(text);
  // Only if JSON.parse and the scanner disagree: point at the end.
  if (error === null) {
    const { line, column } = lineAndColumn(text, text.length);
    return `${file}:${line}:${column}: invalid JSON (not valid JSON)`;
  }
  return `${file}:${error.line}:${error.column}: invalid JSON (${error.reason})`;
}
