/**
 * Turning one retrieval into what TOIN learns. When `headroom retrieve` (or
 * the retrieval tool, when a library or SDK answers it) returns items of a
 * stored JSON array — what smart_crusher drops behind a selection marker —
 * the retrieval is recorded under the tool's name and the items' shape:
 * a full retrieval as a count, a query retrieval as the fields whose values
 * contained a query word, with those values. Every caller records through
 * recordRetrieval, so the CLI and the tool learn the same way.
 */
import { jsonArrayElements, queryTerms, retrieveItems } from '../ccr/retrieval-tool.js';
import { parseRawJson, rawText, type RawDocument, type RawNode } from '../json/index.js';
import { itemsShape, SHAPE_SAMPLE_SIZE } from './shape.js';

/** One retrieval, as it is counted. */
export interface RetrievalEvent {
  readonly toolName: string | null;
  readonly shape: string;
  readonly kind: 'full' | 'query';
  /** Query retrievals: per field, the values (of the returned items) that contained a query word, each once. */
  readonly fields: readonly { readonly field: string; readonly values: readonly string[] }[];
}

/** Where retrievals are counted (SqliteFeedbackWriter, MemoryFeedbackStore). */
export interface FeedbackRecorder {
  record(event: RetrievalEvent): void;
}

/** What was retrieved: a CCR entry's original and the tool whose output it came from. */
export interface RetrievedOriginal {
  readonly toolName: string | null;
  readonly original: string;
}

/** Values longer than this are not learned: a hint is matched by equality, and long text (a message body) never repeats. */
export const MAX_LEARNED_VALUE_LENGTH = 100;
/** Distinct values learned per field from one retrieval: a broad query that returns hundreds of items teaches little about each. */
export const MAX_VALUES_PER_RETRIEVAL = 20;

/** Unpaired UTF-16 surrogates: SQLite would store them as U+FFFD, and the value would never match again. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What a retrieval of `retrieved` with `query` (none or blank: the whole
 * original) teaches, or null when the original is not a JSON array (lines,
 * rows of text: nothing is keyed by item shape there). `returned` is what
 * the retrieval returned (retrieveItems(original, query)), when the caller
 * has it at hand; otherwise it is computed again.
 */
export function retrievalEvent(retrieved: RetrievedOriginal, query?: string | null, returned?: string): RetrievalEvent | null {
  // The same test retrieveItems applies: an original it filters item by item.
  const elements = jsonArrayElements(retrieved.original);
  if (elements === null) return null;
  // The shape of the stored items (the dropped part of the array), not of the matches: it must not depend on
  // the query. itemsShape reads only the first items, so only those are parsed (an original may hold 10,000).
  const sample = parseRawJson(`[${elements.slice(0, SHAPE_SAMPLE_SIZE).join(',')}]`);
  const shape = itemsShape(sample?.root.type === 'array' ? sample.root.items : []);
  const terms = queryTerms(query);
  if (terms.length === 0) return { toolName: retrieved.toolName, shape, kind: 'full', fields: [] };
  const doc = parseRawJson(returned ?? retrieveItems(retrieved.original, query ?? ''));
  const items = doc?.root.type === 'array' ? doc.root.items : [];
  return { toolName: retrieved.toolName, shape, kind: 'query', fields: matchedFields(doc, items, terms) };
}

/** Records what a retrieval teaches (see retrievalEvent); returns it, or null when nothing was recorded. */
export function recordRetrieval(recorder: FeedbackRecorder, retrieved: RetrievedOriginal, query?: string | null, returned?: string): RetrievalEvent | null {
  const event = retrievalEvent(retrieved, query, returned);
  if (event !== null) recorder.record(event);
  return event;
}

/**
 * Per top-level field of the returned objects, the scalar values that
 * contain a query word (case-insensitive), in item order. A value is text as
 * a compressor compares it: a string's decoded value, a number's literal as
 * written, `true`/`false`. Nulls, objects and arrays are not values to match.
 */
function matchedFields(doc: RawDocument | null, items: readonly RawNode[], terms: readonly string[]): RetrievalEvent['fields'] {
  if (doc === null) return [];
  const fields = new Map<string, Set<string>>();
  for (const item of items) {
    if (item.type !== 'object') continue;
    for (const { key, value } of item.entries) {
      const text = scalarText(doc, value);
      if (text === null || text.length > MAX_LEARNED_VALUE_LENGTH || key.length > MAX_LEARNED_VALUE_LENGTH) continue;
      if (LONE_SURROGATE.test(text) || LONE_SURROGATE.test(key)) continue;
      const lower = text.toLowerCase();
      if (!terms.some((term) => lower.includes(term))) continue;
      const values = fields.get(key) ?? new Set<string>();
      if (values.size < MAX_VALUES_PER_RETRIEVAL) values.add(text);
      fields.set(key, values);
    }
  }
  return [...fields.entries()].map(([field, values]) => ({ field, values: [...values] }));
}

function scalarText(doc: RawDocument, node: RawNode): string | null {
  if (node.type === 'string') return node.value;
  if (node.type === 'number') return rawText(doc, node);
  if (node.type === 'boolean') return String(node.value);
  return null;
}
