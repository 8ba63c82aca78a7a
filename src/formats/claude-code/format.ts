/** Claude Code session transcripts: the descriptor, and how a transcript line is recognized. */
import type { FormatDescriptor } from '../descriptor.js';
import { claudeCodeBody } from './body.js';
import { ClaudeCodeSession, isClaudeCodeEntry } from './parse.js';

/**
 * Claude Code transcripts go to Anthropic; optimize writes a session's last
 * call as a Messages body. No cache-breakpoint edit: the transcript lines are
 * not a request body, and the body written for them carries the breakpoint
 * at the end of the frozen prefix itself (`claudeCodeBody`).
 */
export const claudeCodeFormat: FormatDescriptor = {
  id: 'claude-code',
  provider: 'anthropic',
  transcript: true,
  heldUntilEnd: true,
  toolDialect: 'anthropic',
  addTool: null,
  cacheBreakpoint: null,
  transcriptBody: claudeCodeBody,
  reader: {
    kind: 'transcript',
    recognizes: isClaudeCodeEntry,
    accepts: (record, recognized) => typeof record['type'] === 'string' && ('uuid' in record || 'sessionId' in record || recognized),
    openSession: () => new ClaudeCodeSession(),
  },
  forcedMismatch: 'not a Claude Code transcript entry (--format claude-code); expected an object with "type" and "uuid"',
};
