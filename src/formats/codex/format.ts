/** Codex CLI rollouts: the descriptor, and how a rollout line is recognized. */
import type { FormatDescriptor } from '../descriptor.js';
import { isJsonObject } from '../types.js';
import { codexBody } from './body.js';
import { CodexSession, isCodexLine } from './parse.js';

/**
 * Codex rollouts go to OpenAI's Responses API; optimize writes a session's
 * last call as a Responses body. No cache breakpoint: OpenAI caches prompt
 * prefixes automatically and has no marker for it in the request.
 */
export const codexFormat: FormatDescriptor = {
  id: 'codex',
  provider: 'openai',
  transcript: true,
  heldUntilEnd: true,
  toolDialect: 'openai-responses',
  addTool: null,
  cacheBreakpoint: null,
  transcriptBody: codexBody,
  reader: {
    kind: 'transcript',
    recognizes: isCodexLine,
    accepts: (record) => typeof record['type'] === 'string' && isJsonObject(record['payload']),
    openSession: (file) => new CodexSession(file),
  },
  forcedMismatch: 'not a Codex rollout line (--format codex); expected an object with "type" and "payload"',
};
