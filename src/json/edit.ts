/**
 * Editing JSON text in place.
 *
 * Write-back must leave every byte it does not mean to change exactly as it
 * was: key order, whitespace, unknown fields, duplicate keys and number
 * literals (a 64-bit id such as 9007199254740993 would not survive
 * JSON.parse → JSON.stringify). So nothing here parses into values and
 * re-serializes: one walk over the text finds where the edited values are,
 * and the edits are spliced into the original string.
 */
import { LBRACE, LBRACKET } from './chars.js';
import { JsonEditError } from './errors.js';
import { PathNode, nodeFor, walkPaths } from './locate.js';
import type { JsonPath } from './types.js';

export type JsonEdit =
  /** Replace the value at `path` with the JSON text `raw`. */
  | { op: 'replace'; path: JsonPath; raw: string }
  /** `path` must be an array: add `raw` as its last element. */
  | { op: 'append'; path: JsonPath; raw: string }
  /** `path` must be an object: replace the (last) value of `key`, or add `"key":raw` as its last member. */
  | { op: 'set'; path: JsonPath; key: string; raw: string };

interface Splice {
  start: number;
  end: number;
  text: string;
  order: number;
}

function describePath(path: JsonPath): string {
  return JSON.stringify(path);
}

/**
 * Applies edits to the text of one JSON value. Every edit is resolved against
 * the original text (one scan for all of them), then spliced in; everything
 * else is left byte for byte. Several appends/new keys on the same container
 * are added in the order given. Throws JsonEditError when a path does not
 * exist or is the wrong kind of container, or when two edits overlap (one
 * inside a value another replaces, or the same key set twice).
 */
export function applyJsonEdits(text: string, edits: readonly JsonEdit[]): string {
  if (edits.length === 0) return text;
  const root = new PathNode();
  const resolved = edits.map((edit) => {
    if (edit.raw.trim() === '') throw new JsonEditError(`empty raw JSON for ${edit.op} at ${describePath(edit.path)}`);
    const node = nodeFor(root, edit.path);
    if (edit.op !== 'replace') node.layout = true;
    const member = edit.op === 'set' ? nodeFor(node, [edit.key]) : null;
    return { edit, node, member };
  });
  walkPaths(text, root);

  const splices: Splice[] = [];
  const inserted = new Map<PathNode, number>();
  const newKeys = new Map<PathNode, Set<string>>();
  const insert = (node: PathNode, member: string, order: number): void => {
    const before = inserted.get(node) ?? 0;
    inserted.set(node, before + 1);
    if (node.count === 0) {
      splices.push({ start: node.start + 1, end: node.start + 1, text: before > 0 ? `,${member}` : member, order });
    } else {
      // After the last child, with the same whitespace the last child had before it.
      const separator = text.slice(node.lastSepEnd, node.lastChildStart);
      splices.push({ start: node.lastValueEnd, end: node.lastValueEnd, text: `,${separator}${member}`, order });
    }
  };

  resolved.forEach(({ edit, node, member }, order) => {
    if (node.start < 0) throw new JsonEditError(`${edit.op}: no value at ${describePath(edit.path)}`);
    if (edit.op === 'replace') {
      splices.push({ start: node.start, end: node.end, text: edit.raw, order });
      return;
    }
    const open = text.charCodeAt(node.start);
    if (edit.op === 'append') {
      if (open !== LBRACKET) throw new JsonEditError(`append: the value at ${describePath(edit.path)} is not an array`);
      insert(node, edit.raw, order);
      return;
    }
    if (open !== LBRACE) throw new JsonEditError(`set: the value at ${describePath(edit.path)} is not an object`);
    if (member !== null && member.start >= 0) {
      splices.push({ start: member.start, end: member.end, text: edit.raw, order });
      return;
    }
    let keys = newKeys.get(node);
    if (!keys) newKeys.set(node, (keys = new Set()));
    if (keys.has(edit.key)) throw new JsonEditError(`set: key ${JSON.stringify(edit.key)} set twice at ${describePath(edit.path)}`);
    keys.add(edit.key);
    const colon = node.count === 0 ? ':' : text.slice(node.lastKeyEnd, node.lastValueStart);
    insert(node, `${JSON.stringify(edit.key)}${colon}${edit.raw}`, order);
  });

  splices.sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  const out: string[] = [];
  let cursor = 0;
  let previous: Splice | null = null;
  for (const splice of splices) {
    if (previous !== null && splice.start < cursor) {
      const a = edits[previous.order] as JsonEdit;
      const b = edits[splice.order] as JsonEdit;
      throw new JsonEditError(`overlapping edits: ${a.op} at ${describePath(a.path)} and ${b.op} at ${describePath(b.path)}`);
    }
    out.push(text.slice(cursor, splice.start), splice.text);
    cursor = splice.end;
    previous = splice;
  }
  out.push(text.slice(cursor));
  return out.join('');
}
