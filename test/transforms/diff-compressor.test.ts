import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandMarkers, findMarkers } from '../../src/ccr/markers.js';
import { pathMatcher } from '../../src/transforms/diff-compressor/globs.js';
import { optimizeText } from '../pipeline/helpers.js';
import { compress, contextLines, fileDiff, type Compressed } from './diff-compressor-support.js';

function expanded(result: Compressed): string | null {
  return expandMarkers(result.text, (key) => result.store.get(key) ?? null);
}

/** Every changed line and header line of `input` is a line of `output`, byte for byte. */
function assertKeepsChangesAndHeaders(input: string, output: string): void {
  const kept = new Set(output.split('\n'));
  for (const line of input.split('\n')) {
    if (/^(?:[+-]|@@|diff |index |\\ )/.test(line)) assert.ok(kept.has(line), `kept: ${JSON.stringify(line)}`);
  }
}

const change = (n: number, word: string): string[] => Array.from({ length: n }, (_, i) => `  return ${word}Value${i} + offsetFor(${word}, ${i}); // changed`);

describe('diff compressor: context', () => {
  it('trims context beyond max_context_lines per side, keeps the hunk header as written, and says in the marker which new-file lines were trimmed', () => {
    const input = fileDiff('src/app.ts', 12, change(2, 'old'), change(3, 'new'), 12) + '\n';
    const result = compress(input);
    assert.ok('text' in result.outcome, JSON.stringify(result.outcome));
    assertKeepsChangesAndHeaders(input, result.text);
    assert.ok(result.text.includes('@@ -10,26 +10,27 @@ function example() {\n'));
    const markers = findMarkers(result.text);
    assert.deepEqual(
      markers.map((marker) => [marker.count, marker.unit, marker.detail]),
      [
        [10, 'context lines', 'new lines 10-19'],
        [10, 'context lines', 'new lines 27-36'],
      ],
    );
    // The two context lines on each side of the change stay.
    const lines = result.text.split('\n');
    const first = lines.findIndex((line) => line.startsWith('-') && !line.startsWith('--- '));
    assert.ok(lines[first - 1]!.startsWith(' ') && lines[first - 2]!.startsWith(' ') && lines[first - 3]!.startsWith('[headroom:'));
    assert.equal(expanded(result), input);
  });

  it('max_context_lines is read from the config', () => {
    const input = fileDiff('src/app.ts', 12, change(2, 'old'), change(3, 'new'), 12);
    const result = compress(input, { config: (config) => (config.diffCompressor.maxContextLines = 5) });
    assert.deepEqual(
      findMarkers(result.text).map((marker) => marker.count),
      [7, 7],
    );
  });

  it('leaves a run of context that costs less than its marker: a default git diff (3 lines of context) passes through', () => {
    const input = [fileDiff('a.ts', 3, change(1, 'old'), change(1, 'new'), 3), fileDiff('b.ts', 3, change(1, 'old'), change(1, 'new'), 3)].join('\n');
    assert.deepEqual(compress(input).outcome, { decline: 'already-compact' });
  });

  it('declines with small-gain when what it would trim is under min_savings_ratio of the block', () => {
    const input = fileDiff('src/app.ts', 8, change(30, 'old'), change(30, 'new'), 8);
    assert.deepEqual(compress(input).outcome, { decline: 'small-gain' });
    assert.ok('text' in compress(input, { config: (config) => (config.diffCompressor.minSavingsRatio = 0.01) }).outcome);
  });

  it('declines needs-offload when markers are not allowed, and stores nothing', () => {
    const input = fileDiff('src/app.ts', 20, change(2, 'old'), change(2, 'new'), 20);
    const result = compress(input, { canOffload: false });
    assert.deepEqual(result.outcome, { decline: 'needs-offload' });
    assert.equal(result.store.size, 0);
  });
});

