/**
 * `text_compressor`: the statistical prose compressor (the reference's
 * TextCrusher, its non-ML text strategy). Prose is split into sentences
 * (segments.ts); each is scored by relevance to the query (the relevance
 * tier of `smart_crusher.relevance`: BM25 unless the user configured a local
 * embedding model, which is then the only model involved), salience and position (score.ts); the best are kept, in order and byte for
 * byte, until `target_ratio` of the characters is kept, skipping
 * near-duplicates of what is already kept. Protected spans
 * (../protected-spans.ts: agent tags, fenced code, JSON, path:line
 * references, URLs, error messages) are always kept whole. Every gap becomes
 * one marker whose stored original is exactly what it replaced: a run of
 * whole lines through `omitLines`, a run of sentences inside a kept line
 * through `omitSpans`. A gap costing less than twice its marker is kept.
 */
import { formatMarker } from '../../ccr/markers.js';
import type { HeadroomConfig, TextCompressorConfig } from '../../config/headroom-config.js';
import { createRelevanceScorer, RELEVANCE_SCORER_READS, type RelevanceScorer } from '../../relevance/index.js';
import { omitLines, omitSpans, savesEnough, splitLines, type Line, type TextSpan } from '../lines.js';
import { findProtectedSpans } from '../protected-spans.js';
import { queryText } from '../smart-crusher/query.js';
import type { Decline, Rewrite, Transform, TransformBlock, TransformContext, TransformFactory, TransformServices } from '../types.js';
import { isNearDuplicate, positionScore, salience, shingles } from './score.js';
import { lineBounds, lineOf, segmentText, type LineBounds, type Segment } from './segments.js';

export const TEXT_COMPRESSOR = 'text_compressor';

/** A marker as long as the ones this compressor writes, to price a gap before writing it. */
const SAMPLE_MARKER = '[headroom: omitted 12 sentences (line 1234); headroom_retrieve hash=0123456789abcdef01234567]';
/** A gap must save at least this many markers' worth of tokens, or it is kept. */
const GAP_MARKER_MULTIPLE = 2;
/** An estimated saving this far above `min_savings_ratio` needs no exact count. */
const CLEAR_MARGIN = 0.15;
/** Stands in for the CCR key in a dry run: a key has a fixed length, so the marker costs the same tokens give or take one or two. */
const STAND_IN_KEY = '5f3a9c0e7b2d4f6a8c1e3b5d';

/** A context whose offload only writes the marker a real one would (nothing stored). */
function dryRun(context: TransformContext): TransformContext {
  return { ...context, offload: (span) => formatMarker({ key: STAND_IN_KEY, count: span.count, unit: span.unit, ...(span.detail === undefined ? {} : { detail: span.detail }) }) };
}

/** Segments shorter than `min_segment_chars` score this share. */
const SHORT_FACTOR = 0.25;

export interface TextCompressorSettings {
  readonly config: TextCompressorConfig;
  /**
   * Relevance of each sentence to the query: the configured tier of
   * `smart_crusher.relevance` — BM25 by default; a local embedding model only
   * when the user configured `embedding_model_path` (nothing is downloaded).
   */
  readonly scorer: RelevanceScorer;
}

export const textCompressorFactory: TransformFactory = {
  name: TEXT_COMPRESSOR,
  reads: [
    'text_compressor.enabled',
    'text_compressor.target_ratio',
    'text_compressor.min_savings_ratio',
    'text_compressor.w_position',
    'text_compressor.w_relevance',
    'text_compressor.w_salience',
    'text_compressor.min_segment_chars',
    'text_compressor.near_dup_threshold',
    'text_compressor.min_segments_for_crush',
    ...RELEVANCE_SCORER_READS,
  ],
  create: (config: HeadroomConfig, services: TransformServices) =>
    config.textCompressor.enabled ? createTextCompressor({ config: config.textCompressor, scorer: createRelevanceScorer(config.smartCrusher.relevance, services.warn) }) : null,
};

export function createTextCompressor(settings: TextCompressorSettings): Transform {
  return {
    name: TEXT_COMPRESSOR,
    lossless: false,
    accepts: ['prose'],
    apply: (block, context) => compressProse(block, context, settings),
  };
}

