/**
 * The shape of a tool output's items, as a short stable hash: the sorted
 * field names of the first items with the JSON type each holds. Learned
 * feedback is keyed by tool name and shape, so hints from one API listing
 * apply to the next listing of the same kind and not to unrelated output.
 * Values never enter the hash: two listings with different rows share it.
 */
import { createHash } from 'node:crypto';
import type { RawNode } from '../json/index.js';

/** How many leading items decide the shape (enough to see optional fields, cheap on 10,000 items). */
export const SHAPE_SAMPLE_SIZE = 5;

/** `object:<hash>` for arrays of objects, `<type>` for arrays of one scalar type, `mixed` otherwise, `empty` for []. */
export function itemsShape(items: readonly RawNode[]): string {
  const sample = items.slice(0, SHAPE_SAMPLE_SIZE);
  if (sample.length === 0) return 'empty';
  const types = new Set(sample.map((item) => item.type));
  if (types.size > 1) return 'mixed';
  const [type] = types;
  if (type !== 'object') return String(type);
  const fields = new Map<string, Set<string>>();
  for (const item of sample) {
    if (item.type !== 'object') continue;
    for (const entry of item.entries) {
      const seen = fields.get(entry.key) ?? new Set<string>();
      seen.add(entry.value.type);
      fields.set(entry.key, seen);
    }
  }
  const signature = [...fields.entries()]
    .map(([field, seen]) => `${field}:${[...seen].sort().join('|')}`)
    .sort()
    .join('\n');
  return `object:${createHash('sha256').update(signature).digest('hex').slice(0, 16)}`;
}
