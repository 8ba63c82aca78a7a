/**
 * The terms BM25 compares: lower-cased UUIDs, standalone numbers of four or
 * more digits and words (`[a-z0-9_]+`). UUIDs come first in the alternation so
 * one stays a single term instead of five fragments; a long number is its own
 * term so an id like `48213` only matches itself.
 */
const TERM = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b\d{4,}\b|[a-z0-9_]+/g;

/** Every term of `text`, in order, repeats kept (BM25 counts them). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TERM) ?? [];
}

/**
 * English function words, dropped from the query only: they say nothing about
 * which item is meant, and without this list a question ("what is the status
 * of the job") would make every item containing "the" look relevant.
 */
const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my no not of on or our please show so than that the their them then there these they this those to ' +
    'was we were what when where which who why will with would you your all any about give get find list tell'
  ).split(' '),
);

/**
 * The query's terms that can single out items: stop words and one-character
 * words removed, repeats kept (BM25 weights a term by its query frequency).
 */
export function queryTerms(query: string): string[] {
  return tokenize(query).filter((term) => term.length > 1 && !STOP_WORDS.has(term));
}
