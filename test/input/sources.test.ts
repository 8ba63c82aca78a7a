import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveSources } from '../../src/input/sources.js';
import { FIXTURES, ROOT } from '../formats/helpers.js';

const CONVERSATION_FILE = /\.(json|jsonl|ndjson)$/i;

/** An independent walk: every conversation-like file under a directory, as names relative to the root. */
function conversationFiles(directory: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) out.push(...conversationFiles(full));
    else if (CONVERSATION_FILE.test(entry.name)) out.push(path.relative(ROOT, full));
  }
  return out;
}

function tempTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-sources-'));
  for (const [name, contents] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), contents);
  }
  return dir;
}

describe('resolveSources: files', () => {
  it('keeps a named file as written, with its absolute path, not discovered', async () => {
    const { sources, problems } = await resolveSources(['fixtures/openai-chat/full-request.json'], ROOT);
    assert.deepEqual(problems, []);
    assert.deepEqual(sources, [{ name: 'fixtures/openai-chat/full-request.json', kind: 'file', path: path.join(FIXTURES, 'openai-chat/full-request.json'), discovered: false }]);
  });

  it('reports a missing path as one error naming the argument', async () => {
    const { sources, problems } = await resolveSources(['fixtures/does-not-exist.jsonl', 'fixtures/jsonl/request-bodies.jsonl'], ROOT);
    assert.deepEqual(problems, [{ file: 'fixtures/does-not-exist.jsonl', message: 'no such file or directory', severity: 'error' }]);
    assert.deepEqual(
      sources.map((source) => source.name),
      ['fixtures/jsonl/request-bodies.jsonl'],
    );
  });

  it('reads "-" as stdin', async () => {
    const { sources, problems } = await resolveSources(['-'], ROOT);
    assert.deepEqual(problems, []);
    assert.deepEqual(sources, [{ name: '<stdin>', kind: 'stdin', path: null, discovered: false }]);
  });

  it('lists a file once even when it is named again or found again', async () => {
    const { sources } = await resolveSources(['fixtures/jsonl/request-bodies.jsonl', 'fixtures/jsonl', './fixtures/jsonl/request-bodies.jsonl', '-', '-'], ROOT);
    assert.deepEqual(
      sources.map((source) => [source.name, source.discovered]),
      [
        ['fixtures/jsonl/request-bodies.jsonl', false],
        ['fixtures/jsonl/anthropic-messages.ndjson', true],
        ['fixtures/jsonl/http-capture.jsonl', true],
        ['fixtures/jsonl/messages-per-line.jsonl', true],
        ['<stdin>', false],
      ],
    );
  });
});

describe('resolveSources: directories', () => {
  it('finds every .json, .jsonl and .ndjson file below a directory, sorted, and nothing else', async () => {
    const { sources, problems } = await resolveSources(['fixtures'], ROOT);
    assert.deepEqual(problems, []);
    const names = sources.map((source) => source.name);
    assert.deepEqual([...names].sort(), conversationFiles(FIXTURES).sort());
    assert.ok(names.includes('fixtures/jsonl/anthropic-messages.ndjson'));
    assert.ok(names.includes('fixtures/bad/binary.json'));
    assert.equal(
      names.some((name) => /make-fixtures\.mjs|README\.md|notes\.txt/.test(name)),
      false,
    );
    assert.equal(
      sources.every((source) => source.discovered && source.kind === 'file' && source.path === path.join(ROOT, source.name)),
      true,
    );
    // Directory order: entries sorted by name at each level.
    const bad = names.filter((name) => name.startsWith('fixtures/bad/'));
    assert.deepEqual(bad, [
      'fixtures/bad/binary.json',
      'fixtures/bad/empty.json',
      'fixtures/bad/malformed-line.jsonl',
      'fixtures/bad/not-a-conversation.json',
      'fixtures/bad/truncated.json',
    ]);
  });

  it('reports a directory with no conversation files', async () => {
    const { sources, problems } = await resolveSources(['fixtures/bad/nothing-readable'], ROOT);
    assert.deepEqual(sources, []);
    assert.deepEqual(problems, [{ file: 'fixtures/bad/nothing-readable', message: 'directory has no .json, .jsonl or .ndjson files', severity: 'error' }]);
  });

  it('skips node_modules and .git, matches extensions case-insensitively', async () => {
    const dir = tempTree({
      'a.json': '{}',
      'sub/b.JSONL': '{}',
      'sub/deeper/c.ndjson': '{}',
      'node_modules/pkg/d.json': '{}',
      '.git/e.json': '{}',
      'notes.txt': '{}',
      'f.json.bak': '{}',
    });
    try {
      const { sources, problems } = await resolveSources(['.'], dir);
      assert.deepEqual(problems, []);
      assert.deepEqual(
        sources.map((source) => source.name),
        ['a.json', path.join('sub', 'b.JSONL'), path.join('sub', 'deeper', 'c.ndjson')],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('resolveSources: globs', () => {
  it('expands a glob to sorted, discovered files', async () => {
    const { sources, problems } = await resolveSources(['fixtures/openai-chat/*.json'], ROOT);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      sources.map((source) => [source.name, source.discovered]),
      [
        ['fixtures/openai-chat/full-request.json', true],
        ['fixtures/openai-chat/messages-array.json', true],
        ['fixtures/openai-chat/messages-object.json', true],
        ['fixtures/openai-chat/tool-output-waste.json', true],
      ],
    );
  });

  it('matches across directories with **', async () => {
    const { sources } = await resolveSources(['fixtures/**/*.ndjson'], ROOT);
    assert.deepEqual(
      sources.map((source) => source.name),
      ['fixtures/jsonl/anthropic-messages.ndjson'],
    );
  });

  it('reports a glob that matches nothing', async () => {
    const { sources, problems } = await resolveSources(['fixtures/nowhere/*.jsonl'], ROOT);
    assert.deepEqual(sources, []);
    assert.deepEqual(problems, [{ file: 'fixtures/nowhere/*.jsonl', message: 'no files match this pattern', severity: 'error' }]);
  });
});
