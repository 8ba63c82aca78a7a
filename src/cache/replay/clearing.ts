/**
 * Anthropic's server-side tool-result clearing (`context_management` edit
 * `clear_tool_uses_20250919`) applied to one call's prompt, so replay can
 * price the provider's own feature beside headroom. Pure: segments in,
 * segments as the model would have read them out.
 *
 * Documented defaults (docs.claude.com/en/docs/build-with-claude/context-editing,
 * "Configuration options"): `trigger` 100,000 input tokens; `keep` 3 tool
 * uses; `clear_at_least` none; `exclude_tools` none; `clear_tool_inputs`
 * false (only results are cleared). Once the prompt exceeds the trigger, the
 * oldest tool results are replaced with a placeholder, keeping the most
 * recent `keep`. The client keeps sending its full history, so clearing is
 * recomputed on every call: each new tool result past the trigger moves the
 * clearing point, and everything after it is written to the cache again —
 * the docs' "cache write costs each time content is cleared".
 */
import type { PromptSegment } from './billing.js';

export interface ClearableResult {
  toolName: string | null;
  /** Tokens of the result as sent. */
  tokens: number;
  /** Tokens of the placeholder that replaces it when cleared. */
  placeholderTokens: number;
}

/** A segment that may hold tool results (a message); clearing lowers its tokens and changes its id. */
export interface ClearableSegment extends PromptSegment {
  results?: readonly ClearableResult[];
}

export interface ToolClearingConfig {
  triggerInputTokens: number;
  keepToolUses: number;
  /** Clearing is skipped when it would free fewer tokens than this. */
  clearAtLeastTokens: number;
  excludeTools: readonly string[];
}

export const TOOL_CLEARING_DEFAULTS: ToolClearingConfig = { triggerInputTokens: 100_000, keepToolUses: 3, clearAtLeastTokens: 0, excludeTools: [] };

export interface ClearedPrompt {
  segments: PromptSegment[];
  /** Tool results cleared on this call, and the tokens that freed. */
  clearedResults: number;
  clearedTokens: number;
}

export function clearToolResults(segments: readonly ClearableSegment[], config: ToolClearingConfig = TOOL_CLEARING_DEFAULTS): ClearedPrompt {
  const plain = (): PromptSegment[] => segments.map(({ id, tokens, breakpoint }) => (breakpoint ? { id, tokens, breakpoint } : { id, tokens }));
  const prompt = segments.reduce((sum, segment) => sum + segment.tokens, 0);
  if (prompt <= config.triggerInputTokens) return { segments: plain(), clearedResults: 0, clearedTokens: 0 };
  // Tool uses in order; the last `keep` stay whatever their tool.
  const all = segments.flatMap((segment, index) => (segment.results ?? []).map((result, slot) => ({ index, slot, result })));
  const clearable = all.slice(0, Math.max(0, all.length - config.keepToolUses)).filter(({ result }) => result.toolName === null || !config.excludeTools.includes(result.toolName));
  const freed = clearable.reduce((sum, { result }) => sum + Math.max(0, result.tokens - result.placeholderTokens), 0);
  if (clearable.length === 0 || freed < config.clearAtLeastTokens) return { segments: plain(), clearedResults: 0, clearedTokens: 0 };
  const clearedIn = new Map<number, { count: number; freed: number }>();
  for (const { index, result } of clearable) {
    const entry = clearedIn.get(index) ?? { count: 0, freed: 0 };
    entry.count++;
    entry.freed += Math.max(0, result.tokens - result.placeholderTokens);
    clearedIn.set(index, entry);
  }
  const cleared = segments.map((segment, index): PromptSegment => {
    const change = clearedIn.get(index);
    const base: PromptSegment = change ? { id: `${segment.id}#cleared:${change.count}`, tokens: segment.tokens - change.freed } : { id: segment.id, tokens: segment.tokens };
    return segment.breakpoint ? { ...base, breakpoint: true } : base;
  });
  return { segments: cleared, clearedResults: clearable.length, clearedTokens: freed };
}
