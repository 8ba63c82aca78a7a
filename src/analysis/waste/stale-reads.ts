/**
 * Stale reads: a file's content returned by a read tool and made obsolete
 * later in the same request, either by another read of the same file
 * ('superseded': the model has a newer copy) or by an edit or write of it
 * ('edited': the old copy no longer matches the file). The stale copy still
 * costs its tokens on every later call; the rewrite is to drop it.
 *
 * "Later" is decided by call order: a read or write issued after the read's
 * own call makes it stale, even when both were issued in one message and
 * their results come back together.
 *
 * Limits, by design of the flags: paths are compared as written (only a
 * leading `./` is ignored), and any later read of the path supersedes an
 * earlier one, even if it covered a different line range.
 */
import { resolveToolFacts } from './tool-facts.js';
import type { WasteBlock } from './types.js';

export type StaleReason = 'superseded' | 'edited';

export interface StaleRead {
  filePath: string;
  /** Tokens of the stale result block (framing included). */
  tokens: number;
  sourceIndex: number;
  /** Message index of the later read or edit that made it stale. */
  laterSourceIndex: number;
  reason: StaleReason;
  toolName?: string;
}

interface FileEvent {
  /** Index in `blocks` of the call (or of a result that has no call in the request). */
  position: number;
  sourceIndex: number;
  access: 'read' | 'write';
}

export function findStaleReads(blocks: readonly WasteBlock[]): StaleRead[] {
  const facts = resolveToolFacts(blocks);
  const events = fileEvents(
    blocks,
    facts.map((fact) => fact.callPosition),
  );
  const stale: StaleRead[] = [];
  blocks.forEach((block, position) => {
    const own = facts[position];
    if (block.kind !== 'tool_result' || block.flags.isError || own?.fileAccess !== 'read' || !own.filePath) return;
    const issuedAt = own.callPosition ?? position;
    const later = events.get(normalizePath(own.filePath))?.find((event) => event.position > issuedAt);
    if (!later) return;
    const read: StaleRead = {
      filePath: own.filePath,
      tokens: block.tokens,
      sourceIndex: block.sourceIndex,
      laterSourceIndex: later.sourceIndex,
      reason: later.access === 'write' ? 'edited' : 'superseded',
    };
    if (own.toolName) read.toolName = own.toolName;
    stale.push(read);
  });
  return stale;
}

/**
 * Every read and write of each path, in order. A call is the event; a result
 * is one only when its own flags name the file and it has no call in the
 * request (otherwise the call already counted).
 */
function fileEvents(blocks: readonly WasteBlock[], callPositions: ReadonlyArray<number | undefined>): Map<string, FileEvent[]> {
  const byPath = new Map<string, FileEvent[]>();
  blocks.forEach((block, position) => {
    const { filePath, fileAccess } = block.flags;
    if (!filePath || !fileAccess) return;
    const isEvent = block.kind === 'tool_call' || (block.kind === 'tool_result' && callPositions[position] === undefined);
    if (!isEvent) return;
    const path = normalizePath(filePath);
    const event: FileEvent = { position, sourceIndex: block.sourceIndex, access: fileAccess };
    const list = byPath.get(path);
    if (list) list.push(event);
    else byPath.set(path, [event]);
  });
  return byPath;
}

function normalizePath(path: string): string {
  return path.startsWith('./') ? path.slice(2) : path;
}
