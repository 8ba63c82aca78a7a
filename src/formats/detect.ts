/**
 * Recognizes what a JSON record is, by its shape alone: an HTTP capture, a
 * transcript line, a request body of one of the providers, one message, or an
 * array of messages or records.
 */
import { DEFAULT_DIALECT, DIALECTS_BY_PRECEDENCE, dialectFormat, TRANSCRIPTS_BY_PRECEDENCE } from './registry.js';
import { isJsonObject, type Dialect, type FormatId, type JsonObject, type JsonValue } from './types.js';

export { DIALECTS, type Dialect } from './types.js';

export type RecordShape =
  | { kind: 'capture' }
  | { kind: 'transcript'; format: FormatId }
  | { kind: 'request'; dialect: Dialect }
  | { kind: 'message'; dialect: Dialect }
  | { kind: 'messages'; dialect: Dialect }
  | { kind: 'records' }
  | { kind: 'unknown' };

export const EXPECTED_SHAPES =
  'expected a request body (messages, contents or input), a messages array, one message per line, an HTTP capture, a Claude Code transcript or a Codex rollout';

/**
 * The dialect a message reveals, or null when it is plain text any dialect
 * could carry. Each question goes to every dialect in detection order: its
 * message keys, then each content block's type, then the weakest marks.
 */
export function messageDialect(message: JsonObject): Dialect | null {
  for (const format of DIALECTS_BY_PRECEDENCE) if (format.reader.messageMarks(message)) return format.id;
  const content = message['content'];
  if (Array.isArray(content)) {
    for (const block of content) {
      if (!isJsonObject(block)) continue;
      const type = block['type'];
      if (typeof type !== 'string') continue;
      for (const format of DIALECTS_BY_PRECEDENCE) if (format.reader.blockMarks(type, block)) return format.id;
    }
  }
  for (const format of DIALECTS_BY_PRECEDENCE) if (format.reader.lateMessageMarks?.(message)) return format.id;
  return null;
}

/** A message object of any dialect. */
export function isMessageLike(value: JsonValue): value is JsonObject {
  return isJsonObject(value) && DIALECTS_BY_PRECEDENCE.some((format) => format.reader.isMessage(value));
}

/** The dialect of a list of messages: the first message that reveals one decides. */
export function messagesDialect(messages: readonly JsonValue[], fallback: Dialect = DEFAULT_DIALECT): Dialect {
  for (const message of messages) {
    if (!isJsonObject(message)) continue;
    const dialect = messageDialect(message);
    if (dialect) return dialect;
  }
  return fallback;
}

function bodyDialect(body: JsonObject): Dialect | null {
  for (const format of DIALECTS_BY_PRECEDENCE) if (format.reader.bodyMarks(body)) return format.id;
  const messages = body['messages'];
  if (!Array.isArray(messages)) return null;
  const fallback = DIALECTS_BY_PRECEDENCE.find((format) => format.reader.fallbackHint?.(body))?.id ?? DEFAULT_DIALECT;
  const dialect = messagesDialect(messages, fallback);
  // Messages of a dialect whose bodies have no `messages` list do not make the body theirs.
  return dialectFormat(dialect).reader.messagesBody ? dialect : fallback;
}

export function classifyRecord(value: JsonValue): RecordShape {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isMessageLike)) return { kind: 'messages', dialect: messagesDialect(value) };
    if (value.length > 0 && value.every(isJsonObject)) return { kind: 'records' };
    return { kind: 'unknown' };
  }
  if (!isJsonObject(value)) return { kind: 'unknown' };
  const request = value['request'];
  if (isJsonObject(request) && 'body' in request) return { kind: 'capture' };
  for (const { id, reader } of TRANSCRIPTS_BY_PRECEDENCE) if (reader.recognizes(value)) return { kind: 'transcript', format: id };
  const dialect = bodyDialect(value);
  if (dialect) return { kind: 'request', dialect };
  if (isMessageLike(value)) return { kind: 'message', dialect: messageDialect(value) ?? DEFAULT_DIALECT };
  return { kind: 'unknown' };
}

/** The format a record's shape reveals on its own, or null when it takes more (a capture's URL, an array's elements). */
export function formatOfShape(shape: RecordShape): FormatId | null {
  switch (shape.kind) {
    case 'transcript':
      return shape.format;
    case 'request':
    case 'messages':
      return shape.dialect;
    case 'message':
      return 'message-lines';
    default:
      return null;
  }
}

/** Dialect of a request body, for captures whose URL does not say. */
export function requestDialect(body: JsonValue): Dialect | null {
  return isJsonObject(body) ? bodyDialect(body) : null;
}
