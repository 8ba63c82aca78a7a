/**
 * Tabular text: `psql` / MySQL / Markdown tables (a separator rule and `|`
 * columns) and whitespace-aligned columns (`kubectl get`, `docker ps`, `ps`,
 * `df`): a header whose columns start where the rows' columns start.
 */

const PIPE_RULE = /^\s*[+|]?-{2,}(?:[+|]-{2,})+[+|]?\s*$/;
const MARKDOWN_RULE = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$/;
const BOX_RULE = /^\s*\+(?:-{2,}\+)+\s*$/;

/** How many lines (of those given) are rows of a table; 0 when there is no table. */
export function tableRows(lines: readonly string[]): number {
  return Math.max(pipeTableRows(lines), alignedRows(lines));
}

function pipeTableRows(lines: readonly string[]): number {
  let rules = 0;
  let rows = 0;
  for (const line of lines) {
    if (line.includes('--') && (PIPE_RULE.test(line) || MARKDOWN_RULE.test(line) || BOX_RULE.test(line))) rules++;
    else if (countChar(line, '|') >= 1 && line.trim().length > 0) rows++;
  }
  if (rules === 0 || rows < 2) return 0;
  return rows + rules;
}

/** Start columns of the fields of a header: text after two or more spaces (or a tab). */
function columnStarts(line: string): number[] {
  const starts: number[] = [];
  let spaces = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ') {
      spaces++;
      continue;
    }
    if (c === '\t') return [];
    if (starts.length === 0 || spaces >= 2) starts.push(i);
    spaces = 0;
  }
  return starts;
}

/** A row fits the header when, at every column start but the first, its text begins after a space. */
function fits(row: string, starts: readonly number[]): boolean {
  let misses = 0;
  for (let k = 1; k < starts.length; k++) {
    const at = starts[k]!;
    if (at >= row.length) {
      // Ragged last column (an empty trailing field).
      if (k < starts.length - 1) misses++;
      continue;
    }
    if (row[at - 1] !== ' ' || row[at] === ' ') misses++;
  }
  return misses <= (starts.length > 4 ? 1 : 0);
}

function alignedRows(lines: readonly string[]): number {
  let best = 0;
  // The header is one of the first few non-blank lines (a tool may print a line before it).
  let tried = 0;
  for (let h = 0; h < lines.length && tried < 4; h++) {
    const header = lines[h]!;
    if (header.trim().length === 0) continue;
    tried++;
    const starts = columnStarts(header);
    if (starts.length < 3) continue;
    let rows = 0;
    let others = 0;
    for (let r = h + 1; r < lines.length; r++) {
      const row = lines[r]!;
      if (row.trim().length === 0) continue;
      if (fits(row, starts)) rows++;
      else others++;
    }
    if (rows >= 2 && rows >= others) best = Math.max(best, rows + 1);
  }
  return best;
}

function countChar(line: string, char: string): number {
  let n = 0;
  for (let i = line.indexOf(char); i >= 0; i = line.indexOf(char, i + 1)) n++;
  return n;
}
