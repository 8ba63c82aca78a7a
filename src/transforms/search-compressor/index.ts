/**
 * The search-results compressor: grep and ripgrep output (flat, `-C`
 * context, `--heading`, `--json`) keeps the matches most relevant to the
 * user's query and the search pattern (BM25 from src/relevance, plus boosts
 * for error words and configured keywords), and every file stays named with
 * its match count. Kept lines are byte-identical and in their places: lines
 * are never fused, reordered or renumbered (grep coordinates are what an
 * agent acts on). Each run of dropped matches of one file becomes one marker
 * saying how many matches and, where short, their line numbers; a file that
 * keeps no line is named in its marker. Output of a single file, counts
 * (`-c`) and file lists (`-l`) pass through: there every line is the answer.
 */
import { findMarkers, formatMarker } from '../../ccr/markers.js';
import type { HeadroomConfig, SearchCompressorConfig } from '../../config/headroom-config.js';
import { createRelevanceScorer, type RelevanceScorer } from '../../relevance/index.js';
import { omitLines, protectedLineFlags, savesEnough, splitLines, type DroppedRun, type Line, type RunDescription } from '../lines.js';
import type { Decline, Rewrite, Transform, TransformBlock, TransformContext, TransformFactory } from '../types.js';
import { parseSearch, type SearchLayout } from './parse.js';
import { searchQuery } from './query.js';
import { selectUnits, type SelectionSettings } from './select.js';

export const SEARCH_COMPRESSOR = 'search_compressor';

const ERROR_WORDS = /\b(?:error|errors|exception|fatal|panic|fail|failed|failure|traceback|critical)\b/i;
const WARNING_WORDS = /\b(?:warn|warning|deprecated)\b/i;
const IMPORTANT_WORDS = /\b(?:important|note|todo|fixme|hack|xxx|bug|fix)\b/i;
/** A marker's detail must fit the grammar: at most 120 characters, no brackets or parentheses. */
const DETAIL_MAX = 120;
const DETAIL_FORBIDDEN = /[[\]()\r\n]/;
/** Stands in for a real key when a marker's size is weighed before it is written. */
const SAMPLE_KEY = '5f1c0a9e3b7d2c4e8a6f1b0d';

interface Setup {
  readonly config: SearchCompressorConfig;
  readonly selection: SelectionSettings;
  readonly scorer: RelevanceScorer;
}

export const searchCompressorFactory: TransformFactory = {
  name: SEARCH_COMPRESSOR,
  reads: [
    'search_compressor.enabled',
    'search_compressor.max_matches_per_file',
    'search_compressor.max_total_matches',
    'search_compressor.max_files',
    'search_compressor.always_keep_first',
    'search_compressor.always_keep_last',
    'search_compressor.context_keywords',
    'search_compressor.boost_errors',
    'search_compressor.min_savings_ratio',
    'smart_crusher.relevance.bm25_k1',
    'smart_crusher.relevance.bm25_b',
    'smart_crusher.relevance.relevance_threshold',
  ],
  create: (config) => createSearchCompressor(config),
};

export function createSearchCompressor(config: HeadroomConfig): Transform | null {
  const search = config.searchCompressor;
  if (!search.enabled) return null;
  const relevance = config.smartCrusher.relevance;
  const setup: Setup = {
    config: search,
    selection: { ...search, relevanceThreshold: relevance.relevanceThreshold },
    // BM25 only: a search output has hundreds of short lines, and an embedding per line would cost seconds.
    scorer: createRelevanceScorer({ ...relevance, tier: 'bm25' }, () => undefined),
  };
  return {
    name: SEARCH_COMPRESSOR,
    lossless: false,
    accepts: ['search'],
    apply: (block, context) => compressSearch(block, context, setup),
  };
}

