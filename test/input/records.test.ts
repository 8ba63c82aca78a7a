import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { JsonValue, Origin } from '../../src/formats/types.js';
import { formatProblem, type InputProblem } from '../../src/input/problems.js';
import { readRecords, type RecordEvent } from '../../src/input/records.js';
import { stdinSource, type Source } from '../../src/input/sources.js';
import { at, chunked, collect, collectChunks, CODEX_FILE, errors, fixtureText, FIXTURES, named, only, recordEvents, ROOT } from '../formats/helpers.js';

interface Records {
  shape: 'json' | 'jsonl' | null;
  records: Array<{ value: JsonValue; origin: Origin }>;
  problems: InputProblem[];
  bytes: number;
}

function summarize(events: readonly RecordEvent[]): Records {
  const out: Records = { shape: null, records: [], problems: [], bytes: 0 };
  for (const event of events) {
    if (event.kind === 'shape') {
      assert.equal(out.shape, null, 'shape reported twice');
      out.shape = event.shape;
    } else if (event.kind === 'record') out.records.push({ value: event.value, origin: event.origin });
    else if (event.kind === 'problem') out.problems.push(event.problem);
    else if (event.kind === 'progress') out.bytes = Math.max(out.bytes, event.bytes);
  }
  return out;
}

async function read(source: Source, chunks: ReadonlyArray<string | Buffer>): Promise<Records> {
  return summarize(await recordEvents(source, chunks));
}

async function readFixture(relative: string): Promise<Records> {
  const source: Source = { name: relative, kind: 'file', path: path.join(ROOT, relative), discovered: false };
  const events: RecordEvent[] = [];
  for await (const event of readRecords(source)) events.push(event);
  return summarize(events);
}

const PRETTY = `${JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }, null, 2)}\n`;
const LINES = '{"role":"user","content":"a"}\n{"role":"assistant","content":"b"}\n';

describe('readRecords: JSON or JSONL is decided by content', () => {
  it('reads a pretty-printed document named .jsonl as one JSON record', async () => {
    const result = await read(named('body.jsonl'), [PRETTY]);
    assert.equal(result.shape, 'json');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.records, [{ value: JSON.parse(PRETTY) as JsonValue, origin: { file: 'body.jsonl', line: 1 } }]);
  });

  it('reads JSON lines named .json as JSONL, one record per line', async () => {
    const result = await read(named('messages.json'), [LINES]);
    assert.equal(result.shape, 'jsonl');
    assert.deepEqual(
      result.records.map((record) => record.origin),
      [
        { file: 'messages.json', line: 1 },
        { file: 'messages.json', line: 2 },
      ],
    );
  });

  it('reads a single compact line as a document', async () => {
    const result = await read(named('one.jsonl'), ['{"messages":[]}\n']);
    assert.equal(result.shape, 'json');
    assert.equal(result.records.length, 1);
  });

  it('reads the fixtures in the shape their content has', async () => {
    assert.equal((await readFixture('fixtures/openai-chat/full-request.json')).shape, 'json');
    assert.equal((await readFixture('fixtures/jsonl/anthropic-messages.ndjson')).shape, 'jsonl');
    const capture = await readFixture('fixtures/jsonl/http-capture.jsonl');
    assert.equal(capture.shape, 'jsonl');
    assert.equal(capture.records.length, 6);
    assert.equal(capture.bytes, fs.statSync(path.join(FIXTURES, 'jsonl/http-capture.jsonl')).size);
  });

  it('gives a document the line where its value starts', async () => {
    const result = await read(named('padded.json'), [`\n\n${PRETTY}`]);
    assert.equal(at(result.records, 0).origin.line, 3);
  });
});

