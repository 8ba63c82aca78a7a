/**
 * Constructors for parts and the small rules shared by every format: which
 * user text counts as retrieved context (RAG), how tool results learn the
 * name of the tool that produced them.
 */
import type { BlockKind, JsonPath, JsonValue, MediaInfo, Message, Origin, Part, PartFlags, Role } from './types.js';

export function textPart(kind: BlockKind, text: string, origin: Origin, path: JsonPath, flags: PartFlags = {}): Part {
  return { kind, text, slot: { origin, path }, flags };
}

/**
 * A structured tool output: a JSON value at `path`. Its text starts as the
 * value re-serialized; `resolveValueTexts` replaces it with the value's text
 * as written in the record (exact number literals) once the record's text is
 * at hand, or drops the slot when it is not.
 */
export function valuePart(kind: BlockKind, value: JsonValue, origin: Origin, path: JsonPath, flags: PartFlags = {}): Part {
  return { kind, text: JSON.stringify(value), slot: { origin, path, kind: 'value' }, flags };
}

export function isValueSlot(part: Part): boolean {
  return part.slot?.kind === 'value';
}

/** Text a parser composes (e.g. `name(arguments)`): counted, but not replaceable in place. */
export function composedPart(kind: BlockKind, text: string, flags: PartFlags = {}): Part {
  return { kind, text, slot: null, flags };
}

export function mediaPart(kind: BlockKind, media: MediaInfo, flags: PartFlags = {}): Part {
  return { kind, text: '', slot: null, flags, media };
}

export function opaquePart(kind: BlockKind, bytes: number, flags: PartFlags = {}): Part {
  return { kind, text: '', slot: null, flags, opaqueBytes: bytes };
}

/** Markers of retrieved documents pasted into a user turn. */
const RAG_PATTERN = /\[Document\s*\d+\]|\[Source:\s*|<context>|<document>|Retrieved from:|From the knowledge base:/i;

export function isRetrievedContext(text: string): boolean {
  return RAG_PATTERN.test(text.length > 20_000 ? text.slice(0, 20_000) : text);
}

/** The block kind of plain text spoken by a role. */
export function kindForRole(role: Role, text: string): BlockKind {
  switch (role) {
    case 'system':
    case 'developer':
      return 'system';
    case 'user':
      return isRetrievedContext(text) ? 'rag' : 'user';
    case 'assistant':
      return 'assistant';
    case 'tool':
      return 'tool_result';
    default:
      return 'unknown';
  }
}

export function normalizeRole(role: unknown): Role {
  switch (role) {
    case 'system':
    case 'developer':
    case 'user':
    case 'assistant':
    case 'tool':
      return role;
    case 'model':
      return 'assistant';
    case 'function':
      return 'tool';
    default:
      return 'unknown';
  }
}

/**
 * Tool results name their call only by id; give them the tool's name (and the
 * call's file) from the matching call so reports can say "Read returned…".
 */
export function pairToolResults(messages: readonly Message[], names = new Map<string, string>()): void {
  for (const message of messages) {
    for (const part of message.parts) {
      const id = part.flags.toolCallId;
      if (!id) continue;
      if (part.kind === 'tool_call' && part.flags.toolName) names.set(id, part.flags.toolName);
      else if (part.kind === 'tool_result' && !part.flags.toolName) {
        const name = names.get(id);
        if (name) part.flags.toolName = name;
      }
    }
  }
}
