/**
 * What makes a prose segment worth keeping, besides relevance to the query
 * (BM25, src/relevance): its salience — the share of its words that carry
 * facts a summary cannot restore (numbers, names, code, negations, dates,
 * error words) — and its position (openings and endings state topics and
 * conclusions). And what makes it redundant: most of its word 3-shingles
 * were already kept.
 */

/** Words that are salient however they are written (lower-case, punctuation trimmed). */
const SALIENT_WORDS = new Set(
  (
    'error errors exception failed failure fail fails warning traceback assert todo fixme ' +
    // Negations flip a sentence's meaning: dropping one inverts what the model reads.
    'not no never none nothing cannot without neither nor ' +
    'january february march april may june july august september october november december ' +
    'monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow'
  ).split(' '),
);

/** The share of `segment`'s words that are salient, in [0, 1). */
export function salience(segment: string): number {
  const tokens = segment.split(/\s+/).filter((token) => token.length > 0);
  if (tokens.length === 0) return 0;
  let salient = 0;
  for (const [index, token] of tokens.entries()) if (isSalient(token, index === 0)) salient++;
  return salient / (tokens.length + 1);
}

function isSalient(token: string, first: boolean): boolean {
  if (/\d/.test(token)) return true;
  // Code: `inline code`, snake_case, camelCase, calls, flags, dotted names.
  if (/`|\w_\w|\p{Ll}\p{Lu}|\w\(|^--?\w|\p{L}\.\p{L}/u.test(token)) return true;
  const word = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}']+$/gu, '');
  if (word.length === 0) return false;
  const lower = word.toLowerCase();
  if (SALIENT_WORDS.has(lower) || lower.endsWith("n't")) return true;
  if (word.length >= 2 && /^\p{Lu}+$/u.test(word)) return true;
  // A capitalised word inside a sentence is a name (a product, a person, a place).
  return !first && /^\p{Lu}\p{Ll}/u.test(word);
}

/** U-shaped: the first and last segments score 1, the middle one about 0.5. */
export function positionScore(index: number, count: number): number {
  if (count <= 1) return 1;
  return Math.max(1 - index / count, (index + 1) / count);
}

/**
 * Word 3-shingles of a segment (lower-cased letters and digits), as strings;
 * a segment of fewer than three words is one shingle of all of them.
 */
export function shingles(segment: string): string[] {
  const words = segment.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return [];
  if (words.length < 3) return [words.join(' ')];
  const out: string[] = [];
  for (let i = 0; i + 3 <= words.length; i++) out.push(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}

/** Whether at least `threshold` of `segmentShingles` are already in `kept`. */
export function isNearDuplicate(segmentShingles: readonly string[], kept: ReadonlySet<string>, threshold: number): boolean {
  if (segmentShingles.length === 0) return false;
  let seen = 0;
  for (const shingle of segmentShingles) if (kept.has(shingle)) seen++;
  return seen / segmentShingles.length >= threshold;
}
