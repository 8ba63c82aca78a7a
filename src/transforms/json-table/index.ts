/**
 * `json_table`: the lossless layout of SmartCrusher. Arrays of objects in a
 * JSON tool output — the whole output, a field of it, or JSON held in a
 * string field — are re-laid-out as a table, buckets or key=value rows
 * (layout.ts), whichever costs the fewest real tokens, when that saves at
 * least `lossless_min_savings_ratio` of the array's compact JSON.
 * `decodeTables` (decode.ts) gives the exact JSON back; nothing is removed
 * and no marker is written. The crusher's selection markers at the end of
 * an array it cut are kept verbatim, one per line after the rows.
 */
import type { HeadroomConfig } from '../../config/headroom-config.js';
import { parseRawJson } from '../../json/tree.js';
import type { Decline, Rewrite, Transform, TransformBlock, TransformContext, TransformFactory } from '../types.js';
import { encodeDocument, type ArrayChoice, type EncodeSettings } from './encode.js';

export const JSON_TABLE = 'json_table';

export function tableSettings(config: HeadroomConfig): EncodeSettings {
  const crusher = config.smartCrusher;
  return {
    coreFieldFraction: crusher.compactionCoreFieldFraction,
    heterogeneousCoreRatio: crusher.compactionHeterogeneousCoreRatio,
    maxFlattenInnerKeys: crusher.compactionMaxFlattenInnerKeys,
    minBuckets: crusher.compactionMinBuckets,
    maxBuckets: crusher.compactionMaxBuckets,
    factorOutConstants: crusher.factorOutConstants,
    minSavingsRatio: crusher.losslessMinSavingsRatio,
  };
}

/** `lossless:table 40%`, `lossless:buckets(type) 35%`, `lossless:buckets(shape) 30%`, `lossless:table×2+kv 22%`. */
function labelOf(choices: readonly ArrayChoice[], blockTokens: number): string {
  const names: string[] = [];
  const counts = new Map<string, number>();
  for (const choice of choices) {
    const name = choice.kind === 'buckets' ? `buckets(${choice.discriminator ?? 'shape'})` : choice.kind;
    if (!counts.has(name)) names.push(name);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const path = names.map((name) => ((counts.get(name) ?? 1) > 1 ? `${name}×${counts.get(name)}` : name)).join('+');
  const saved = choices.reduce((sum, choice) => sum + choice.jsonTokens - choice.tokens, 0);
  const percent = blockTokens > 0 ? Math.round((100 * saved) / blockTokens) : 0;
  return `lossless:${path} ${percent}%`;
}

export function createJsonTable(settings: EncodeSettings): Transform {
  return {
    name: JSON_TABLE,
    lossless: true,
    accepts: ['json-array', 'json-object'],
    apply(block: TransformBlock, context: TransformContext): Rewrite | Decline {
      const doc = parseRawJson(block.text);
      if (doc === null) return { decline: 'unsupported-shape' };
      const result = encodeDocument(doc, {
        settings,
        count: (text) => context.count(text),
        // A structured output must stay a JSON value of its own type: only its nested arrays become table strings.
        rootAsText: !block.structured,
        known: { text: block.text, tokens: block.tokens },
      });
      // A string that already reads as a table (our own output, or a look-alike) would not decode back.
      if (result.ambiguous || result.choices.length === 0) return { decline: 'already-compact' };
      return { text: result.text, label: labelOf(result.choices, block.tokens) };
    },
  };
}

export const jsonTableFactory: TransformFactory = {
  name: JSON_TABLE,
  reads: [
    'smart_crusher.enabled',
    'smart_crusher.lossless_min_savings_ratio',
    'smart_crusher.factor_out_constants',
    'smart_crusher.compaction_core_field_fraction',
    'smart_crusher.compaction_heterogeneous_core_ratio',
    'smart_crusher.compaction_max_flatten_inner_keys',
    'smart_crusher.compaction_min_buckets',
    'smart_crusher.compaction_max_buckets',
  ],
  create: (config) => (config.smartCrusher.enabled ? createJsonTable(tableSettings(config)) : null),
};

export { decodeTables, TableSyntaxError } from './decode.js';
export { encodeDocument } from './encode.js';
export type { ArrayChoice, EncodeOptions, EncodeResult, EncodeSettings } from './encode.js';
