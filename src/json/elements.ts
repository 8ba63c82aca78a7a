/**
 * The raw element ranges of a JSON array: where each top-level element of
 * the array at a path starts and ends in the text. Elements are not parsed,
 * so a 64-bit integer or a string holding `,]` is cut out exactly as
 * written — what an array compressor needs to keep, drop or reorder items
 * without re-printing them.
 */
import { LBRACKET } from './chars.js';
import { nodeFor, PathNode, walkPaths } from './locate.js';
import type { JsonPath, TextRange } from './types.js';

/**
 * The ranges of the elements of the array at `path` (the whole text by
 * default), in order, found in the same single pass that locates it; null
 * when there is no value at `path` or it is not an array. Like locating, this
 * assumes JSON text and throws JsonEditError where the structure it walks is
 * malformed.
 */
export function arrayElementRanges(text: string, path: JsonPath = []): TextRange[] | null {
  const root = new PathNode();
  const node = nodeFor(root, path);
  // Walk into the value even though no path goes deeper, and keep every child's range.
  node.layout = true;
  node.elements = [];
  walkPaths(text, root);
  if (node.start < 0 || text.charCodeAt(node.start) !== LBRACKET) return null;
  return node.elements;
}
