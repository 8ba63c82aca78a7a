/**
 * The `headroom_retrieve` tool offered to the model next to compressed
 * content, in each provider's tool shape, and the item filter its `query`
 * argument (and `headroom retrieve --query`) applies to an original.
 *
 * The JSON text is a constant per dialect: the tools list is part of the
 * cached prompt prefix, so it must be byte-identical on every request.
 */
import { arrayElementRanges, minifyJson, parseRawJson } from '../json/index.js';
import type { Dialect } from '../formats/types.js';

/**
 * A handler that answers this tool (a library or SDK integration) looks the
 * hash up in the CCR store, returns retrieveItems(original, query), and
 * records the retrieval with recordRetrieval (src/feedback/record.ts), the
 * one function `headroom retrieve` records through too, so both teach the
 * same hints (`headroom toin`).
 */
export const RETRIEVAL_TOOL_NAME = 'headroom_retrieve';

const DESCRIPTION =
  'Get back content that headroom shortened to save tokens. A shortened tool result carries a marker ' +
  '"[headroom: omitted <count> <unit> …; headroom_retrieve hash=<hash>]"; call this tool with that hash ' +
  'when you need what was omitted. Returns the original text exactly, or with query, only the items or lines that match.';

const PARAMETERS = {
  type: 'object',
  properties: {
    hash: { type: 'string', description: 'the hash= value from a [headroom: omitted …] marker' },
    query: { type: 'string', description: 'return only items/lines containing this text' },
  },
  required: ['hash'],
};

const TOOL_JSON: Readonly<Record<Dialect, string>> = {
  'openai-chat': JSON.stringify({ type: 'function', function: { name: RETRIEVAL_TOOL_NAME, description: DESCRIPTION, parameters: PARAMETERS } }),
  'openai-responses': JSON.stringify({ type: 'function', name: RETRIEVAL_TOOL_NAME, description: DESCRIPTION, parameters: PARAMETERS }),
  anthropic: JSON.stringify({ name: RETRIEVAL_TOOL_NAME, description: DESCRIPTION, input_schema: PARAMETERS }),
  // One function declaration; the caller puts it inside a Tool's functionDeclarations.
  gemini: JSON.stringify({ name: RETRIEVAL_TOOL_NAME, description: DESCRIPTION, parameters: PARAMETERS }),
};

/** The retrieval tool as compact JSON text in the dialect's tool shape (the same bytes on every call). */
export function retrievalToolJson(dialect: Dialect): string {
  const json = TOOL_JSON[dialect];
  if (json === undefined) throw new Error(`unknown tool dialect ${JSON.stringify(dialect)}`);
  return json;
}

/**
 * Whether a tools list (parsed JSON, or JSON text) already holds a tool named
 * headroom_retrieve, in any provider's shape: OpenAI chat `{function:{name}}`,
 * OpenAI Responses / Anthropic / bare declarations `{name}`, Gemini
 * `{functionDeclarations:[{name}]}` (or `function_declarations`).
 */
export function hasRetrievalTool(toolsJson: unknown): boolean {
  let tools = toolsJson;
  if (typeof tools === 'string') {
    try {
      tools = JSON.parse(tools);
    } catch {
      return false;
    }
  }
  const list = Array.isArray(tools) ? tools : [tools];
  return list.some((tool) => {
    if (!isObject(tool)) return false;
    if (tool['name'] === RETRIEVAL_TOOL_NAME) return true;
    const fn = tool['function'];
    if (isObject(fn) && fn['name'] === RETRIEVAL_TOOL_NAME) return true;
    const declarations = tool['functionDeclarations'] ?? tool['function_declarations'];
    return Array.isArray(declarations) && declarations.some((d) => isObject(d) && d['name'] === RETRIEVAL_TOOL_NAME);
  });
}

/**
 * What a retrieval returns. Without a query (or a blank one): the original,
 * unchanged. With one: if the original is a JSON array, a compact JSON array
 * of the elements whose JSON text contains every whitespace-separated term
 * (case-insensitive), each element's own text kept (numbers are never
 * re-printed); if it is a JSON object (the entries dropped from a map), a
 * compact object of the entries that match the same way; otherwise the lines
 * containing every term, joined by "\n".
 */
export function retrieveItems(original: string, query?: string): string {
  const terms = queryTerms(query);
  if (terms.length === 0) return original;
  const matches = (text: string): boolean => terms.every((term) => text.includes(term));

  const elements = jsonElements(original);
  if (elements !== null) {
    const kept = elements.items.filter((raw) => {
      const compact = raw.toLowerCase();
      if (matches(compact)) return true;
      // Also match escaped text as the model reads it ("\u00e9" as "é").
      return compact.includes('\\') && matches(JSON.stringify(JSON.parse(elements.open === '{' ? `{${raw}}` : raw)).toLowerCase());
    });
    return `${elements.open}${kept.join(',')}${elements.open === '{' ? '}' : ']'}`;
  }
  return original
    .split('\n')
    .filter((line) => matches(line.toLowerCase()))
    .join('\n');
}

/** The words of a retrieval query, lower-cased; none for a blank or absent query (a full retrieval). */
export function queryTerms(query: string | null | undefined): string[] {
  return (query ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((term) => term.length > 0);
}

/**
 * The elements of a JSON array, or the `"key":value` entries of a JSON
 * object, as compact JSON text cut from the original (whitespace outside
 * strings removed, everything else as written); null for other text.
 */
export function jsonElements(text: string): { open: '[' | '{'; items: string[] } | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return null;
  // Minifying validates (as strictly as JSON.parse) and keeps every literal as written.
  const compact = minifyJson(trimmed);
  if (compact === null) return null;
  if (compact.startsWith('[')) return { open: '[', items: (arrayElementRanges(compact) ?? []).map(({ start, end }) => compact.slice(start, end)) };
  const doc = parseRawJson(compact);
  if (doc === null || doc.root.type !== 'object') return null;
  return { open: '{', items: doc.root.entries.map((entry) => compact.slice(entry.keyStart, entry.value.end)) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The elements of a JSON array as compact text (see jsonElements); null for anything else, a JSON object included. */
export function jsonArrayElements(text: string): string[] | null {
  const elements = jsonElements(text);
  return elements?.open === '[' ? elements.items : null;
}
