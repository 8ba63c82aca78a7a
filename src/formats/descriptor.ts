/**
 * What every input format tells the rest of the pipeline about itself: the
 * read side (provider, whether it is a session transcript) and the write side
 * (where a tool definition goes, how a cache breakpoint is set, how a
 * transcript call becomes a request body). Each format's module exports one
 * `FormatDescriptor`; `registry.ts` lists them. Nothing outside a format's
 * module needs to know its JSON shape to write it back.
 */
import type { JsonEdit } from '../json/index.js';
import type { Dialect, FormatId, JsonObject, JsonPath, Origin, Part, Provider, Request } from './types.js';

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
  /** Set `key` to the raw JSON `raw` on the object at `path`, relative to the request body (e.g. `cache_control`). */
  | { kind: 'set-key'; path: JsonPath; key: string; raw: string };

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
}

/** Adds a tool as the last entry of `body.tools` (creating the list): OpenAI and Anthropic keep tools in one flat list. */
export function appendTool(toolJson: string, body: JsonObject, bodyPath: JsonPath): JsonEdit {
  if (Array.isArray(body['tools'])) return { op: 'append', path: [...bodyPath, 'tools'], raw: toolJson };
  return { op: 'set', path: bodyPath, key: 'tools', raw: `[${toolJson}]` };
}
