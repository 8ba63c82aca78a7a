/**
 * The terms BM25 compares: lower-cased UUIDs, standalone numbers of four or
 * more digits and words (`[a-z0-9_]+`). UUIDs come first in the alternation so
 * one stays a single term instead of five fragments; a long number is its own
 * term so an id like `48213` only matches itself.
 */
const TERM = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b\d{4,}\b|[a-z0-9_]+/g;

/**
 * A light English suffix strip, the same on both sides, so a question about
 * "errors" or "failing" finds items with an `error` field or "failed" status.
 * Only inflections are removed (plural, -ing, -ed): derivations would merge
 * unrelated words. Terms with digits (ids, versions) are left whole.
 */
export function stem(term: string): string {
  if (/\d/.test(term) || term.length <= 3) return term;
  if (term.endsWith('ies') && term.length > 4) return `${term.slice(0, -3)}y`;
  if (term.endsWith('sses')) return term.slice(0, -2);
  if (/(?:ch|sh|x|z)es$/.test(term)) return term.slice(0, -2);
  if (term.endsWith('s') && !/(?:ss|us|is)$/.test(term)) return term.slice(0, -1);
  if (term.endsWith('ing') && term.length > 5) return term.slice(0, -3);
  if (term.endsWith('ed') && term.length > 4) return term.slice(0, -2);
  return term;
}

/** Every term of `text`, stemmed, in order, repeats kept (BM25 counts them). */
export function tokenize(text: string): string[] {
  return words(text).map(stem);
}

/** The unstemmed words of `text`, lower-cased (what `tokenize` stems). */
export function words(text: string): string[] {
  return text.toLowerCase().match(TERM) ?? [];
}

/**
 * How many words `words(text)` returns, given `lowered` = `text.toLowerCase()`,
 * without making them: the same scan as TERM, by hand. A term starts at a character of [a-z0-9_] (every
 * alternative's first character is one); there a UUID is taken whole, else
 * the run of [a-z0-9_] (a standalone number of four or more digits ends
 * where that run ends, so it is the same term).
 */
export function countWords(lowered: string): number {
  const n = lowered.length;
  let count = 0;
  for (let p = 0; p < n;) {
    if (!isTermChar(lowered.charCodeAt(p))) {
      p++;
      continue;
    }
    count++;
    if (isUuidAt(lowered, p)) {
      p += 36;
      continue;
    }
    while (p < n && isTermChar(lowered.charCodeAt(p))) p++;
  }
  return count;
}

function isTermChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/** A lower-case UUID (8-4-4-4-12 hex digits) starting at `at`. */
function isUuidAt(text: string, at: number): boolean {
  if (at + 36 > text.length) return false;
  for (let i = 0; i < 36; i++) {
    const c = text.charCodeAt(at + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
    } else if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) {
      return false;
    }
  }
  return true;
}

/**
 * Substrings one of which a text must hold for a word of it to stem to one
 * of `terms`: the stem itself (every rule but one strips a suffix, so the
 * stem starts the word), or for a stem ending in `y`, the `-ies` form it came from.
 */
export function termClues(terms: Iterable<string>): string[] {
  const clues = new Set<string>();
  for (const term of terms) {
    clues.add(term);
    if (term.endsWith('y')) clues.add(`${term.slice(0, -1)}ies`);
  }
  return [...clues];
}

/**
 * English function words and request verbs, dropped from the query only: they
 * say nothing about which item is meant, and without this list a question
 * ("what is the status of the job") would make the few items whose text holds
 * "the" look relevant (batch IDF rates a word rare in the batch highly). Words
 * that are also data (`get` as an HTTP method, `list`) are not in it.
 */
const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my no not of on or our please show so than that the their them then there these they this those to ' +
    'was we were what when where which who why will with would you your all any about give find tell'
  ).split(' '),
);

/**
 * The query's terms that can single out items: stop words and one-character
 * words removed, repeats kept (BM25 weights a term by its query frequency).
 */
export function queryTerms(query: string): string[] {
  return words(query)
    .filter((term) => term.length > 1 && !STOP_WORDS.has(term))
    .map(stem);
}
