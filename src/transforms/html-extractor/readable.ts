/**
 * The readability-style half of the extractor: which part of a page is its
 * content, and which elements are chrome or noise. Like Mozilla's
 * Readability it trusts `<main>`/`<article>` when a page has them and reads
 * class and id names for chrome (`sidebar`, `cookie-banner`, `site-footer`);
 * unlike it, it favours recall over precision — a page without a content
 * element is read whole, minus the noise — because the original page stays
 * retrievable behind the marker and a missing paragraph costs more than a
 * kept one.
 */
import { findAll, findFirst, isElement, textOf, type HtmlDocument, type HtmlElement, type HtmlNode, type HtmlParent } from './dom.js';

/** Never content: code, styling, embedded media, form controls, and the navigation landmarks. */
const NOISE_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'canvas',
  'iframe',
  'object',
  'embed',
  'link',
  'meta',
  'head',
  'base',
  'button',
  'input',
  'select',
  'option',
  'textarea',
  'form',
  'label',
  'dialog',
  'nav',
  'aside',
  'footer',
  'menu',
  'img',
  'picture',
  'video',
  'audio',
  'source',
  'track',
  'map',
  'area',
]);

const NOISE_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'search', 'dialog', 'alertdialog', 'menu', 'menubar']);

/** Class or id words of chrome (a whole word between `-`, `_` or spaces, so `header` matches `site-header` and not `headers`). */
const CHROME_NAME =
  /(?:^|[-_\s])(?:ads?|advert\w*|banner|breadcrumbs?|comments?|community|consent|cookies?|disqus|footer|gdpr|header|masthead|menu|modal|nav|navbar|newsletter|pager|pagination|popup|promo|related|share|sharing|sidebar|skip|social|sponsor\w*|subscribe|toolbar)(?:$|[-_\s])/i;
/** Class or id words that make an element content after all (`post-header`, `main-content`). */
const CONTENT_NAME = /article|body|content|entry|main|post|story|text/i;
/** Elements whose class names never make them chrome. */
const STRUCTURAL = new Set(['html', 'body', 'main', 'article', 'pre', 'code', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** A list or block that is mostly links (a menu, a tag cloud) when the page has no content element. */
const LINK_LIST_TAGS = new Set(['ul', 'ol', 'div', 'section', 'table', 'p']);
const LINK_LIST_MIN_LINKS = 3;
const LINK_LIST_DENSITY = 0.6;

export interface ReadablePage {
  /** The `<title>`, whitespace folded; null when the page has none. */
  title: string | null;
  /** Where the content is: `<main>`, the one `<article>`, or the body. */
  root: HtmlParent;
  /** Whether `root` is a content element: then link lists inside it are content too. */
  rootIsContent: boolean;
}

export function readablePage(document: HtmlDocument): ReadablePage {
  const titleElement = findFirst(document, 'title');
  const title = titleElement ? foldSpace(textOf(titleElement)) : '';
  const main = findAll(document, (element) => element.name === 'main' || element.attribs['role'] === 'main');
  const articles = main.length === 1 ? [] : findAll(document, (element) => element.name === 'article');
  const content = main.length === 1 ? main[0] : articles.length === 1 ? articles[0] : undefined;
  const root = content ?? findFirst(document, 'body') ?? document;
  return { title: title === '' ? null : title, root, rootIsContent: content !== undefined };
}

/** Whether `element` (below the content root) is chrome or noise, left out of the extract. */
export function isNoise(element: HtmlElement, rootIsContent: boolean): boolean {
  const name = element.name;
  if (NOISE_TAGS.has(name)) return true;
  const attribs = element.attribs;
  if ('hidden' in attribs || attribs['aria-hidden'] === 'true') return true;
  if (/display\s*:\s*none|visibility\s*:\s*hidden/i.test(attribs['style'] ?? '')) return true;
  const role = attribs['role'];
  if (role !== undefined && NOISE_ROLES.has(role)) return true;
  // An article's own header holds its title and byline; a page header is chrome.
  if (name === 'header') return findFirst(element, 'h1') === null;
  if (!STRUCTURAL.has(name)) {
    const names = `${attribs['class'] ?? ''} ${attribs['id'] ?? ''}`;
    if (CHROME_NAME.test(names) && !CONTENT_NAME.test(names)) return true;
  }
  return !rootIsContent && LINK_LIST_TAGS.has(name) && isLinkList(element);
}

function isLinkList(element: HtmlElement): boolean {
  const links = findAll(element, (candidate) => candidate.name === 'a');
  if (links.length < LINK_LIST_MIN_LINKS) return false;
  const text = wordChars(textOf(element));
  if (text === 0) return true;
  const linkText = links.reduce((sum, link) => sum + wordChars(textOf(link)), 0);
  return linkText / text >= LINK_LIST_DENSITY;
}

/** Letters and digits: separators between menu links (`Home | Docs · Blog`) do not make a menu prose. */
function wordChars(text: string): number {
  return text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
}

export function foldSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function childElements(node: HtmlNode): HtmlElement[] {
  return isElement(node) ? node.children.filter(isElement) : [];
}
