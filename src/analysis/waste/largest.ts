/**
 * The largest tool outputs of a request: where its tokens went, for the
 * report's "largest tool outputs" list. Not waste by itself, but usually the
 * first place to look for it.
 */
import { preview } from './describe.js';
import { resolveToolFacts } from './tool-facts.js';
import type { WasteBlock } from './types.js';

export interface LargestOutput {
  tokens: number;
  sourceIndex: number;
  toolName?: string;
  filePath?: string;
  /** First 80 characters on one line. */
  preview: string;
}

/** Tool results by tokens, largest first; ties keep message order. At most `limit`. */
export function largestToolOutputs(blocks: readonly WasteBlock[], limit: number): LargestOutput[] {
  if (limit <= 0) return [];
  const facts = resolveToolFacts(blocks);
  const results: Array<{ block: WasteBlock; position: number }> = [];
  blocks.forEach((block, position) => {
    if (block.kind === 'tool_result') results.push({ block, position });
  });
  results.sort((a, b) => b.block.tokens - a.block.tokens || a.block.sourceIndex - b.block.sourceIndex || a.position - b.position);
  return results.slice(0, limit).map(({ block, position }) => {
    const output: LargestOutput = { tokens: block.tokens, sourceIndex: block.sourceIndex, preview: preview(block.text) };
    const own = facts[position];
    if (own?.toolName) output.toolName = own.toolName;
    if (own?.filePath) output.filePath = own.filePath;
    return output;
  });
}
