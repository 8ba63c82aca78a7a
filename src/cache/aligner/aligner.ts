/**
 * The CacheAligner (`cache_aligner.*`): finds the dynamic values in a
 * request's cacheable prefix (tool definitions, system text) and says what
 * they cost the prompt cache. It never moves them: the reference's old
 * rewrite that cut dynamic values out of the system prompt and appended them
 * after `dynamic_tail_separator` changed the prefix itself and busted the
 * cache it meant to save (its REALIGNMENT bug P2-23). The only rewrite it
 * makes is the opt-in whitespace normalization (`normalize.ts`), and the
 * pipeline applies that only outside cached prefixes.
 *
 * Audit and optimize share one aligner per run, so the dynamic values, the
 * `dynamic_date` waste and the alignment score are the same numbers in both.
 */
import { DEFAULT_CONFIG, type CacheAlignerConfig } from '../../config/headroom-config.js';
import { DynamicDetector, patternFindings } from '../dynamic/detect.js';
import { maskSecret } from '../dynamic/secrets.js';
import type { DynamicFinding } from '../dynamic/types.js';
import { normalizeWhitespace } from './normalize.js';
import { scanPrefix, type PrefixFinding, type PrefixPart, type PrefixScan } from './prefix.js';

/** Bound on memoized per-text findings, so a long stream cannot grow memory without limit. */
const MEMO_LIMIT = 50_000;
const NONE: readonly DynamicFinding[] = Object.freeze([]);

/**
 * Tiers beyond `regex` need a local model (an NER model, a sentence
 * embedding model) that this build has no loader for; asking for one gets
 * one warning per run and the regex tier alone, never a download.
 */
const OPTIONAL_TIERS: Readonly<Record<string, string>> = {
  ner: 'an NER model',
  semantic: 'a sentence-embedding model',
};

export class CacheAligner {
  private readonly detector: DynamicDetector | null;
  private readonly patterns: readonly RegExp[];
  private readonly memo = new Map<string, readonly DynamicFinding[]>();
  private last: { text: string; found: readonly DynamicFinding[] } | null = null;

  constructor(readonly config: CacheAlignerConfig = DEFAULT_CONFIG.cacheAligner) {
    this.detector = config.useDynamicDetector ? new DynamicDetector({ extraLabels: config.extraDynamicLabels, entropyThreshold: config.entropyThreshold }) : null;
    this.patterns = config.useDynamicDetector ? [] : config.datePatterns.map((source) => new RegExp(source, 'g'));
  }

  /**
   * The dynamic values of one text; memoized by `hash` when given. The last
   * text is remembered too: the analyzer asks for a system text twice in a
   * row (for its waste, then for the prefix scan).
   */
  detect(text: string, hash?: string): readonly DynamicFinding[] {
    if (hash !== undefined) {
      const known = this.memo.get(hash);
      if (known) return known;
    }
    let found: readonly DynamicFinding[];
    if (this.last !== null && this.last.text === text) found = this.last.found;
    else {
      found = this.detector ? this.detector.detect(text) : patternFindings(text, this.patterns);
      if (found.length === 0) found = NONE;
      this.last = { text, found };
    }
    if (hash !== undefined) {
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(hash, found);
    }
    return found;
  }

  scan(parts: readonly PrefixPart[], count: (text: string) => number): PrefixScan {
    return scanPrefix(parts, { detect: (text, hash) => this.detect(text, hash), count, tailSeparator: this.config.dynamicTailSeparator });
  }

  /** One warning per configured tier that cannot run here; empty when only `regex` is asked for. */
  tierWarnings(): string[] {
    const warnings: string[] = [];
    for (const tier of this.config.detectionTiers) {
      const needs = OPTIONAL_TIERS[tier];
      if (needs) warnings.push(`cache_aligner: the ${tier} detection tier needs ${needs}, and this build has no local one to load; tier skipped (regex tier only)`);
    }
    return warnings;
  }

  /** Whether optimize normalizes whitespace (the aligner is on and the user kept `normalize_whitespace`). */
  get normalizes(): boolean {
    return this.config.enabled && this.config.normalizeWhitespace;
  }

  normalize(text: string): string {
    return normalizeWhitespace(text, this.config.collapseBlankLines);
  }
}

/**
 * What the aligner tells a user about one request's prefix: the dynamic
 * values and where caching stops, and, separately, credentials found there
 * (shown only as their first 4 characters and length).
 */
export function prefixWarnings(scan: PrefixScan): string[] {
  const warnings: string[] = [];
  const dynamic = scan.findings.filter((finding) => !finding.secret);
  if (dynamic.length > 0) {
    const counts = new Map<string, number>();
    for (const finding of dynamic) counts.set(finding.type, (counts.get(finding.type) ?? 0) + 1);
    const byType = [...counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([type, n]) => `${type}=${n}`)
      .join(', ');
    const first = dynamic[0] as PrefixFinding;
    warnings.push(
      `cache_aligner: ${dynamic.length === 1 ? '1 dynamic value' : `${dynamic.length} dynamic values`} in the cacheable prefix (${byType}); the first, in ${first.where}, is ${first.reason}. ` +
        `If it changes between calls, only ${scan.stableTokens} of ${scan.tokens} prefix tokens stay cached (alignment score ${scan.cacheAlignmentScore}); move dynamic values after the prefix (e.g. into the latest user message)`,
    );
  }
  for (const finding of scan.findings) {
    if (finding.secret) warnings.push(`cache_aligner: possible secret in the cacheable prefix, ${finding.where}: ${finding.type} ${maskSecret(finding.value)}`);
  }
  return warnings;
}