describe('readRecords: streaming', () => {
  it('gives the same records however the bytes are chunked (lines and UTF-8 split)', async () => {
    const file = 'fixtures/claude-code/agent-5e1f2a3b.jsonl';
    const text = fixtureText(file);
    assert.match(text, /→/); // multi-byte characters to split
    const whole = await read(named(file), [text]);
    assert.equal(whole.shape, 'jsonl');
    for (const size of [1, 3, 7, 64, 4096]) {
      const split = await read(named(file), chunked(text, size));
      assert.deepEqual(split.records, whole.records, `chunks of ${size}`);
      assert.deepEqual(split.problems, []);
      assert.equal(split.bytes, Buffer.byteLength(text));
    }
  });

  it('reads a document split into chunks', async () => {
    const result = await read(named('body.json'), chunked(PRETTY, 5));
    assert.equal(result.shape, 'json');
    assert.equal(result.records.length, 1);
  });

  it('keeps line numbers across blank lines, CRLF and a BOM', async () => {
    const text = '\uFEFF{"role":"user","content":"a"}\r\n\r\n{"role":"assistant","content":"b"}\r\n';
    const result = await read(named('crlf.jsonl'), [text]);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.records.map((record) => [record.origin.line, (record.value as { content: string }).content]),
      [
        [1, 'a'],
        [3, 'b'],
      ],
    );
  });

  it('reads stdin from the chunks it is given', async () => {
    const result = await read(stdinSource(), chunked(LINES, 10));
    assert.deepEqual(
      result.records.map((record) => record.origin),
      [
        { file: '<stdin>', line: 1 },
        { file: '<stdin>', line: 2 },
      ],
    );
    const { requests, problems } = await collectChunks(chunked(fixtureText('fixtures/anthropic/blocks.json'), 1000));
    assert.deepEqual(problems, []);
    assert.equal(only(requests).id, '<stdin>:1');
    assert.equal(only(requests).format, 'anthropic');
  });
});

