/**
 * CCR keys: every original behind a marker is stored under the first 24 hex
 * characters of the SHA-256 of its UTF-8 text. One key length and one
 * validator for every producer, so markers, the store and the retrieval tool
 * can never disagree about what a key looks like.
 */
import { createHash } from 'node:crypto';

export const CCR_KEY_LENGTH = 24;

const KEY_SHAPE = /^[0-9a-f]{24}$/;

/** The key an original is stored under: SHA-256 of its UTF-8 bytes, first 24 lowercase hex characters. */
export function ccrKey(original: string): string {
  return createHash('sha256').update(original, 'utf8').digest('hex').slice(0, CCR_KEY_LENGTH);
}

/** True for exactly 24 lowercase hex characters, the shape `ccrKey` produces. */
export function isCcrKey(text: string): boolean {
  return KEY_SHAPE.test(text);
}
