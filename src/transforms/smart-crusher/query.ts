/**
 * The text items are scored against: what the user last asked plus the
 * values the producing tool was called with (a search term, an id, a path).
 */
import type { JsonValue } from '../../json/index.js';
import type { TransformContext } from '../types.js';

/** The user's query and the call's argument values, one per line; null when there is neither. */
export function queryText(context: Pick<TransformContext, 'request' | 'call'>): string | null {
  const parts: string[] = [];
  const query = context.request.query?.trim();
  if (query) parts.push(query);
  if (context.call) collectScalars(context.call.arguments, parts);
  return parts.length > 0 ? parts.join('\n') : null;
}

/** String and number leaves of the arguments, in document order (keys are the tool's vocabulary, not the user's). */
function collectScalars(value: JsonValue, out: string[]): void {
  if (typeof value === 'string') {
    if (value.trim() !== '') out.push(value.trim());
  } else if (typeof value === 'number') {
    out.push(String(value));
  } else if (Array.isArray(value)) {
    for (const item of value) collectScalars(item, out);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collectScalars(item, out);
  }
}
