/**
 * Reporters and the shared shell: --reporter on audit, optimize and simulate,
 * the JSON envelope, the Markdown report, help layout, and `run`.
 */
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { ExitCode, type CliContext } from '../../src/cli/context.js';
import { decisionJson, decisionKey, decisionText } from '../../src/cli/reporters/decision.js';
import { escapeText, markdownTable } from '../../src/cli/reporters/markdown.js';
import { CommandRun } from '../../src/cli/shell.js';
import type { BlockDecision } from '../../src/pipeline/results.js';
import { runMain } from './run-main.js';

const ROWS = JSON.stringify({ invoices: Array.from({ length: 15 }, (_, i) => ({ id: i + 1, customer: `Customer ${i + 1} | Ltd`, status: i % 2 ? 'paid' : 'open' })) }, null, 2);
const REQUEST = JSON.stringify({
  model: 'gpt-4o',
  messages: [
    { role: 'user', content: 'Which invoices are open?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'list_invoices', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'call_1', content: ROWS },
  ],
});
/** One good request line and one broken one: an input with a problem. */
const WITH_PROBLEM = `${REQUEST}\n{"model": "gpt-4o", "messages": [\n`;

describe('optimize reports that carry their problems (item 11)', () => {
  it('--report json on stderr parses, lists the problem, and nothing else is written there', async () => {
    const run = await runMain(['optimize', '--report', 'json', '--ccr-store', ':memory:'], { input: WITH_PROBLEM });
    assert.equal(run.status, ExitCode.Usage);
    const report = JSON.parse(run.stderr) as { schema: string; summary: { requests: number; errors: number }; problems: { line: number; severity: string }[]; exit: { code: number } };
    assert.equal(report.schema, 'headroom.optimize/1');
    assert.equal(report.summary.requests, 1);
    assert.equal(report.summary.errors, 1);
    assert.deepEqual(
      report.problems.map((problem) => [problem.line, problem.severity]),
      [[2, 'error']],
    );
    assert.equal(report.exit.code, 2);
    // The good request is still written.
    assert.equal(JSON.parse(run.stdout.trim().split('\n')[0] ?? '').model, 'gpt-4o');
  });

  it('--reporter ndjson: every stderr line is JSON; the last one holds the problems', async () => {
    const run = await runMain(['optimize', '--reporter', 'ndjson', '--ccr-store', ':memory:'], { input: WITH_PROBLEM });
    assert.equal(run.status, ExitCode.Usage);
    const lines = run.stderr
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; problems?: unknown[]; result?: { blocks: { decision: string }[] } });
    assert.deepEqual(
      lines.map((line) => line.type),
      ['request', 'summary'],
    );
    assert.equal(lines[1]?.problems?.length, 1);
    assert.match(lines[0]?.result?.blocks[2]?.decision ?? '', /^compressed:json-compact\+lossless:table \d+% \d+→\d+ tokens$/);
  });

  it('--reporter markdown: problems inside, no colour even when forced', async () => {
    const run = await runMain(['optimize', '--reporter', 'markdown', '--ccr-store', ':memory:', '--color'], { input: WITH_PROBLEM, env: { FORCE_COLOR: '1' } });
    assert.equal(run.status, ExitCode.Usage);
    assert.ok(run.stderr.startsWith('## headroom optimize\n'), run.stderr);
    assert.match(run.stderr, /### Input problems\n\n- error: \\<stdin\\>:2: /);
    assert.doesNotMatch(run.stderr, /\u001b\[/);
    assert.doesNotMatch(run.stderr, /^(error|note):/m);
  });

  it('a --strict stop and "nothing found" go inside a JSON report on stderr', async () => {
    const stopped = await runMain(['optimize', '--report', 'json', '--strict'], { input: '{"model": "gpt-4o", "messages": [\n' });
    assert.equal(stopped.status, ExitCode.Usage);
    assert.equal((JSON.parse(stopped.stderr) as { exit: { message: string } }).exit.message, 'stopped at the first input error (--strict)');
    const empty = await runMain(['optimize', '--report', 'json'], { input: '' });
    assert.equal(empty.status, ExitCode.Usage);
    assert.match((JSON.parse(empty.stderr) as { exit: { message: string } }).exit.message, /^nothing to optimize/);
  });

  it('the table report still prints problems as they are found', async () => {
    const run = await runMain(['optimize', '--no-color', '--ccr-store', ':memory:'], { input: WITH_PROBLEM });
    assert.match(run.stderr, /^error: <stdin>:2: /m);
    assert.match(run.stderr, /optimize: 1 request/);
  });
});

describe('--reporter and its aliases', () => {
  for (const mode of ['audit', 'simulate'] as const) {
    it(`${mode}: --json is --reporter json, with the mode's schema`, async () => {
      const alias = await runMain([mode, '--json'], { input: REQUEST });
      const named = await runMain([mode, '--reporter', 'json'], { input: REQUEST });
      assert.equal(alias.status, 0, alias.stderr);
      assert.equal(alias.stdout, named.stdout);
      const report = JSON.parse(alias.stdout) as { schema: string; problems: unknown[]; exit: { code: number; message: null } };
      assert.equal(report.schema, `headroom.${mode}/1`);
      assert.deepEqual(report.problems, []);
      assert.deepEqual(report.exit, { code: 0, message: null });
    });
  }

  it('optimize: --report json is --reporter json', async () => {
    const alias = await runMain(['optimize', '--report', 'json', '--ccr-store', ':memory:'], { input: REQUEST });
    const named = await runMain(['optimize', '--reporter', 'json', '--ccr-store', ':memory:'], { input: REQUEST });
    // Clock readings differ between two runs; everything else is the same.
    const withoutClock = (text: string): string =>
      text.replace(/"(timestamp|_analysis|json_compaction|smart_crusher|json_table|text_compressor|pipeline_total|_write_back)": [^,\n]*/g, '"$1"');
    assert.equal(withoutClock(alias.stderr), withoutClock(named.stderr));
    assert.equal(alias.stdout, named.stdout);
  });

  it('two reporters that disagree, or an unknown one, are a usage error', async () => {
    const both = await runMain(['audit', '--json', '--reporter', 'markdown'], { input: REQUEST });
    assert.equal(both.status, ExitCode.Usage);
    assert.match(both.stderr, /--json and --reporter cannot be combined/);
    const unknown = await runMain(['simulate', '--reporter', 'xml'], { input: REQUEST });
    assert.equal(unknown.status, ExitCode.Usage);
    assert.match(unknown.stderr, /--reporter must be table, json, ndjson or markdown; got "xml"/);
  });

  it('simulate --reporter ndjson streams a line per request, then the total', async () => {
    const run = await runMain(['simulate', '--reporter', 'ndjson'], { input: `${REQUEST}\n${REQUEST}\n` });
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; schema?: string; total?: { requests: number } });
    assert.deepEqual(
      lines.map((line) => line.type),
      ['request', 'request', 'summary'],
    );
    assert.equal(lines[2]?.schema, 'headroom.simulate/1');
    assert.equal(lines[2]?.total?.requests, 2);
  });

  it('block decisions in JSON keep `decision` in its place, then the structured fields', async () => {
    const run = await runMain(['simulate', '--json'], { input: REQUEST });
    const block = (JSON.parse(run.stdout) as { requests: { blocks: Record<string, unknown>[] }[] }).requests[0]?.blocks[2] ?? {};
    assert.deepEqual(Object.keys(block), [
      'block_index',
      'message_index',
      'kind',
      'tool',
      'tokens_before',
      'tokens_after',
      'decision',
      'outcome',
      'reason',
      'steps',
      'declines',
      'content_kind',
    ]);
    assert.equal(block['outcome'], 'compressed');
    const steps = block['steps'] as { transform: string; label: string }[];
    assert.deepEqual(
      steps.map((step) => step.transform),
      ['json_compaction', 'json_table'],
    );
    assert.equal(steps[0]?.label, 'json-compact');
    assert.match(steps[1]?.label ?? '', /^lossless:table \d+%$/);
    assert.equal(block['decision'], `compressed:json-compact+${steps[1]?.label ?? ''} ${String(block['tokens_before'])}→${String(block['tokens_after'])} tokens`);
  });
});

