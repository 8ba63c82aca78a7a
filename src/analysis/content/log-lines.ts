/**
 * Line tests for logs: build and test output (compilers, test runners, package
 * managers, CI annotations), stack traces, and application logs (a timestamp
 * or level, access-log lines, logfmt). Every pattern is anchored or bounded,
 * and lines are already cut at MAX_LINE_CHARS, so each test is linear.
 */

/**
 * A CI runner's prefix: GitHub Actions stamps each line with a 7-digit
 * fraction (`2026-02-04T07:14:05.0957177Z `), and `gh run view --log` adds the
 * job and step names before it, tab-separated.
 */
const CI_PREFIX = /^(?:[^\t]{1,200}\t[^\t]{1,200}\t)?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z ?/;

/** The line without a CI runner's prefix, and whether it had one. */
export function withoutCiPrefix(line: string): { rest: string; ci: boolean } {
  // Cheap gate: the prefix starts with a digit or holds a tab.
  const first = line.charCodeAt(0);
  if (!(first >= 0x30 && first <= 0x39) && !line.includes('\t')) return { rest: line, ci: false };
  const match = CI_PREFIX.exec(line);
  return match ? { rest: line.slice(match[0].length), ci: true } : { rest: line, ci: false };
}

const BUILD_PATTERNS: readonly RegExp[] = [
  /^##\[(?:error|warning|group|endgroup|section|command|debug|notice)\]/, // GitHub Actions annotations
  /^::(?:error|warning|notice|group|endgroup|debug)\b/,
  /^[=_]{3,} .{1,300} [=_]{3,}$/, // pytest section rules: `===== test session starts =====`, `____ test_x ____`
  /^(?:PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) \S+(?:::|$| - )/, // pytest short summary (`FAILED tests/a.py::test_x - …`, or a bare test name)
  /^\S+\.py::\S+.{0,200}\b(?:PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b/,
  /^\s*(?:PASS|FAIL) {1,3}\S+\.(?:[cm]?js|jsx|tsx?|mts|cts)\b/, // jest / vitest file results
  /^\s*[✓✔✕✗×√] /, // jest / vitest / mocha test lines
  /^\s*(?:Tests?|Test Suites|Test Files|Snapshots):\s+\d/,
  /^\s*(?:Test Files|Tests|Duration|Start at|Snapshots) {2,}\S/, // vitest summary
  /^(?:ok|FAIL|\?) {1,4}\t?\S+\t.{0,40}(?:\(cached\)|\d+(?:\.\d+)?s|\[no test files\]|\[build failed\]|\[setup failed\])/, // go test packages
  /^\s*--- (?:FAIL|PASS|SKIP): /,
  /^=== (?:RUN|PAUSE|CONT|NAME)\s/,
  /^(?:PASS|FAIL|ok)$/,
  /^\s+\S+_test\.go:\d+: /,
  /^\s+(?:Error Trace|Error|Test|Messages):\s/, // testify
  /^\s*(?:Compiling|Finished|Running|Downloaded|Downloading|Checking|Fresh|Updating|Locking|Installing|Building|Documenting) [\w`]/, // cargo
  /^test \S+ \.\.\. (?:ok|FAILED|ignored|bench)/,
  /^test result: /,
  /^(?:error|warning)(?:\[[A-Z]+\d+\])?: /, // rustc, cargo, generic compilers
  /^\s+--> \S+:\d+:\d+/,
  /^npm (?:ERR!|WARN|error|warn|notice|info) /,
  /^> \S+@\S+ \S+/, // npm running a script
  /^(?:added|removed|changed|audited) \d+ packages?\b/,
  /:\d+:\d+: (?:fatal )?(?:error|warning|note):/, // gcc, clang, go vet
  /\(\d+,\d+\): (?:error|warning) [A-Z]+\d+:|\berror TS\d+:/, // tsc, msbuild
  /^\[(?:INFO|WARNING|WARN|ERROR|DEBUG)\] /, // maven
  /^BUILD (?:SUCCESS|SUCCESSFUL|FAILED|FAILURE)\b/,
  /^> Task :/, // gradle
  /^make(?:\[\d+\])?: /,
  /^go: (?:downloading|finding|extracting|upgraded|added|updates) /,
  /^(?:Step \d+\/\d+ :|#\d+ \[|#\d+ (?:DONE|CACHED|ERROR))/, // docker build
  /^\s*\[\s*\d+%\]/, // cmake / ninja progress
  /^(?:exit status \d+|Process completed with exit code \d+|Error: Process completed)/,
  /^\s*\d+ (?:passed|failed|errors?)\b.{0,100}\bin [\d.]+s\b/, // pytest summary
  /^\[[\w:./-]{1,60}\] \S/, // task runners prefix each line with the task: `[test:ci] $ go test`, `[lint] ERROR task failed`
  /^[^\s:]{1,400}:\d{1,9}:\d{1,5}: \S/, // a compiler or linter diagnostic: `path:line:col: message`
  /^(?:Error: )?Exit code \d+$/, // a failed command as an agent's shell tool reports it
];

const STACK_PATTERNS: readonly RegExp[] = [
  /^\s*Traceback \(most recent call last\)/,
  /^\s+File "[^"]{1,400}", line \d+/,
  /^\s+at \S.{0,400}(?:\)|:\d+)$/, // Java, JavaScript, C#
  /^\s*(?:Caused by|Exception in thread)\b/,
  /^(?:[a-z_$][\w$]*\.){1,20}[A-Z][\w$]*(?:Exception|Error)\b/, // `kafka.common.NoReplicaOnlineException: …`
  /^\s+\.\.\. \d+ (?:more|common frames omitted)/,
  /^goroutine \d+ \[/,
  /^\s*(?:AssertionError|TypeError|ReferenceError|RangeError|SyntaxError)(?: \[\w+\])?: /,
  /^\s*❯ \S+:\d+:\d+/, // vitest's pointer to the failing line
  /^panic: /,
];

/** A timestamp at the start of a line (optionally in brackets), in the common log formats. */
const LEADING_TIMESTAMP = new RegExp(
  '^\\[?(?:' +
    [
      '\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d', // ISO 8601, log4j, Python logging
      '\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d', // Go's log package
      '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \\d]\\d \\d\\d:\\d\\d:\\d\\d', // syslog
      '[IWEF]\\d{4} \\d\\d:\\d\\d:\\d\\d', // klog
      '\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d+)?\\s',
      '\\d\\d/(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/\\d{4}:\\d\\d',
      '\\d{10}(?:\\.\\d+)?\\s', // unix seconds
    ].join('|') +
    ')',
);

const LEVEL =
  /\b(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|CRIT|SEVERE|PANIC)\b|\[(?:trace|debug|info|notice|warn|warning|error|fatal|critical)\]|\b(?:level|lvl|severity)=\w/;
/** Combined/common access-log format: `host ident user [date] "GET /path HTTP/1.1" …`. */
const ACCESS_LOG = /^\S{1,200} \S{1,200} \S{1,200} \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d [^\]]{0,20}\] "(?:[A-Z]{3,10} |-")/;
/** logfmt: two or more `key=value` pairs from the start, one of them a time, level or message key. */
const LOGFMT = /^(?:[\w.]{1,40}=(?:"[^"]{0,500}"|\S{0,500})\s+){2,}/;
const LOGFMT_KEY = /(?:^|\s)(?:ts|time|timestamp|level|lvl|msg|message)=/;
/**
 * A line starting with a level word (`INFO starting`, `ERROR: failed`), or with
 * a short label and then one: a process, thread or line tag such as
 * `worker-2 | INFO …`, `[main] WARN …`, `line 7: ERROR …`. The level word is in
 * capitals and the label ends in `:`, `|` or `]`, so prose that merely
 * mentions an error does not match.
 */
const LEADING_LEVEL = /^(?:[^\s:|\]]{1,40}(?: [^\s:|\]]{1,40})?(?:[:|]|\]) {0,3})?(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|FATAL|CRITICAL)\b[:\s]/;

export function isBuildLine(line: string): boolean {
  return BUILD_PATTERNS.some((pattern) => pattern.test(line));
}

export function isStackLine(line: string): boolean {
  return STACK_PATTERNS.some((pattern) => pattern.test(line));
}

export function hasLeadingTimestamp(line: string): boolean {
  return LEADING_TIMESTAMP.test(line);
}

/** Strong: a timestamp or access-log shape, or logfmt with log keys. Weak: only a level word at the start. */
export function appLogStrength(line: string): 'strong' | 'weak' | null {
  if (LEADING_TIMESTAMP.test(line) || ACCESS_LOG.test(line)) return 'strong';
  if (LOGFMT.test(line) && LOGFMT_KEY.test(line)) return 'strong';
  if (LEADING_LEVEL.test(line)) return 'weak';
  return null;
}

export function hasLevel(line: string): boolean {
  return LEVEL.test(line);
}
