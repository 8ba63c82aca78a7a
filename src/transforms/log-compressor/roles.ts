/**
 * What one log line is to the log compressor: its severity, whether it is a
 * test-runner summary, an exit code or a CI annotation, a stack frame, or
 * holds a `path:line` reference. Lines are tested without ANSI colour codes
 * and without a CI runner's timestamp prefix (`plainLine`), and kept with
 * them. Every pattern is anchored or bounded: each test is linear in the line.
 */
import { hasLeadingTimestamp, isStackLine, withoutCiPrefix } from '../../analysis/content/log-lines.js';
import { linePrefix } from '../../analysis/content/sample.js';
import { stripAnsi } from '../lines.js';

export type Severity = 'error' | 'warn' | null;

export interface LineRole {
  readonly severity: Severity;
  /** A test-runner summary, an exit code or a CI annotation: kept wherever it is. */
  readonly summary: boolean;
  /** A line that can only be part of a stack trace (`at f (a.js:1:2)`, `File "x.py", line 3`, `Traceback …`). */
  readonly frame: boolean;
  /** Holds a source coordinate (`src/a.ts:42`): a protected span, kept once per template. */
  readonly pathRef: boolean;
  /** Opens a section whose following lines belong to a failure report (cargo's `failures:`, pytest's short summary). */
  readonly opensSection: boolean;
}

/** The line as it is matched: colour codes and a CI timestamp prefix removed, cut to a bounded length. */
export function plainLine(text: string): string {
  const line = linePrefix(stripAnsi(text));
  // A CI prefix is a date (`2026-…`) or job and step names before a tab: most lines have neither.
  return CI_PREFIX_START.test(line) || line.includes('\t') ? withoutCiPrefix(line).rest : line;
}

const CI_PREFIX_START = /^\d{4}-/;

/** Word-bounded, as the reference's LogCompressor matches levels (any case). */
const ERROR_WORD = /\b(?:error|errors|err|fatal|critical|crit|panic|panicked|severe|emerg|alert|exception|traceback|fail|fails|failed|failure|failures|failing)\b/i;
/** `TypeError:`, `NullPointerException`, `kafka.common.NoReplicaOnlineException`. */
const ERROR_CLASS = /[A-Za-z0-9](?:Error|Exception)\b/;
const WARN_WORD = /\bwarn(?:ing|ings)?\b|\bdeprecat(?:ed|ion)\b/i;
/** A numeric level as pino and bunyan write it in JSON lines: 40 warn, 50 error, 60 fatal. */
const NUMERIC_LEVEL = /"(?:level|lvl|severity)"\s*:\s*(\d{2})\b/;
/** The status of a combined/common access-log line: after the quoted request. */
const ACCESS_STATUS = /^\S{1,200} \S{1,200} \S{1,200} \[[^\]]{1,40}\] "[^"]{0,8000}" (\d{3}) /;

const SUMMARY_PATTERNS: readonly RegExp[] = [
  /^##\[(?:error|warning)\]|^::(?:error|warning)\b/, // CI annotations
  /\b\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?)\b.{0,200}\b(?:passed|failed|in [\d.]+s)\b/i, // pytest, mocha
  /^\s*(?:Tests?|Test Suites|Test Files|Snapshots):\s+\d/, // jest / vitest
  /^(?:FAILED|ERROR) \S+(?:::|\.py\b)/, // pytest short summary entries
  /^\s*--- FAIL: /, // go test
  /^FAIL\s+\S+\s/, // go test: a failed package
  /^\s*[✕✗×] /, // jest / vitest / mocha failures
  /^test result: /, // cargo
  /^[=_-]{3,} ?short test summary info ?[=_-]{3,}$/,
  /^BUILD (?:SUCCESS|SUCCESSFUL|FAILED|FAILURE)\b/,
  /\b(?:exit (?:status|code)|exited with(?: code)?|returned non-zero exit status|Process completed with exit code) -?\d+/i,
  /^(?:Error: )?Exit code \d+$/,
  /^npm ERR! code /,
];

const SECTION_OPENERS: readonly RegExp[] = [/^failures:$/, /^[=_-]{3,} ?(?:short test summary info|FAILURES|ERRORS) ?[=_-]{3,}$/];

/** Frames a stack trace is made of, besides the shared stack patterns. */
const GO_FRAME = /^(?:[\w.*/()-]{1,300}\.[\w$*]{1,200}\(.{0,400}\)|\t\S{1,400}\.go:\d+(?: \+0x[0-9a-f]+)?)$/;
/** A file name with an extension and a line number; tested again without URLs, whose `host.com:8080` looks the same. */
const PATH_REF = /[\w-]\.[A-Za-z]{1,10}:\d{1,7}\b/;
const URL = /\b[a-z][a-z0-9+.-]{1,20}:\/\/\S+/gi;

export function lineRole(plain: string): LineRole {
  const frame = isStackLine(plain) || GO_FRAME.test(plain);
  return {
    severity: severityOf(plain),
    summary: SUMMARY_PATTERNS.some((pattern) => pattern.test(plain)),
    frame,
    pathRef: !frame && PATH_REF.test(plain) && PATH_REF.test(plain.replace(URL, ' ')),
    opensSection: SECTION_OPENERS.some((pattern) => pattern.test(plain.trim())),
  };
}

function severityOf(plain: string): Severity {
  const numeric = plain.charCodeAt(0) === 0x7b ? NUMERIC_LEVEL.exec(plain) : null;
  if (numeric) {
    const level = Number(numeric[1]);
    if (level >= 50) return 'error';
    if (level >= 40) return 'warn';
  }
  if (ERROR_WORD.test(plain) || ERROR_CLASS.test(plain)) return 'error';
  if (WARN_WORD.test(plain)) return 'warn';
  const access = plain.length > 20 && !hasLeadingTimestamp(plain) ? ACCESS_STATUS.exec(plain) : null;
  if (access) {
    const status = Number(access[1]);
    if (status >= 500) return 'error';
    if (status >= 400) return 'warn';
  }
  return null;
}