describe('the Markdown reporter', () => {
  it('audit: totals first, then GitHub tables with "|" escaped in cells', async () => {
    const run = await runMain(['audit', '--reporter', 'markdown', '--per-request'], { input: REQUEST, env: { COLUMNS: '40' } });
    assert.equal(run.status, 0, run.stderr);
    const headings = run.stdout.split('\n').filter((line) => line.startsWith('#'));
    assert.deepEqual(headings.slice(0, 3), ['## headroom audit', '### Tokens by kind', '### Waste']);
    assert.ok(headings.includes('### Largest tool outputs') && headings.at(-1) === '### Requests', headings.join(','));
    assert.match(run.stdout, /^\| total \| value \|\n\| --- \| ---: \|\n\| requests \| 1 \|$/m);
    // The preview holds "Customer 1 | Ltd": escaped, so every row of that table has its column count.
    const offenders = run.stdout.split('### Largest tool outputs\n\n')[1]?.split('\n\n')[0] ?? '';
    assert.match(offenders, /Customer 1 \\\| Ltd/);
    for (const row of offenders.split('\n')) assert.equal(cellCount(row), 5, row);
    // Not wrapped to the (narrow) terminal width.
    assert.ok(run.stdout.split('\n').some((line) => line.length > 40));
    // Tool outputs by the content kind the router found.
    assert.match(
      run.stdout,
      /### Tool outputs by content kind\n\n\| content kind \| sent \| tokens \| share \|\n\| --- \| ---: \| ---: \| ---: \|\n\| json-object \| 1 \| [\d,]+ \| 100\.0% \|/,
    );
  });

  it('simulate: totals, then the requests that save the most', async () => {
    const run = await runMain(['simulate', '--reporter', 'markdown'], { input: REQUEST });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^## headroom simulate\n\n\| total \| value \|/);
    assert.match(run.stdout, /### Requests that save the most\n\n\| request \| model \| before \| after \| saved \| share \| est\. savings \|\n/);
    assert.match(run.stdout, /\| \\<stdin\\>:1 \| gpt-4o \| [\d,]+ \| [\d,]+ \| [\d,]+ \| [\d.]+% \| \$[\d.]+ \|/);
  });

  it('any cell text keeps a row at its column count and reads back as the text', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), (cells) => {
        const table = markdownTable(
          cells.map((_, index) => `c${index}`),
          [cells],
        );
        const row = table.split('\n')[2] ?? '';
        assert.equal(table.split('\n').length, 3);
        assert.equal(cellCount(row), cells.length);
        assert.deepEqual(
          splitCells(row).map(unescape),
          cells.map((cell) => cell.replace(/\r?\n|\r/g, ' ').trim()),
        );
      }),
    );
  });

  it('escapes what would format, link or open HTML', () => {
    assert.equal(escapeText('a|b *c* _d_ `e` [f](g) <h> ~i~ \\'), 'a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) \\<h\\> \\~i\\~ \\\\');
  });
});

