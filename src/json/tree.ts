/**
 * A lossless tree over JSON text: every node knows where its literal is in
 * the text, strings carry their decoded value, and numbers are never
 * converted — a node's exact bytes are `text.slice(node.start, node.end)`.
 * Compressors that pick, reorder or re-lay-out values (SmartCrusher, the
 * tabular encoder) read this tree and copy literals from the text, so a
 * 64-bit id or `1.50` comes out exactly as it went in.
 *
 * Containers nested deeper than MAX_TREE_DEPTH become `opaque` nodes (their
 * text is still exact); nothing here recurses without a bound.
 */
import { skipString, skipValue, skipWs } from './scan.js';

/** Containers below this depth are kept as opaque spans instead of being walked. */
export const MAX_TREE_DEPTH = 64;

interface Span {
  /** UTF-16 offset of the literal's first character. */
  readonly start: number;
  /** Offset just past the literal. */
  readonly end: number;
}

export interface RawEntry {
  /** The decoded key. */
  readonly key: string;
  /** Offset of the key's opening quote. */
  readonly keyStart: number;
  readonly value: RawNode;
}

export type RawNode =
  | (Span & { readonly type: 'object'; readonly entries: readonly RawEntry[] })
  | (Span & { readonly type: 'array'; readonly items: readonly RawNode[] })
  | (Span & { readonly type: 'string'; readonly value: string })
  | (Span & { readonly type: 'number' })
  | (Span & { readonly type: 'boolean'; readonly value: boolean })
  | (Span & { readonly type: 'null' })
  /** A container deeper than MAX_TREE_DEPTH: valid JSON, not walked. */
  | (Span & { readonly type: 'opaque' });

export type RawNodeType = RawNode['type'];

/** A parsed document: the text and the tree over it. */
export interface RawDocument {
  readonly text: string;
  readonly root: RawNode;
}

/**
 * Parses `text` (one JSON value, whitespace around it allowed) into a raw
 * tree, or returns null when it is not valid JSON. Validity is decided by
 * JSON.parse, so the scan below only walks text already known to be JSON.
 */
export function parseRawJson(text: string): RawDocument | null {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  const start = skipWs(text, 0);
  return { text, root: nodeAt(text, start, 0) };
}

/** The exact text of `node` in `doc`. */
export function rawText(doc: RawDocument, node: RawNode): string {
  return doc.text.slice(node.start, node.end);
}

/** The number a `number` node holds, as a double (for statistics only; emit `rawText` instead). */
export function numberValue(doc: RawDocument, node: RawNode): number {
  return Number(doc.text.slice(node.start, node.end));
}

/** The entry of `object` under `key` (the last one when a key repeats, as JSON.parse does), or undefined. */
export function entryOf(node: RawNode, key: string): RawEntry | undefined {
  if (node.type !== 'object') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) {
    const entry = node.entries[i];
    if (entry !== undefined && entry.key === key) return entry;
  }
  return undefined;
}

const QUOTE = 0x22;
const LBRACE = 0x7b;
const LBRACKET = 0x5b;
const RBRACE = 0x7d;
const RBRACKET = 0x5d;
const LOWER_T = 0x74;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const BACKSLASH = '\\';

function decodeString(text: string, start: number, end: number): string {
  const inner = text.slice(start + 1, end - 1);
  return inner.includes(BACKSLASH) ? (JSON.parse(text.slice(start, end)) as string) : inner;
}

function nodeAt(text: string, start: number, depth: number): RawNode {
  const c = text.charCodeAt(start);
  if (c === QUOTE) {
    const end = skipString(text, start);
    return { type: 'string', start, end, value: decodeString(text, start, end) };
  }
  if (c === LBRACE || c === LBRACKET) {
    if (depth >= MAX_TREE_DEPTH) return { type: 'opaque', start, end: skipValue(text, start) };
    return c === LBRACE ? objectAt(text, start, depth) : arrayAt(text, start, depth);
  }
  const end = skipValue(text, start);
  if (c === LOWER_T) return { type: 'boolean', start, end, value: true };
  if (c === LOWER_F) return { type: 'boolean', start, end, value: false };
  if (c === LOWER_N) return { type: 'null', start, end };
  return { type: 'number', start, end };
}

function objectAt(text: string, start: number, depth: number): RawNode {
  const entries: RawEntry[] = [];
  let p = skipWs(text, start + 1);
  if (text.charCodeAt(p) === RBRACE) return { type: 'object', start, end: p + 1, entries };
  for (;;) {
    const keyStart = p;
    const keyEnd = skipString(text, keyStart);
    const key = decodeString(text, keyStart, keyEnd);
    // Past the colon and the whitespace around it.
    p = skipWs(text, skipWs(text, keyEnd) + 1);
    const value = nodeAt(text, p, depth + 1);
    entries.push({ key, keyStart, value });
    p = skipWs(text, value.end);
    if (text.charCodeAt(p) === RBRACE) return { type: 'object', start, end: p + 1, entries };
    // A comma, then the next key.
    p = skipWs(text, p + 1);
  }
}

function arrayAt(text: string, start: number, depth: number): RawNode {
  const items: RawNode[] = [];
  let p = skipWs(text, start + 1);
  if (text.charCodeAt(p) === RBRACKET) return { type: 'array', start, end: p + 1, items };
  for (;;) {
    const item = nodeAt(text, p, depth + 1);
    items.push(item);
    p = skipWs(text, item.end);
    if (text.charCodeAt(p) === RBRACKET) return { type: 'array', start, end: p + 1, items };
    p = skipWs(text, p + 1);
  }
}
