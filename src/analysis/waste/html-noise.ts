/**
 * html_noise: HTML or XML markup around text the model only needs to read.
 * The rewrite is the text with tags, attributes, comments and the contents of
 * <script>/<style> removed, common entities decoded and whitespace collapsed.
 *
 * Angle brackets are everywhere in prompts (`List<String>`, `Map<K, V>`,
 * `a < b > c`, `<user@example.com>`, and XML-style prompt sections such as
 * `<instructions>` that are deliberate structure), so a tag only counts as
 * real markup when it has well-formed attributes (`<span class="x">`) or is a
 * bare lowercase name from a list of unambiguous HTML elements (`<div>`,
 * `</p>`, `<br/>`). A text needs MIN_REAL_TAGS of them before anything is
 * reported.
 *
 * To stay cheap, only regions around markup are counted: markup items less
 * than REGION_GAP characters apart are merged into one region, and each region
 * is counted before and after stripping.
 */
import { formatCount } from './describe.js';
import type { Span, SpanSet } from './spans.js';
import type { CountTokens, TextWasteFinding } from './types.js';

export const MIN_REAL_TAGS = 3;
const REGION_GAP = 160;
/** Attributes longer than this are not scanned as one tag (keeps the regex linear). */
const MAX_TAG_CHARS = 2000;

/**
 * Element names that mean HTML even without attributes. Names that double as
 * prompt-section tags or English words (`source`, `title`, `example`,
 * `section`, `summary`, `path`, `input`…) are left out on purpose.
 */
export const HTML_ELEMENTS = new Set([
  'html',
  'head',
  'body',
  'meta',
  'link',
  'script',
  'style',
  'noscript',
  'div',
  'span',
  'p',
  'a',
  'b',
  'i',
  'u',
  's',
  'em',
  'strong',
  'small',
  'sub',
  'sup',
  'br',
  'hr',
  'img',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
  'caption',
  'colgroup',
  'col',
  'form',
  'button',
  'select',
  'textarea',
  'fieldset',
  'legend',
  'iframe',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'nav',
  'figure',
  'figcaption',
  'blockquote',
  'pre',
  'code',
  'kbd',
  'abbr',
  'cite',
  'mark',
  'center',
  'font',
  'tt',
  'strike',
  'nobr',
  'wbr',
  'svg',
  'video',
  'audio',
  'embed',
]);

/** Elements that start a new line when rendered; stripping them leaves a line break so words do not merge. */
const BLOCK_ELEMENTS = new Set([
  'html',
  'head',
  'body',
  'div',
  'p',
  'br',
  'hr',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
  'caption',
  'form',
  'fieldset',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'nav',
  'figure',
  'figcaption',
  'blockquote',
  'pre',
  'header',
  'footer',
  'section',
  'article',
  'aside',
  'main',
  'title',
  'meta',
  'link',
  'option',
  'details',
  'summary',
]);

/** Elements whose whole content is markup for the model's purposes. */
const CONTENT_ELEMENTS = new Set(['script', 'style', 'noscript', 'svg']);