async function compressSearch(block: TransformBlock, context: TransformContext, setup: Setup): Promise<Rewrite | Decline> {
  // A structured tool output must stay one JSON value; search output is lines.
  if (block.structured) return { decline: 'unsupported-shape' };
  if (findMarkers(block.text).length > 0) return { decline: 'already-marked' };
  const lines = splitLines(block.text);
  const layout = parseSearch(lines);
  if (layout.files.length < 2) return { decline: 'already-compact' };
  const total = layout.files.reduce((sum, file) => sum + file.matches, 0);
  if (total <= setup.config.maxTotalMatches) return { decline: 'within-budget' };
  if (!context.canOffload) return { decline: 'needs-offload' };

  const query = searchQuery(context);
  const texts = layout.units.map((unit) => unit.text);
  const relevance = query === null ? texts.map(() => 0) : await setup.scorer.score(query, texts);
  const scores = texts.map((text, index) => (relevance[index] as number) + boost(text, setup.config));
  const keepUnit = selectUnits(layout, relevance, scores, setup.selection);
  const keep = lineFlags(layout, keepUnit, protectedLineFlags(lines, block.text));
  const writer = new SearchWriter(lines, layout, keep, context);
  writer.keepUnnamedFiles();
  writer.keepRunsCheaperThanMarkers();
  const text = writer.write();
  // Counting a large output costs more than the rest of the work: a text cut to under half the needed share of its characters saves enough for sure.
  const surely = text.length < ((1 - setup.config.minSavingsRatio) / 2) * block.text.length;
  if (!surely && !savesEnough(block.tokens, context.count(text), setup.config.minSavingsRatio)) return { decline: 'small-gain' };
  const keptMatches = layout.units.reduce((sum, unit) => sum + (keep[unit.last] ? unit.matchLines.length : 0), 0);
  return { text, label: `search: kept ${keptMatches} of ${total} matches, ${layout.files.length} files named` };
}

function boost(text: string, config: SearchCompressorConfig): number {
  let score = 0;
  if (config.boostErrors) {
    if (ERROR_WORDS.test(text)) score += 0.5;
    else if (WARNING_WORDS.test(text)) score += 0.4;
    else if (IMPORTANT_WORDS.test(text)) score += 0.3;
  }
  const lower = text.toLowerCase();
  for (const keyword of config.contextKeywords) if (keyword !== '' && lower.includes(keyword.toLowerCase())) score += 0.4;
  return score;
}

/**
 * Per line: 1 to keep. Structure lines are always kept; unit lines follow
 * their unit, and a unit with a line in a protected block span (an agent
 * tag pair, a fence or JSON over several lines) is kept whole.
 */
function lineFlags(layout: SearchLayout, selected: readonly boolean[], protectedLines: Uint8Array): Uint8Array {
  const keepUnit = [...selected];
  for (let i = 0; i < protectedLines.length; i++) if (protectedLines[i] && (layout.unitOf[i] as number) >= 0) keepUnit[layout.unitOf[i] as number] = true;
  const keep = new Uint8Array(protectedLines.length);
  for (let i = 0; i < keep.length; i++) {
    const unit = layout.unitOf[i] as number;
    keep[i] = unit < 0 || keepUnit[unit] ? 1 : 0;
  }
  return keep;
}

/** A stretch of lines written together: the lines of one file's units in a row, or one structure line. */
interface Slice {
  readonly first: number;
  readonly last: number;
  /** The file, or -1 for structure. */
  readonly file: number;
}

/** Writes the kept lines and one marker per run of dropped matches of one file. */
class SearchWriter {
  private readonly slices: Slice[];
  private readonly fileKept: boolean[];

  constructor(
    private readonly lines: readonly Line[],
    private readonly layout: SearchLayout,
    private readonly keep: Uint8Array,
    private readonly context: TransformContext,
  ) {
    this.slices = slicesOf(layout, lines.length);
    this.fileKept = this.keptFiles();
  }

  private keptFiles(): boolean[] {
    const kept = this.layout.files.map(() => false);
    for (let i = 0; i < this.lines.length; i++) {
      const unit = this.layout.unitOf[i] as number;
      if (unit >= 0 && this.keep[i]) kept[(this.layout.units[unit] as { file: number }).file] = true;
    }
    return kept;
  }

  /** A file that keeps no line must be named in its marker; where its path cannot be, its first unit stays. */
  keepUnnamedFiles(): void {
    if (this.layout.mode !== 'lines') return;
    for (const [index, file] of this.layout.files.entries()) {
      if (this.fileKept[index] || pathFitsDetail(file.path)) continue;
      const unit = this.layout.units[file.units[0] as number] as { first: number; last: number };
      this.keep.fill(1, unit.first, unit.last + 1);
      this.fileKept[index] = true;
    }
  }

