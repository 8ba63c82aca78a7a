/**
 * reread: a tool result whose content the request already holds. Within one
 * request every earlier result is still in context, so a later copy is pure
 * duplication; the rewrite is to drop it (or replace it with a pointer).
 *
 * The rules, in order, for each tool result of ≥ REREAD_MIN_TOKENS tokens:
 *   1. Same content as an earlier tool result (same contentHash) → reread,
 *      reason `same_call` when both came from the same call (same callKey),
 *      `same_content` otherwise (e.g. `cat x` after `Read x`) — unless it is
 *      polling (below).
 *   2. Same call as an earlier result but different content → the state
 *      changed between the calls; not waste. One exception: the earlier
 *      result was compressed by headroom (it holds a retrieval marker), so the
 *      call was re-issued only to get back what compression removed → reread,
 *      reason `same_call`, and also counted as `reread_compressed`.
 *
 * Polling: a status check re-issued within POLLING_GAP messages that returns
 * the same answer (a build still running, a job still pending) is how an
 * agent waits; it cannot know the answer in advance, so it is not waste. A
 * call is a status check when its tool's name says so (`BashOutput`,
 * `get_job_status`, `wait_for…`) or it is a shell call running a status
 * command (`git status`, `ps`, `kubectl get`, `tail`, `sleep`…). File reads
 * are never polling.
 *
 * `reread_compressed` (a subset of `reread`): rereads whose earlier copy holds
 * a retrieval marker, i.e. the model had to read again content that headroom
 * had compressed.
 */
import { findMarkers } from '../../ccr/markers.js';
import { preview } from './describe.js';
import { resolveToolFacts, type ToolFacts } from './tool-facts.js';
import type { WasteBlock } from './types.js';

export const REREAD_MIN_TOKENS = 50;
/** Identical status checks at most this many messages apart are polling. */
export const POLLING_GAP = 3;

/**
 * The reference's retrieval markers (`[177 lines compressed to 129. Retrieve
 * full diff: hash=11ee9963…]`): not our grammar, but they mean the same —
 * the content was compressed and can be fetched back.
 */
export const REFERENCE_MARKER = /\[[^[\]\n]{0,200}\bhash=[0-9a-f]{12,}\]/;

/**
 * Whether a tool result holds a retrieval marker — ours (the one grammar,
 * `ccr/markers.ts`) or the reference's — i.e. is compressed content; reading
 * it again is `reread_compressed`.
 */
export function holdsRetrievalMarker(text: string): boolean {
  return findMarkers(text).length > 0 || REFERENCE_MARKER.test(text);
}

export type RereadReason = 'same_content' | 'same_call';

export interface RereadFinding {
  /** Tokens of the later copy (the block's tokens, framing included). */
  tokens: number;
  sourceIndex: number;
  /** Message index of the earlier result it repeats. */
  firstSourceIndex: number;
  toolName?: string;
  filePath?: string;
  reason: RereadReason;
  /** The earlier copy was compressed by headroom (counted in reread_compressed too). */
  compressed: boolean;
  preview: string;
}

export interface RereadDetection {
  reread: number;
  rereadCompressed: number;
  findings: RereadFinding[];
}

const STATUS_TOOL = /status|poll|wait|progress|health|output|monitor|check|ping|watch|logs?$/i;
const SHELL_TOOL = /^(?:bash|shell|sh|zsh|exec_command|local_shell|run_command|run_shell_command|terminal|execute_command|run_terminal_cmd)$/i;
/** A status command at the start of a shell command (or after `;`, `&&`, `|`, a quote). */
const STATUS_COMMAND =
  /(?:^|["'(;&|]\s*)(?:git (?:status|log|diff --stat)|ps|top|jobs|sleep|wait|watch|tail|uptime|kubectl (?:get|describe|logs|rollout status)|docker (?:ps|logs|inspect)|systemctl status|gh (?:run|pr) (?:view|watch|checks))\b/;

interface SeenResult {
  block: WasteBlock;
  facts: ToolFacts;
}

export function detectRereads(blocks: readonly WasteBlock[]): RereadDetection {
  const facts = resolveToolFacts(blocks);
  const firstByContent = new Map<string, SeenResult>();
  const lastByCall = new Map<string, SeenResult>();
  const detection: RereadDetection = { reread: 0, rereadCompressed: 0, findings: [] };

  blocks.forEach((block, index) => {
    // Media results have no text (and would all share the empty text's hash).
    if (block.kind !== 'tool_result' || block.text.length === 0) return;
    const own = facts[index] ?? {};
    const current: SeenResult = { block, facts: own };
    const previousCall = own.callKey ? lastByCall.get(own.callKey) : undefined;
    const sameContent = firstByContent.get(block.contentHash);
    if (block.tokens >= REREAD_MIN_TOKENS) {
      const finding = classify(current, sameContent, previousCall);
      if (finding) {
        detection.findings.push(finding);
        detection.reread += finding.tokens;
        if (finding.compressed) detection.rereadCompressed += finding.tokens;
      }
    }
    if (!sameContent) firstByContent.set(block.contentHash, current);
    if (own.callKey) lastByCall.set(own.callKey, current);
  });
  return detection;
}

function classify(current: SeenResult, sameContent: SeenResult | undefined, previousCall: SeenResult | undefined): RereadFinding | null {
  const { block, facts } = current;
  if (sameContent) {
    const sameCall = facts.callKey !== undefined && sameContent.facts.callKey === facts.callKey;
    if (sameCall && isPolling(current, previousCall)) return null;
    return finding(current, sameContent, sameCall ? 'same_call' : 'same_content', holdsRetrievalMarker(sameContent.block.text));
  }
  if (previousCall && previousCall.block.contentHash !== block.contentHash && holdsRetrievalMarker(previousCall.block.text)) {
    return finding(current, previousCall, 'same_call', true);
  }
  return null;
}

/** The same status check, answered the same way, a few messages after the last time. */
function isPolling(current: SeenResult, previousCall: SeenResult | undefined): boolean {
  if (!previousCall || previousCall.block.contentHash !== current.block.contentHash) return false;
  if (current.block.sourceIndex - previousCall.block.sourceIndex > POLLING_GAP) return false;
  return isStatusCheck(current.facts);
}

export function isStatusCheck(facts: ToolFacts): boolean {
  if (facts.fileAccess === 'read') return false;
  const name = facts.toolName ?? '';
  if (SHELL_TOOL.test(name)) return STATUS_COMMAND.test(facts.callText ?? '');
  return STATUS_TOOL.test(name);
}

function finding(current: SeenResult, earlier: SeenResult, reason: RereadReason, compressed: boolean): RereadFinding {
  const result: RereadFinding = {
    tokens: current.block.tokens,
    sourceIndex: current.block.sourceIndex,
    firstSourceIndex: earlier.block.sourceIndex,
    reason,
    compressed,
    preview: preview(current.block.text),
  };
  const toolName = current.facts.toolName ?? earlier.facts.toolName;
  const filePath = current.facts.filePath ?? earlier.facts.filePath;
  if (toolName) result.toolName = toolName;
  if (filePath) result.filePath = filePath;
  return result;
}