describe('diff compressor: protected spans', () => {
  const REMINDER = ['<system-reminder>', 'The diff above is from the working tree.', '</system-reminder>'];

  it('a fenced block in far context lines is not trimmed; a trailing agent tag pair stays', () => {
    const fence = [' ```ts', ' const kept = true;', ' ```'];
    const after = [...contextLines('', 30, 8), ...fence, ...contextLines('', 50, 14)];
    const input = [...fileDiff('docs/guide.md', 14, change(1, 'old'), change(1, 'new'), 0).split('\n'), ...after, ...REMINDER].join('\n');
    // The hunk header's counts must cover the context after the change.
    const fixed = input.replace(/@@ -10,15 \+10,15 @@/, `@@ -10,${15 + after.length} +10,${15 + after.length} @@`);
    const result = compress(fixed);
    assert.ok(findMarkers(result.text).length >= 2, 'context before the change and after the fence is trimmed');
    assert.ok(result.text.includes(fence.join('\n')), 'the fence is kept whole');
    assert.ok(result.text.endsWith(REMINDER.join('\n')));
    assert.equal(expanded(result), fixed);
  });

  it('a generated file holding an agent tag pair is not summarized', () => {
    const lock = ['diff --git a/yarn.lock b/yarn.lock', '--- a/yarn.lock', '+++ b/yarn.lock', '@@ -1,80 +1,83 @@'];
    for (let i = 0; i < 40; i++)
      lock.push(`-pkg-${i}@1.0.0: resolved "https://registry.example/pkg-${i}-1.0.0.tgz"`, `+pkg-${i}@1.1.0: resolved "https://registry.example/pkg-${i}-1.1.0.tgz"`);
    assert.ok(
      findMarkers(compress(lock.join('\n')).text).some((marker) => marker.unit === 'diff lines'),
      'summarized without the tags',
    );
    const tagged = [...lock, ...REMINDER.map((line) => `+${line}`)].join('\n');
    assert.deepEqual(compress(tagged).outcome, { decline: 'already-compact' });
  });
});

describe('diff compressor: whole files', () => {
  it('summarizes a lockfile as its headers and a marker with its +/- counts; the other files stay whole', () => {
    const lock = fileDiff('web/yarn.lock', 3, change(40, 'old'), change(60, 'new'), 3);
    const code = fileDiff('src/app.ts', 3, change(1, 'old'), change(1, 'new'), 3);
    const input = `${code}\n${lock}\n`;
    const result = compress(input);
    assert.ok('text' in result.outcome);
    const markers = findMarkers(result.text);
    assert.equal(markers.length, 1);
    assert.deepEqual([markers[0]!.count, markers[0]!.unit, markers[0]!.detail], [107, 'diff lines', '1 hunk +60 -40, generated file pattern']);
    for (const header of ['diff --git a/web/yarn.lock b/web/yarn.lock', '--- a/web/yarn.lock', '+++ b/web/yarn.lock']) assert.ok(result.text.includes(`${header}\n`));
    assert.ok(result.text.startsWith(code + '\n'));
    assert.equal(expanded(result), input);
  });

  it('summarizes a file whose hunks span more than max_file_lines', () => {
    const big = fileDiff('src/big.ts', 3, [], change(30, 'new'), 3);
    const result = compress(big, { config: (config) => (config.diffCompressor.maxFileLines = 20) });
    assert.match(findMarkers(result.text)[0]!.detail!, /^1 hunk \+30 -0, over 20 lines$/);
    assert.deepEqual(compress(big).outcome, { decline: 'already-compact' });
  });

  it('summarizes a deleted file unless summarize_deleted_files is off', () => {
    const removed = change(40, 'gone');
    const input = [
      'diff --git a/old.py b/old.py',
      'deleted file mode 100644',
      'index 83db48f..0000000',
      '--- a/old.py',
      '+++ /dev/null',
      '@@ -1,40 +0,0 @@',
      ...removed.map((line) => `-${line}`),
    ].join('\n');
    const result = compress(input);
    assert.equal(findMarkers(result.text)[0]!.detail, '1 hunk +0 -40, deleted file');
    assert.ok(result.text.startsWith('diff --git a/old.py b/old.py\ndeleted file mode 100644\nindex 83db48f..0000000\n--- a/old.py\n+++ /dev/null\n[headroom: omitted 41 diff lines'));
    assert.deepEqual(compress(input, { config: (config) => (config.diffCompressor.summarizeDeletedFiles = false) }).outcome, { decline: 'already-compact' });
  });

  it('a file smaller than its marker stays as it is, even when it is deleted or generated', () => {
    const input = ['diff --git a/yarn.lock b/yarn.lock', 'deleted file mode 100644', 'index 1f38447..0000000', '--- a/yarn.lock', '+++ /dev/null', '@@ -1,2 +0,0 @@', '-a', '-b'].join(
      '\n',
    );
    assert.deepEqual(compress(input, { config: (config) => (config.diffCompressor.minSavingsRatio = 0) }).outcome, { decline: 'already-compact' });
  });

  it('a diff of only renames and mode changes passes through', () => {
    const input = [
      'diff --git a/src/old.ts b/src/new.ts',
      'similarity index 100%',
      'rename from src/old.ts',
      'rename to src/new.ts',
      'diff --git a/bin/run b/bin/run',
      'old mode 100644',
      'new mode 100755',
      'diff --git a/logo.png b/logo.png',
      'index 1234567..89abcde 100644',
      'Binary files a/logo.png and b/logo.png differ',
    ].join('\n');
    assert.deepEqual(compress(input).outcome, { decline: 'already-compact' });
  });

  it('summarizes the payload of a GIT binary patch and keeps its headers', () => {
    const payload = Array.from({ length: 30 }, (_, i) => `M${'c$@Ru0RR91ONa4rs5'.repeat(3)}${i % 10}`);
    const input = [
      'diff --git a/logo.png b/logo.png',
      'index 1234567..89abcde 100644',
      'GIT binary patch',
      'literal 1800',
      ...payload,
      '',
      'literal 0',
      'HcmV?d00001',
      '',
      'diff --git a/a.ts b/a.ts',
      'index 1..2 100644',
      '--- a/a.ts',
      '+++ b/a.ts',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      '',
    ].join('\n');
    const result = compress(input);
    assert.ok('text' in result.outcome);
    assert.equal(findMarkers(result.text)[0]!.detail, 'binary patch data');
    assert.ok(result.text.includes('GIT binary patch\n[headroom: omitted '));
    assertKeepsChangesAndHeaders(input.split('GIT binary patch')[0]!, result.text);
    assert.ok(result.text.endsWith('@@ -1 +1 @@\n-a\n+b\n'));
    assert.equal(expanded(result), input);
  });
});

