import type { FormatDescriptor } from '../descriptor.js';

/**
 * One message per line (JSONL of chat messages): the file is one request of
 * whichever dialect its lines reveal, so the provider is per record. It is
 * not a request body, so optimize has nowhere to add a tool or a breakpoint.
 */
export const messageLinesFormat: FormatDescriptor = {
  id: 'message-lines',
  provider: null,
  transcript: false,
  heldUntilEnd: true,
  toolDialect: null,
  addTool: null,
  cacheBreakpoint: null,
  transcriptBody: null,
  reader: { kind: 'message-lines' },
  forcedMismatch: 'not a message (--format message-lines); expected an object with "role"',
};