describe('readRecords: problems', () => {
  it('reports a torn last line as a note and keeps the lines before it', async () => {
    const result = await read(named('live.jsonl'), [`${LINES}{"role":"user","content":"unfini`]);
    assert.equal(result.records.length, 2);
    assert.deepEqual(result.problems, [{ file: 'live.jsonl', line: 3, severity: 'note', message: 'last line is incomplete (torn write); skipped' }]);
    const codex = await readFixture(CODEX_FILE);
    assert.equal(only(codex.problems).severity, 'note');
  });

  it('reports a malformed last line that is not cut short as an error', async () => {
    const result = await read(named('bad-end.jsonl'), [`${LINES}{"role":"user"}}`]);
    assert.equal(result.records.length, 2);
    assert.equal(only(result.problems).severity, 'error');
    assert.equal(only(result.problems).line, 3);
  });

  it('reports a broken first line of JSONL and keeps the rest', async () => {
    const result = await read(named('first.jsonl'), [`{"role":"user",\n${LINES}`]);
    assert.equal(result.shape, 'jsonl');
    assert.equal(result.records.length, 2);
    assert.deepEqual(
      result.records.map((record) => record.origin.line),
      [2, 3],
    );
    assert.equal(only(result.problems).line, 1);
    assert.match(only(result.problems).message, /expected one JSON value per line$/);
  });

  it('names the line of the first syntax error in a document, also where JSON.parse gives no position', async () => {
    // V8 reports "Unexpected token ']'" without a position for a trailing comma; the scanner finds the line.
    const trailingComma = '{\n  "messages": [\n    {"role": "user", "content": "hi"},\n  ]\n}\n';
    const result = await read(named('comma.json'), [trailingComma]);
    assert.equal(only(result.problems).line, 4);
    assert.match(only(result.problems).message, /^malformed JSON document \(Unexpected token/);
    const truncated = await read(named('cut.json'), ['{\n  "messages": [\n    {"role": "user", "content": "h']);
    assert.deepEqual(truncated.problems, [{ file: 'cut.json', line: 3, severity: 'error', message: 'JSON document ends early (truncated?); expected the rest of the value' }]);
  });

  it('names the first character of a text that is not JSON', async () => {
    const result = await read(named('notes.json'), ['\n\nhello: world\n']);
    assert.deepEqual(result.records, []);
    assert.deepEqual(result.problems, [{ file: 'notes.json', line: 3, severity: 'error', message: 'expected JSON or JSONL (a line starting with "{" or "["), found "h"' }]);
  });

  it('reports a file that cannot be read', async () => {
    const missing = await readFixture('fixtures/no-such-file.json');
    assert.deepEqual(missing.problems, [{ file: 'fixtures/no-such-file.json', severity: 'error', message: 'cannot read: no such file' }]);
    const directory = await readFixture('fixtures/jsonl');
    assert.deepEqual(directory.problems, [{ file: 'fixtures/jsonl', severity: 'error', message: 'cannot read: is a directory' }]);
  });
});

describe('bad fixtures: one problem line each, the rest still parses', () => {
  const cases: Array<[file: string, printed: RegExp]> = [
    ['fixtures/bad/malformed-line.jsonl', /^fixtures\/bad\/malformed-line\.jsonl:3: malformed JSON \(.+\); expected one JSON value per line$/],
    ['fixtures/bad/truncated.json', /^fixtures\/bad\/truncated\.json:10: JSON document ends early \(truncated\?\); expected the rest of the value$/],
    ['fixtures/bad/not-a-conversation.json', /^fixtures\/bad\/not-a-conversation\.json:1: unrecognized JSON shape; expected a request body/],
    ['fixtures/bad/binary.json', /^fixtures\/bad\/binary\.json: binary data; expected JSON or JSONL text$/],
    ['fixtures/bad/empty.json', /^fixtures\/bad\/empty\.json: empty input; expected JSON or JSONL$/],
  ];
  for (const [file, printed] of cases) {
    it(`${file.replace('fixtures/bad/', '')}`, async () => {
      const { problems } = await collect(file);
      const problem = only(problems);
      assert.equal(problem.severity, 'error');
      assert.match(formatProblem(problem), printed);
    });
  }

  it('truncated.json: the problem is on its last line', async () => {
    const lines = fixtureText('fixtures/bad/truncated.json').split('\n').length;
    assert.equal(only((await collect('fixtures/bad/truncated.json')).problems).line, lines);
  });

  it('malformed-line.jsonl: the other lines are still requests', async () => {
    const { requests } = await collect('fixtures/bad/malformed-line.jsonl');
    assert.deepEqual(
      requests.map((request) => request.origin.line),
      [1, 2, 4],
    );
  });

  it('nothing-readable/: one error for the directory', async () => {
    const { problems, sources } = await collect('fixtures/bad/nothing-readable');
    assert.deepEqual(sources, []);
    assert.equal(formatProblem(only(problems)), 'fixtures/bad/nothing-readable: directory has no .json, .jsonl or .ndjson files');
  });

  it('a whole-tree run reports each bad file once and parses every other file', async () => {
    const { sources, requests, problems } = await collect('fixtures');
    assert.deepEqual(
      errors(problems)
        .map(formatProblem)
        .map((line) => line.replace(/ \(.*\)/, '')),
      [
        'fixtures/bad/binary.json: binary data; expected JSON or JSONL text',
        'fixtures/bad/empty.json: empty input; expected JSON or JSONL',
        'fixtures/bad/malformed-line.jsonl:3: malformed JSON; expected one JSON value per line',
        'fixtures/bad/truncated.json:10: JSON document ends early; expected the rest of the value',
      ],
    );
    const notes = problems.filter((problem) => problem.severity === 'note').map(formatProblem);
    // Found by walking, a JSON file that is not a conversation is skipped with a note.
    assert.ok(notes.includes('fixtures/bad/not-a-conversation.json: skipped: not a conversation or request file'));
    assert.ok(notes.includes(`${CODEX_FILE}:28: last line is incomplete (torn write); skipped`));
    assert.equal(notes.length, 3);
    const withRequests = new Set(requests.map((request) => request.origin.file));
    const expected = sources.map((source) => source.name).filter((name) => !name.startsWith('fixtures/bad/') || name.endsWith('malformed-line.jsonl'));
    assert.deepEqual([...withRequests].sort(), expected.sort());
  });
});

describe('array documents', () => {
  it('reads each element of an array of records like a line, and reports unknown elements by index', async () => {
    const body = (content: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });
    const text = JSON.stringify([body('first'), { event: 'heartbeat' }, body('third')], null, 2);
    const { requests, problems } = await collectChunks([text], { source: named('batch.json') });
    assert.deepEqual(
      requests.map((request) => request.origin),
      [
        { file: 'batch.json', line: 1, element: 0 },
        { file: 'batch.json', line: 1, element: 2 },
      ],
    );
    const problem = only(problems);
    assert.equal(problem.element, 1);
    assert.equal(problem.line, undefined);
    assert.match(formatProblem(problem), /^batch\.json\[1\]: unrecognized JSON shape; expected/);
  });

  it('reads an unknown line inside JSONL as one error, keeping the others', async () => {
    const text = fixtureText('fixtures/jsonl/request-bodies.jsonl').replace(/\n/, '\n{"event":"heartbeat","ts":1}\n');
    const { requests, problems } = await collectChunks([text], { source: named('mixed.jsonl') });
    assert.deepEqual(
      requests.map((request) => request.origin.line),
      [1, 3, 4],
    );
    assert.equal(formatProblem(only(problems)).startsWith('mixed.jsonl:2: unrecognized JSON shape; expected'), true);
  });
});
