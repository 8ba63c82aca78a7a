/**
 * The search-results compressor on grep / ripgrep output of every layout it
 * reads: kept lines are lines of the input, byte for byte and in order;
 * every file stays named with its match count; the markers expand to exactly
 * the input; it declines what it must pass through.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandMarkers, findMarkers } from '../../src/ccr/markers.js';
import { defaultConfig } from '../../src/config/index.js';
import type { JsonValue } from '../../src/json/index.js';
import { getTokenCounter } from '../../src/tokens/counter.js';
import { createSearchCompressor } from '../../src/transforms/search-compressor/index.js';
import { commandPatterns } from '../../src/transforms/search-compressor/query.js';
import { isRewrite, type Rewrite, type Transform } from '../../src/transforms/types.js';
import { decisionTextOf, optimizeText } from '../pipeline/helpers.js';
import { storingContext, toolBlock } from './harness.js';

const counter = await getTokenCounter('o200k_base');

interface Run {
  outcome: Awaited<ReturnType<Transform['apply']>>;
  originals: Map<string, string>;
}

function compressor(edit: (config: ReturnType<typeof defaultConfig>) => void = () => undefined): Transform {
  const config = defaultConfig();
  edit(config);
  const transform = createSearchCompressor(config);
  assert.ok(transform);
  return transform;
}

async function run(text: string, options: { query?: string; args?: JsonValue; canOffload?: boolean; transform?: Transform } = {}): Promise<Run> {
  const count = (value: string): number => counter.count(value);
  const { context, originals } = storingContext({
    query: options.query ?? null,
    call: options.args === undefined ? null : { name: 'Grep', arguments: options.args },
    toolName: 'Grep',
    count,
    canOffload: options.canOffload ?? true,
  });
  const block = toolBlock(text, { count });
  const outcome = await (options.transform ?? compressor()).apply(block, context);
  return { outcome, originals };
}

function rewritten(result: Run): Rewrite {
  assert.ok(isRewrite(result.outcome), `expected a rewrite, got ${JSON.stringify(result.outcome)}`);
  return result.outcome;
}

/** Every marker expands to exactly what it replaced; every other line is a line of the input, in order. */
function assertFaithful(input: string, result: Run): string {
  const { text } = rewritten(result);
  assert.equal(
    expandMarkers(text, (key) => result.originals.get(key) ?? null),
    input,
    'markers expand to the input',
  );
  const inputLines = input.split('\n');
  let at = 0;
  for (const line of text.split('\n')) {
    if (findMarkers(line).length > 0) continue;
    const found = inputLines.indexOf(line, at);
    assert.ok(found >= 0, `kept line is a line of the input, in order: ${JSON.stringify(line)}`);
    at = found + 1;
  }
  return text;
}

const FILES = Array.from({ length: 24 }, (_, f) => `./src/module${f}/file${f}.py`);

/** `grep -rn` output: 24 files with 3..14 matches each; one line names `refresh_token`. */
function flatGrep(eol = '\n'): string {
  const lines: string[] = [];
  FILES.forEach((path, f) => {
    for (let m = 0; m < 3 + (f % 12); m++) {
      const name = f === 17 && m === 4 ? 'refresh_token' : `handler_${f}_${m}`;
      lines.push(`${path}:${10 + m * 17}:    def ${name}(self, request, context):`);
    }
  });
  return lines.join(eol) + eol;
}

/** Each file's match count as the output states it: kept lines plus the counts of the markers that name it or follow its lines. */
function statedCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  let current: string | null = null;
  for (const line of text.split('\n')) {
    const markers = findMarkers(line);
    if (markers.length > 0) {
      const marker = markers[0]!;
      const named = marker.detail?.match(/^in (\S+?):/)?.[1];
      const path = named ?? current;
      assert.ok(path, `a marker belongs to a file: ${line}`);
      counts.set(path, (counts.get(path) ?? 0) + marker.count);
      continue;
    }
    const path = line.match(/^(\S+?):\d+:/)?.[1];
    if (path) {
      current = path;
      counts.set(path, (counts.get(path) ?? 0) + 1);
    }
  }
  return counts;
}

