/**
 * The encoder's walk over one JSON document: every array of objects, at any
 * depth (and inside JSON held in a string field), is re-laid-out in the
 * smallest of its candidate layouts when that beats its compact JSON by the
 * configured margin. Children are encoded before their parents, so a table
 * cell can hold a nested table.
 *
 * The top-level array of a text output becomes the table text itself; an
 * array anywhere else becomes a JSON string holding the table, so the
 * document stays JSON and `decodeTables` can find it again.
 *
 * Token counts are real (`count`, the request's tokenizer) and taken as the
 * rows are written, a few kilobytes of rows at a time: a candidate stops
 * being counted once it costs more than the best so far, and no whole
 * candidate is built to be measured.
 */
import { minifyJson } from '../../json/minify.js';
import { skipString } from '../../json/scan.js';
import { parseRawJson, type RawDocument, type RawNode } from '../../json/tree.js';
import { candidateLayouts, type Layout, type LayoutKind, type LayoutSettings } from './layout.js';
import { readsAsTable } from './decode.js';
import { holdsJson, isMarkerLine } from './recognize.js';
import type { Encoded, EncodedEntry } from './values.js';

export interface EncodeSettings extends LayoutSettings {
  /** A layout is used only when it saves at least this share of the array's tokens. */
  readonly minSavingsRatio: number;
}

export interface EncodeOptions {
  readonly settings: EncodeSettings;
  count(text: string): number;
  /** The top-level array may become plain table text (false for a structured tool output, which must stay JSON). */
  readonly rootAsText: boolean;
  /** Tokens of a text already counted (the block's), so a top-level array that is exactly that text is not counted twice. */
  readonly known?: { readonly text: string; readonly tokens: number };
}

/** One array the encoder re-laid-out. */
export interface ArrayChoice {
  readonly kind: LayoutKind;
  readonly discriminator: string | null;
  readonly jsonTokens: number;
  readonly tokens: number;
}

export interface EncodeResult {
  /** The document with its arrays re-laid-out (compact JSON, or table text for a top-level array). */
  readonly text: string;
  readonly choices: readonly ArrayChoice[];
  /**
   * A string of the input already reads as a table to `decodeTables`
   * (e.g. it was encoded before): encoding would not decode back, so the
   * caller must leave the document alone.
   */
  readonly ambiguous: boolean;
}

/** Where the JSON being walked sits: how many string escapings deep, and whether it is the root of the output. */
interface Place {
  readonly level: number;
  readonly root: boolean;
}

/** Characters of layout text counted in one call: long enough to amortize a call, short enough to stop a losing layout early. */
const COUNT_BATCH = 4096;

/** The place of every value below the root of the block's own JSON (shared: most of a document is there). */
const NESTED: Place = { level: 0, root: false };

class Walker {
  readonly choices: ArrayChoice[] = [];
  ambiguous = false;

  /** The last literal seen for each key: thousands of rows spell their keys the same way. */
  private readonly literals = new Map<string, string>();

  constructor(private readonly options: EncodeOptions) {}

  /** The literal of the key at `start`, shared with earlier rows that wrote it the same way (a literal ends itself, so a prefix match is a match). */
  private keyLiteral(text: string, key: string, start: number): string {
    const known = this.literals.get(key);
    if (known !== undefined && text.startsWith(known, start)) return known;
    const literal = text.slice(start, skipString(text, start));
    this.literals.set(key, literal);
    return literal;
  }

  node(doc: RawDocument, node: RawNode, place: Place): Encoded {
    const text = doc.text;
    switch (node.type) {
      case 'string':
        return this.string(text.slice(node.start, node.end), node.value, place.level);
      case 'object': {
        const entries: EncodedEntry[] = node.entries.map((entry) => ({
          key: entry.key,
          literal: this.keyLiteral(text, entry.key, entry.keyStart),
          value: this.node(doc, entry.value, place.level === 0 ? NESTED : { level: place.level, root: false }),
        }));
        // Unchanged and already compact: the input's own span, not a rebuilt copy (most of a large document).
        const size = entries.reduce((sum, entry) => sum + entry.literal.length + 1 + entry.value.text.length, 1 + entries.length);
        const asWritten = entries.every((entry) => entry.value.asWritten) && size === node.end - node.start;
        const compact = asWritten ? text.slice(node.start, node.end) : `{${entries.map((entry) => `${entry.literal}:${entry.value.text}`).join(',')}}`;
        return { kind: 'object', text: compact, entries, asWritten };
      }
      case 'array': {
        const child = place.level === 0 ? NESTED : { level: place.level, root: false };
        const items = node.items.map((item) => this.node(doc, item, child));
        const size = items.reduce((sum, item) => sum + item.text.length, 1 + Math.max(1, items.length));
        const asWritten = items.every((item) => item.asWritten) && size === node.end - node.start;
        return this.array(items, asWritten ? text.slice(node.start, node.end) : null, place);
      }
      case 'opaque': {
        const raw = text.slice(node.start, node.end);
        const compact = minifyJson(raw) ?? raw;
        return { kind: 'other', text: compact, asWritten: compact === raw };
      }
      default:
        return { kind: 'other', text: text.slice(node.start, node.end), asWritten: true };
    }
  }

