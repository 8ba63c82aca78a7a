/**
 * The `Request` view: one LLM call, parsed from whatever shape it arrived in.
 *
 * Parsers never copy or rewrite the original JSON. Every piece of text they
 * find is a `Part` that remembers where it lives (`Slot`), so a later stage can
 * replace exactly that text and serialize the rest unchanged.
 */

import type { Origin } from '../input/origin.js';
import type { JsonPath } from '../json/types.js';

// Defined below formats/ (json/ and input/ must not import formats/); re-exported for its users.
export type { JsonObject, JsonPath, JsonValue } from '../json/types.js';
export { isJsonObject } from '../json/types.js';
export type { Origin } from '../input/origin.js';

/**
 * Where a text lives in the original input: the record (by its origin) and the
 * path to the string inside that record's parsed value. Absent for text that a
 * parser synthesizes (e.g. `name(arguments)` for a tool call).
 */
export interface Slot {
  origin: Origin;
  path: JsonPath;
  /**
   * `value`: the path holds a JSON value (a structured tool output), not a
   * string; the part's text is that value's JSON text as written, and a new
   * text is written back as JSON, not as a string. Absent for a string.
   */
  kind?: 'value';
}

export const BLOCK_KINDS = ['system', 'user', 'assistant', 'tool_call', 'tool_result', 'rag', 'unknown'] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** Non-text content whose token cost is estimated from its size, not its bytes as text. */
export interface MediaInfo {
  type: 'image' | 'document' | 'audio' | 'file';
  mediaType: string | null;
  /** Size of the decoded payload in bytes, when the payload is inline. */
  bytes: number | null;
  width: number | null;
  height: number | null;
  /** Page count of an inline PDF, when it can be read without decompressing. */
  pages: number | null;
}

export interface PartFlags {
  /** Tool name, for tool calls and tool results (when the pairing is known). */
  toolName?: string;
  /** Id pairing a tool call with its result. */
  toolCallId?: string;
  /** For tool calls: a canonical key of name + arguments, to spot re-issued calls. */
  callKey?: string;
  /** For file-reading or file-editing tool calls: the file the call touches. */
  filePath?: string;
  /** For tool calls on files: whether the call reads or modifies the file. */
  fileAccess?: 'read' | 'write';
  isError?: boolean;
  /** Assistant reasoning text (thinking blocks, reasoning summaries). */
  reasoning?: boolean;
  /** A tool definition (part of the prompt prefix). */
  toolDefinition?: boolean;
  /** The block carries a `cache_control` marker. */
  cacheControl?: boolean;
  /** Content of a provider-side (server) tool, e.g. web_fetch results. */
  serverTool?: boolean;
  /** Compaction / summary text that replaced earlier context. */
  compactionSummary?: boolean;
  /** A tool result the client cleared before sending (Claude Code microcompact): its text is the placeholder sent instead. */
  cleared?: boolean;
  /** The original block type or item type, for reports (e.g. `tool_result`, `function_call_output`). */
  sourceType?: string;
}

/** One piece of content inside a message. */
export interface Part {
  kind: BlockKind;
  text: string;
  slot: Slot | null;
  flags: PartFlags;
  media?: MediaInfo;
  /**
   * Opaque content the model receives but whose tokens cannot be counted from
   * here (encrypted reasoning, redacted thinking). Its size is reported, not counted.
   */
  opaqueBytes?: number;
  /**
   * What the provider puts in front of the model for this part when that is
   * not `text` itself: OpenAI renders a function tool's JSON schema as a
   * TypeScript-like type. Token counts read it; everything else (hashes,
   * waste, edits) reads `text`. `exact` says whether the rendering was
   * checked against billed counts.
   */
  billed?: { text: string; exact: boolean };
}

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'unknown';

export interface Message {
  role: Role;
  parts: Part[];
  /** The record this message was read from (for a transcript, its line). */
  origin: Origin;
  /** OpenAI's optional participant name; costs a token. */
  name?: string;
  /**
   * Where the message's own JSON object lives (several, for a message a
   * transcript streamed over several lines). Used to rebuild a request body
   * from a transcript; absent for messages a parser synthesizes.
   */
  sources?: Slot[];
}

export type Provider = 'openai' | 'anthropic' | 'google' | 'unknown';

/** Every input format, in the order `--format` lists them. */
export const FORMAT_IDS = ['openai-chat', 'openai-responses', 'anthropic', 'gemini', 'message-lines', 'claude-code', 'codex'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/** The provider dialect of a request body or of a single message; also the shape of its tool definitions. */
export const DIALECTS = ['openai-chat', 'openai-responses', 'anthropic', 'gemini'] as const;
export type Dialect = (typeof DIALECTS)[number];

/**
 * Token usage that a provider actually reported for this call, normalized.
 * `input` excludes cache reads and writes (OpenAI's prompt_tokens include
 * cached tokens; they are split out here so every provider reads the same).
 */
export interface Usage {
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  output: number;
  /** Reasoning tokens, a part of `output` where the provider reports them. */
  reasoning: number;
  /**
   * Anthropic server-side compaction runs several sampling iterations in one
   * response (`usage.iterations`); the fields above are then their sum, and
   * this lists each one. Absent when the response did not report iterations.
   */
  iterations?: UsageIteration[];
}

/** One billed iteration of a response (`compaction` or `message`). */
export interface UsageIteration {
  type: string;
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  output: number;
}

export interface Request {
  /** Stable, human-readable id: `file:line`, or session id + call number. */
  id: string;
  format: FormatId;
  provider: Provider;
  model: string | null;
  /** System prompt(s) first, then the conversation, in the order the model sees them. */
  messages: Message[];
  /** Tool definitions; each part is one tool's schema as text. */
  tools: Part[];
  /** Usage the input recorded for this call (transcripts, captured responses). */
  usage: Usage | null;
  /** Where the request was read (for a transcript: the line of the call's response). */
  origin: Origin;
  /** Groups requests of one conversation (session id, sub-agent id); null for standalone requests. */
  conversation: string | null;
  /** Anthropic `context_management` edits the request asked for and the response reported applied; absent or null when neither recorded any. */
  contextManagement?: ContextManagement | null;
  /** When the call was made (ISO 8601), where a transcript records it; absent or null otherwise. Replay reads it for cache TTLs. */
  timestamp?: string | null;
  /**
   * Path to the request body object inside its record (`[]` for a body that is
   * the record), where optimize can add a tool definition. Absent or null when
   * there is no body object to edit: transcripts, bare message arrays, one
   * message per line, bodies captured as JSON text.
   */
  bodyPath?: JsonPath | null;
}

/** A `context_management` edit as requested (thresholds as `"<value> <unit>"`; null where the request left the default). */
export interface ContextEditRequested {
  type: string;
  trigger: string | null;
  keep: string | null;
  clear_at_least: string | null;
  exclude_tools: string[] | null;
  clear_tool_inputs: boolean | null;
}

/** One entry of a response's `context_management.applied_edits`: what the API cleared (null: not reported for this edit type). */
export interface ContextEditApplied {
  type: string;
  cleared_tool_uses: number | null;
  cleared_thinking_turns: number | null;
  cleared_input_tokens: number | null;
}

export interface ContextManagement {
  /** Null when the request (or the transcript) does not record it. */
  requested: ContextEditRequested[] | null;
  /** Null when the response does not report it; empty when it reports nothing applied. */
  applied: ContextEditApplied[] | null;
}

export function emptyUsage(): Usage {
  return { input: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 0, reasoning: 0 };
}
