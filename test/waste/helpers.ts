/** Shared fixtures for the waste detector tests: the real token counter and block builders. */
import { createHash } from 'node:crypto';
import { contentHash } from '../../src/formats/hash.js';
import type { BlockKind, PartFlags } from '../../src/formats/types.js';
import type { CountTokens, WasteBlock } from '../../src/analysis/waste/types.js';
import { getTokenCounter } from '../../src/tokens/counter.js';

const counter = await getTokenCounter('o200k_base');

/** Tokens of `text` with o200k_base, as the detectors receive it. */
export const count: CountTokens = (text: string) => counter.count(text);

/**
 * `count` that also tallies what it was handed: a clock-free measure of work.
 * A detector that re-counts a growing prefix (the usual way to turn quadratic)
 * hands the counter far more characters than the text has.
 */
export function countingCounter(): { count: CountTokens; chars: () => number; calls: () => number } {
  let chars = 0;
  let calls = 0;
  return {
    count: (text: string) => {
      chars += text.length;
      calls++;
      return counter.count(text);
    },
    chars: () => chars,
    calls: () => calls,
  };
}

/** Deterministic pseudo-random bytes (hash chain), so base64 fixtures never change between runs. */
export function pseudoRandomBytes(length: number, seed = 'seed'): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (let index = 0; total < length; index++) {
    const chunk = createHash('sha256').update(`${seed}:${index}`).digest();
    chunks.push(chunk);
    total += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, length);
}

/** A block with sensible defaults: its hash is the real content hash and its tokens the real count. */
export function block(kind: BlockKind, text: string, sourceIndex: number, flags: PartFlags = {}, tokens?: number): WasteBlock {
  return { kind, text, contentHash: contentHash(text), tokens: tokens ?? count(text) + 3, sourceIndex, flags };
}

/** A tool call and its result, paired by id, as the parsers produce them. */
export function toolExchange(id: string, toolName: string, args: string, result: string, sourceIndex: number, callFlags: PartFlags = {}): [WasteBlock, WasteBlock] {
  const call = block('tool_call', `${toolName}(${args})`, sourceIndex, {
    toolName,
    toolCallId: id,
    callKey: contentHash(`${toolName}\u0000${args}`),
    ...callFlags,
  });
  const output = block('tool_result', result, sourceIndex + 1, { toolName, toolCallId: id });
  return [call, output];
}

/** Prose of roughly `chars` characters, varied enough not to look repetitive. */
export function prose(chars: number, seed = 0): string {
  const words = ['the', 'model', 'reads', 'context', 'before', 'answering', 'every', 'question', 'about', 'files', 'tokens', 'cost', 'money', 'and', 'time'];
  const out: string[] = [];
  let length = 0;
  for (let index = seed; length < chars; index++) {
    const word = words[(index * 7 + (index >> 3)) % words.length] as string;
    out.push(word);
    length += word.length + 1;
  }
  return out.join(' ');
}
