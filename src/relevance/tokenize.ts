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
