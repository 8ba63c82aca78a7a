/**
 * Lossless JSON compaction: a tool output that is pretty-printed JSON is
 * re-emitted without the whitespace between tokens. Keys, key order, strings
 * and numbers are kept exactly as written (the text is never parsed into
 * values and re-serialized, so 64-bit integers and duplicate keys survive).
 * This is the always-safe floor that the lossy compressors build on.
 */
import { isJsonContainerText, minifyJson } from '../json/index.js';
import type { Decline, Rewrite, Transform, TransformBlock } from './types.js';

export const JSON_COMPACTION = 'json_compaction';

export const jsonCompaction: Transform = {
  name: JSON_COMPACTION,
  lossless: true,
  apply(block: TransformBlock): Rewrite | Decline {
    if (!isJsonContainerText(block.text)) return { skip: 'not-json' };
    const compact = minifyJson(block.text);
    if (compact === null) return { skip: 'not-json' };
    if (compact === block.text) return { skip: 'already-compact' };
    return { text: compact, label: 'json-compact' };
  },
};
