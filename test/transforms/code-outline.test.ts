import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandMarkers, findMarkers } from '../../src/ccr/markers.js';
import { defaultConfig } from '../../src/config/index.js';
import { buildTransforms } from '../../src/transforms/index.js';
import { languageOf } from '../../src/transforms/code-outline/index.js';
import type { JsonValue } from '../../src/formats/types.js';
import { isRewrite, type Decline, type Rewrite } from '../../src/transforms/types.js';
import { runMain } from '../cli/run-main.js';
import { BODY_LINE, SOURCES, outlineText, outliner } from './code-outline-support.js';

function rewritten(result: Rewrite | Decline): string {
  assert.ok('text' in result, `expected a rewrite, got ${JSON.stringify(result)}`);
  return result.text;
}

function expand(text: string, originals: Map<string, string>): string | null {
  return expandMarkers(text, (key) => originals.get(key) ?? null);
}

/** `cat -n` and Claude Code's Read number every line in six columns. */
function numbered(source: string, separator: '\t' | '→', from = 1): string {
  return source
    .split('\n')
    .map((line, i) => `${String(from + i).padStart(6)}${separator}${line}`)
    .join('\n');
}

describe('code outlines', () => {
  for (const [language, { source, kept, bodies }] of Object.entries(SOURCES)) {
    it(`${language}: keeps imports, types, signatures and doc comments whole; elides each body behind a marker that restores it`, async () => {
      const { result, originals } = await outlineText(source, { language });
      const text = rewritten(result);
      const lines = text.split('\n');
      for (const line of kept) assert.ok(lines.includes(line), `kept: ${line}`);
      assert.ok(!text.includes(BODY_LINE), 'the bodies are gone');
      assert.equal(findMarkers(text).length, bodies);
      for (const marker of findMarkers(text)) assert.match(marker.detail ?? '', /^(body of \S+|function body), lines \d+-\d+$/);
      assert.equal(expand(text, originals), source);
    });
  }

  it('names the body and its 1-based lines in the marker', async () => {
    const { result } = await outlineText(SOURCES['go']!.source, { language: 'go' });
    const [marker] = findMarkers(rewritten(result));
    const first = SOURCES['go']!.source.split('\n').indexOf('\ttotal := 0') + 1;
    assert.equal(marker?.detail, `body of Sum, lines ${first}-${first + 17}`);
  });

  it('the file extension of the call decides the grammar; an unknown extension passes through', async () => {
    const { result } = await outlineText(SOURCES['rust']!.source, { filePath: 'src/point.rs' });
    assert.ok('text' in result);
    assert.deepEqual(await outlineText(SOURCES['rust']!.source, { filePath: 'notes.md', language: 'rust' }).then((run) => run.result), { decline: 'unsupported-shape' });
    assert.equal(languageOf('a/b.TSX', undefined), 'tsx');
    assert.equal(languageOf(null, 'python'), 'python');
    assert.equal(languageOf(null, 'ruby'), null);
    assert.equal(languageOf(null, undefined), null);
  });

  it('TypeScript with JSX parses with the TSX grammar', async () => {
    const { result } = await outlineText(SOURCES['tsx']!.source, { language: 'typescript' });
    assert.match((result as Rewrite).label, /^tsx outline/);
  });

  it('a function with a syntax error keeps its body; cleanly parsed ones are still elided (a read of part of a file)', async () => {
    const broken = SOURCES['python']!.source.replace('def main() -> None:', 'def main( -> None:');
    const { result, originals } = await outlineText(broken, { language: 'python' });
    const text = rewritten(result);
    assert.deepEqual(
      findMarkers(text).map((marker) => marker.detail?.split(',')[0]),
      ['body of total'],
    );
    assert.ok(text.includes(`def main( -> None:\n    total = 0\n    ${BODY_LINE.replace('step', 'step0')}\n`), 'the broken function stays whole');
    assert.equal(expand(text, originals), broken);
    // Part of a Go file: it starts inside one function and ends inside another.
    const go = SOURCES['go']!.source + SOURCES['go']!.source.replace(/Sum/g, 'Total').replace(/^package main\n\nimport \(\n\t"fmt"\n\)\n/, '');
    const goLines = go.split('\n');
    const part = goLines.slice(goLines.indexOf('\ttotal := 0') + 2, -2).join('\n');
    const partial = rewritten((await outlineText(part, { language: 'go' })).result);
    assert.deepEqual(
      findMarkers(partial).map((marker) => marker.detail?.split(',')[0]),
      ['body of Total'],
    );
  });

  it('anything the parser does not understand passes through', async () => {
    assert.deepEqual((await outlineText(SOURCES['go']!.source, { language: 'python' })).result, { decline: 'unsupported-shape' });
    const junk = Array.from({ length: 400 }, (_, i) => String.fromCharCode((i * 7919) % 0x2ff)).join('');
    assert.deepEqual((await outlineText(junk, { language: 'javascript' })).result, { decline: 'unsupported-shape' });
    assert.deepEqual((await outlineText('', { language: 'go' })).result, { decline: 'already-compact' }, 'empty input: nothing to elide');
  });

  it('small bodies, one-line functions and minified code stay whole', async () => {
    const small = 'function a(x) {\n  return x;\n}\nconst b = (y) => y * 2;\n';
    assert.deepEqual((await outlineText(small, { language: 'javascript' })).result, { decline: 'already-compact' });
    const minified = `function f(a){${'a=a+1;'.repeat(5000)}return a}`;
    assert.deepEqual((await outlineText(minified, { language: 'javascript' })).result, { decline: 'already-compact' });
  });

  it('declines rather than drop when offloading is not allowed, and when the gain is small', async () => {
    assert.deepEqual((await outlineText(SOURCES['java']!.source, { language: 'java', canOffload: false })).result, { decline: 'needs-offload' });
    assert.deepEqual((await outlineText(SOURCES['java']!.source, { language: 'java', transform: outliner({ minSavingsRatio: 0.95 }) })).result, { decline: 'small-gain' });
  });

  it('numbered reads (cat -n, Claude Code Read) keep every shown line with its number; a trailing system reminder stays', async () => {
    const source = SOURCES['python']!.source.replace(/\n$/, '');
    for (const separator of ['\t', '→'] as const) {
      const read = `${numbered(source, separator)}\n\n<system-reminder>\nWhenever you read a file, consider whether it is malware.\n</system-reminder>\n`;
      const { result, originals } = await outlineText(read, { language: 'python' });
      const text = rewritten(result);
      const readLines = read.split('\n');
      for (const line of text.split('\n')) {
        if (findMarkers(line).length > 0) continue;
        assert.ok(readLines.includes(line), `a line of the read, whole: ${line}`);
      }
      assert.ok(text.includes(`     6${separator}    """Counts things."""`));
      assert.ok(text.includes('<system-reminder>'));
      assert.equal(expand(text, originals), read);
      // Marker details give the file's own line numbers.
      const first = findMarkers(text)[0]?.detail ?? '';
      assert.match(first, /^body of total, lines 1\d-\d\d$/);
    }
  });

  it('a range of lines the read asked for passes through: range arguments, sed/head/tail, or a numbered read starting past line 1', async () => {
    const source = SOURCES['python']!.source;
    const call = (name: string, args: Record<string, unknown>) => ({ name, arguments: args as JsonValue });
    assert.equal(isRewrite((await outlineText(source, { language: 'python', call: call('Read', { file_path: '/a.py' }) })).result), true);
    for (const asked of [
      call('Read', { file_path: '/a.py', offset: 40, limit: 200 }),
      call('str_replace_editor', { command: 'view', path: '/a.py', view_range: [1, 80] }),
      call('Bash', { command: "sed -n '1,120p' a.py" }),
      call('Bash', { command: 'head -n 200 a.py' }),
    ]) {
      assert.deepEqual((await outlineText(source, { language: 'python', call: asked })).result, { decline: 'partial-read' }, JSON.stringify(asked));
    }
    const paged = numbered(source.replace(/\n$/, ''), '→', 101);
    assert.deepEqual((await outlineText(paged, { language: 'python' })).result, { decline: 'partial-read' });
  });

  it('an agent tag pair inside a body the parser accepts (JSX) stays; JSX components and JSON-like literals are elided with their body', async () => {
    const reminder = '  <system-reminder>\n  Whenever you read a file, consider whether it is malware.\n  </system-reminder>';
    const source = SOURCES['javascript']!.source.replace('  let total = 0;\n', `  let total = 0;\n${reminder};\n`);
    const { result, originals } = await outlineText(source, { language: 'javascript' });
    const text = rewritten(result);
    assert.ok(text.includes(reminder), 'the reminder is kept verbatim');
    assert.equal(text.includes(BODY_LINE), false, 'the rest of the body is elided');
    assert.equal(expand(text, originals), source);
    const jsx = SOURCES['tsx']!.source.replace('  let total = 0;\n', '  let total = 0;\n  const view = <Card>\n    {name}\n  </Card>;\n  const data = {\n    "a": [1, 2]\n  };\n');
    const outline = rewritten((await outlineText(jsx, { language: 'tsx' })).result);
    assert.equal(outline.includes('<Card>') || outline.includes('"a": [1, 2]'), false);
  });

  it('whitespace-only input has nothing to elide; ANSI-coloured source (bat --color) does not parse and passes through', async () => {
    for (const blank of [' ', '\n\n\n', '\r\n\t\r\n']) assert.ok(!('text' in (await outlineText(blank, { language: 'python' })).result), JSON.stringify(blank));
    const coloured = SOURCES['go']!.source.replace(/^func /gm, '\x1b[34mfunc\x1b[0m ');
    assert.deepEqual((await outlineText(coloured, { language: 'go' })).result, { decline: 'unsupported-shape' });
  });

  it('CRLF sources keep their terminators on every kept line', async () => {
    const source = SOURCES['go']!.source.replace(/\n/g, '\r\n');
    const { result, originals } = await outlineText(source, { language: 'go' });
    const text = rewritten(result);
    assert.ok(text.includes('func (p Point) Sum(steps []int) int {\r\n'));
    assert.equal(text.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF introduced');
    assert.equal(expand(text, originals), source);
  });

  it('an outline is not outlined again', async () => {
    const { result } = await outlineText(SOURCES['typescript']!.source, { language: 'typescript' });
    assert.deepEqual((await outlineText(rewritten(result), { language: 'typescript' })).result, { decline: 'already-marked' });
  });
});

describe('code outlines through optimize', () => {
  const source = Array.from({ length: 12 }, (_, i) => SOURCES['go']!.source.replace(/Sum/g, `Sum${i}`).replace(/^package main\n\nimport \(\n\t"fmt"\n\)\n/, i === 0 ? '$&' : '')).join(
    '\n',
  );
  const request = JSON.stringify({
    model: 'gpt-4o',
    messages: [
      { role: 'user', content: 'Explain this file.' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'Read', arguments: JSON.stringify({ file_path: 'main.go' }) } }] },
      { role: 'tool', tool_call_id: 'c1', content: source },
    ],
  });
  const toolOutput = (stdout: string): string => (JSON.parse(stdout) as { messages: { content: string }[] }).messages[2]?.content ?? '';

  it('passes file reads through by default', async () => {
    const run = await runMain(['optimize', '--ccr-store', ':memory:', '--report', 'none'], { input: request });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(toolOutput(run.stdout), source);
    assert.equal(
      buildTransforms(defaultConfig()).some((transform) => transform.name === 'code_outline'),
      false,
    );
  });

  it('outlines them with HEADROOM_INTERCEPT_ENABLED=1 or --set intercept_tool_results=true', async () => {
    for (const [args, env] of [
      [[], { HEADROOM_INTERCEPT_ENABLED: '1' }],
      [['--set', 'intercept_tool_results=true'], {}],
    ] as const) {
      const run = await runMain(['optimize', '--ccr-store', ':memory:', '--report', 'none', ...args], { input: request, env });
      assert.equal(run.status, 0, run.stderr);
      const out = toolOutput(run.stdout);
      assert.equal(findMarkers(out).length, 12);
      assert.ok(out.includes('func (p Point) Sum7(steps []int) int {\n'));
      assert.ok(!out.includes(BODY_LINE));
    }
    const off = await runMain(['optimize', '--ccr-store', ':memory:', '--report', 'none', '--set', 'intercept_tool_results=true', '--set', 'code_aware.enabled=false'], {
      input: request,
    });
    assert.equal(toolOutput(off.stdout), source);
  });
});
