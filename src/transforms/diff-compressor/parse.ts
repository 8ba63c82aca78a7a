/**
 * Reads a diff (git, unified, svn/hg, `git show`/`git log -p`, combined
 * `@@@` diffs) into what the compressor needs to decide: which lines are
 * context inside a hunk (the only lines it may trim), which are changes, and
 * where each file's hunks start and end (the span a file summary replaces).
 *
 * Hunks are read by the counts in their header, so a commit message or the
 * next file's `--- a/…` line is never taken for a removed line. Anything the
 * reader does not understand is `other`: kept as written, never dropped.
 */
import { stripAnsi, type Line } from '../lines.js';

export const enum Role {
  /** Preamble, commit header, diffstat, anything not understood: kept. */
  Other = 0,
  /** File header lines (`diff --git`, `index`, `---`/`+++`, rename, mode, `Binary files … differ`): kept. */
  FileHeader = 1,
  /** `@@ -a,b +c,d @@`: kept as written (coordinates). */
  HunkHeader = 2,
  /** `+` lines (in the result of a combined diff: a `+` column and no `-`): kept. */
  Added = 3,
  /** Unchanged lines inside a hunk: the only lines trimmed. */
  Context = 4,
  /** `\ No newline at end of file`: kept. */
  NoNewline = 5,
  /** The base85 payload of a `GIT binary patch`: only ever summarized. */
  BinaryPayload = 6,
  /** `-` lines (any `-` column in a combined diff): kept. */
  Removed = 7,
}

export function isChange(role: number): boolean {
  return role === Role.Added || role === Role.Removed;
}

export interface Hunk {
  /** Index of the hunk header line. */
  readonly header: number;
  /** One past the last line of its body. */
  readonly end: number;
  /** New-file (result) line number of the first body line, for marker details. */
  readonly newStart: number;
  /** Parent columns: 1 for a unified diff, 2+ for a combined diff. */
  readonly parents: number;
}

export interface FileDiff {
  /** Index of its first header line. */
  readonly start: number;
  /** Its path in the new tree (old tree for a deletion), `null` when no header names one. */
  path: string | null;
  readonly hunks: Hunk[];
  /** First and one-past-last line of the binary payload, when there is one. */
  payload: { start: number; end: number } | null;
  added: number;
  removed: number;
  deleted: boolean;
}

export interface ParsedDiff {
  readonly roles: Uint8Array;
  readonly files: FileDiff[];
}

const FILE_START = /^(?:diff --git |diff --cc |diff --combined |diff -\S|Index: |=== (?:modified|added|removed|renamed) )/;
const HEADER =
  /^(?:index [0-9a-f]{3,}|(?:new|deleted) file mode |(?:old|new) mode |similarity index |dissimilarity index |rename (?:from|to) |copy (?:from|to) |Binary files |GIT binary patch$|={20,}$|--- |\+\+\+ )/;
