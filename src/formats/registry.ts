/**
 * The registry of input formats: one descriptor per `FormatId`, each defined
 * next to its format's parser. Code that needs to know how a format is
 * written back asks here instead of switching on the id.
 */
import { anthropicFormat } from './anthropic/parse.js';
import { claudeCodeFormat } from './claude-code/parse.js';
import { codexFormat } from './codex/parse.js';
import type { FormatDescriptor } from './descriptor.js';
import { messageLinesFormat } from './message-lines/format.js';
import { geminiFormat } from './gemini/parse.js';
import { openAIChatFormat } from './openai-chat/parse.js';
import { openAIResponsesFormat } from './openai-responses/parse.js';
import type { Dialect, FormatId, Request } from './types.js';

export const FORMATS: Readonly<Record<FormatId, FormatDescriptor>> = {
  'openai-chat': openAIChatFormat,
  'openai-responses': openAIResponsesFormat,
  anthropic: anthropicFormat,
  gemini: geminiFormat,
  'message-lines': messageLinesFormat,
  'claude-code': claudeCodeFormat,
  codex: codexFormat,
};

export function formatDescriptor(id: FormatId): FormatDescriptor {
  return FORMATS[id];
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
