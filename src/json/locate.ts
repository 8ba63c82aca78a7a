/**
 * Locating values by path in JSON text, in one linear pass.
 *
 * The paths asked for form a trie; the walk enters only the containers that
 * some path enters, and skips every other value without building anything
 * (see scan.ts). Nesting is tracked with an explicit stack, so deep input
 * cannot overflow the call stack. Duplicate keys: the last one wins, as in
 * JSON.parse.
 */
import { fail, skipRest, skipString, skipValue, skipWs } from './scan.js';
import type { JsonPath, TextRange } from './types.js';

// Local copies of chars.ts constants: in hot loops an imported binding is a slower load than a module constant.
const BOM = 0xfeff;
const COLON = 0x3a;
const COMMA = 0x2c;
const LBRACE = 0x7b;
const LBRACKET = 0x5b;
const QUOTE = 0x22;
const RBRACE = 0x7d;
const RBRACKET = 0x5d;

/**
 * One node per distinct path prefix. The scan stores what it finds on the
 * nodes; a node is on the walk stack at most once at a time (paths are
 * unique), so its walk state can live on it too.
 */
export class PathNode {
  keys: Map<string, PathNode> | null = null;
  indices: Map<number, PathNode> | null = null;
  maxIndex = -1;
  /** Walk this container even if no path goes deeper (an append/set target needs its layout). */
  layout = false;
  entered = false;
  // Walk state.
  isObject = false;
  index = 0;
  // Results: the value's range, and for walked containers where the last child is.
  start = -1;
  end = -1;
  count = 0;
  /** Just after the `[`, `{` or `,` that precedes the last child. */
  lastSepEnd = -1;
  /** Start of the last child: its key for an object, its value for an array. */
  lastChildStart = -1;
  lastKeyEnd = -1;
  lastValueStart = -1;
  lastValueEnd = -1;
  /** When asked for (an array whose element ranges are wanted): the range of every child, in order. */
  elements: TextRange[] | null = null;
}

export function nodeFor(root: PathNode, path: JsonPath): PathNode {
  let node = root;
  for (const segment of path) {
    let child: PathNode | undefined;
    if (typeof segment === 'number') {
      node.indices ??= new Map();
      child = node.indices.get(segment);
      if (!child) {
        child = new PathNode();
        node.indices.set(segment, child);
        if (Number.isInteger(segment) && segment > node.maxIndex) node.maxIndex = segment;
      }
    } else {
      node.keys ??= new Map();
      child = node.keys.get(segment);
      if (!child) {
        child = new PathNode();
        node.keys.set(segment, child);
      }
    }
    node = child;
  }
  return node;
}

/** Forgets what an earlier occurrence of a duplicate key found (the last occurrence wins). */
function reset(node: PathNode): void {
  const pending = [node];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    next.entered = false;
    next.start = next.end = -1;
    next.count = 0;
    next.lastSepEnd = next.lastChildStart = next.lastKeyEnd = next.lastValueStart = next.lastValueEnd = -1;
    if (next.elements !== null) next.elements = [];
    if (next.keys) for (const child of next.keys.values()) pending.push(child);
    if (next.indices) for (const child of next.indices.values()) pending.push(child);
  }
}

function enter(child: PathNode | undefined): PathNode | null {
  if (child === undefined) return null;
  if (child.entered) reset(child);
  child.entered = true;
  return child;
}

function keyChild(keys: Map<string, PathNode>, text: string, start: number, end: number): PathNode | undefined {
  let key = text.slice(start + 1, end - 1);
  if (key.indexOf('\\') >= 0) {
    try {
      key = JSON.parse(text.slice(start, end)) as string;
    } catch {
      fail(start, 'invalid escape in key');
    }
  }
  return keys.get(key);
}

