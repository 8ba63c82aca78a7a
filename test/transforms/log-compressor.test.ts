import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { findMarkers } from '../../src/ccr/markers.js';
import { defaultConfig } from '../../src/config/index.js';
import type { TokenCounter } from '../../src/tokens/counter.js';
import { buildTransforms } from '../../src/transforms/index.js';
import { LOG_COMPRESSOR } from '../../src/transforms/log-compressor/index.js';
import { optimizeText } from '../pipeline/helpers.js';
import { compress, o200k, type LogRun } from './log-compressor-support.js';

let tokens: TokenCounter;
before(async () => {
  tokens = await o200k();
});

function lines(count: number, make: (i: number) => string): string[] {
  return Array.from({ length: count }, (_, i) => make(i));
}

const info = (i: number): string =>
  `2026-11-30T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z INFO worker ${i % 7} finished batch ${i * 13}`;

/** Compresses, checks the output is a rewrite whose markers expand to the input, and returns it. */
function rewritten(input: string, overrides: Parameters<typeof compress>[2] = {}): LogRun {
  const run = compress(input, tokens, overrides);
  assert.ok('text' in run.outcome, `rewritten, got ${JSON.stringify(run.outcome)}`);
  assert.equal(run.expanded, input, 'markers expand to exactly the input');
  return run;
}

function outputLines(run: LogRun): string[] {
  return run.text.split(/\r?\n/);
}