const UNIFIED_HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const COMBINED_HUNK = /^(@{3,}) (?:-\d+(?:,\d+)? ){2,}\+(\d+)(?:,(\d+))? @{3,}/;
const BINARY_PAYLOAD = /^(?:literal \d+|delta \d+|[A-Za-z][0-9A-Za-z!#$%&()*+;<=>?@^_`{|}~-]{1,80})$/;

/** The line's text as matched: colour codes removed (kept in the output). */
function plain(line: Line): string {
  return line.text.includes('\x1b') ? stripAnsi(line.text) : line.text;
}

export function parseDiff(lines: readonly Line[]): ParsedDiff {
  const roles = new Uint8Array(lines.length);
  const files: FileDiff[] = [];
  let file: FileDiff | null = null;
  const texts = lines.map(plain);
  let i = 0;
  while (i < texts.length) {
    const text = texts[i] as string;
    const hunk = hunkShape(text);
    if (hunk) {
      if (!file) {
        file = newFile(i);
        files.push(file);
      }
      i = readHunk(texts, i, hunk, roles, file);
      continue;
    }
    const plainStart = text.startsWith('--- ') && (texts[i + 1] ?? '').startsWith('+++ ') && (!file || file.hunks.length > 0 || file.payload !== null);
    if (FILE_START.test(text) || plainStart) {
      file = newFile(i);
      files.push(file);
      roles[i] = Role.FileHeader;
      notePath(file, text);
      i++;
      continue;
    }
    if (file && file.hunks.length === 0 && HEADER.test(text)) {
      roles[i] = Role.FileHeader;
      notePath(file, text);
      i++;
      if (text === 'GIT binary patch') i = readPayload(texts, i, roles, file);
      continue;
    }
    // A commit header or message between files ends the current file: what follows is not its header.
    if (file && !HEADER.test(text)) file = file.hunks.length > 0 || file.payload ? null : file;
    i++;
  }
  return { roles, files };
}

function newFile(start: number): FileDiff {
  return { start, path: null, hunks: [], payload: null, added: 0, removed: 0, deleted: false };
}

interface HunkShape {
  parents: number;
  newStart: number;
  /** Lines of the new file (result) the hunk covers. */
  newCount: number;
  /** Lines of the old file; null for combined diffs, which are read by their result count. */
  oldCount: number | null;
}

function hunkShape(text: string): HunkShape | null {
  if (!text.startsWith('@@')) return null;
  const unified = UNIFIED_HUNK.exec(text);
  if (unified) {
    const oldCount = unified[1] === undefined ? 1 : Number(unified[1]);
    const newCount = unified[3] === undefined ? 1 : Number(unified[3]);
    return { parents: 1, newStart: Number(unified[2]), newCount, oldCount };
  }
  const combined = COMBINED_HUNK.exec(text);
  if (combined) {
    const newCount = combined[3] === undefined ? 1 : Number(combined[3]);
    return { parents: (combined[1] as string).length - 1, newStart: Number(combined[2]), newCount, oldCount: null };
  }
  return null;
}

/** Reads one hunk's body by its counts; returns the index after it. Stops early at anything that is not a hunk line. */
function readHunk(texts: readonly string[], header: number, shape: HunkShape, roles: Uint8Array, file: FileDiff): number {
  roles[header] = Role.HunkHeader;
  let i = header + 1;
  let oldLeft = shape.oldCount ?? 0;
  let newLeft = shape.newCount;
  const combined = shape.oldCount === null;
  while (i < texts.length) {
    const text = texts[i] as string;
    if (text.startsWith('\\')) {
      roles[i++] = Role.NoNewline;
      continue;
    }
    if (combined ? newLeft === 0 && !removedInCombined(text, shape.parents) : oldLeft === 0 && newLeft === 0) break;
    // Counts that run long (a hand-edited diff) must not swallow the next file's `---`/`+++`/`@@` headers.
    if (text.startsWith('--- ') && (texts[i + 1] ?? '').startsWith('+++ ') && (texts[i + 2] ?? '').startsWith('@@')) break;
    const role = combined ? combinedRole(text, shape.parents) : unifiedRole(text, oldLeft, newLeft);
    if (role === null) break;
    roles[i] = role.role;
    if (role.role === Role.Added) file.added++;
    else if (role.role === Role.Removed) file.removed++;
    if (role.inOld) oldLeft--;
    if (role.inNew) newLeft--;
    i++;
  }
  file.hunks.push({ header, end: i, newStart: shape.newStart, parents: shape.parents });
  return i;
}

interface LineRole {
  role: Role.Added | Role.Removed | Role.Context;
  inOld: boolean;
  inNew: boolean;
}

function unifiedRole(text: string, oldLeft: number, newLeft: number): LineRole | null {
  const first = text.charCodeAt(0);
  // An empty line is context whose leading space an editor or tool stripped.
  if ((first === 0x20 || text.length === 0) && oldLeft > 0 && newLeft > 0) return { role: Role.Context, inOld: true, inNew: true };
  if (first === 0x2d && oldLeft > 0) return { role: Role.Removed, inOld: true, inNew: false };
  if (first === 0x2b && newLeft > 0) return { role: Role.Added, inOld: false, inNew: true };
  return null;
}

/** `-` in column N: in parent N, not in the result; `+`: in the result, not in parent N. */
function combinedRole(text: string, parents: number): LineRole | null {
  if (text.length < parents) return null;
  let plus = false;
  let minus = false;
  for (let c = 0; c < parents; c++) {
    const ch = text.charCodeAt(c);
    if (ch === 0x2b) plus = true;
    else if (ch === 0x2d) minus = true;
    else if (ch !== 0x20) return null;
  }
  if (minus) return { role: Role.Removed, inOld: false, inNew: false };
  return { role: plus ? Role.Added : Role.Context, inOld: false, inNew: true };
}

function removedInCombined(text: string, parents: number): boolean {
  const role = combinedRole(text, parents);
  return role !== null && !role.inNew;
}

function readPayload(texts: readonly string[], start: number, roles: Uint8Array, file: FileDiff): number {
  let i = start;
  while (i < texts.length) {
    const text = texts[i] as string;
    if (text.length > 0 && !BINARY_PAYLOAD.test(text)) break;
    // A blank line ends a literal/delta block; the payload goes on only if another block follows.
    if (text.length === 0 && !/^(?:literal|delta) \d+$/.test(texts[i + 1] ?? '')) break;
    roles[i++] = Role.BinaryPayload;
  }
  if (i > start) file.payload = { start, end: i };
  return i;
}

/** Records the file's path from the headers that name it: `+++ b/x` wins, then rename/copy targets, `diff --git`, `Index:`. */
function notePath(file: FileDiff, text: string): void {
  if (text.startsWith('deleted file mode ')) file.deleted = true;
  if (text.startsWith('+++ ')) {
    const path = headerPath(text.slice(4));
    if (path === null) file.deleted = true;
    else file.path = path;
    return;
  }
  if (text.startsWith('--- ') && file.path === null) file.path = headerPath(text.slice(4));
  else if (text.startsWith('rename to ') || text.startsWith('copy to ')) file.path = text.slice(text.indexOf(' to ') + 4);
  else if (text.startsWith('Index: ')) file.path = text.slice(7).trim();
  else if (text.startsWith('diff --git ') && file.path === null) {
    const b = text.lastIndexOf(' b/');
    if (b > 0) file.path = text.slice(b + 3);
  } else if (/^diff --(?:cc|combined) /.test(text)) file.path = text.replace(/^diff --(?:cc|combined) /, '');
}

/** `b/src/x.ts\t2024-01-01 …` → `src/x.ts`; `/dev/null` → null. */
function headerPath(raw: string): string | null {
  const path = raw.split('\t')[0]!.trim();
  if (path === '/dev/null') return null;
  return /^[ab]\//.test(path) ? path.slice(2) : path;
}