/** Reads `"key" :` at `p` inside `parent`; returns the child node for the key, if any path goes there. */
function beginMember(text: string, parent: PathNode, p: number): PathNode | null {
  if (text.charCodeAt(p) !== QUOTE) fail(p, 'expected a key');
  const keyEnd = skipString(text, p);
  const colon = skipWs(text, keyEnd);
  if (text.charCodeAt(colon) !== COLON) fail(colon, "expected ':'");
  parent.lastChildStart = p;
  parent.lastKeyEnd = keyEnd;
  parent.lastValueStart = skipWs(text, colon + 1);
  return parent.keys === null ? null : enter(keyChild(parent.keys, text, p, keyEnd));
}

function walks(node: PathNode): boolean {
  return node.keys !== null || node.indices !== null || node.layout;
}

/** One pass over the first JSON value in `text`, filling in the nodes of the trie under `root`. */
export function walkPaths(text: string, root: PathNode): void {
  let pos = skipWs(text, text.charCodeAt(0) === BOM ? 1 : 0);
  const stack: PathNode[] = [];
  let node: PathNode | null = root;
  root.entered = true;
  let end: number;
  for (;;) {
    // A value starts at `pos`; `node` is its trie node, or null when no path enters it.
    const c = text.charCodeAt(pos);
    if (node !== null && (c === LBRACE || c === LBRACKET) && walks(node)) {
      const isObject = c === LBRACE;
      node.start = pos;
      node.isObject = isObject;
      const first = skipWs(text, pos + 1);
      if (text.charCodeAt(first) === (isObject ? RBRACE : RBRACKET)) {
        end = first + 1;
        node.end = end;
      } else if (!node.layout && (isObject ? node.keys === null : node.maxIndex < 0)) {
        end = skipRest(text, pos + 1, 1);
        node.end = end;
      } else {
        stack.push(node);
        node.count = 1;
        node.index = 0;
        node.lastSepEnd = pos + 1;
        if (isObject) {
          const parent = node;
          node = beginMember(text, parent, first);
          pos = parent.lastValueStart;
        } else {
          node.lastChildStart = first;
          node = node.indices === null ? null : enter(node.indices.get(0));
          pos = first;
        }
        continue;
      }
    } else {
      end = skipValue(text, pos);
      if (node !== null) {
        node.start = pos;
        node.end = end;
      }
    }
    // A value ended at `end`: continue its container (closing as many as end here).
    for (;;) {
      const parent = stack[stack.length - 1];
      if (parent === undefined) return;
      parent.lastValueEnd = end;
      if (parent.elements !== null && !parent.isObject) parent.elements.push({ start: parent.lastChildStart, end });
      const p = skipWs(text, end);
      const d = text.charCodeAt(p);
      if (d === COMMA) {
        const next = skipWs(text, p + 1);
        if (parent.isObject) {
          parent.count++;
          parent.lastSepEnd = p + 1;
          node = beginMember(text, parent, next);
          pos = parent.lastValueStart;
          break;
        }
        parent.index++;
        if (!parent.layout && parent.index > parent.maxIndex) {
          // No path goes into the remaining elements.
          end = skipRest(text, p + 1, 1);
          parent.end = end;
          stack.pop();
          continue;
        }
        parent.count++;
        parent.lastSepEnd = p + 1;
        parent.lastChildStart = next;
        node = parent.indices === null ? null : enter(parent.indices.get(parent.index));
        pos = next;
        break;
      }
      if (d !== (parent.isObject ? RBRACE : RBRACKET)) fail(p, parent.isObject ? "expected ',' or '}'" : "expected ',' or ']'");
      end = p + 1;
      parent.end = end;
      stack.pop();
    }
  }
}

/** Where the value at `path` is in `text`, or null when it is absent. Duplicate keys: the last one wins. */
export function locateValue(text: string, path: JsonPath): TextRange | null {
  return locateValues(text, [path])[0] ?? null;
}

/** `locateValue` for many paths, in one pass over the text. */
export function locateValues(text: string, paths: readonly JsonPath[]): (TextRange | null)[] {
  if (paths.length === 0) return [];
  const root = new PathNode();
  const nodes = paths.map((path) => nodeFor(root, path));
  walkPaths(text, root);
  return nodes.map((node) => (node.start >= 0 ? { start: node.start, end: node.end } : null));
}
