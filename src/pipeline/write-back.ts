/**
 * Write-back: turns an optimized request's edit list into edits of its
 * records' original text. Only what an edit names changes; every other byte
 * — key order, whitespace, unknown fields, ids, numbers of any size — is the
 * input's own, because the record is never re-serialized. Where a format
 * puts a tool or a key is its descriptor's business (`formats/registry.ts`).
 */
import type { RequestEdit } from '../formats/descriptor.js';
import { valueAt, type JsonEdit } from '../json/index.js';
import { pathInRecord, recordKey } from '../formats/record-key.js';
import { formatDescriptor } from '../formats/registry.js';
import { isJsonObject, type JsonValue, type Part } from '../formats/types.js';
import type { OptimizedRequest } from './optimize-request.js';

export { pathInRecord, recordKey };

/**
 * The edits an optimized request makes, grouped by record. `recordValue`
 * returns a record's parsed value (needed to see where the tools list is).
 * A tool for a transcript is not an edit of its lines: its written body
 * carries it (`transcriptBody`).
 */
export function requestEdits(optimized: Pick<OptimizedRequest, 'request' | 'edits'>, recordValue: (key: string) => JsonValue | undefined): Map<string, JsonEdit[]> {
  const edits = new Map<string, JsonEdit[]>();
  const add = (key: string, edit: JsonEdit): void => {
    const list = edits.get(key);
    if (list) list.push(edit);
    else edits.set(key, [edit]);
  };
  const { request } = optimized;
  const bodyPath = request.bodyPath ? pathInRecord(request.origin, request.bodyPath) : null;
  const bodyKey = recordKey(request.origin);
  const body = (): { [key: string]: JsonValue } => {
    const value = bodyPath ? valueAt(recordValue(bodyKey), bodyPath) : undefined;
    if (!isJsonObject(value)) throw new Error(`no request body at ${request.id}`);
    return value;
  };
  for (const edit of optimized.edits) {
    switch (edit.kind) {
      case 'replace-text':
      case 'replace-value': {
        const slot = edit.part.slot;
        if (!slot) throw new Error('a replaced part has no slot');
        const raw = edit.kind === 'replace-text' ? JSON.stringify(edit.text) : edit.raw;
        add(recordKey(slot.origin), { op: 'replace', path: pathInRecord(slot.origin, slot.path), raw });
        break;
      }
      case 'add-tool': {
        const addTool = formatDescriptor(request.format).addTool;
        if (addTool && bodyPath) add(bodyKey, addTool(edit.json, body(), bodyPath));
        break;
      }
      case 'set-key': {
        if (!bodyPath) throw new Error(`set-key: ${request.id} has no request body to edit`);
        const path = [...bodyPath, ...edit.path];
        if (edit.ifAbsent) {
          const target = valueAt(recordValue(bodyKey), path);
          if (isJsonObject(target) && Object.hasOwn(target, edit.key)) break;
        }
        add(bodyKey, { op: 'set', path, key: edit.key, raw: edit.raw });
        break;
      }
    }
  }
  return edits;
}

/** The new text of each part an edit list rewrites (a value slot's new JSON text included). */
export function rewrittenParts(edits: readonly RequestEdit[]): Map<Part, string> {
  const texts = new Map<Part, string>();
  for (const edit of edits) {
    if (edit.kind === 'replace-text') texts.set(edit.part, edit.text);
    else if (edit.kind === 'replace-value') texts.set(edit.part, edit.raw);
  }
  return texts;
}

/** The tool definition an edit list adds, in its dialect's shape, or null. */
export function addedToolJson(edits: readonly RequestEdit[]): string | null {
  for (const edit of edits) if (edit.kind === 'add-tool') return edit.json;
  return null;
}