describe('log compressor: what it keeps', () => {
  it('a pytest run: failures, the traceback whole, the short summary and the totals stay; passing chatter goes', () => {
    const input = [
      '============================= test session starts ==============================',
      'platform linux -- Python 3.12.1, pytest-8.0.0',
      'collected 120 items',
      ...lines(100, (i) => `tests/test_mod${i}.py::test_case_${i} PASSED                          [ ${i}%]`),
      'tests/test_auth.py::test_login FAILED                                   [ 99%]',
      '=================================== FAILURES ===================================',
      '_________________________________ test_login _________________________________',
      'Traceback (most recent call last):',
      '  File "/app/tests/test_auth.py", line 12, in test_login',
      '    assert login("bob") is True',
      '  File "/app/auth.py", line 40, in login',
      '    raise AuthError("no such user")',
      'auth.AuthError: no such user',
      '=========================== short test summary info ============================',
      'FAILED tests/test_auth.py::test_login - auth.AuthError: no such user',
      '========================= 1 failed, 100 passed in 3.21s =========================',
    ].join('\n');
    const run = rewritten(input);
    const out = outputLines(run);
    for (const kept of [
      'tests/test_auth.py::test_login FAILED                                   [ 99%]',
      'Traceback (most recent call last):',
      '  File "/app/tests/test_auth.py", line 12, in test_login',
      '    raise AuthError("no such user")',
      'auth.AuthError: no such user',
      'FAILED tests/test_auth.py::test_login - auth.AuthError: no such user',
      '========================= 1 failed, 100 passed in 3.21s =========================',
      'collected 120 items',
    ]) {
      assert.ok(out.includes(kept), `kept: ${kept}`);
    }
    assert.ok(out.length < 40, `most PASSED lines are omitted (${out.length} lines left)`);
  });

  it('a run of repetitive lines becomes one marker with the template, the count and the range of the varying value', () => {
    const input = ['server started on :8080', ...lines(412, (i) => `GET /api/v1/items/${i + 1} 200`), 'server stopped'].join('\n');
    const run = rewritten(input, { keepFirstLines: 1, keepLastLines: 1 });
    const markers = findMarkers(run.text);
    assert.equal(markers.length, 1);
    assert.deepEqual({ count: markers[0]!.count, unit: markers[0]!.unit }, { count: 412, unit: 'lines' });
    assert.equal(markers[0]!.detail, 'lines 2-413, all like "GET /api/v<n>/items/<n> <n>" values 1..412');
  });

  it('warnings are de-duplicated: the first of each template stays, the marker counts the rest', () => {
    const input = [...lines(30, info), ...lines(40, (i) => `WARN deprecated option --fast used by job ${i}`), 'WARN disk almost full', ...lines(30, info)].join('\n');
    const run = rewritten(input);
    assert.ok(run.text.includes('WARN deprecated option --fast used by job 0\n'));
    assert.ok(!run.text.includes('used by job 1\n'), 'a repeat of the template is omitted');
    assert.ok(run.text.includes('WARN disk almost full'), 'another template keeps its own line');
    assert.ok(findMarkers(run.text).some((marker) => /lines 32-70, all like "WARN deprecated option --fast used by job <n>" values 1\.\.39, 39 warnings/.test(marker.detail ?? '')));
  });

  it('every error line is kept with context; repeats of one error beyond the limit are omitted except the last', () => {
    const input = [
      ...lines(50, info),
      'ERROR payment failed for order 17: card declined',
      ...lines(50, (i) => info(50 + i)),
      ...lines(20, (i) => `ERROR connection refused to db-${i}:5432`),
      ...lines(50, (i) => info(100 + i)),
    ].join('\n');
    const run = rewritten(input, { errorContextLines: 2, maxErrorRepeats: 3 });
    const out = outputLines(run);
    assert.ok(out.includes('ERROR payment failed for order 17: card declined'));
    assert.ok(out.includes(info(48)) && out.includes(info(49)) && out.includes(info(50)) && out.includes(info(51)), 'two lines of context on each side');
    assert.ok(!out.includes(info(47)));
    for (const n of [0, 1, 2, 19]) assert.ok(out.includes(`ERROR connection refused to db-${n}:5432`), `repeat ${n} kept`);
    for (const n of [6, 10, 15]) assert.ok(!out.includes(`ERROR connection refused to db-${n}:5432`), `repeat ${n} omitted`);
  });

  it('generated ids vary like numbers: errors differing only in a request id are repeats of one template', () => {
    const ids = ['k92x86k8msd', '7tjp58wxyed', 'qdgypkyq8k', 'o9xx12ab', 'bo8736kn0ve', '3rgax1lnqig', 'jmku1frp45c', 'l2bqj3xvvpr'];
    const input = [...lines(40, info), ...ids.map((id) => `ERROR token expired - RequestID: ${id}`), ...lines(40, (i) => info(40 + i))].join('\n');
    const out = outputLines(rewritten(input, { maxErrorRepeats: 2 }));
    assert.deepEqual(
      ids.filter((id) => out.includes(`ERROR token expired - RequestID: ${id}`)),
      ['k92x86k8msd', '7tjp58wxyed', 'l2bqj3xvvpr'],
      'the first two and the last',
    );
  });

  it('a stack trace is kept whole up to the cap; a longer one keeps its head and its last lines around a marker', () => {
    const trace = ['java.lang.IllegalStateException: pool exhausted', ...lines(120, (i) => `\tat com.example.pool.Pool.frame${i}(Pool.java:${i + 10})`)];
    const input = [...lines(40, info), ...trace, ...lines(40, info)].join('\n');
    const run = rewritten(input, { stackTraceMaxLines: 30 });
    const out = outputLines(run);
    assert.ok(out.includes('java.lang.IllegalStateException: pool exhausted'));
    assert.ok(out.includes('\tat com.example.pool.Pool.frame0(Pool.java:10)'));
    assert.ok(out.includes('\tat com.example.pool.Pool.frame119(Pool.java:129)'), 'the innermost frames after the cap');
    assert.ok(!out.includes('\tat com.example.pool.Pool.frame60(Pool.java:70)'), 'the middle is behind a marker');
    const short = rewritten([...lines(40, info), ...trace.slice(0, 20), ...lines(40, info)].join('\n'), { stackTraceMaxLines: 30 });
    for (const line of trace.slice(0, 20)) assert.ok(outputLines(short).includes(line), 'a trace under the cap is whole');
  });

  it('indented output after a lone frame is not taken for a trace: an indented error in it is still kept', () => {
    const input = [
      ...lines(40, info),
      '    at handler (src/server.ts:10:7)',
      ...lines(60, (i) => `    detail ${i} of the request`),
      '    ERROR upstream refused',
      ...lines(60, (i) => `    detail ${100 + i} of the response`),
    ].join('\n');
    assert.ok(outputLines(rewritten(input, { stackTraceMaxLines: 10 })).includes('    ERROR upstream refused'));
  });

  it('test-runner summaries, exit codes and CI annotations stay wherever they are', () => {
    const summaries = [
      '--- FAIL: TestParse (0.00s)',
      'Tests:       2 failed, 40 passed, 42 total',
      '  ✕ renders the header (12 ms)',
      'test result: FAILED. 3 passed; 1 failed; 0 ignored',
      '##[error]Process completed with exit code 2',
      'make: *** [Makefile:12: test] Error 2',
    ];
    const input = [...lines(60, info), ...summaries.flatMap((line, i) => [line, ...lines(30, (j) => info(100 * i + j))])].join('\n');
    const out = outputLines(rewritten(input));
    for (const line of summaries) assert.ok(out.includes(line), `kept: ${line}`);
  });

  it('cargo failures: the section after `failures:` is kept', () => {
    const input = [
      ...lines(60, (i) => `test tests::case_${i} ... ok`),
      'failures:',
      '',
      '---- tests::parse stdout ----',
      "thread 'tests::parse' panicked at src/lib.rs:10:5:",
      'left: 1, right: 2',
      '',
      ...lines(60, info),
    ].join('\n');
    const out = outputLines(rewritten(input));
    for (const line of ['failures:', '---- tests::parse stdout ----', "thread 'tests::parse' panicked at src/lib.rs:10:5:", 'left: 1, right: 2']) assert.ok(out.includes(line), line);
  });

  it('ANSI colour codes and CI timestamp prefixes: matched without them, kept with them', () => {
    const error = '2026-02-04T07:14:05.0957177Z \x1b[31m##[error]\x1b[0mProcess completed with exit code 1.';
    const input = [...lines(80, (i) => `2026-02-04T07:14:05.0957177Z \x1b[32mstep ${i} ok\x1b[0m`), error, ...lines(80, (i) => `2026-02-04T07:14:06.0957177Z step ${i} cleanup`)].join(
      '\n',
    );
    const run = rewritten(input, { errorContextLines: 0 });
    assert.ok(outputLines(run).includes(error));
  });

  it('JSON-lines logs: a level-50 event is an error, kept; info events are omitted', () => {
    const event = (level: number, msg: string, i: number): string => JSON.stringify({ level, time: 1742214812400 + i, pid: 1, msg });
    const input = [...lines(100, (i) => event(30, 'request completed', i)), event(50, 'upstream timed out', 100), ...lines(100, (i) => event(30, 'request completed', 200 + i))].join(
      '\n',
    );
    const run = rewritten(input, { errorContextLines: 0 });
    assert.ok(outputLines(run).includes(event(50, 'upstream timed out', 100)));
    assert.ok(findMarkers(run.text).some((marker) => (marker.detail ?? '').includes('like "…"msg":"request completed"…"')));
  });

  it('lines naming a source coordinate (src/a.ts:42) stay, once per template; URLs in error lines stay whole', () => {
    const input = [...lines(60, info), 'compiling src/a.ts:42 took long', ...lines(60, info), 'ERROR fetch https://api.example.com/v1/items?id=7&x=(1) failed', ...lines(60, info)].join(
      '\n',
    );
    const out = outputLines(rewritten(input));
    assert.ok(out.includes('compiling src/a.ts:42 took long'));
    assert.ok(out.includes('ERROR fetch https://api.example.com/v1/items?id=7&x=(1) failed'));
  });

  it('CRLF logs keep their terminators on kept lines and markers', () => {
    const input = [...lines(100, info), 'ERROR boom', ...lines(100, info)].join('\r\n') + '\r\n';
    const run = rewritten(input);
    assert.ok(run.text.includes('ERROR boom\r\n'));
    assert.ok(!/[^\r]\n/.test(run.text), 'every line ends in CRLF');
  });

  it('very long lines are kept or omitted whole, never cut', () => {
    const long = `ERROR ${'x'.repeat(200_000)}`;
    // The long line is most of the tokens: what is left to save is under the default min_savings_ratio.
    const run = rewritten([...lines(100, info), long, ...lines(100, info)].join('\n'), { minSavingsRatio: 0 });
    assert.ok(outputLines(run).includes(long));
  });
});