async function compressProse(block: TransformBlock, context: TransformContext, settings: TextCompressorSettings): Promise<Rewrite | Decline> {
  const { config } = settings;
  const text = block.text;
  // Our own output (or a text quoting a marker): compressing it again would not be idempotent.
  if (text.includes('[headroom: omitted ')) return { decline: 'already-marked' };
  const lines = lineBounds(text);
  const segments = segmentText(text, lines, findProtectedSpans(text));
  const free = segments.filter((segment) => !segment.protected).length;
  if (free < config.minSegmentsForCrush) return { decline: 'too-small' };
  if (!context.canOffload) return { decline: 'needs-offload' };

  const query = queryText(context) ?? '';
  const texts = segments.map((segment) => text.slice(segment.start, segment.end));
  const relevance = query.trim() === '' ? null : await settings.scorer.score(query, texts);
  const kept = selectSegments(texts, segments, relevance, settings.config);
  const markerTokens = context.count(SAMPLE_MARKER);
  // Gaps are priced at the block's own tokens per character: counting every gap with the tokenizer would cost more than the rest together.
  const tokensPerChar = block.tokens / Math.max(1, text.length);
  const tokensOf = (gap: Gap) => (gap.end - gap.start) * tokensPerChar;
  let gaps = planGaps(text, lines, segments, kept);
  // Gaps that do not pay for their marker are kept; restoring them cannot shrink the others.
  let restored = false;
  for (const gap of gaps) {
    if (tokensOf(gap) >= GAP_MARKER_MULTIPLE * markerTokens) continue;
    for (let i = gap.firstSegment; i <= gap.lastSegment; i++) kept[i] = 1;
    restored = true;
  }
  if (restored) gaps = planGaps(text, lines, segments, kept);
  if (gaps.length === 0) return { decline: 'already-compact' };

  const estimate = block.tokens - gaps.reduce((sum, gap) => sum + tokensOf(gap), 0) + gaps.length * markerTokens;
  if (!savesEnough(block.tokens, estimate, config.minSavingsRatio)) return { decline: 'small-gain' };
  // Near the line the estimate can be on the wrong side of it: count a dry run (markers with a stand-in key) before storing anything.
  if (
    !savesEnough(block.tokens, estimate, config.minSavingsRatio + CLEAR_MARGIN) &&
    !savesEnough(block.tokens, context.count(writeGaps(text, lines, gaps, dryRun(context))), config.minSavingsRatio)
  ) {
    return { decline: 'small-gain' };
  }

  const output = writeGaps(text, lines, gaps, context);
  const keptCount = kept.reduce((sum, keep) => sum + keep, 0);
  return { text: output, label: `prose: kept ${keptCount} of ${segments.length} segments` };
}

/**
 * 1 for each kept segment: protected ones, then the best-scored others until
 * `target_ratio` of the characters is kept, near-duplicates skipped.
 */
function selectSegments(texts: readonly string[], segments: readonly Segment[], relevance: readonly number[] | null, config: TextCompressorConfig): Uint8Array {
  const kept = new Uint8Array(segments.length);
  const total = texts.reduce((sum, segment) => sum + segment.length, 0);
  const target = Math.max(1, Math.floor(total * config.targetRatio));
  const seen = new Set<number>();
  const ids = new Map<string, number>();
  let keptChars = 0;
  const candidates: { index: number; score: number }[] = [];
  for (const [index, segment] of segments.entries()) {
    const body = texts[index] as string;
    if (segment.protected) {
      kept[index] = 1;
      keptChars += body.length;
      for (const shingle of shingles(body, ids)) seen.add(shingle);
      continue;
    }
    let score = config.wPosition * positionScore(index, segments.length) + config.wRelevance * (relevance?.[index] ?? 0) + config.wSalience * (segment.heading ? 1 : salience(body));
    if (body.length < config.minSegmentChars && !segment.heading) score *= SHORT_FACTOR;
    candidates.push({ index, score });
  }
  candidates.sort((a, b) => b.score - a.score || a.index - b.index);
  for (const { index } of candidates) {
    if (keptChars >= target) break;
    const body = texts[index] as string;
    // Not a segment that mostly overshoots the budget (one huge line would otherwise keep everything); smaller ones may still fit.
    if (keptChars + body.length / 2 > target) continue;
    const own = shingles(body, ids);
    if (isNearDuplicate(own, seen, config.nearDupThreshold)) continue;
    kept[index] = 1;
    keptChars += body.length;
    for (const shingle of own) seen.add(shingle);
  }
  return kept;
}

