/**
 * The per-text waste detectors, run once per distinct text (the caller
 * memoizes by content hash).
 *
 * Order matters, so that no characters are counted twice:
 *   1. base64 blobs are found first and, for every later detector, replaced
 *      by a short placeholder word. Their tokens are then never re-counted
 *      (e.g. as part of a pretty JSON span that holds an encoded image), and
 *      the later counts stay cheap.
 *   2. json_bloat claims the JSON spans it compacts;
 *   3. html_noise skips claimed spans and claims its markup regions;
 *   4. whitespace skips everything claimed (compacting JSON and stripping
 *      markup already remove that whitespace).
 *   5. dynamic_date (cacheable prefix only) counts values, not layout, so it
 *      only avoids the base64 blobs.
 */
import { detectBase64 } from './base64.js';
import { detectDynamicValues, type DetectDynamic } from './dynamic-values.js';
import { detectHtmlNoise } from './html-noise.js';
import { detectJsonBloat } from './json-bloat.js';
import { replaceSpans, SpanSet } from './spans.js';
import type { CountTokens, TextWasteFinding } from './types.js';
import { detectWhitespace } from './whitespace.js';

export interface TextWasteOptions {
  /** The text sits in the cacheable prefix (system prompt, tool definitions): volatile values there are waste. */
  cacheablePrefix: boolean;
  /**
   * Tokens of the whole text, when the caller has counted it already. Saves a
   * second full count when a whole text is one JSON document or HTML page.
   */
  textTokens?: number;
  /** The run's dynamic content detector (its `cache_aligner` settings); the default settings when absent. */
  detectDynamic?: DetectDynamic;
}

/**
 * Stands in for a base64 blob in the text the other detectors see: one plain
 * word, valid inside JSON strings and HTML attributes.
 */
const BLOB_STAND_IN = 'BASE64';

export function detectTextWaste(text: string, count: CountTokens, options: TextWasteOptions): TextWasteFinding[] {
  const findings: TextWasteFinding[] = [];
  if (text.length === 0) return findings;

  const base64 = detectBase64(text, count);
  if (base64.finding) findings.push(base64.finding);
  const masked = base64.blobs.length > 0 ? replaceSpans(text, base64.blobs, () => BLOB_STAND_IN) : text;
  // The caller's count is of the original text; it no longer fits once blobs are masked.
  const textTokens = masked === text ? options.textTokens : undefined;

  const claimed = new SpanSet();
  const json = detectJsonBloat(masked, count, { textTokens });
  if (json.finding) findings.push(json.finding);
  claimed.addAll(json.spans);

  const html = detectHtmlNoise(masked, count, { claimed, textTokens });
  if (html.finding) findings.push(html.finding);
  claimed.addAll(html.regions);

  const whitespace = detectWhitespace(masked, count, claimed);
  if (whitespace) findings.push(whitespace);

  if (options.cacheablePrefix) {
    const dynamic = detectDynamicValues(masked, count, options.detectDynamic);
    if (dynamic) findings.push(dynamic);
  }
  // Every detector reports only positive savings; this guards the contract.
  return findings.filter((finding) => finding.tokens > 0);
}