describe('search compressor: grep -rn output', () => {
  it('keeps lines byte-identical, names every file with its match count, and the markers expand to the input', async () => {
    const input = flatGrep();
    const text = assertFaithful(input, await run(input, { query: 'Where is this used?' }));
    assert.ok(counter.count(text) < 0.6 * counter.count(input), 'saves at least 40%');
    const counts = statedCounts(text);
    FILES.forEach((path, f) => assert.equal(counts.get(path), 3 + (f % 12), `${path} is named with its match count`));
  });

  it('keeps the match the query names, and lists dropped line numbers in the markers', async () => {
    const input = flatGrep();
    const text = assertFaithful(input, await run(input, { query: 'Where is refresh_token defined?' }));
    assert.ok(text.includes('./src/module17/file17.py:78:    def refresh_token(self, request, context):'));
    assert.match(text, /omitted \d+ matches \((?:in \S+: )?lines \d+(?:,\d+)*/);
  });

  it('keeps the match the tool call pattern singles out (a Bash rg command line)', async () => {
    const input = flatGrep().replace('def handler_5_2(self, request, context)', 'def handler_5_2(self, request, context, retry_backoff)');
    const text = assertFaithful(input, await run(input, { query: 'what?', args: { command: "rg -n --sort path 'retry_backoff|handler' src/" } }));
    assert.ok(text.includes('context, retry_backoff):'));
  });

  it('CRLF output keeps its CRLF lines and expands exactly', async () => {
    const input = flatGrep('\r\n');
    const text = assertFaithful(input, await run(input));
    assert.ok(text.includes('\r\n'));
  });

  it('colour codes (rg --color=always): lines matched without them, kept with them', async () => {
    const input = flatGrep().replace(/^(\S+?):(\d+):/gm, '\x1b[35m$1\x1b[0m:\x1b[32m$2\x1b[0m:');
    const text = assertFaithful(input, await run(input));
    assert.ok(
      findMarkers(text).some((marker) => marker.detail?.startsWith('in ./src/module')),
      'a dropped file is named by its path without colour codes',
    );
  });

  it('a file whose path cannot go in a marker keeps a line, so it is still named', async () => {
    const input = flatGrep().replaceAll('./src/module3/file3.py', './app/(auth)/[id]/page3.py');
    const text = assertFaithful(input, await run(input));
    assert.ok(text.split('\n').some((line) => line.startsWith('./app/(auth)/[id]/page3.py:')));
  });

  it('a line that only looks like a match (a timestamp, a path with spaces) is not taken for one and stays', async () => {
    const stray = ['2024-05-01 10:00:00 INFO started', 'My Documents/notes.txt:12:text'];
    const input = flatGrep().replace('./src/module4/file4.py:10:', `${stray.join('\n')}\n./src/module4/file4.py:10:`);
    const text = assertFaithful(input, await run(input));
    for (const line of stray) assert.ok(text.split('\n').includes(line), line);
  });

  it('very long lines and binary junk between matches stay as they are', async () => {
    const junk = '\u0000\u0001\u0002binary\u0003';
    const input = flatGrep().replace('./src/module2/file2.py:10:', `${'x'.repeat(50_000)}\n${junk}\n./src/module2/file2.py:10:`);
    const text = assertFaithful(input, await run(input));
    assert.ok(text.includes(junk));
  });
});

describe('search compressor: protected spans', () => {
  it('an agent tag pair is kept whole, matches inside it included; other matches are still thinned', async () => {
    // Matches 4-8 of file 9: a run long enough to go behind a marker if it were not protected.
    const middle = [4, 5, 6, 7, 8].map((m) => `./src/module9/file9.py:${10 + m * 17}:    def handler_9_${m}(self, request, context):`);
    const example = ['<example>', ...middle, '</example>'];
    const reminder = '<system-reminder>\nSome results may be stale.\n</system-reminder>\n';
    const input = flatGrep().replace(middle.join('\n'), example.join('\n')) + reminder;
    const text = assertFaithful(input, await run(input));
    assert.ok(findMarkers(text).length > 5);
    assert.ok(text.includes(example.join('\n')), 'the example pair is whole');
    assert.ok(text.endsWith(reminder));
  });

  it('grep lines are path:line coordinates: each kept one is whole, none is forced to stay', async () => {
    const input = flatGrep();
    const text = assertFaithful(input, await run(input));
    const kept = text.split('\n').filter((line) => /^\.\/src\/\S+:\d+:/.test(line));
    assert.ok(kept.length > 0 && kept.length < input.split('\n').length / 2);
  });
});

describe('search compressor: context, heading and --json layouts', () => {
  it('-C output: a dropped group takes its context lines and its -- separator with it', async () => {
    const lines: string[] = [];
    FILES.forEach((path, f) => {
      for (let m = 0; m < 4; m++) {
        if (lines.length > 0) lines.push('--');
        const n = 10 + m * 20 + f;
        lines.push(`${path}-${n - 1}-    # before`, `${path}:${n}:    raise ValueError("bad ${f}-${m}")`, `${path}-${n + 1}-    # after`);
      }
    });
    const input = lines.join('\n');
    const text = assertFaithful(input, await run(input));
    assert.match(text, /with context/);
    for (const kept of text.split('\n').filter((line) => line.includes(':    raise'))) {
      const index = lines.indexOf(kept);
      assert.ok(text.includes(`${lines[index - 1]}\n${kept}\n${lines[index + 1]}`), 'a kept match keeps its context lines');
    }
  });

  it('--heading output: every path line stays', async () => {
    const lines: string[] = [];
    FILES.forEach((path, f) => {
      if (f > 0) lines.push('');
      lines.push(path);
      for (let m = 0; m < 5; m++) lines.push(`${10 + m * 9}:    # TODO item ${f}.${m} needs a closer look at the parser`);
    });
    const input = lines.join('\n') + '\n';
    const text = assertFaithful(input, await run(input));
    for (const path of FILES) assert.ok(text.split('\n').includes(path), `${path} is named`);
  });

  it('rg --json: begin, end and summary messages stay; match messages are thinned', async () => {
    const messages: string[] = [];
    FILES.forEach((path, f) => {
      messages.push(JSON.stringify({ type: 'begin', data: { path: { text: path } } }));
      for (let m = 0; m < 6; m++) {
        messages.push(
          JSON.stringify({
            type: 'match',
            data: { path: { text: path }, lines: { text: `\tif err != nil { // ${f}.${m}\n` }, line_number: 10 + m * 7, absolute_offset: 100 * m, submatches: [] },
          }),
        );
      }
      messages.push(JSON.stringify({ type: 'end', data: { path: { text: path }, binary_offset: null, stats: { matched_lines: 6, matches: 6 } } }));
    });
    messages.push(JSON.stringify({ type: 'summary', data: { stats: { matched_lines: 144, matches: 144 } } }));
    const input = messages.join('\n') + '\n';
    const text = assertFaithful(input, await run(input));
    for (const message of messages) if (!message.startsWith('{"type":"match"')) assert.ok(text.includes(message), 'structure message kept');
    assert.ok(findMarkers(text).length > 0);
  });
});

describe('search compressor: what it passes through', () => {
  it('declines an empty output, a single file, counts and file lists', async () => {
    assert.deepEqual((await run('')).outcome, { decline: 'already-compact' });
    const single = Array.from({ length: 200 }, (_, i) => `${i + 1}:    value = compute(${i})`).join('\n');
    assert.deepEqual((await run(single)).outcome, { decline: 'already-compact' });
    const onePath = Array.from({ length: 200 }, (_, i) => `./src/only.py:${i + 1}:    value = compute(${i})`).join('\n');
    assert.deepEqual((await run(onePath)).outcome, { decline: 'already-compact' });
    const countsOutput = FILES.map((path, f) => `${path}:${f + 3}`).join('\n');
    assert.deepEqual((await run(countsOutput)).outcome, { decline: 'already-compact' });
    assert.deepEqual((await run(FILES.join('\n'))).outcome, { decline: 'already-compact' });
  });

  it('an empty grep — whitespace only, or a "no matches" notice — passes through', async () => {
    for (const empty of ['\n', '  \r\n\r\n', 'No matches found\n', 'No files found']) assert.ok(!isRewrite((await run(empty)).outcome), JSON.stringify(empty));
  });

  it('declines within budget, without offloading, on its own output, and for a small gain', async () => {
    const few = FILES.slice(0, 3)
      .map((path) => `${path}:12:    def handler(self):`)
      .join('\n');
    assert.deepEqual((await run(few)).outcome, { decline: 'within-budget' });
    assert.deepEqual((await run(flatGrep(), { canOffload: false })).outcome, { decline: 'needs-offload' });
    const once = rewritten(await run(flatGrep()));
    assert.deepEqual((await run(once.text)).outcome, { decline: 'already-marked' });
    const greedy = compressor((config) => {
      config.searchCompressor.minSavingsRatio = 0.95;
    });
    assert.deepEqual((await run(flatGrep(), { transform: greedy })).outcome, { decline: 'small-gain' });
  });

  it('is off when disabled', () => {
    const config = defaultConfig();
    config.searchCompressor.enabled = false;
    assert.equal(createSearchCompressor(config), null);
  });
});

describe('search compressor: the pattern of a search command line', () => {
  it('takes the pattern, not options or paths', () => {
    assert.deepEqual(commandPatterns("rg -n --sort path 'except Exception' openhands/"), ['except Exception']);
    assert.deepEqual(commandPatterns('cd repo && grep -rn -A 3 "def load" --include=*.py . | head -50'), ['def load']);
    assert.deepEqual(commandPatterns('git grep -e foo -e bar -- src'), ['foo', 'bar']);
    assert.deepEqual(commandPatterns('ls -la'), []);
  });
});

describe('search compressor in the pipeline', () => {
  it('a Grep tool result is compressed and reported as search', async () => {
    const request = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Where is refresh_token defined?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'Grep', arguments: JSON.stringify({ pattern: 'def ' }) } }] },
        { role: 'tool', tool_call_id: 'c1', content: flatGrep() },
      ],
    };
    const optimized = await optimizeText(JSON.stringify(request));
    const tool = (JSON.parse(optimized.output) as { messages: { content: string }[] }).messages[2]?.content ?? '';
    assert.ok(tool.includes('def refresh_token('));
    assert.ok(findMarkers(tool).length > 0);
    assert.match(decisionTextOf(optimized.results[0]?.result.blocks[2]) ?? '', /^compressed:search: kept \d+ of 204 matches, 24 files named/);
  });
});