/** A maximal run of dropped segments: whole lines (`lines` set) or sentences inside one kept line. */
interface Gap extends TextSpan {
  readonly firstSegment: number;
  readonly lastSegment: number;
  /** For a run of whole lines: the 0-based lines it covers. */
  readonly lines: { first: number; last: number } | null;
}

/**
 * Which lines go whole and which sentences go inside kept lines. A line goes
 * when every segment on it goes; a blank line goes when the lines on both
 * sides of it go, so paragraph breaks next to kept text stay.
 */
function planGaps(text: string, lines: readonly LineBounds[], segments: readonly Segment[], kept: Uint8Array): Gap[] {
  // Per line: 0 blank, 1 all segments dropped, 2 something kept.
  const state = new Uint8Array(lines.length);
  for (const [index, segment] of segments.entries()) {
    for (let line = segment.firstLine; line <= segment.lastLine; line++) {
      if (kept[index]) state[line] = 2;
      else if (state[line] === 0) state[line] = 1;
    }
  }
  const droppedLines = new Uint8Array(lines.length);
  for (let line = 0; line < lines.length; line++) if (state[line] === 1) droppedLines[line] = 1;
  for (let line = 0; line < lines.length; line++) {
    if (state[line] !== 0) continue;
    let end = line;
    while (end + 1 < lines.length && state[end + 1] === 0) end++;
    const before = line === 0 ? 1 : state[line - 1];
    const after = end + 1 >= lines.length ? 1 : state[end + 1];
    if (before === 1 && after === 1) for (let blank = line; blank <= end; blank++) droppedLines[blank] = 1;
    line = end;
  }

  const gaps: Gap[] = [];
  let s = 0;
  for (let line = 0; line < lines.length; line++) {
    while (s < segments.length && (segments[s] as Segment).lastLine < line) s++;
    if (droppedLines[line]) {
      let last = line;
      while (last + 1 < lines.length && droppedLines[last + 1]) last++;
      const first = s;
      while (s < segments.length && (segments[s] as Segment).firstLine <= last) s++;
      gaps.push({ start: (lines[line] as LineBounds).start, end: (lines[last] as LineBounds).end, firstSegment: first, lastSegment: s - 1, lines: { first: line, last } });
      line = last;
      continue;
    }
    // A kept line: runs of dropped sentences inside it (a dropped segment is always one line's; protected ones are kept).
    for (let i = s; i < segments.length && (segments[i] as Segment).firstLine <= line; i++) {
      if (kept[i]) continue;
      let last = i;
      while (last + 1 < segments.length && !kept[last + 1] && (segments[last + 1] as Segment).firstLine === line) last++;
      gaps.push({ start: (segments[i] as Segment).start, end: (segments[last] as Segment).end, firstSegment: i, lastSegment: last, lines: null });
      i = last;
    }
  }
  // A run of whole lines with no segments (blank lines only) saves nothing worth a marker.
  return gaps.filter((gap) => gap.lastSegment >= gap.firstSegment && text.slice(gap.start, gap.end).trim() !== '');
}

/** The output: whole dropped lines through `omitLines`, sentence runs inside kept lines through `omitSpans`. */
function writeGaps(text: string, lines: readonly LineBounds[], gaps: readonly Gap[], context: TransformContext): string {
  const inLine = new Map<number, (TextSpan & { count: number })[]>();
  const keepLine = new Uint8Array(lines.length).fill(1);
  for (const gap of gaps) {
    if (gap.lines !== null) {
      for (let line = gap.lines.first; line <= gap.lines.last; line++) keepLine[line] = 0;
      continue;
    }
    const line = lineOf(lines, gap.start);
    const base = (lines[line] as LineBounds).start;
    const spans = inLine.get(line) ?? [];
    spans.push({ start: gap.start - base, end: gap.end - base, count: gap.lastSegment - gap.firstSegment + 1 });
    inLine.set(line, spans);
  }
  const written: Line[] = splitLines(text).map((line, index) => {
    const spans = inLine.get(index);
    if (spans === undefined) return line;
    const describe = (span: TextSpan) => ({ unit: 'sentences', count: (span as TextSpan & { count: number }).count, detail: `line ${index + 1}` });
    return { text: omitSpans(line.text, spans, context, describe), eol: line.eol };
  });
  return omitLines(written, keepLine, context);
}
