/**
 * Runs the input layer the way the audit does (resolveSources → readRecords →
 * parseSource) on fixtures or on in-memory chunks, and collects the results.
 */
import { valueAt } from '../../src/json/index.js';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSource, type ParseOptions } from '../../src/formats/parse-source.js';
import type { BlockKind, JsonValue, Message, Part, Request, Role, Usage } from '../../src/formats/types.js';
import { addUsage } from '../../src/formats/usage.js';
import type { InputProblem } from '../../src/input/problems.js';
import { readRecords, type RecordEvent } from '../../src/input/records.js';
import { resolveSources, type Source } from '../../src/input/sources.js';

/** The repository root (tests run from dist-test/test/formats). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const FIXTURES = path.join(ROOT, 'fixtures');

export const CLAUDE_SESSION = '1d7e1675-f2b5-436f-8cd0-fc7d181f264c';
export const CLAUDE_SESSION_FILE = `fixtures/claude-code/${CLAUDE_SESSION}.jsonl`;
export const CLAUDE_AGENT_FILE = 'fixtures/claude-code/agent-5e1f2a3b.jsonl';
export const CODEX_SESSION = '019aa1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
export const CODEX_FILE = `fixtures/codex/rollout-2026-11-20T10-00-00-${CODEX_SESSION}.jsonl`;

export interface Collected {
  sources: Source[];
  requests: Request[];
  problems: InputProblem[];
}

/** Resolves the arguments against the repository root, as `headroom audit <args>` run there would. */
export async function collect(args: string | readonly string[], options: ParseOptions = {}): Promise<Collected> {
  const resolved = await resolveSources(typeof args === 'string' ? [args] : args, ROOT);
  const collected: Collected = { sources: resolved.sources, requests: [], problems: [...resolved.problems] };
  for (const source of resolved.sources) await collectSource(source, readRecords(source), options, collected);
  return collected;
}

/** Parses in-memory chunks as one source (stdin by default). */
export async function collectChunks(chunks: ReadonlyArray<string | Buffer>, options: ParseOptions & { source?: Source } = {}): Promise<Collected> {
  const source = options.source ?? stdin();
  const collected: Collected = { sources: [source], requests: [], problems: [] };
  await collectSource(source, readRecords(source, fromChunks(chunks)), options, collected);
  return collected;
}

async function collectSource(source: Source, records: AsyncIterable<RecordEvent>, options: ParseOptions, into: Collected): Promise<void> {
  for await (const event of parseSource(source, records, options.format ? { format: options.format } : {})) {
    if (event.kind === 'request') into.requests.push(event.request);
    else if (event.kind === 'problem') into.problems.push(event.problem);
  }
}

export function stdin(): Source {
  return { name: '<stdin>', kind: 'stdin', path: null, discovered: false };
}

/** A file-like source whose bytes come from chunks instead of the disk. */
export function named(name: string, discovered = false): Source {
  return { name, kind: 'file', path: null, discovered };
}

export async function* fromChunks(chunks: ReadonlyArray<string | Buffer>): AsyncGenerator<Buffer | string> {
  for (const chunk of chunks) yield chunk;
}

/** All record events of a source fed by chunks. */
export async function recordEvents(source: Source, chunks: ReadonlyArray<string | Buffer>): Promise<RecordEvent[]> {
  const events: RecordEvent[] = [];
  for await (const event of readRecords(source, fromChunks(chunks))) events.push(event);
  return events;
}

/** Splits text into chunks of `size` bytes (to cross line and UTF-8 boundaries). */
export function chunked(text: string | Buffer, size: number): Buffer[] {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

export function only<T>(items: readonly T[]): T {
  assert.equal(items.length, 1, `expected exactly one item, got ${items.length}`);
  return items[0] as T;
}

export function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  assert.ok(item !== undefined, `no item at index ${index} (length ${items.length})`);
  return item;
}

export function roles(request: Request): Role[] {
  return request.messages.map((message) => message.role);
}

export function kinds(message: Message): BlockKind[] {
  return message.parts.map((part) => part.kind);
}

export function allParts(request: Request): Part[] {
  return request.messages.flatMap((message) => message.parts);
}

export function partsOfKind(request: Request, kind: BlockKind): Part[] {
  return allParts(request).filter((part) => part.kind === kind);
}

export function errors(problems: readonly InputProblem[]): InputProblem[] {
  return problems.filter((problem) => problem.severity === 'error');
}

export function sumUsage(requests: readonly Request[]): Usage {
  const total: Usage = { input: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 0, reasoning: 0 };
  for (const request of requests) {
    assert.ok(request.usage, `${request.id} has no usage`);
    addUsage(total, request.usage);
  }
  return total;
}

/** Reads a fixture as text (path relative to the repository root). */
export function fixtureText(relative: string): string {
  return fs.readFileSync(path.join(ROOT, relative), 'utf8');
}

export function fixtureJson(relative: string): JsonValue {
  return JSON.parse(fixtureText(relative)) as JsonValue;
}

/** Decoded size of a base64 payload or data URI. */
export function decodedBytes(base64OrDataUri: string): number {
  return Buffer.from(base64OrDataUri.replace(/^data:[^,]*,/, ''), 'base64').length;
}

/**
 * Every part with a slot must point at exactly its text in the original
 * input: the record at the slot's origin (a line, an array element, or the
 * whole document), then the path.
 */
export function assertSlotsResolve(requests: readonly Request[]): number {
  const files = new Map<string, { document: JsonValue | null; lines: string[] }>();
  let checked = 0;
  for (const request of requests) {
    for (const part of allParts(request)) {
      if (!part.slot) continue;
      const { origin, path: jsonPath } = part.slot;
      let file = files.get(origin.file);
      if (!file) {
        const text = fixtureText(origin.file);
        let document: JsonValue | null = null;
        try {
          document = JSON.parse(text) as JsonValue;
        } catch {
          document = null;
        }
        file = { document, lines: text.split('\n') };
        files.set(origin.file, file);
      }
      let record: JsonValue | undefined = file.document ?? (JSON.parse(file.lines[origin.line - 1] ?? 'null') as JsonValue);
      if (origin.element !== undefined) record = valueAt(record, [origin.element]);
      const where = `${request.id}: slot ${origin.file}:${origin.line} ${JSON.stringify(jsonPath)}`;
      // A value slot's text is the value's JSON text as written.
      if (part.slot.kind === 'value') assert.deepEqual(valueAt(record, jsonPath), JSON.parse(part.text), where);
      else assert.equal(valueAt(record, jsonPath), part.text, where);
      checked++;
    }
  }
  return checked;
}

export { valueAt };