describe('log compressor: protected spans', () => {
  const REMINDER = '<system-reminder>\nThe build is still running.\n</system-reminder>';
  const FENCE = '```json\n{ "retry": 3 }\n```';
  const PRETTY = JSON.stringify({ session: 'abc', checkpoints: [1, 2, 3] }, null, 2);

  it('an agent tag pair, a fenced block and JSON over several lines are kept whole among omitted lines', () => {
    const input = [...lines(80, info), FENCE, ...lines(80, info), 'response body:', PRETTY, ...lines(80, info), REMINDER].join('\n');
    const run = rewritten(input);
    assert.ok(findMarkers(run.text).length >= 2, 'the info lines around them are omitted');
    for (const block of [REMINDER, FENCE, PRETTY]) assert.ok(run.text.includes(block), `kept verbatim: ${block}`);
  });

  it('a one-line JSON record or a lone `<module>` is no block: a JSON-lines log and a traceback are still thinned', () => {
    const jsonLines = lines(200, (i) => JSON.stringify({ level: 30, msg: `request ${i} done`, ms: i % 17 })).join('\n');
    assert.ok(findMarkers(rewritten(jsonLines).text).length > 0);
    const frames = lines(60, (i) => `  File "app/m${i}.py", line ${i + 1}, in <module>`);
    const traceback = [...lines(40, info), 'Traceback (most recent call last):', ...frames, 'ValueError: bad', ...lines(40, info)].join('\n');
    assert.ok(!rewritten(traceback).text.includes(frames[45]!), 'the capped middle of the trace is omitted');
  });
});

