/**
 * The parsed-page types, taken from htmlparser2's own declarations so the
 * parser itself is only loaded (dynamically) when a page is extracted: other
 * commands must not pay for it at start-up.
 */
import type { parseDocument } from 'htmlparser2';

export type HtmlDocument = ReturnType<typeof parseDocument>;
export type HtmlNode = HtmlDocument['children'][number];
export type HtmlElement = Extract<HtmlNode, { attribs: Record<string, string> }>;
export type HtmlParent = HtmlDocument | HtmlElement;

type Parse = typeof parseDocument;
let parser: Promise<Parse> | null = null;

/** htmlparser2's `parseDocument`, imported on first use and shared afterwards. */
export async function loadParser(): Promise<Parse> {
  parser ??= import('htmlparser2').then((module) => module.parseDocument);
  return parser;
}

export function isElement(node: HtmlNode): node is HtmlElement {
  return 'attribs' in node;
}

/** Element names are lower-cased by the parser; `script` and `style` nodes have their own node types but are elements too. */
export function tagOf(node: HtmlNode): string | null {
  return isElement(node) ? node.name : null;
}

/** The decoded text inside `node`, as written (no whitespace folding). */
export function textOf(node: HtmlNode): string {
  if (node.type === 'text') return node.data;
  if (!isElement(node)) return '';
  let text = '';
  for (const child of node.children) text += textOf(child);
  return text;
}

/** The first element named `name` below `parent`, in document order. */
export function findFirst(parent: HtmlParent, name: string): HtmlElement | null {
  for (const child of parent.children) {
    if (!isElement(child)) continue;
    if (child.name === name) return child;
    const found = findFirst(child, name);
    if (found) return found;
  }
  return null;
}

/** Every element below `parent` that `test` accepts (not below an accepted one). */
export function findAll(parent: HtmlParent, test: (element: HtmlElement) => boolean, into: HtmlElement[] = []): HtmlElement[] {
  for (const child of parent.children) {
    if (!isElement(child)) continue;
    if (test(child)) into.push(child);
    else findAll(child, test, into);
  }
  return into;
}