  /** A string; one holding compact JSON is walked too, and rewritten when its arrays were. */
  private string(literal: string, value: string, level: number): Encoded {
    if (readsAsTable(value)) this.ambiguous = true;
    const unchanged: Encoded = { kind: 'string', text: literal, value, asWritten: true };
    if (!holdsJson(value)) return unchanged;
    const inner = parseRawJson(value);
    if (inner === null) return unchanged;
    const encoded = this.node(inner, inner.root, { level: level + 1, root: false }).text;
    // Only a string written canonically, holding compact JSON, decodes back to its own bytes.
    if (encoded === value || JSON.stringify(value) !== literal || minifyJson(value) !== value) return unchanged;
    return { kind: 'string', text: JSON.stringify(encoded), value: encoded, asWritten: false };
  }

  /** An array whose items are encoded; `written` is its text when that is unchanged and compact. */
  private array(items: readonly Encoded[], written: string | null, place: Place): Encoded {
    const json = written ?? `[${items.map((item) => item.text).join(',')}]`;
    const unchanged: Encoded = { kind: 'other', text: json, asWritten: written !== null };
    const rows = tableRows(items);
    const asText = place.root && this.options.rootAsText;
    if (rows === null || (place.root && !asText)) return unchanged;
    const known = this.options.known;
    const jsonTokens = known !== undefined && known.text === json ? known.tokens : countAt(json, place.level, this.options.count);
    const choice = this.cheapest(candidateLayouts(rows, this.options.settings), jsonTokens, asText ? 0 : place.level + 1);
    if (choice === null) return unchanged;
    this.choices.push({ kind: choice.layout.kind, discriminator: choice.layout.discriminator, jsonTokens, tokens: choice.tokens });
    const table = choice.text;
    return asText ? { kind: 'other', text: table, asWritten: false } : { kind: 'string', text: JSON.stringify(table), value: table, asWritten: false };
  }

  /**
   * The layout with the fewest tokens that saves at least the configured
   * share, or null. Lines are counted in batches of about COUNT_BATCH
   * characters (a batch is real text of the layout, line breaks included),
   * and a layout stops being counted once it costs more than the best so far.
   */
  private cheapest(layouts: readonly Layout[], jsonTokens: number, level: number): { layout: Layout; tokens: number; text: string } | null {
    let limit = Math.min(jsonTokens - 1, Math.floor(jsonTokens * (1 - this.options.settings.minSavingsRatio)));
    let best: { layout: Layout; tokens: number; text: string } | null = null;
    for (const layout of layouts) {
      // A table inside a JSON string pays for its quotes.
      let tokens = level === 0 ? 0 : 2;
      // The counted batches, kept: joined, they are the layout's text.
      const batches: string[] = [];
      let batch = '';
      // Whether `batch` holds a line yet (a line may be empty: a row whose cells are all in the header).
      let open = false;
      for (const line of layout.lines()) {
        batch = open ? `${batch}\n${line}` : line;
        open = true;
        if (batch.length < COUNT_BATCH) continue;
        tokens += countAt(batch, level, this.options.count) + 1;
        batches.push(batch);
        batch = '';
        open = false;
        if (tokens > limit) break;
      }
      if (tokens <= limit && open) {
        tokens += countAt(batch, level, this.options.count);
        batches.push(batch);
      }
      if (tokens <= limit) {
        best = { layout, tokens, text: batches.join('\n') };
        limit = tokens - 1;
      }
    }
    return best;
  }
}

/** The rows of an array the layouts take: at least two objects, then only selection-marker strings. */
function tableRows(items: readonly Encoded[]): { rows: (readonly EncodedEntry[])[]; markers: string[] } | null {
  const rows: (readonly EncodedEntry[])[] = [];
  const markers: string[] = [];
  for (const item of items) {
    if (item.kind === 'object' && markers.length === 0) rows.push(item.entries);
    else if (item.kind === 'string' && isMarkerLine(item.value) && JSON.stringify(item.value) === item.text) markers.push(item.value);
    else return null;
  }
  return rows.length >= 2 ? { rows, markers } : null;
}

/** Tokens of `text` as it reads `level` JSON-string escapings deep. */
function countAt(text: string, level: number, count: (text: string) => number): number {
  let escaped = text;
  for (let i = 0; i < level; i++) escaped = JSON.stringify(escaped).slice(1, -1);
  return count(escaped);
}

/** Re-lays-out the arrays of objects of `doc` (see the module comment). */
export function encodeDocument(doc: RawDocument, options: EncodeOptions): EncodeResult {
  const walker = new Walker(options);
  const encoded = walker.node(doc, doc.root, { level: 0, root: true });
  return { text: encoded.text, choices: walker.choices, ambiguous: walker.ambiguous };
}
