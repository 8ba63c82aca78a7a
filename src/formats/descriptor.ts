/**
 * What every input format tells the rest of the pipeline about itself: the
 * read side (provider, whether it is a session transcript) and the write side
 * (where a tool definition goes, how a cache breakpoint is set, how a
 * transcript call becomes a request body). Each format's module exports one
 * `FormatDescriptor`; `registry.ts` lists them. Nothing outside a format's
 * module needs to know its JSON shape to write it back.
 */
import type { JsonEdit } from '../json/index.js';
import type { Dialect, FormatId, JsonObject, JsonPath, JsonValue, Message, Origin, Part, Provider, Request } from './types.js';

/**
 * One change the optimizer makes to a request. Write-back turns the list into
 * edits of each record's original text; nothing else is re-serialized.
 */
export type RequestEdit =
  /** A part's text slot gets a new string. */
  | { kind: 'replace-text'; part: Part; text: string }
  /** A part's value slot gets a new JSON value, given as raw JSON text (number literals kept as written). */
  | { kind: 'replace-value'; part: Part; raw: string }
  /** A tool definition, in the shape of `dialect`, added to the request's tools through its format's descriptor. */
  | { kind: 'add-tool'; dialect: Dialect; json: string }
  /**
   * Set `key` to the raw JSON `raw` on the object at `path`, relative to the
   * request body (e.g. `cache_control`). With `ifAbsent`, an object that
   * already has the key keeps its own value (a client's `prompt_cache_key`).
   */
  | { kind: 'set-key'; path: JsonPath; key: string; raw: string; ifAbsent?: boolean };

/** A transcript call to write as a request body of its provider, with optimize's edits already applied. */
export interface TranscriptCall {
  request: Request;
  /** A record's text with optimize's edits applied. */
  editedText(origin: Origin): string;
  /** The new text of a part optimize rewrote, or undefined when it kept it. */
  newText(part: Part): string | undefined;
  /** The tool definition to include (already in the body provider's shape), or null. */
  toolJson: string | null;
  /** Messages before this index were in the provider's cache: the body marks where they end. */
  frozenMessageCount: number;
  /** `max_tokens` for providers that require it (`output_buffer_tokens`). */
  maxTokens: number;
}

export interface FormatDescriptor {
  id: FormatId;
  /** The provider whose API the format's requests go to; null when it depends on the record (one message per line). */
  provider: Provider | null;
  /** A session transcript, not a request: optimize writes its last call as a request body (`transcriptBody`). */
  transcript: boolean;
  /** A session holds this format's records until the end of the file before its requests are known. */
  heldUntilEnd: boolean;
  /** The shape of the tool definitions of the request bodies optimize writes for it; null where it writes none. */
  toolDialect: Dialect | null;
  /** The edit that adds `toolJson` (a tool in `toolDialect`'s shape) to `body`, which is at `bodyPath` in its record. */
  addTool: ((toolJson: string, body: JsonObject, bodyPath: JsonPath) => JsonEdit) | null;
  /**
   * The edits that put a cache breakpoint on the entry (a content block, tool
   * or system entry object) at `target`, a path relative to the request body.
   * Null where the provider has no breakpoint marker in the request.
   */
  cacheBreakpoint: ((target: JsonPath) => RequestEdit[]) | null;
  /** The request body (JSON text) that a transcript call becomes; null for formats that are request bodies already. */
  transcriptBody: ((call: TranscriptCall) => string) | null;
  /** How records of the format are recognized and read (see `DETECTION_ORDER` in registry.ts for who is asked first). */
  reader: FormatReader;
  /** The error line for a record that is not of this format when `--format` forces it. */
  forcedMismatch: string;
}

/** A provider dialect's format: it reads request bodies, and its requests go to one provider. */
export interface DialectFormat extends FormatDescriptor {
  id: Dialect;
  provider: Provider;
  reader: DialectReader;
}

export type FormatReader = DialectReader | TranscriptReader | MessageLinesReader;

/**
 * A provider's request bodies and messages. Detection asks each dialect in
 * `DETECTION_ORDER`, one question at a time: every dialect's body marks, then
 * (for a body with `messages`) its messages' marks, each dialect's message
 * marks before any content block is looked at.
 */
export interface DialectReader {
  kind: 'dialect';
  /** Parses a request body; `model` is the model a capture's URL names, for bodies that do not (Gemini). */
  parseBody(body: JsonValue, origin: Origin, response: JsonValue | null, model: string | null): Request;
  /** Parses one message (one line of a message-per-line file); null for an item that carries no message. */
  parseMessage(message: JsonObject, origin: Origin, path: JsonPath): Message | null;
  /** The URL path (no host, no query) of the provider's generation endpoint, for HTTP captures. */
  endpoint: RegExp;
  /** The model a captured request's URL names (Gemini puts it there, not in the body); null elsewhere. */
  modelFromUrl: ((url: string) => string | null) | null;
  /** Keys of a request body that make it this dialect whatever its messages hold. */
  bodyMarks(body: JsonObject): boolean;
  /** The body keeps its conversation in `messages`: a body that has them and no dialect's marks is one of these, told by its messages. */
  messagesBody: boolean;
  /** A `messages` body whose messages reveal no dialect is this one on this evidence (instead of `DEFAULT_DIALECT`); null for none. */
  fallbackHint: ((body: JsonObject) => boolean) | null;
  /** A message object of this dialect (its role and content keys, or a typed item). */
  isMessage(value: JsonObject): boolean;
  /** Keys of a message that reveal the dialect before its content blocks are looked at. */
  messageMarks(message: JsonObject): boolean;
  /** A content block whose `type` only this dialect uses. */
  blockMarks(type: string, block: JsonObject): boolean;
  /** Marks asked only after no dialect recognized a message or any of its blocks; null for none. */
  lateMessageMarks: ((message: JsonObject) => boolean) | null;
  /** With `--format`: the body carries this dialect's conversation (else it would read as an empty request). */
  fitsBody(body: JsonObject): boolean;
  /** With `--format`, what a bare list holds: `messages` (message objects) or `contents` (objects with `parts`). */
  bareList: 'messages' | 'contents';
}

/** A session transcript: stateful lines whose requests are known as calls complete or at the end of the file. */
export interface TranscriptReader {
  kind: 'transcript';
  /** A line of this transcript, by its shape alone. */
  recognizes(record: JsonObject): boolean;
  /** With `--format`: a looser test (newer tool versions add line types); `recognized` is what detection said. */
  accepts(record: JsonObject, recognized: boolean): boolean;
  openSession(file: string): TranscriptSession;
}

export interface TranscriptSession {
  add(record: JsonObject, origin: Origin): void;
  /** The requests complete so far. */
  drain(): Iterable<Request>;
  /** The requests left at the end of the file (`lastOrigin`: the file's last record). */
  finish(lastOrigin: Origin): Iterable<Request>;
}

/** One message per line: a message of any dialect, read by that dialect's reader. */
export interface MessageLinesReader {
  kind: 'message-lines';
}

/** Adds a tool as the last entry of `body.tools` (creating the list): OpenAI and Anthropic keep tools in one flat list. */
export function appendTool(toolJson: string, body: JsonObject, bodyPath: JsonPath): JsonEdit {
  if (Array.isArray(body['tools'])) return { op: 'append', path: [...bodyPath, 'tools'], raw: toolJson };
  return { op: 'set', path: bodyPath, key: 'tools', raw: `[${toolJson}]` };
}
