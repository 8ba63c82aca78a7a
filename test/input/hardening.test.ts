/**
 * Regression tests for the input side of issue 8: binary-ness that does not
 * lose a JSONL file, array documents read element by element (chunked
 * anywhere), torn last lines, forced formats that do not fit, and paths that
 * are streams, loops or unreadable.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readRecords, type RecordEvent } from '../../src/input/records.js';
import { resolveSources } from '../../src/input/sources.js';
import { chunked, collectChunks, fromChunks, named, only } from '../formats/helpers.js';

const body = (content: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });

async function events(text: string | Buffer, chunkSize: number, keepRaw = false): Promise<RecordEvent[]> {
  const out: RecordEvent[] = [];
  for await (const event of readRecords(named('in.json'), fromChunks(chunked(text, chunkSize)), { keepRaw })) out.push(event);
  return out;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'headroom-input-'));
}

describe('binary or text (item 6)', () => {
  it('reads a JSONL file with NUL bytes in an early line line by line', async () => {
    const text = `${JSON.stringify(body('first'))}\n{"role":"user","content":"a\u0000\u0000\u0000b"\u0000}\n${JSON.stringify(body('third'))}\n`;
    const { requests, problems } = await collectChunks([text], { source: named('logs.jsonl') });
    assert.deepEqual(
      requests.map((request) => request.origin.line),
      [1, 3],
    );
    assert.equal(only(problems).line, 2);
    assert.equal(only(problems).severity, 'error');
  });

  it('reads JSONL whose first line is binary garbage, reporting that line', async () => {
    const text = `\u0000\u0001\u0002garbage\u0000\n${JSON.stringify(body('second'))}\n${JSON.stringify(body('third'))}\n`;
    const { requests, problems } = await collectChunks([text], { source: named('logs.jsonl') });
    assert.deepEqual(
      requests.map((request) => request.origin.line),
      [2, 3],
    );
    assert.equal(only(problems).line, 1);
  });

  it('still calls real binary data binary', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]);
    const { problems } = await collectChunks([png], { source: named('image.json') });
    assert.match(only(problems).message, /^binary data/);
  });
});

describe('array documents stream element by element (item 5)', () => {
  it('gives the same requests as the whole document, however the bytes are chunked', async () => {
    const records = fc.array(
      fc.oneof(
        fc.string({ maxLength: 40 }).map((content) => body(content)),
        fc.constant({ event: 'heartbeat', note: 'a "quoted" \\ value, [not] {structure}' }),
      ),
      { minLength: 1, maxLength: 6 },
    );
    await fc.assert(
      fc.asyncProperty(records, fc.boolean(), fc.integer({ min: 1, max: 40 }), async (values, pretty, size) => {
        const text = JSON.stringify(values, null, pretty ? 2 : undefined);
        const streamed = await collectChunks(chunked(text, size), { source: named('batch.json') });
        const whole = await collectChunks([text], { source: named('batch.json') });
        assert.deepEqual(
          streamed.requests.map((request) => [request.id, request.origin, request.messages.length]),
          whole.requests.map((request) => [request.id, request.origin, request.messages.length]),
        );
        assert.equal(streamed.problems.length, whole.problems.length);
      }),
      { numRuns: 60 },
    );
  });

  it('reads an array of records element by element and an array of messages as one request', async () => {
    const records = JSON.stringify([body('one'), body('two'), body('three')]);
    const streamed = (await events(records, 7)).filter((event) => event.kind === 'record');
    assert.equal(streamed.length, 3);
    const messages = JSON.stringify([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
    ]);
    const { requests } = await collectChunks(chunked(messages, 5), { source: named('messages.json') });
    assert.equal(only(requests).messages.length, 2);
  });

  it('keeps the whole text of an array document when it is needed back (optimize)', async () => {
    const text = JSON.stringify([body('one'), body('two')]);
    const records = (await events(text, 9, true)).filter((event) => event.kind === 'record');
    assert.equal(only(records).raw?.text, text);
  });

  it('reads JSONL whose lines are arrays', async () => {
    const text = `${JSON.stringify([body('a'), body('b')])}\n${JSON.stringify([body('c')])}\n`;
    const { requests, problems } = await collectChunks(chunked(text, 11), { source: named('arrays.jsonl') });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      requests.map((request) => [request.origin.line, request.origin.element]),
      [
        [1, 0],
        [1, 1],
        [2, 0],
      ],
    );
  });

  it('reports a truncated array document on its last line', async () => {
    const text = `[\n${JSON.stringify(body('a'))},\n${JSON.stringify(body('b')).slice(0, 20)}`;
    const { requests, problems } = await collectChunks([text], { source: named('cut.json') });
    assert.equal(requests.length, 1);
    assert.match(only(problems).message, /ends early/);
    assert.equal(only(problems).line, 3);
  });
});

describe('torn last lines (item 13)', () => {
  it('is an error in a JSONL log of requests', async () => {
    const text = `${JSON.stringify(body('a'))}\n{"model":"gpt-4o","messa`;
    const { requests, problems } = await collectChunks([text], { source: named('log.jsonl') });
    assert.equal(requests.length, 1);
    assert.equal(only(problems).severity, 'error');
    assert.equal(only(problems).line, 2);
  });

  it('is a note in a transcript', async () => {
    const entry = { type: 'user', uuid: 'u1', parentUuid: null, sessionId: 's', message: { role: 'user', content: 'hi' } };
    const text = `${JSON.stringify(entry)}\n{"type":"assistant","uuid":"a1","par`;
    const { problems } = await collectChunks([text], { source: named('session.jsonl') });
    assert.equal(only(problems).severity, 'note');
  });
});

describe('forced formats that do not fit (item 15)', () => {
  const openai = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'What is the capital of France?' }] });
  for (const format of ['gemini', 'openai-responses'] as const) {
    it(`--format ${format} on an OpenAI chat body is an error naming the record`, async () => {
      const { requests, problems } = await collectChunks([openai], { source: named('body.json'), format });
      assert.deepEqual(requests, []);
      const problem = only(problems);
      assert.equal(problem.severity, 'error');
      assert.equal(problem.line, 1);
      assert.match(problem.message, new RegExp(`--format ${format}`));
    });
  }

  it('--format anthropic on an Anthropic-shaped chat body still reads it', async () => {
    const { requests, problems } = await collectChunks([openai], { source: named('body.json'), format: 'anthropic' });
    assert.deepEqual(problems, []);
    assert.equal(only(requests).format, 'anthropic');
  });
});

describe('paths (items 16, 17, 20)', () => {
  it('reads a FIFO named as a path, as a stream', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const writer = fs.createWriteStream(fifo);
    writer.on('error', () => {});
    writer.end(`${JSON.stringify(body('through a pipe'))}\n`);
    try {
      const { sources, problems } = await resolveSources([fifo], dir);
      assert.deepEqual(problems, []);
      const events: RecordEvent[] = [];
      for await (const event of readRecords(only(sources))) events.push(event);
      assert.equal(events.filter((event) => event.kind === 'record').length, 1);
    } finally {
      // Unblocks the writer's open if the FIFO was never read, so a failure cannot hang the run.
      fs.closeSync(fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK));
    }
  });

  it('says a symbolic link loop is a loop', async () => {
    const dir = tempDir();
    fs.symlinkSync(path.join(dir, 'loop'), path.join(dir, 'loop'));
    const { problems } = await resolveSources(['loop'], dir);
    assert.match(only(problems).message, /symbolic link loop/);
  });

  it('notes a subdirectory it cannot read instead of skipping it silently', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'logs', 'private'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'logs', 'a.jsonl'), `${JSON.stringify(body('a'))}\n`);
    const denied = path.join(dir, 'logs', 'private');
    const { sources, problems } = await resolveSources(['logs'], dir, {
      listDirectory: async (directory) => {
        if (directory === denied) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        return fs.promises.readdir(directory, { withFileTypes: true });
      },
    });
    assert.deepEqual(
      sources.map((source) => source.name),
      [path.join('logs', 'a.jsonl')],
    );
    const problem = only(problems);
    assert.equal(problem.severity, 'note');
    assert.equal(problem.file, path.join('logs', 'private'));
    assert.match(problem.message, /permission denied/);
  });

  it('follows a link loop inside a walked directory once, with a note', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'logs'));
    fs.writeFileSync(path.join(dir, 'logs', 'a.jsonl'), `${JSON.stringify(body('a'))}\n`);
    fs.symlinkSync(path.join(dir, 'logs'), path.join(dir, 'logs', 'again'));
    const { sources, problems } = await resolveSources(['logs'], dir);
    assert.equal(sources.length, 1);
    assert.match(only(problems).message, /loop/);
  });

  it('names glob matches in the form of the pattern (absolute stays absolute)', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'a.jsonl'), `${JSON.stringify(body('a'))}\n`);
    const absolute = await resolveSources([path.join(dir, '*.jsonl')], os.tmpdir());
    assert.deepEqual(
      absolute.sources.map((source) => source.name),
      [path.join(dir, 'a.jsonl')],
    );
    const relative = await resolveSources(['*.jsonl'], dir);
    assert.deepEqual(
      relative.sources.map((source) => source.name),
      ['a.jsonl'],
    );
  });
});
