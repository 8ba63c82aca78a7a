/**
 * The registry of input formats: one descriptor per `FormatId`, each defined
 * in its format's folder. Code that needs to know how a format is read,
 * recognized or written back asks here instead of switching on the id.
 */
import { anthropicFormat } from './anthropic/format.js';
import { claudeCodeFormat } from './claude-code/format.js';
import { codexFormat } from './codex/format.js';
import type { DialectFormat, FormatDescriptor, TranscriptReader } from './descriptor.js';
import { geminiFormat } from './gemini/format.js';
import { messageLinesFormat } from './message-lines/format.js';
import { openAIChatFormat } from './openai-chat/format.js';
import { openAIResponsesFormat } from './openai-responses/format.js';
import type { Dialect, FormatId, Request } from './types.js';

const DIALECT_FORMATS: Readonly<Record<Dialect, DialectFormat>> = {
  'openai-chat': openAIChatFormat,
  'openai-responses': openAIResponsesFormat,
  anthropic: anthropicFormat,
  gemini: geminiFormat,
};

export const FORMATS: Readonly<Record<FormatId, FormatDescriptor>> = {
  ...DIALECT_FORMATS,
  'message-lines': messageLinesFormat,
  'claude-code': claudeCodeFormat,
  codex: codexFormat,
};

/**
 * The order in which detection asks the formats whether a record is theirs.
 * Transcript lines come first (their lines are typed objects a body test
 * could misread). Among the dialects, each question (body marks, message
 * marks, endpoint) is asked of every dialect in this order and the first
 * yes decides: Gemini's marks (`contents`, `role: "model"`) win over
 * Responses' (`input`, typed items), which win over Chat's (`tool_calls`);
 * Anthropic's are disjoint from those. A record no format claims that is one
 * message is a line of a message-per-line file (`message-lines`).
 */
const DETECTION_ORDER = ['claude-code', 'codex', 'gemini', 'openai-responses', 'openai-chat', 'anthropic'] as const satisfies readonly FormatId[];

/** The dialect of a message list (or body) that reveals none. */
export const DEFAULT_DIALECT: Dialect = 'openai-chat';

/** The provider dialects, in detection order. */
export const DIALECTS_BY_PRECEDENCE: readonly DialectFormat[] = DETECTION_ORDER.flatMap((id) => (isDialect(id) ? [DIALECT_FORMATS[id]] : []));

/** The transcript formats, in detection order. */
export const TRANSCRIPTS_BY_PRECEDENCE: readonly { id: FormatId; reader: TranscriptReader }[] = DETECTION_ORDER.flatMap((id) => {
  const reader = FORMATS[id].reader;
  return reader.kind === 'transcript' ? [{ id, reader }] : [];
});

export function formatDescriptor(id: FormatId): FormatDescriptor {
  return FORMATS[id];
}

export function dialectFormat(dialect: Dialect): DialectFormat {
  return DIALECT_FORMATS[dialect];
}

function isDialect(id: FormatId): id is Dialect {
  return id in DIALECT_FORMATS;
}

/** The dialect a format reads its bodies in, or null for a transcript or message-per-line format. */
export function dialectOfFormat(format: FormatId | undefined): Dialect | null {
  return format !== undefined && isDialect(format) ? format : null;
}

/**
 * The shape of tool definitions for a request, or null where optimize has no
 * place to add one: a transcript's written body always has a tools list; a
 * request body needs a body object in its record (not one captured as JSON
 * text, not a bare message array).
 */
export function toolDialectFor(request: Request): Dialect | null {
  const format = FORMATS[request.format];
  if (format.toolDialect === null) return null;
  return format.transcript || request.bodyPath ? format.toolDialect : null;
}
