/**
 * Unified diffs (git diff, `git show`, combined diffs, svn/hg/bzr flavours),
 * read as a small state machine over the sampled lines: headers, hunk
 * headers, and the `+`/`-`/` `/`\` lines inside hunks. A `git show` commit
 * header, its indented message and its diffstat belong to the diff too.
 */

const FILE_HEADER =
  /^(?:diff --git |diff --(?:cc|combined) |diff -r |diff -[a-zA-Z]{1,5} \S|Index: |=== (?:modified|added|removed|renamed) (?:file|directory)|--- \S|\+\+\+ \S|index [0-9a-f]{3,}(?:\.\.|,)|(?:new|deleted) file mode|similarity index|dissimilarity index|rename (?:from|to) |copy (?:from|to) |Binary files |GIT binary patch|(?:old|new) mode |={20,}$)/;
const HUNK = /^@@@? -\d+(?:,\d+)? (?:-\d+(?:,\d+)? )?\+\d+(?:,\d+)? @@@?/;
const COMMIT = /^(?:commit [0-9a-f]{7,64}\b|Author: |AuthorDate: |Commit: |CommitDate: |Date: |Merge: |From [0-9a-f]{40} |From: |Subject: )/;
/** `git format-patch`: the `---` before the diffstat, and the stat's summary of created and deleted files. */
const PATCH_MAIL = /^(?:---$| (?:create|delete) mode \d+ \S)/;
/** The payload of a `GIT binary patch`: `literal N` / `delta N` and base85 lines. */
const BINARY_PAYLOAD = /^(?:literal \d+|delta \d+|[A-Za-z][0-9A-Za-z!#$%&()*+;<=>?@^_`{|}~-]{1,80})$/;
const DIFFSTAT = /^ \S.{0,300} \| +(?:\d+ ?[+-]*|Bin\b.{0,60})$|^ \d+ files? changed\b/;

export interface DiffScan {
  /** Non-blank lines that belong to a diff. */
  lines: number;
  /** Hunk headers seen (`@@ -1,3 +1,4 @@`). */
  hunks: number;
  /** `diff --git` / `Binary files` style headers seen, for diffs without hunks (renames, binaries). */
  gitHeaders: number;
}

export function scanDiff(lines: readonly string[]): DiffScan {
  let count = 0;
  let hunks = 0;
  let gitHeaders = 0;
  let inHunk = false;
  let inCommit = false;
  let inBinary = false;
  for (const line of lines) {
    // Blank lines keep the state (a commit message has some) but are not counted: shares are of non-blank lines.
    if (line.length === 0) {
      inBinary = false;
      continue;
    }
    if (inBinary && BINARY_PAYLOAD.test(line)) {
      count++;
      continue;
    }
    if (HUNK.test(line)) {
      hunks++;
      count++;
      inHunk = true;
      continue;
    }
    const first = line.charCodeAt(0);
    // Inside a hunk: context, added, removed, and `\ No newline at end of file`.
    if (inHunk && (first === 0x20 || first === 0x2b || first === 0x2d || first === 0x5c) && !line.startsWith('--- ') && !line.startsWith('+++ ')) {
      count++;
      continue;
    }
    inHunk = false;
    if (FILE_HEADER.test(line)) {
      if (/^(?:diff --git|diff --cc|diff --combined|Binary files|rename from|similarity index)/.test(line)) gitHeaders++;
      inBinary = line.startsWith('GIT binary patch');
      count++;
      inCommit = false;
      continue;
    }
    if (COMMIT.test(line)) {
      inCommit = true;
      count++;
      continue;
    }
    if ((inCommit && first === 0x20) || DIFFSTAT.test(line) || PATCH_MAIL.test(line)) {
      count++;
      continue;
    }
    inCommit = false;
  }
  return { lines: count, hunks, gitHeaders };
}
