/**
 * A block's decision in words. The pipeline records decisions as data
 * (`BlockDecision`); only the reporters turn them into text, so the wording
 * lives here and nothing parses it back.
 */
import type { BlockDecision } from '../../pipeline/results.js';

type Decided = Pick<BlockDecision, 'outcome' | 'reason' | 'steps' | 'declines'>;

/** `compressed:json-compact 412→288 tokens`, `protected:user`, `skipped:no-compressor`, `skipped:already-compact,no-gain`. */
export function decisionText(decision: Decided & Pick<BlockDecision, 'tokens_before' | 'tokens_after'>): string {
  const key = decisionKey(decision);
  return decision.outcome === 'compressed' ? `${key} ${decision.tokens_before}→${decision.tokens_after} tokens` : key;
}

/** The decision without its numbers, for counting blocks by decision: `compressed:json-compact`, `skipped:small`. */
export function decisionKey(decision: Decided): string {
  if (decision.outcome === 'compressed') return `compressed:${decision.steps.map((step) => step.label).join('+')}`;
  if (decision.reason !== null) return `${decision.outcome}:${decision.reason}`;
  // Skipped after reaching the transforms: each distinct reason a transform (or the pipeline) gave.
  return `skipped:${[...new Set(decision.declines.map((decline) => decline.reason))].join(',') || 'no-transform'}`;
}

/** A block as the JSON reports write it: today's keys in their places, `decision` in words, then the structured fields. */
export function decisionJson(block: BlockDecision): Record<string, unknown> {
  return {
    block_index: block.block_index,
    message_index: block.message_index,
    kind: block.kind,
    tool: block.tool,
    tokens_before: block.tokens_before,
    tokens_after: block.tokens_after,
    decision: decisionText(block),
    outcome: block.outcome,
    reason: block.reason,
    steps: block.steps,
    declines: block.declines,
    content_kind: block.content_kind,
  };
}