describe('log compressor: what it leaves alone', () => {
  it('a log that is all errors is kept as it is', () => {
    const input = lines(60, (i) => `ERROR job ${i} failed: ${['timeout', 'oom', 'disk', 'auth', 'dns'][i % 5]} on host-${i}`).join('\n');
    assert.deepEqual(compress(input, tokens, { maxErrorRepeats: 100 }).outcome, { decline: 'already-compact' });
  });

  it('a rewrite saving less than min_savings_ratio is not made', () => {
    const input = lines(40, info).join('\n');
    assert.ok('text' in compress(input, tokens).outcome);
    assert.deepEqual(compress(input, tokens, { minSavingsRatio: 0.99 }).outcome, { decline: 'small-gain' });
    const tiny = [...lines(3, info), 'x'.repeat(10), ...lines(3, info)].join('\n');
    assert.deepEqual(compress(tiny, tokens).outcome, { decline: 'already-compact' }, 'a line is cheaper than its marker');
  });

  it('without offloading it removes nothing (needs-offload)', () => {
    const input = [...lines(200, info), 'ERROR boom'].join('\n');
    assert.deepEqual(compress(input, tokens, {}, false).outcome, { decline: 'needs-offload' });
  });

  it('text that already holds a headroom marker is left as it is (already-marked)', () => {
    const first = rewritten([...lines(200, info), 'ERROR boom'].join('\n'));
    assert.deepEqual(compress(first.text, tokens).outcome, { decline: 'already-marked' });
  });

  it('whitespace-only input is left as it is', () => {
    for (const blank of [' ', '\n\n\n', '\r\n  \r\n\t\r\n']) assert.ok('decline' in compress(blank, tokens).outcome, JSON.stringify(blank));
  });

  it('empty input and binary junk do not crash', () => {
    assert.ok('decline' in compress('', tokens).outcome);
    const junk = Array.from({ length: 400 }, (_, i) => String.fromCharCode(i % 32, (i * 7) % 256, 0xfffd)).join('') + '\n'.repeat(3);
    const run = compress(junk, tokens);
    assert.equal(run.expanded, junk);
  });
});

describe('log compressor in the pipeline', () => {
  it('is registered for build and app logs and rewrites a log tool output through optimize', async () => {
    const transform = buildTransforms(defaultConfig()).find((candidate) => candidate.name === LOG_COMPRESSOR);
    assert.deepEqual(transform?.accepts, ['build-log', 'app-log']);
    const log = [...lines(300, info), 'ERROR payment failed: card declined', ...lines(300, info)].join('\n');
    const request = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Why did it fail?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'bash', arguments: '{"command":"cat app.log"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: log },
      ],
    };
    const optimized = await optimizeText(JSON.stringify(request), { transforms: buildTransforms(defaultConfig()) });
    const tool = (JSON.parse(optimized.output) as { messages: { content: string }[] }).messages[2]!.content;
    assert.ok(tool.includes('ERROR payment failed: card declined'));
    assert.ok(findMarkers(tool).length >= 2);
    assert.ok(tool.length < log.length / 10);
  });

  it('log_compressor.enabled=false turns it off', () => {
    const config = defaultConfig();
    config.logCompressor.enabled = false;
    assert.equal(
      buildTransforms(config).some((transform) => transform.name === LOG_COMPRESSOR),
      false,
    );
  });
});
