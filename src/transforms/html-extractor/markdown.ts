/**
 * Writes a page's content as Markdown: headings, paragraphs, lists, links,
 * tables (pipe tables), block quotes and code blocks. Code inside `<pre>` is
 * copied as the page shows it (entities decoded, whitespace kept) in a fence
 * long enough not to be closed by the code; elsewhere whitespace is folded
 * the way a browser folds it. Chrome and noise (see readable.ts) are skipped.
 */
import { childElements, foldSpace } from './readable.js';
import { isElement, textOf, type HtmlElement, type HtmlNode, type HtmlParent } from './dom.js';

export interface MarkdownOptions {
  /** Write links as `[text](href)`; off, only their text. */
  keepLinks: boolean;
  /** Whether an element is chrome or noise, left out (see readable.ts). */
  isNoise: (element: HtmlElement) => boolean;
}

/** Tags that end the current paragraph and start a new block. */
const BLOCK_TAGS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'figure',
  'figcaption',
  'dl',
  'dt',
  'dd',
  'address',
  'details',
  'summary',
  'center',
  'fieldset',
  'hgroup',
  'body',
  'html',
  'li',
  'caption',
]);
const HEADING = /^h([1-6])$/;
/** Elements a heading's text cannot run into. */
const OPENS_BLOCK = new Set(['p', 'div', 'ul', 'ol', 'table', 'pre', 'blockquote', 'section', 'article', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const LANGUAGE_CLASS = /(?:^|\s)(?:language|lang)-([\w+#.-]+)/;

/** Collects blocks; inline text accumulates until a block boundary flushes it as a paragraph. */
class BlockWriter {
  readonly blocks: string[] = [];
  private inline = '';

  constructor(private readonly options: MarkdownOptions) {}

  text(data: string): void {
    let folded = data.replace(/\s+/g, ' ');
    // One space between words across text nodes, none at a line's start (a char test: a `$` regex would rescan the paragraph).
    const last = this.inline.charCodeAt(this.inline.length - 1);
    if (folded.startsWith(' ') && (this.inline === '' || last === 0x20 || last === 0x0a)) folded = folded.slice(1);
    this.inline += folded;
  }

  lineBreak(): void {
    this.inline = `${this.inline.trimEnd()}\n`;
  }

  flush(): void {
    const paragraph = this.inline
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .join('\n');
    if (paragraph !== '') this.blocks.push(paragraph);
    this.inline = '';
  }

  block(text: string): void {
    this.flush();
    if (text !== '') this.blocks.push(text);
  }

  children(parent: HtmlParent): void {
    this.nodes(parent.children);
  }

  nodes(nodes: readonly HtmlNode[]): void {
    for (const node of nodes) this.node(node);
  }

  node(node: HtmlNode): void {
    if (node.type === 'text') return this.text(node.data);
    if (!isElement(node) || this.options.isNoise(node)) return;
    const name = node.name;
    const heading = HEADING.exec(name);
    if (heading) return this.heading(node, Number(heading[1]));
    switch (name) {
      case 'br':
        return this.lineBreak();
      case 'hr':
        return this.flush();
      case 'pre':
        return this.block(codeBlock(node));
      case 'ul':
      case 'ol':
        return this.block(list(node, this.options));
      case 'table':
        return isLayoutTable(node) ? this.blockChildren(node) : this.block(table(node, this.options));
      case 'blockquote':
        return this.block(quote(node, this.options));
      case 'a':
        return this.link(node);
      case 'code':
      case 'kbd':
      case 'samp':
        return this.code(node);
      case 'strong':
      case 'b':
        return this.wrap(node, '**');
      case 'em':
      case 'i':
        return this.wrap(node, '*');
      default:
        if (BLOCK_TAGS.has(name)) return this.blockChildren(node);
        return this.children(node);
    }
  }

  /**
   * An unclosed heading (`<h1>Title<p>text…`) holds the blocks after it: the
   * parser, unlike a browser, does not close it there. Its own text ends at
   * its first block; what follows is read as blocks.
   */
  private heading(element: HtmlElement, level: number): void {
    const split = element.children.findIndex((child) => isElement(child) && OPENS_BLOCK.has(child.name));
    if (split < 0) return this.block(headingOf(element.children, level, this.options));
    this.block(headingOf(element.children.slice(0, split), level, this.options));
    for (const child of element.children.slice(split)) this.node(child);
    this.flush();
  }

  private blockChildren(element: HtmlElement): void {
    this.flush();
    this.children(element);
    this.flush();
  }

  /** Writes an inline element's children, then lets `format` rewrite what they wrote (unless they broke into blocks). */
  private around(element: HtmlElement, format: (inner: string) => string): void {
    const before = this.blocks.length;
    const start = this.inline.length;
    this.children(element);
    if (this.blocks.length !== before) return;
    const inner = this.inline.slice(start).trim();
    const lead = this.inline.slice(start).startsWith(' ') ? ' ' : '';
    const trail = this.inline.endsWith(' ') && inner !== '' ? ' ' : '';
    this.inline = this.inline.slice(0, start) + (inner === '' ? lead : lead + format(inner) + trail);
  }

  private link(element: HtmlElement): void {
    const href = (element.attribs['href'] ?? '').trim();
    if (!this.options.keepLinks || href === '' || href.startsWith('#') || /^javascript:/i.test(href)) return this.children(element);
    this.around(element, (inner) => `[${inner}](${href.replace(/[\s()]/g, encodeURIComponent)})`);
  }

  private wrap(element: HtmlElement, mark: string): void {
    this.around(element, (inner) => `${mark}${inner}${mark}`);
  }

  private code(element: HtmlElement): void {
    const code = foldSpace(textOf(element));
    if (code === '') return;
    const ticks = code.includes('`') ? '``' : '`';
    const pad = ticks.length > 1 ? ' ' : '';
    this.inline += `${ticks}${pad}${code}${pad}${ticks}`;
  }
}

/** The Markdown of `root`'s content, blocks separated by a blank line. */
export function toMarkdown(root: HtmlParent, options: MarkdownOptions): string {
  return blocksOf(root, options).join('\n\n');
}

function blocksOf(parent: HtmlParent, options: MarkdownOptions): string[] {
  return blocksOfNodes(parent.children, options);
}

function blocksOfNodes(nodes: readonly HtmlNode[], options: MarkdownOptions): string[] {
  const writer = new BlockWriter(options);
  writer.nodes(nodes);
  writer.flush();
  return writer.blocks;
}

/** The nodes' content on one line (cells, headings). */
function inlineOf(nodes: readonly HtmlNode[], options: MarkdownOptions): string {
  return blocksOfNodes(nodes, options)
    .join(' ')
    .replace(/\s*\n\s*/g, ' ');
}

function headingOf(nodes: readonly HtmlNode[], level: number, options: MarkdownOptions): string {
  const text = inlineOf(nodes, options);
  return text === '' ? '' : `${'#'.repeat(level)} ${text}`;
}

function codeBlock(pre: HtmlElement): string {
  const code = textOf(pre).replace(/\r\n?/g, '\n').replace(/^\n/, '').replace(/\s+$/, '');
  if (code === '') return '';
  const inner = childElements(pre).find((child) => child.name === 'code');
  const classes = `${pre.attribs['class'] ?? ''} ${inner?.attribs['class'] ?? ''}`;
  const language = LANGUAGE_CLASS.exec(classes)?.[1] ?? '';
  let fence = '```';
  while (code.includes(fence)) fence += '`';
  return `${fence}${language}\n${code}\n${fence}`;
}

function list(element: HtmlElement, options: MarkdownOptions): string {
  const ordered = element.name === 'ol';
  let number = Number.parseInt(element.attribs['start'] ?? '1', 10);
  if (!Number.isFinite(number)) number = 1;
  const items: string[] = [];
  for (const item of element.children) {
    if (!isElement(item) || options.isNoise(item)) continue;
    // A list nested directly in a list (invalid, but common) belongs to the item before it.
    if ((item.name === 'ul' || item.name === 'ol') && items.length > 0) {
      const nested = list(item, options);
      if (nested !== '') items[items.length - 1] += `\n  ${nested.split('\n').join('\n  ')}`;
      continue;
    }
    const body = blocksOf(item, options).join('\n');
    if (body === '') continue;
    const bullet = ordered ? `${number++}. ` : '- ';
    const indent = ' '.repeat(bullet.length);
    items.push(bullet + body.split('\n').join(`\n${indent}`));
  }
  return items.join('\n');
}

function quote(element: HtmlElement, options: MarkdownOptions): string {
  const body = blocksOf(element, options).join('\n\n');
  return body === ''
    ? ''
    : body
        .split('\n')
        .map((line) => (line === '' ? '>' : `> ${line}`))
        .join('\n');
}

/** Rows of a table, not of tables nested in it. */
function rowsOf(parent: HtmlElement): HtmlElement[] {
  const rows: HtmlElement[] = [];
  for (const child of childElements(parent)) {
    if (child.name === 'tr') rows.push(child);
    else if (child.name === 'thead' || child.name === 'tbody' || child.name === 'tfoot') rows.push(...rowsOf(child));
  }
  return rows;
}

const LAYOUT_CONTENT = new Set(['table', 'p', 'div', 'ul', 'ol', 'pre', 'h1', 'h2', 'h3', 'blockquote', 'section', 'article']);

/** A table used for page layout (blocks inside its cells) is read as blocks, not as a grid. */
function isLayoutTable(table: HtmlElement): boolean {
  return rowsOf(table).some((row) => childElements(row).some((cell) => childElements(cell).some((child) => LAYOUT_CONTENT.has(child.name))));
}

function table(element: HtmlElement, options: MarkdownOptions): string {
  const rows = rowsOf(element).map((row) =>
    childElements(row)
      .filter((cell) => cell.name === 'td' || cell.name === 'th')
      .map((cell) => inlineOf(cell.children, options).replace(/\|/g, '\\|')),
  );
  const width = Math.max(0, ...rows.map((row) => row.length));
  const filled = rows.filter((row) => row.some((cell) => cell !== ''));
  if (width === 0 || filled.length === 0) return '';
  const caption = childElements(element).find((child) => child.name === 'caption');
  const line = (row: readonly string[]): string => `| ${Array.from({ length: width }, (_, index) => row[index] ?? '').join(' | ')} |`;
  const [header, ...body] = filled;
  const lines = [line(header ?? []), line(Array.from({ length: width }, () => '---')), ...body.map(line)];
  if (caption) lines.unshift(inlineOf(caption.children, options));
  return lines.join('\n');
}
