/**
 * Content hashes. `content_hash` keeps the reference's definition (MD5 of the
 * UTF-8 text, first 16 hex characters) so hashes line up across tools.
 */
import { createHash } from 'node:crypto';

export function contentHash(text: string): string {
  return createHash('md5').update(text).digest('hex').slice(0, 16);
}

/** Stable hashes of larger structures (prefixes, message lists). */
export function shortSha256(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
