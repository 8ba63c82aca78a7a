/**
 * The dynamic content detector: every value in a text that changes between
 * requests (dates, times, timestamps, ids, versions, high-entropy tokens,
 * values after a dynamic label) or is a credential (JWTs, API keys). In the
 * cacheable prefix (tools, system) each one can bust the provider's prompt
 * cache from its position on. Audit's `dynamic_date` waste signal, the
 * cache-alignment score and the CacheAligner all read this one detector.
 *
 * Tiers, as in the reference's regex tier: the formats of `patterns.ts`
 * first (overlaps resolved earliest-start, then longest); then labelled
 * values and high-entropy tokens, each kept only where no earlier finding
 * overlaps it.
 */
import { normalizedEntropy } from './entropy.js';
import { LabelMatcher } from './labels.js';
import { PATTERNS } from './patterns.js';
import { SECRET_TYPES, type DetectorOptions, type DynamicFinding, type DynamicType } from './types.js';

/**
 * High-entropy candidates: id-like tokens of 16+ characters. Code
 * identifiers (`utf8ToBase64String`, `x86_64-linux-gnu`) have entropy as high
 * as any random id, so a candidate must also mix letters and digits the way
 * generated ids do: 4+ digits and 4+ switches between letters and digits.
 */
// Greedy from the left, a match is always a whole run: a run shorter than 16 has no longer suffix.
const ENTROPY_CANDIDATE = /[A-Za-z0-9_-]{16,}/g;
const MIN_ENTROPY_DIGITS = 4;
const MIN_CLASS_SWITCHES = 4;

export class DynamicDetector {
  private readonly labels: LabelMatcher;

  constructor(private readonly options: DetectorOptions) {
    this.labels = new LabelMatcher(options.extraLabels);
  }

  /** Every dynamic value in `text`, sorted by position, never overlapping. */
  detect(text: string): DynamicFinding[] {
    const kept = resolveOverlaps(this.formatFindings(text));
    const extra: DynamicFinding[] = [];
    for (const labelled of this.labels.find(text)) {
      extra.push(finding(labelled.start, labelled.end, 'labelled', `the value of a "${labelled.label.trim()}" label`));
    }
    if (/\d/.test(text)) {
      ENTROPY_CANDIDATE.lastIndex = 0;
      for (let match = ENTROPY_CANDIDATE.exec(text); match; match = ENTROPY_CANDIDATE.exec(text)) {
        const token = match[0];
        if (!looksGenerated(token)) continue;
        const entropy = normalizedEntropy(token);
        if (entropy < this.options.entropyThreshold) continue;
        extra.push(finding(match.index, match.index + token.length, 'high_entropy', `a random-looking token (normalized entropy ${entropy.toFixed(2)})`));
      }
    }
    return addWhereFree(kept, extra);
  }

  private formatFindings(text: string): DynamicFinding[] {
    // Every format needs a digit; most texts without one are skipped at once.
    if (!/\d/.test(text)) return [];
    const found: DynamicFinding[] = [];
    for (const pattern of PATTERNS) {
      pattern.regex.lastIndex = 0;
      for (let match = pattern.regex.exec(text); match; match = pattern.regex.exec(text)) {
        if (pattern.accept && !pattern.accept(match, text)) continue;
        const value = pattern.group !== undefined ? match[pattern.group] : match[0];
        if (!value) continue;
        const start = match.index + match[0].length - value.length;
        found.push(finding(start, start + value.length, pattern.type, pattern.reason));
      }
    }
    return found;
  }
}

/** Findings from the user's own regexes (`cache_aligner.date_patterns`), used instead of the detector when `use_dynamic_detector` is off. */
export function patternFindings(text: string, patterns: readonly RegExp[]): DynamicFinding[] {
  const found: DynamicFinding[] = [];
  for (const source of patterns) {
    const regex = new RegExp(source.source, source.flags.includes('g') ? source.flags : `${source.flags}g`);
    for (let match = regex.exec(text); match; match = regex.exec(text)) {
      if (match[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      found.push(finding(match.index, match.index + match[0].length, 'legacy_date_pattern', `matches cache_aligner.date_patterns /${source.source}/`));
    }
  }
  return resolveOverlaps(found);
}

function finding(start: number, end: number, type: DynamicType, reason: string): DynamicFinding {
  return { start, end, type, reason, secret: SECRET_TYPES.has(type) };
}

/** Earliest start first, then the longest; a finding overlapping one kept before it is dropped. Sorting is stable, so ties go to the earlier pattern. */
function resolveOverlaps(found: DynamicFinding[]): DynamicFinding[] {
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: DynamicFinding[] = [];
  for (const value of found) {
    const last = kept[kept.length - 1];
    if (!last || value.start >= last.end) kept.push(value);
  }
  return kept;
}

/**
 * Adds each of `extra` (labelled values, then high-entropy tokens, each list
 * sorted and free of overlaps within itself) that overlaps nothing kept
 * before it; returns all, sorted by position. Binary searches keep a prompt
 * with thousands of values linear-logarithmic.
 */
function addWhereFree(kept: DynamicFinding[], extra: readonly DynamicFinding[]): DynamicFinding[] {
  const accepted: DynamicFinding[][] = [kept];
  let current: DynamicFinding[] = [];
  let previousType: DynamicType | null = null;
  for (const candidate of extra) {
    if (candidate.type !== previousType) {
      current = [];
      accepted.push(current);
      previousType = candidate.type;
    }
    if (accepted.some((list) => list !== current && overlapsSorted(list, candidate))) continue;
    current.push(candidate);
  }
  return accepted.flat().sort((a, b) => a.start - b.start);
}

/** Whether `candidate` overlaps any finding of `sorted` (sorted by start, non-overlapping). */
function overlapsSorted(sorted: readonly DynamicFinding[], candidate: DynamicFinding): boolean {
  let low = 0;
  let high = sorted.length;
  // First finding that ends after the candidate starts.
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle] as DynamicFinding).end <= candidate.start) low = middle + 1;
    else high = middle;
  }
  const next = sorted[low];
  return next !== undefined && next.start < candidate.end;
}

function looksGenerated(token: string): boolean {
  let digits = 0;
  let switches = 0;
  let previous: 'letter' | 'digit' | null = null;
  for (let index = 0; index < token.length; index++) {
    const code = token.charCodeAt(index);
    // `_` and `-` are neither (the candidate regex admits nothing else).
    const kind = code >= 48 && code <= 57 ? 'digit' : code === 45 || code === 95 ? null : 'letter';
    if (kind === null) continue;
    if (kind === 'digit') digits++;
    if (previous !== null && kind !== previous) switches++;
    previous = kind;
  }
  return digits >= MIN_ENTROPY_DIGITS && switches >= MIN_CLASS_SWITCHES;
}