/** `<name …>` or `</name>` exactly at lastIndex (sticky); attributes are validated separately. */
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9:._-]*)([^<>]{0,2000})>/y;
/** A full attribute list: `name`, `name=value`, `name="…"`, `name='…'`, then an optional `/`. */
const ATTRIBUTES = /^(?:\s+[A-Za-z_:@][\w:.@-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*\/?$/;
const HAS_VALUE = /=\s*["']/;
const ENTITY = /&(?:nbsp|amp|lt|gt|quot|apos|#39|#x27);/g;
const ENTITY_TEXT: Record<string, string> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
  '&#39;': "'",
  '&#x27;': "'",
};

interface MarkupItem extends Span {
  /** What the item leaves behind when stripped: a line break for block elements. */
  replacement: string;
}

export interface HtmlNoiseOptions {
  /** Ranges already accounted for by another detector. */
  claimed?: SpanSet;
  /** Tokens of the whole text, when the caller already knows them. */
  textTokens?: number;
}

export interface HtmlNoiseDetection {
  finding: TextWasteFinding | null;
  /** The counted regions: later detectors must not count their whitespace again. */
  regions: Span[];
}

export function detectHtmlNoise(text: string, count: CountTokens, options: HtmlNoiseOptions = {}): HtmlNoiseDetection {
  const none: HtmlNoiseDetection = { finding: null, regions: [] };
  // Cheap pre-check: a closing tag or a tag with an attribute must be somewhere.
  if (!/<\/?[A-Za-z]/.test(text)) return none;
  const markup = findMarkup(text, options.claimed);
  if (!markup) return none;
  const regions = mergeIntoRegions(markup.items, options.claimed);
  let before = 0;
  let after = 0;
  let itemIndex = 0;
  for (const region of regions) {
    const regionItems: MarkupItem[] = [];
    while (itemIndex < markup.items.length && (markup.items[itemIndex] as MarkupItem).start < region.end) {
      regionItems.push(markup.items[itemIndex] as MarkupItem);
      itemIndex++;
    }
    const wholeText = region.start === 0 && region.end === text.length;
    before += wholeText && options.textTokens !== undefined ? options.textTokens : count(text.slice(region.start, region.end));
    after += count(stripMarkup(text, region, regionItems));
  }
  if (after >= before) return none;
  return {
    finding: {
      key: 'html_noise',
      tokens: before - after,
      detail: `HTML markup (${formatCount(markup.tags)} tags): ${formatCount(before)} → ${formatCount(after)} tokens as text`,
      instances: markup.tags,
    },
    regions,
  };
}

/** The markup items of a text, or null when it has fewer than MIN_REAL_TAGS real tags. */
function findMarkup(text: string, claimed: SpanSet | undefined): { items: MarkupItem[]; tags: number } | null {
  const items: MarkupItem[] = [];
  const openedNames = new Set<string>();
  let tags = 0;
  /** Elements (and comments) found unclosed once stay unclosed later: never search for them again. */
  const unclosed = new Set<string>();
  let position = 0;
  while (position < text.length) {
    const open = text.indexOf('<', position);
    if (open < 0) break;
    const special = specialItem(text, open, unclosed);
    if (special) {
      if (!claimed?.overlaps(special.start, special.end)) items.push(special);
      position = special.end;
      continue;
    }
    TAG.lastIndex = open;
    const match = TAG.exec(text);
    if (!match) {
      position = open + 1;
      continue;
    }
    const end = open + match[0].length;
    const closing = match[1] === '/';
    const name = match[2] as string;
    const attributes = match[3] as string;
    if (!isRealTag(name, attributes, closing, openedNames) || claimed?.overlaps(open, end)) {
      position = open + 1;
      continue;
    }
    tags++;
    const lower = name.toLowerCase();
    if (!closing) openedNames.add(name);
    const contentEnd = !closing && CONTENT_ELEMENTS.has(lower) && !attributes.endsWith('/') ? closingTagEnd(text, end, lower, unclosed) : -1;
    items.push({ start: open, end: contentEnd > 0 ? contentEnd : end, replacement: BLOCK_ELEMENTS.has(lower) ? '\n' : '' });
    position = contentEnd > 0 ? contentEnd : end;
  }
  return tags >= MIN_REAL_TAGS ? { items, tags } : null;
}

function isRealTag(name: string, attributes: string, closing: boolean, openedNames: ReadonlySet<string>): boolean {
  if (closing) {
    if (attributes.trim() !== '') return false;
    return HTML_ELEMENTS.has(name) || openedNames.has(name);
  }
  // `a < b > c` never gets here (a tag name must follow `<` directly); `<b && c>`
  // and `<user@example.com>` fail the attribute syntax.
  if (attributes.length > 0 && !ATTRIBUTES.test(attributes)) return false;
  // Known lowercase elements, so `<T>`, `<String>` and `<K, V>` stay generics; any
  // other name needs a quoted attribute value (`<T extends U>` has none).
  return HTML_ELEMENTS.has(name) || HAS_VALUE.test(attributes);
}

/**
 * Comments, `<!DOCTYPE …>`, `<?xml …?>` and CDATA markers, found by their
 * fixed openings. `unclosed` remembers a comment that never ends, so later
 * `<!--` do not search to the end of the text again.
 */
function specialItem(text: string, open: number, unclosed: Set<string>): MarkupItem | null {
  const next = text.charCodeAt(open + 1);
  if (next !== 33 /* ! */ && next !== 63 /* ? */) return null;
  if (text.startsWith('<!--', open)) {
    const close = unclosed.has('<!--') ? -1 : text.indexOf('-->', open + 4);
    if (close < 0) unclosed.add('<!--');
    return close < 0 ? null : { start: open, end: close + 3, replacement: '' };
  }
  if (text.startsWith('<![CDATA[', open)) return { start: open, end: open + 9, replacement: '' };
  if (/^<!doctype\s/i.test(text.slice(open, open + 10)) || text.startsWith('<?xml', open)) {
    const close = text.slice(open, open + MAX_TAG_CHARS).indexOf('>');
    return close < 0 ? null : { start: open, end: open + close + 1, replacement: '' };
  }
  return null;
}

/** End of `</name>` after `from`, or -1 when the element is never closed (then only its tag is stripped). */
function closingTagEnd(text: string, from: number, name: string, unclosed: Set<string>): number {
  if (unclosed.has(name)) return -1;
  const closing = new RegExp(`</${name}\\s*>`, 'gi');
  closing.lastIndex = from;
  const match = closing.exec(text);
  if (!match) unclosed.add(name);
  return match ? match.index + match[0].length : -1;
}

/** Nearby items form one region; a region never reaches over text another detector claimed. */
function mergeIntoRegions(items: readonly MarkupItem[], claimed: SpanSet | undefined): Span[] {
  const regions: Span[] = [];
  for (const item of items) {
    const last = regions[regions.length - 1];
    const near = last !== undefined && item.start - last.end <= REGION_GAP;
    if (last && near && !claimed?.overlaps(last.end, item.start)) last.end = Math.max(last.end, item.end);
    else regions.push({ start: item.start, end: item.end });
  }
  return regions;
}

/** The region's text as a reader would want it: markup out, entities decoded, whitespace collapsed. */
function stripMarkup(text: string, region: Span, items: readonly MarkupItem[]): string {
  const pieces: string[] = [];
  let position = region.start;
  for (const item of items) {
    pieces.push(text.slice(position, item.start), item.replacement);
    position = Math.max(position, item.end);
  }
  pieces.push(text.slice(position, region.end));
  return collapseWhitespace(pieces.join('').replace(ENTITY, (entity) => ENTITY_TEXT[entity] ?? entity));
}

/** Runs of whitespace become one space, or one line break if the run had one. A loop: no regex backtracking on long runs. */
export function collapseWhitespace(text: string): string {
  const pieces: string[] = [];
  let index = 0;
  let pieceStart = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) {
      index++;
      continue;
    }
    const runStart = index;
    let hasBreak = false;
    while (index < text.length) {
      const inner = text.charCodeAt(index);
      if (inner === 10) hasBreak = true;
      else if (inner !== 32 && inner !== 9 && inner !== 13) break;
      index++;
    }
    const replacement = hasBreak ? '\n' : ' ';
    if (index - runStart === 1 && text[runStart] === replacement) continue;
    pieces.push(text.slice(pieceStart, runStart), replacement);
    pieceStart = index;
  }
  pieces.push(text.slice(pieceStart));
  return pieces.join('');
}