/** The cells of a GitHub table row: split on `|` not preceded by a backslash escape. */
function splitCells(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let index = 1; index < row.length - 1; index++) {
    const char = row[index] as string;
    if (char === '\\') {
      cell += char + (row[index + 1] ?? '');
      index++;
    } else if (char === '|') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells.map((text) => text.trim());
}

function cellCount(row: string): number {
  return splitCells(row).length;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

describe('decision words from structured decisions', () => {
  const base = { block_index: 0, message_index: 0, kind: 'tool_result', tool: null, content_kind: 'json-object' } as const;
  it('build the texts the pipeline used to write', () => {
    const compressed: BlockDecision = {
      ...base,
      tokens_before: 412,
      tokens_after: 288,
      outcome: 'compressed',
      reason: null,
      steps: [
        { transform: 'a', label: 'json-compact' },
        { transform: 'b', label: 'crush' },
      ],
      declines: [],
    };
    assert.equal(decisionText(compressed), 'compressed:json-compact+crush 412→288 tokens');
    assert.equal(decisionKey(compressed), 'compressed:json-compact+crush');
    const skipped: BlockDecision = {
      ...base,
      tokens_before: 50,
      tokens_after: 50,
      outcome: 'skipped',
      reason: null,
      steps: [],
      declines: [
        { transform: 'a', reason: 'already-compact' },
        { transform: 'b', reason: 'no-gain' },
        { transform: 'c', reason: 'no-gain' },
      ],
    };
    assert.equal(decisionText(skipped), 'skipped:already-compact,no-gain');
    assert.equal(decisionText({ ...skipped, declines: [{ transform: null, reason: 'no-compressor' }] }), 'skipped:no-compressor');
    assert.equal(decisionText({ ...skipped, outcome: 'skipped', reason: 'small', declines: [] }), 'skipped:small');
    assert.equal(decisionJson({ ...skipped, outcome: 'protected', reason: 'user' })['decision'], 'protected:user');
  });
});

describe('help and run (item 11)', () => {
  for (const mode of ['audit', 'optimize', 'simulate']) {
    it(`${mode} --help shows its examples first, one per line`, async () => {
      const run = await runMain([mode, '--help']);
      assert.equal(run.status, 0);
      const examples = run.stdout.indexOf('Examples:\n');
      assert.ok(examples > 0 && examples < run.stdout.indexOf('Options:') && examples < run.stdout.indexOf('Arguments:'), run.stdout);
      const lines = run.stdout.slice(examples).split('\n').slice(1);
      const exampleLines = lines.slice(0, lines.indexOf(''));
      assert.ok(exampleLines.length >= 2);
      for (const line of exampleLines) assert.match(line, /^ {2}(cat \S+ \| )?headroom /);
      assert.ok(
        exampleLines.every((line) => (line.match(/headroom /g) ?? []).length === 1),
        exampleLines.join('\n'),
      );
    });
  }

  it('help paragraphs have no hard line breaks: commander wraps them to the width', async () => {
    const wide = await runMain(['audit', '--help'], { tty: { columns: 200 } });
    const paragraph = wide.stdout.split('\n').find((line) => line.startsWith('Read conversations'));
    assert.match(paragraph ?? '', /Codex transcripts\) from files/);
  });

  it('every help text fits 80 columns: nothing is printed unwrapped after the options', async () => {
    for (const command of ['audit', 'optimize', 'simulate', 'run', 'config', 'retrieve']) {
      const help = await runMain([command, '--help']);
      for (const line of help.stdout.split('\n')) assert.ok(line.length <= 80, `${command}: ${line}`);
    }
  });

  it('run is in the command list, and run --help names --mode', async () => {
    const program = await runMain(['--help']);
    assert.match(program.stdout, /^ {2}run \[options\]/m);
    const run = await runMain(['run', '--help']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^Usage: headroom run /);
    assert.match(run.stdout, /--mode <mode>/);
    const modeHelp = await runMain(['run', '--mode', 'simulate', '--help']);
    assert.match(modeHelp.stdout, /^Usage: headroom simulate /);
  });

  it('run --mode optimize still runs optimize', async () => {
    const run = await runMain(['run', '--mode', 'optimize', '--report', 'none', '--ccr-store', ':memory:'], { input: REQUEST });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).model, 'gpt-4o');
    assert.equal(run.stderr, '');
  });
});

describe('the progress line names the run', () => {
  for (const [mode, verb] of [
    ['audit', 'auditing'],
    ['optimize', 'optimizing'],
    ['simulate', 'simulating'],
  ] as const) {
    it(`${mode}: "${verb}"`, async () => {
      mock.timers.enable({ apis: ['Date'], now: 0 });
      try {
        const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 80 }) as unknown as NodeJS.WriteStream;
        const context = { cwd: '/', env: {}, stdin: Readable.from([]), stdout: stderr, stderr, exitCode: 0, helpFor: () => '' } as unknown as CliContext;
        const run = await CommandRun.start(context, {}, mode, null, stderr);
        mock.timers.tick(5000);
        run.onProgress({ file: 'a.jsonl', bytes: 10, totalBytes: 100, requests: 1 });
        const written = String(stderr.read());
        assert.match(written, new RegExp(`^\\r${verb} 10%`));
      } finally {
        mock.timers.reset();
      }
    });
  }
});
