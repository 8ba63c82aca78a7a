/** The one dynamic content detector: audit's `dynamic_date`, the alignment score and the CacheAligner read it. */
export { DynamicDetector, patternFindings } from './detect.js';
export { normalizedEntropy } from './entropy.js';
export { maskSecret } from './secrets.js';
export { DEFAULT_DETECTOR_OPTIONS, SECRET_TYPES, type DetectorOptions, type DynamicFinding, type DynamicType } from './types.js';
