/**
 * Normalized Shannon entropy: the entropy of a string's character
 * frequencies divided by log2 of its length, the most a string of that
 * length can have. 0 for `aaaaaaaa`, near 1 when every character differs.
 * The reference's detector uses this form (its SmartCrusher divides by the
 * distinct-character count instead; that is a different question).
 */
export function normalizedEntropy(text: string): number {
  const length = text.length;
  if (length <= 1) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const n of counts.values()) {
    const p = n / length;
    entropy -= p * Math.log2(p);
  }
  return entropy / Math.log2(length);
}
