/** What the dynamic content detector reports: volatile values, each with its span, type and why it counts. */

export type DynamicType =
  'uuid' | 'datetime' | 'date' | 'time' | 'timestamp' | 'jwt' | 'api_key' | 'hex_hash' | 'version' | 'request_id' | 'labelled' | 'high_entropy' | 'legacy_date_pattern';

/** The types that are credentials: reported as secrets, never printed in full. */
export const SECRET_TYPES: ReadonlySet<DynamicType> = new Set<DynamicType>(['jwt', 'api_key']);

export interface DynamicFinding {
  /** Character offsets of the value in the scanned text (end exclusive). */
  start: number;
  end: number;
  type: DynamicType;
  /** Why this value is volatile, in a few words (a label it follows, the format it has). */
  reason: string;
  /** A credential (JWT, API key): shown only as its first 4 characters and its length. */
  secret: boolean;
}

export interface DetectorOptions {
  /** Labels whose values are dynamic on top of the built-in ones (`cache_aligner.extra_dynamic_labels`). */
  extraLabels: readonly string[];
  /** Normalized Shannon entropy (0-1) from which an id-like token counts as random (`cache_aligner.entropy_threshold`). */
  entropyThreshold: number;
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = Object.freeze({ extraLabels: Object.freeze([]) as readonly string[], entropyThreshold: 0.7 });
