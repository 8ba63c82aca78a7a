/** Waste detection: per-text detectors and the detectors that look across a request's blocks. */
export * from './types.js';
export { detectTextWaste, type TextWasteOptions } from './text-detectors.js';
export { detectBase64, findBase64Blobs, base64Placeholder, type Base64Blob, type Base64Detection } from './base64.js';
export { detectJsonBloat, type JsonBloatDetection, type JsonBloatOptions } from './json-bloat.js';
export { detectHtmlNoise, type HtmlNoiseDetection, type HtmlNoiseOptions } from './html-noise.js';
export { detectWhitespace } from './whitespace.js';
export { detectDynamicValues, detectDynamicDefault, type DetectDynamic } from './dynamic-values.js';
export { detectRepetition, repetitionUnits, type RepetitionDetection, type RepetitionFinding } from './repetition.js';
export {
  detectRereads,
  isStatusCheck,
  POLLING_GAP,
  REREAD_MIN_TOKENS,
  REFERENCE_MARKER,
  holdsRetrievalMarker,
  type RereadDetection,
  type RereadFinding,
  type RereadReason,
} from './rereads.js';
export { findStaleReads, type StaleRead, type StaleReason } from './stale-reads.js';
export { largestToolOutputs, type LargestOutput } from './largest.js';
export { resolveToolFacts, type ToolFacts } from './tool-facts.js';
