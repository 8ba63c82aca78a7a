/**
 * Exact things a query names — UUIDs, numbers of four or more digits, host
 * names, e-mail addresses, quoted strings — and which items contain them. An
 * item naming what the user asked about is kept whatever else is dropped.
 *
 * Kept local to the selection so it has no dependency on the relevance
 * scorer; it follows the same extraction rules (the reference's anchors.rs).
 */

export interface QueryAnchorSet {
  /** Lower-cased literals to look for. */
  readonly literals: readonly string[];
  /** Literals that must not touch a letter or digit on either side (numbers, so `1234` does not match `12345`). */
  readonly bounded: ReadonlySet<string>;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const EMAIL = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/gi;
const HOST = /\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+\b/gi;
const NUMBER = /(?<![\w.])\d{4,}(?![\w])/g;
const QUOTED = /"([^"]{2,50})"|'([^'\s][^']{0,48}[^'\s])'|`([^`]{2,50})`/g;
const NOT_HOSTS = new Set(['e.g', 'i.e', 'etc', 'vs']);

export function extractAnchors(query: string | null): QueryAnchorSet {
  const literals = new Set<string>();
  const bounded = new Set<string>();
  if (query === null || query.trim() === '') return { literals: [], bounded };
  const add = (literal: string): void => {
    const lower = literal.toLowerCase().trim();
    if (lower.length >= 2) literals.add(lower);
  };
  for (const match of query.matchAll(UUID)) add(match[0]);
  for (const match of query.matchAll(EMAIL)) add(match[0]);
  for (const match of query.matchAll(HOST)) {
    const host = match[0].toLowerCase();
    // Hosts need a letter (not a version or a decimal) and are not abbreviations.
    if (/[a-z]/.test(host) && !NOT_HOSTS.has(host) && !/^\d/.test(host.split('.').pop() ?? '')) add(host);
  }
  for (const match of query.matchAll(NUMBER)) {
    add(match[0]);
    bounded.add(match[0]);
  }
  for (const match of query.matchAll(QUOTED)) add(match[1] ?? match[2] ?? match[3] ?? '');
  return { literals: [...literals].sort(), bounded };
}

/** Whether `lowerText` (an item's text, lower-cased) contains `literal` (respecting number boundaries). */
export function containsAnchor(anchors: QueryAnchorSet, lowerText: string, literal: string): boolean {
  if (!anchors.bounded.has(literal)) return lowerText.includes(literal);
  for (let at = lowerText.indexOf(literal); at >= 0; at = lowerText.indexOf(literal, at + 1)) {
    const before = lowerText.charCodeAt(at - 1);
    const after = lowerText.charCodeAt(at + literal.length);
    if (!isWordChar(before) && !isWordChar(after)) return true;
  }
  return false;
}

function isWordChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || code === 95;
}

/** The most items a value may match and still single items out: a tenth of them, at least 3. */
export function singlingOutLimit(n: number): number {
  return Math.max(3, Math.ceil(0.1 * n));
}

/**
 * Items containing a query anchor. An anchor found in more than a tenth of
 * the items (at least 3) does not single anything out — a year, a domain every
 * row has — and is ignored rather than making the whole array "critical".
 */
export function anchorMatches(anchors: QueryAnchorSet, lowerTexts: readonly string[]): Set<number> {
  const matched = new Set<number>();
  const limit = singlingOutLimit(lowerTexts.length);
  for (const literal of anchors.literals) {
    const hits: number[] = [];
    for (let i = 0; i < lowerTexts.length && hits.length <= limit; i++) if (containsAnchor(anchors, lowerTexts[i] ?? '', literal)) hits.push(i);
    if (hits.length <= limit) for (const index of hits) matched.add(index);
  }
  return matched;
}