describe('diff compressor: formats', () => {
  it('git show: the commit header, message and diffstat are kept verbatim', () => {
    const preamble = [
      'commit 774476856b1a77ff62b41c285ca731e148557e14',
      'Author: A U Thor <a@example.com>',
      'Date:   Wed Aug 27 11:11:45 2025 +0200',
      '',
      '    Fix the parser',
      '',
      ' src/app.ts | 4 ++--',
      ' 1 file changed, 2 insertions(+), 2 deletions(-)',
      '',
    ];
    const input = preamble.join('\n') + fileDiff('src/app.ts', 15, change(2, 'old'), change(2, 'new'), 15);
    const result = compress(input);
    assert.ok(result.text.startsWith(preamble.join('\n')));
    assertKeepsChangesAndHeaders(input, result.text);
    assert.equal(expanded(result), input);
  });

  it('git log -p: a hunk ends at its counts, so the next commit and its `--- a/` header are never read as removed lines', () => {
    const second = ['commit 1111111111111111111111111111111111111111', 'Author: B <b@example.com>', '', '    --- not a header, a message line', ''];
    const input = [fileDiff('a.ts', 15, change(1, 'old'), change(1, 'new'), 15), ...second, fileDiff('b.ts', 15, change(1, 'old'), change(1, 'new'), 15)].join('\n');
    const result = compress(input);
    assert.equal(findMarkers(result.text).length, 4);
    assert.ok(result.text.includes(second.join('\n')));
    assertKeepsChangesAndHeaders(input, result.text);
    assert.equal(expanded(result), input);
  });

  it('combined diffs (@@@): a change in any parent column is kept, long context is trimmed', () => {
    const context = (from: number, n: number): string[] => contextLines(' ', from, n);
    const input = [
      'diff --cc merge.py',
      'index abc,def..123',
      '--- a/merge.py',
      '+++ b/merge.py',
      '@@@ -1,20 -1,20 +1,21 @@@',
      ...context(1, 10),
      '- removed_in_first_parent()',
      ' -removed_in_second_parent()',
      '++added_in_merge()',
      ' +added_from_first()',
      ...context(20, 9),
    ].join('\n');
    const result = compress(input);
    assert.ok('text' in result.outcome, JSON.stringify(result.outcome));
    for (const line of ['- removed_in_first_parent()', ' -removed_in_second_parent()', '++added_in_merge()', ' +added_from_first()', '@@@ -1,20 -1,20 +1,21 @@@'])
      assert.ok(result.text.includes(`${line}\n`));
    assert.deepEqual(
      findMarkers(result.text).map((marker) => marker.detail),
      ['new lines 1-8', 'new lines 15-21'],
    );
    assert.equal(expanded(result), input);
  });

  it('CRLF diffs keep their CRLF on every kept line, and the markers expand to the exact input', () => {
    const input = fileDiff('win.cs', 14, change(1, 'old'), change(1, 'new'), 14).replace(/\n/g, '\r\n') + '\r\n';
    const result = compress(input);
    assert.ok('text' in result.outcome);
    assert.equal(result.text.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF');
    assert.equal(expanded(result), input);
  });

  it('ANSI-coloured diffs (git diff --color) are read without the codes and kept with them', () => {
    const colour = (line: string): string =>
      line.startsWith('+') ? `\x1b[32m${line}\x1b[m` : line.startsWith('-') ? `\x1b[31m${line}\x1b[m` : line.startsWith('@@') ? `\x1b[36m${line}\x1b[m` : line;
    const input = fileDiff('src/app.ts', 14, change(1, 'old'), change(1, 'new'), 14).split('\n').map(colour).join('\n');
    const result = compress(input);
    assert.ok('text' in result.outcome);
    for (const line of input.split('\n').filter((line) => line.includes('\x1b'))) assert.ok(result.text.includes(line));
    assert.equal(expanded(result), input);
  });

  it('keeps `\\ No newline at end of file`', () => {
    const input = fileDiff('a.txt', 14, change(1, 'old'), change(1, 'new'), 0) + '\n\\ No newline at end of file';
    const result = compress(input);
    assert.ok(result.text.endsWith('\n\\ No newline at end of file'));
    assert.equal(expanded(result), input);
  });

  it("a hunk whose counts run long stops at the next file's headers, which stay outside every marker", () => {
    const big = ['--- a/x', '+++ b/x', '@@ -1,80 +1,80 @@', ...change(20, 'old').map((line) => `-${line}`), ...change(20, 'new').map((line) => `+${line}`)];
    const next = ['--- a/y', '+++ b/y', '@@ -1 +1 @@', '-y', '+z'];
    const input = [...big, ...next].join('\n');
    const result = compress(input, { config: (config) => (config.diffCompressor.maxFileLines = 10) });
    assert.equal(findMarkers(result.text).length, 1);
    assert.ok(result.text.endsWith(next.join('\n')));
    assert.equal(expanded(result), input);
  });

  it('a hunk whose counts run short leaves the rest as written rather than guessing', () => {
    const input = ['--- a/x', '+++ b/x', '@@ -1,2 +1,2 @@', ' a', '-b', '+c', ...contextLines('', 1, 20)].join('\n');
    assert.deepEqual(compress(input).outcome, { decline: 'already-compact' });
  });
});

describe('diff compressor: bad and odd input', () => {
  it('not a diff, empty input and binary junk are unsupported-shape, never a crash', () => {
    for (const text of ['', 'hello world\nno diff here\n', '\x00\x01\x02\xff\xfe'.repeat(200), 'x'.repeat(100_000)])
      assert.deepEqual(compress(text).outcome, { decline: 'unsupported-shape' });
  });

  it('whitespace-only input is unsupported-shape', () => {
    for (const blank of [' ', '\n\n', '\r\n \r\n']) assert.deepEqual(compress(blank).outcome, { decline: 'unsupported-shape' });
  });

  it('very long lines are kept whole', () => {
    const long = 'x'.repeat(50_000);
    const input = fileDiff('min.css', 14, [long], [long + 'y'], 14);
    const result = compress(input);
    assert.ok(result.text.includes(`-${long}\n+${long}y\n`));
    assert.equal(expanded(result), input);
  });
});

describe('summarize_patterns globs', () => {
  it('matches names anywhere, directories anywhere, and path endings at a directory boundary', () => {
    const matches = pathMatcher(['yarn.lock', '*.min.js', 'dist/', 'web/static/**/*.js']);
    for (const path of ['yarn.lock', 'app/yarn.lock', 'a/b.min.js', 'dist/index.js', 'pkg/dist/x/y.ts', 'web/static/x/y/z.js', 'repo/web/static/a.js']) assert.ok(matches(path), path);
    for (const path of ['yarn.lock.md', 'myyarn.lock', 'a/b.js', 'distant/x.ts', 'web/statics/a.js', 'src/min.js.ts']) assert.ok(!matches(path), path);
    assert.equal(pathMatcher([])('yarn.lock'), false);
  });
});

describe('diff compressor in the pipeline', () => {
  it('a diff tool result is compressed by diff_compressor, and the stored originals restore it', async () => {
    const lock = ['diff --git a/package-lock.json b/package-lock.json', 'index 1..2 100644', '--- a/package-lock.json', '+++ b/package-lock.json', '@@ -1,400 +1,400 @@'];
    for (let i = 0; i < 400; i++) lock.push(`-    "node_modules/pkg-${i}": { "version": "1.0.${i}" },`, `+    "node_modules/pkg-${i}": { "version": "1.1.${i}" },`);
    const diff = lock.join('\n');
    const request = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Review this change.' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'git_diff', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: diff },
      ],
    };
    const { output, results, store } = await optimizeText(JSON.stringify(request));
    const content = JSON.parse(output).messages[2].content as string;
    assert.ok(content.startsWith(lock.slice(0, 4).join('\n') + '\n[headroom: omitted 801 diff lines (1 hunk +400 -400, generated file pattern); headroom_retrieve hash='));
    const restored = expandMarkers(content, (key) => {
      const lookup = store.peek(key);
      return lookup.status === 'available' ? lookup.entry.original : null;
    });
    assert.equal(restored, diff);
    assert.match(JSON.stringify(results[0]), /diff_compressor/);
  });
});
