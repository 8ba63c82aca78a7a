/**
 * A block's decision in words. The pipeline records decisions as data
 * (`BlockDecision`); only the reporters turn them into text, so the wording
 * lives here and nothing parses it back.
 */
import type { BlockDecision } from '../../pipeline/results.js';

type Decided = Pick<BlockDecision, 'outcome' | 'reason' | 'steps' | 'declines'>;

/**
 * `compressed:json-compact 412→288 tokens`, `compressed:json-compact+lossy: kept 15/1000 (errors 3, anchors 12) 9120→410 tokens`,
 * `protected:user`, `skipped:no-compressor`, `skipped:already-compact,no-gain`.
 */
export function decisionText(decision: Decided & Pick<BlockDecision, 'tokens_before' | 'tokens_after'>): string {
  if (decision.outcome !== 'compressed') return decisionKey(decision);
  return `compressed:${decision.steps.map((step) => step.label).join('+')} ${decision.tokens_before}→${decision.tokens_after} tokens`;
}

/**
 * The decision without its numbers, for counting blocks by decision: `compressed:json-compact`,
 * `compressed:json-compact+lossy`, `skipped:small`. A label's numbers follow `: ` (`lossy: kept 15/1000`) and are left out.
 */
export function decisionKey(decision: Decided): string {
  if (decision.outcome === 'compressed') return `compressed:${decision.steps.map((step) => labelKind(step.label)).join('+')}`;
  if (decision.reason !== null) return `${decision.outcome}:${decision.reason}`;
  // Skipped after reaching the transforms: each distinct reason a transform (or the pipeline) gave.
  return `skipped:${[...new Set(decision.declines.map((decline) => decline.reason))].join(',') || 'no-transform'}`;
}

/** What a step did without its numbers: the label up to `: ` (`lossy: kept 9/60 …`) or its first space (`lossless:table 43%`). */
export function labelKind(label: string): string {
  const end = label.search(/: | /);
  return end < 0 ? label : label.slice(0, end);
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
