/**
 * Lossless JSON compaction: a tool output that is pretty-printed JSON is
 * re-emitted without the whitespace between tokens. Keys, key order, strings
 * and numbers are kept exactly as written (the text is never parsed into
 * values and re-serialized, so 64-bit integers and duplicate keys survive).
 * This is the always-safe floor that the lossy compressors build on.
 *
 * It is the first stage of SmartCrusher, so `smart_crusher.enabled` turns it
 * off with the rest of the JSON compressor.
 */
import { minifyJson } from '../json/index.js';
import type { Decline, Rewrite, Transform, TransformBlock, TransformFactory } from './types.js';

export const JSON_COMPACTION = 'json_compaction';

export const jsonCompaction: Transform = {
  name: JSON_COMPACTION,
  lossless: true,
  accepts: ['json-array', 'json-object'],
  apply(block: TransformBlock): Rewrite | Decline {
    const compact = minifyJson(block.text);
    if (compact === null) return { decline: 'unsupported-shape' };
    if (compact === block.text) return { decline: 'already-compact' };
    return { text: compact, label: 'json-compact' };
  },
};

export const jsonCompactionFactory: TransformFactory = {
  name: JSON_COMPACTION,
  reads: ['smart_crusher.enabled'],
  create: (config) => (config.smartCrusher.enabled ? jsonCompaction : null),
};
