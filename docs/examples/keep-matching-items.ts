/**
 * A minimal compressor, written only against the transform contract: it
 * keeps the items of a JSON array that mention what the user asked or what
 * the tool was called with, and puts each run of other items behind one
 * marker. It is an example for docs/writing-a-compressor.md (compiled and
 * run by the tests), not a registered compressor.
 */
import { arrayElementRanges, type JsonPath, type JsonValue, type TextRange } from '../../src/json/index.js';
import type { Rewrite, Decline, TransformContext, TransformFactory } from '../../src/transforms/types.js';

/** Words shorter than this match too much to mean anything. */
const MIN_WORD_LENGTH = 4;

export const keepMatchingItems: TransformFactory = {
  name: 'keep_matching_items',
  reads: ['smart_crusher.enabled', 'smart_crusher.max_items_after_crush'],
  create(config) {
    // Its settings come from the resolved configuration, once per run.
    const { enabled, maxItemsAfterCrush } = config.smartCrusher;
    if (!enabled) return null;
    return {
      name: 'keep_matching_items',
      lossless: false,
      // The router hands it only JSON; it never sees logs or code.
      accepts: ['json-array', 'json-object'],
      apply(block, context): Rewrite | Decline {
        const path = arrayPath(block.text);
        const items = path === null ? null : arrayElementRanges(block.text, path);
        if (items === null) return { decline: 'unsupported-shape' };
        if (items.length <= maxItemsAfterCrush) return { decline: 'too-small' };
        if (!context.canOffload) return { decline: 'needs-offload' };
        const words = searchWords(context);
        const keep = items.map(({ start, end }) => {
          const item = block.text.slice(start, end).toLowerCase();
          return words.some((word) => item.includes(word));
        });
        if (!keep.includes(true)) return { decline: 'no-match' };

        // Each run of dropped items becomes one marker, written as a JSON
        // string where the items were, so the text stays valid JSON (a
        // structured tool output must) and the marker stands for exactly the
        // raw items it replaced, commas between them included.
        let text = '';
        let copied = 0;
        let dropped = 0;
        for (let first = 0; first < items.length; first++) {
          if (keep[first]) continue;
          let last = first;
          while (last + 1 < items.length && !keep[last + 1]) last++;
          const start = (items[first] as TextRange).start;
          const end = (items[last] as TextRange).end;
          const count = last - first + 1;
          const marker = context.offload({ original: block.text.slice(start, end), unit: 'items', count, detail: `items ${first + 1}-${last + 1}` });
          text += block.text.slice(copied, start) + JSON.stringify(marker);
          copied = end;
          dropped += count;
          first = last;
        }
        text += block.text.slice(copied);
        return { text, label: `kept ${items.length - dropped} of ${items.length} items` };
      },
    };
  },
};

/** The array to thin out: the text itself, or the first top-level field of an object that is an array. */
function arrayPath(text: string): JsonPath | null {
  const value = JSON.parse(text) as JsonValue;
  if (Array.isArray(value)) return [];
  if (value === null || typeof value !== 'object') return null;
  const key = Object.keys(value).find((name) => Array.isArray(value[name]));
  return key === undefined ? null : [key];
}

/** Lowercased words of the user's last message and of the call's string arguments. */
function searchWords(context: TransformContext): string[] {
  const texts = [context.request.query ?? ''];
  const args = context.call?.arguments;
  if (typeof args === 'string') texts.push(args);
  else if (args !== null && typeof args === 'object' && !Array.isArray(args)) {
    for (const value of Object.values(args)) if (typeof value === 'string') texts.push(value);
  }
  const words = texts.flatMap((text) => text.toLowerCase().split(/[^\p{L}\p{N}_-]+/u));
  return [...new Set(words.filter((word) => word.length >= MIN_WORD_LENGTH))];
}
