/**
 * The one marker grammar every compressor writes in place of what it removed:
 *
 *   [headroom: omitted <count> <unit>[ (<detail>)]; headroom_retrieve hash=<key>]
 *
 * e.g. `[headroom: omitted 85 rows (rows 16-100); headroom_retrieve hash=0123456789abcdef01234567]`.
 * It names what was removed and how much, and the key the original is stored
 * under; the model passes that key to the `headroom_retrieve` tool, a user to
 * `headroom retrieve`. Markers are also kept short enough to be recognised by
 * the audit's re-read detector (`holdsRetrievalMarker` in analysis/waste/rereads.ts).
 */
import { CCR_KEY_LENGTH, isCcrKey } from './key.js';

export interface MarkerInfo {
  /** The CCR key of the original (24 lowercase hex characters). */
  key: string;
  /** How many units were omitted. */
  count: number;
  /** What was omitted: rows, lines, items, hunks, matches, chars, … */
  unit: string;
  /** Which ones, when that is short: `rows 16-100`. */
  detail?: string;
}

export const MARKER_UNIT_MAX_LENGTH = 20;
export const MARKER_DETAIL_MAX_LENGTH = 120;

const UNIT_SHAPE = /^[a-z][a-z_ ]*$/;
const DETAIL_FORBIDDEN = /[[\]()\r\n]/;

const MARKER_SOURCE =
  String.raw`\[headroom: omitted (\d{1,16}) ([a-z][a-z_ ]{0,${MARKER_UNIT_MAX_LENGTH - 1}}?)` +
  String.raw`(?: \(([^[\]()\r\n]{1,${MARKER_DETAIL_MAX_LENGTH}})\))?; headroom_retrieve hash=([0-9a-f]{${CCR_KEY_LENGTH}})\]`;

/** Matches one marker (not global; for tests and one-off checks). Groups: count, unit, detail, key. */
export const MARKER_PATTERN = new RegExp(MARKER_SOURCE);

/** The marker text for `info`. Throws on a malformed key, count, unit or detail: that is a bug in the caller. */
export function formatMarker(info: MarkerInfo): string {
  if (!isCcrKey(info.key)) throw new Error(`marker key must be ${CCR_KEY_LENGTH} lowercase hex characters; got ${JSON.stringify(info.key)}`);
  if (!Number.isSafeInteger(info.count) || info.count < 0) throw new Error(`marker count must be a whole number >= 0; got ${info.count}`);
  if (!UNIT_SHAPE.test(info.unit) || info.unit.length > MARKER_UNIT_MAX_LENGTH || info.unit.endsWith(' ')) {
    throw new Error(`marker unit must be lowercase letters, "_" and spaces (at most ${MARKER_UNIT_MAX_LENGTH}); got ${JSON.stringify(info.unit)}`);
  }
  let detail = '';
  if (info.detail !== undefined) {
    if (info.detail.length === 0 || info.detail.length > MARKER_DETAIL_MAX_LENGTH || DETAIL_FORBIDDEN.test(info.detail)) {
      throw new Error(`marker detail must be 1-${MARKER_DETAIL_MAX_LENGTH} characters without brackets, parentheses or line breaks; got ${JSON.stringify(info.detail)}`);
    }
    detail = ` (${info.detail})`;
  }
  return `[headroom: omitted ${info.count} ${info.unit}${detail}; headroom_retrieve hash=${info.key}]`;
}

/** Every marker in `text`, in order of appearance. */
export function findMarkers(text: string): MarkerInfo[] {
  const markers: MarkerInfo[] = [];
  if (!text.includes('[headroom: omitted ')) return markers;
  for (const match of text.matchAll(new RegExp(MARKER_SOURCE, 'g'))) {
    const [, count, unit, detail, key] = match;
    if (count === undefined || unit === undefined || key === undefined) continue;
    const info: MarkerInfo = { key, count: Number(count), unit };
    if (detail !== undefined) info.detail = detail;
    markers.push(info);
  }
  return markers;
}

/**
 * `text` with every marker replaced by the original stored under its key, or
 * null when a key is not found. A marker written as a whole JSON string
 * (`"[headroom: …]"`, e.g. an element of a JSON array) stands for the raw
 * JSON it replaced, so its quotes are replaced with it. Markers inside the
 * originals are left as they are: each marker is one step back.
 */
export function expandMarkers(text: string, originalOf: (key: string) => string | null): string | null {
  if (!text.includes('[headroom: omitted ')) return text;
  let expanded = '';
  let copied = 0;
  for (const match of text.matchAll(new RegExp(MARKER_SOURCE, 'g'))) {
    const key = match[4];
    const original = key === undefined ? null : originalOf(key);
    if (original === null) return null;
    let start = match.index;
    let end = start + match[0].length;
    if (text[start - 1] === '"' && text[end] === '"') {
      start--;
      end++;
    }
    expanded += text.slice(copied, start) + original;
    copied = end;
  }
  return expanded + text.slice(copied);
}