  /** A run whose marker would cost about as much as the run itself stays: a marker must save something. */
  keepRunsCheaperThanMarkers(): void {
    for (const slice of this.slices) {
      if (slice.file < 0) continue;
      for (const run of this.runsOf(slice)) {
        const marker = formatMarker({ key: SAMPLE_KEY, ...this.describe(slice, run) });
        const length = this.runText(slice, run).length;
        // Text runs at about four characters a token and a marker at about two: a run this long costs more for sure.
        if (length > 4 * marker.length) continue;
        if (this.context.count(this.runText(slice, run)) <= this.context.count(marker)) this.keep.fill(1, slice.first + run.first, slice.first + run.last + 1);
      }
    }
  }

  write(): string {
    let out = '';
    for (const slice of this.slices) {
      const lines = this.lines.slice(slice.first, slice.last + 1);
      if (slice.file < 0) {
        out += lines.map((line) => line.text + line.eol).join('');
        continue;
      }
      out += omitLines(lines, this.keep.subarray(slice.first, slice.last + 1), this.context, (run) => this.describe(slice, run));
    }
    return out;
  }

  private runsOf(slice: Slice): DroppedRun[] {
    const runs: DroppedRun[] = [];
    for (let i = slice.first; i <= slice.last; i++) {
      if (this.keep[i]) continue;
      let last = i;
      while (last + 1 <= slice.last && !this.keep[last + 1]) last++;
      runs.push({ first: i - slice.first, last: last - slice.first });
      i = last;
    }
    return runs;
  }

  private runText(slice: Slice, run: DroppedRun): string {
    let text = '';
    for (let i = slice.first + run.first; i <= slice.first + run.last; i++) text += (this.lines[i] as Line).text + '\n';
    return text;
  }

  /** `omitted 12 matches (in src/a.ts: lines 40,52,60 and 9 more)`: the path only when no line of the file is kept. */
  private describe(slice: Slice, run: DroppedRun): RunDescription {
    const numbers: (number | null)[] = [];
    let context = false;
    let lastUnit = -1;
    for (let i = slice.first + run.first; i <= slice.first + run.last; i++) {
      const unit = this.layout.unitOf[i] as number;
      if (unit < 0 || unit === lastUnit) continue;
      lastUnit = unit;
      const found = this.layout.units[unit] as SearchLayout['units'][number];
      numbers.push(...found.matchLines);
      if (found.hasContext) context = true;
    }
    const file = this.layout.files[slice.file] as SearchLayout['files'][number];
    const prefix = this.layout.mode === 'lines' && !this.fileKept[slice.file] && pathFitsDetail(file.path) ? `in ${file.path}` : '';
    const suffix = context ? ' with context' : '';
    const listed = lineList(numbers, DETAIL_MAX - prefix.length - suffix.length - 2);
    const detail = [prefix, listed].filter((part) => part !== '').join(': ') + (prefix !== '' || listed !== '' ? suffix : '');
    return { unit: numbers.length === 1 ? 'match' : 'matches', count: numbers.length, ...(detail === '' ? {} : { detail }) };
  }
}

/** A path can be named in a marker detail: short enough, no brackets or parentheses. */
function pathFitsDetail(path: string): boolean {
  return path.length <= 80 && !DETAIL_FORBIDDEN.test(path);
}

/** `lines 40,52,60`, or as many as fit and `and N more`; empty when there are no line numbers. */
function lineList(numbers: readonly (number | null)[], room: number): string {
  const known = numbers.filter((number): number is number => number !== null);
  if (known.length === 0) return '';
  let text = known.length === 1 ? `line ${known[0]}` : `lines ${known[0]}`;
  for (let i = 1; i < known.length; i++) {
    const more = ` and ${known.length - i} more`;
    const next = `${text},${known[i]}`;
    const rest = i === known.length - 1 ? '' : ` and ${known.length - i - 1} more`;
    if (next.length + rest.length > room) return text.length + more.length <= room ? text + more : text;
    text = next;
  }
  return text;
}

function slicesOf(layout: SearchLayout, length: number): Slice[] {
  const slices: Slice[] = [];
  let i = 0;
  while (i < length) {
    const unit = layout.unitOf[i] as number;
    if (unit < 0) {
      slices.push({ first: i, last: i, file: -1 });
      i++;
      continue;
    }
    const file = (layout.units[unit] as { file: number }).file;
    let last = i;
    while (last + 1 < length && (layout.unitOf[last + 1] as number) >= 0 && (layout.units[layout.unitOf[last + 1] as number] as { file: number }).file === file) last++;
    slices.push({ first: i, last, file });
    i = last + 1;
  }
  return slices;
}
