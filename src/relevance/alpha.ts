/**
 * Adaptive hybrid weight: a query that names exact identifiers (UUIDs,
 * numeric ids, hostnames, e-mail addresses) is answered by the items that
 * contain them, which BM25 finds and embeddings blur, so such queries move the
 * weight toward BM25. The configured `hybrid_alpha` is a floor: adaptation
 * never lowers it.
 */
import type { QueryAnchors } from './anchors.js';

export function adaptiveAlpha(alpha: number, anchors: QueryAnchors): number {
  let pushed = 0;
  if (anchors.uuids.length > 0) pushed = 0.85;
  else if (anchors.numbers.length >= 2) pushed = 0.75;
  else if (anchors.numbers.length === 1) pushed = 0.65;
  else if (anchors.hosts.length > 0 || anchors.emails.length > 0) pushed = 0.6;
  return Math.max(alpha, pushed);
}
