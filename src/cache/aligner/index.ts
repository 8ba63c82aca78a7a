/** The CacheAligner: dynamic values in the cacheable prefix, its stable hash and alignment score, opt-in whitespace normalization. */
export { CacheAligner, prefixWarnings } from './aligner.js';
export { normalizeWhitespace } from './normalize.js';
export { scanPrefix, type PrefixFinding, type PrefixPart, type PrefixScan } from './prefix.js';
