/**
 * dynamic_date: values that change on every request (dates, times,
 * timestamps, UUIDs, ids, versions, labelled and random-looking values) and
 * credentials, inside the part of a prompt that providers cache (system
 * prompt, tool definitions). One changed character there invalidates the
 * cached prefix from that point on; the rewrite is to move the value after
 * the cacheable prefix (e.g. into the latest user message). The value
 * counted is the tokens of the dynamic spans.
 *
 * The values come from the one dynamic content detector (src/cache/dynamic),
 * the same one the CacheAligner and the alignment score read; the caller
 * decides what is cacheable, and elsewhere such values are just data.
 */
import { DynamicDetector } from '../../cache/dynamic/detect.js';
import { DEFAULT_DETECTOR_OPTIONS, type DynamicFinding } from '../../cache/dynamic/types.js';
import type { CountTokens, TextWasteFinding } from './types.js';

/** The dynamic values of a text; the analyzer passes its run's configured detector. */
export type DetectDynamic = (text: string) => readonly DynamicFinding[];

const defaultDetector = new DynamicDetector(DEFAULT_DETECTOR_OPTIONS);
/** The detector at the default `cache_aligner` settings. */
export const detectDynamicDefault: DetectDynamic = (text) => defaultDetector.detect(text);

export function detectDynamicValues(text: string, count: CountTokens, detect: DetectDynamic = detectDynamicDefault): TextWasteFinding | null {
  const values = detect(text);
  if (values.length === 0) return null;
  const types = new Set<string>();
  for (const value of values) types.add(value.type);
  const tokens = valueTokens(text, values, count);
  if (tokens <= 0) return null;
  const what = values.length === 1 ? '1 volatile value' : `${values.length} volatile values`;
  return {
    key: 'dynamic_date',
    tokens,
    detail: `${what} (${[...types].join(', ')}) in the cacheable prefix`,
    instances: values.length,
  };
}

/**
 * The tokens of all values, in one count: the values joined by line breaks,
 * minus one token per line break (a prompt can hold thousands of dates; one
 * count call each would cost more than the text itself). Most values start
 * and end with a letter or digit, so a line break rarely merges with one;
 * each value costs at least one token whatever the join does.
 */
function valueTokens(text: string, values: readonly DynamicFinding[], count: CountTokens): number {
  const joined = values.map((value) => text.slice(value.start, value.end)).join('\n');
  return Math.max(values.length, count(joined) - (values.length - 1) * count('\n'));
}
