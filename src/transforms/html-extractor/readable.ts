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
  /** Whether an element below `root` is chrome or noise, left out of the extract. */
  isNoise: (element: HtmlElement) => boolean;
}

export function readablePage(document: HtmlDocument): ReadablePage {
  const titleElement = findFirst(document, 'title');
  const title = titleElement ? foldSpace(textOf(titleElement)) : '';
  const main = findAll(document, (element) => element.name === 'main' || element.attribs['role'] === 'main');
  const articles = main.length === 1 ? [] : findAll(document, (element) => element.name === 'article');
  const content = main.length === 1 ? main[0] : articles.length === 1 ? articles[0] : undefined;
  const root = content ?? findFirst(document, 'body') ?? document;
  // Inside <main>/<article> a list of links is content (a "see also"); in a whole body it is most likely a menu.
  const shares = content === undefined ? linkShares(root) : null;
  const isNoise = (element: HtmlElement): boolean => isChrome(element) || (shares !== null && LINK_LIST_TAGS.has(element.name) && isLinkList(shares.get(element)));
  return { title: title === '' ? null : title, root, isNoise };
}

/** Whether `element` is chrome or noise by its name, attributes, role or class. */
function isChrome(element: HtmlElement): boolean {
  const name = element.name;
  if (NOISE_TAGS.has(name)) return true;
  const attribs = element.attribs;
  if ('hidden' in attribs || attribs['aria-hidden'] === 'true') return true;
  if (/display\s*:\s*none|visibility\s*:\s*hidden/i.test(attribs['style'] ?? '')) return true;
  const role = attribs['role'];
  if (role !== undefined && NOISE_ROLES.has(role)) return true;
  // An article's own header holds its title and byline; a page header is chrome.
  if (name === 'header') return findFirst(element, 'h1') === null;
  if (STRUCTURAL.has(name)) return false;
  const names = `${attribs['class'] ?? ''} ${attribs['id'] ?? ''}`;
  return CHROME_NAME.test(names) && !CONTENT_NAME.test(names);
}

/** Letters and digits of an element's text, of the text inside its links, and its number of links. */
interface LinkShare {
  text: number;
  linkText: number;
  links: number;
}

function isLinkList(share: LinkShare | undefined): boolean {
  if (share === undefined || share.links < LINK_LIST_MIN_LINKS) return false;
  return share.text === 0 || share.linkText / share.text >= LINK_LIST_DENSITY;
}

/** Every element's link share, in one pass from the leaves up (asking each element anew would be quadratic in the nesting depth). */
function linkShares(root: HtmlParent): Map<HtmlElement, LinkShare> {
  const shares = new Map<HtmlElement, LinkShare>();
  const visit = (node: HtmlNode, inLink: boolean): LinkShare => {
    if (node.type === 'text') {
      const letters = wordChars(node.data);
      return { text: letters, linkText: inLink ? letters : 0, links: 0 };
    }
    if (!isElement(node)) return { text: 0, linkText: 0, links: 0 };
    const isLink = node.name === 'a';
    const share: LinkShare = { text: 0, linkText: 0, links: isLink ? 1 : 0 };
    for (const child of node.children) {
      const inner = visit(child, inLink || isLink);
      share.text += inner.text;
      share.linkText += inner.linkText;
      share.links += inner.links;
    }
    shares.set(node, share);
    return share;
  };
  for (const child of root.children) visit(child, false);
  return shares;
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
