/**
 * SmartCrusher, the lossy half: in a JSON tool output, large arrays keep
 * only the items worth keeping (errors, anomalies, items relevant to the
 * query, positional anchors — `selectItems` decides), copied as written and
 * in order, and end with selection markers naming the dropped indices and
 * the CCR key they are stored under (src/ccr/selections.ts; the exact
 * inverse is `restoreSelections`). Object keys, counts such as `"total"` and
 * everything outside the crushed arrays stay as they are. Runs after
 * `json_compaction`; under `--lossless-only` the pipeline skips it.
 */
import { CCR_KEY_LENGTH } from '../../ccr/key.js';
import { formatMarker } from '../../ccr/markers.js';
import { entryText, omittedKey, selectionChunks, splice } from '../../ccr/selections.js';
import type { HeadroomConfig, SmartCrusherConfig } from '../../config/headroom-config.js';
import { itemsShape } from '../../feedback/shape.js';
import { minifyJson, parseRawJson, rawText, type RawDocument, type RawNode } from '../../json/index.js';
import type { Decline, DeclineReason, FeedbackHint, FeedbackReader, Rewrite, Transform, TransformBlock, TransformContext, TransformFactory, TransformServices } from '../types.js';
import { addToTally, emptyTally, lossyLabel, type CrushTally } from './explain.js';
import { queryText } from './query.js';
import { createRelevanceScorer, RELEVANCE_SCORER_READS, type RelevanceScorer } from '../../relevance/index.js';
import { selectItems, type Selection, type SelectionInput } from './select/index.js';
import { isScalarMap, walkDocument, type ArrayNode, type ObjectNode, type Walker } from './walk.js';
import { encodeDocument, tableSettings, type EncodeSettings } from '../json-table/index.js';

export const SMART_CRUSHER = 'smart_crusher';

/** Selection bias: 1.0 is neutral (per-tool profiles may move it later). */
const NEUTRAL_BIAS = 1;

/**
 * Arrays up to this many characters are weighed in real tokens of their
 * lossless layout, kept part against whole (two encodings, a few ms). Beyond
 * it the marker is a rounding error and tables shrink kept and dropped rows
 * alike, so characters decide without encoding a large array twice.
 */
const WEIGH_IN_TOKENS_UP_TO = 64 * 1024;

/** Why one candidate array was left whole. */
type ArrayDecline = Extract<DeclineReason, 'nothing-to-rank' | 'within-budget' | 'marker-costs-more' | 'lossless-enough' | 'needs-offload'>;

interface CrusherSetup {
  config: SmartCrusherConfig;
  /** How json_table lays arrays out, to weigh dropping items against keeping them all in a table. */
  table: EncodeSettings;
  scorer: RelevanceScorer | null;
  feedback: FeedbackReader | null;
  select: Selector;
}

export type Selector = (input: SelectionInput) => Selection;

export const smartCrusherFactory: TransformFactory = {
  name: SMART_CRUSHER,
  reads: [
    'smart_crusher.enabled',
    'smart_crusher.min_items_to_analyze',
    'smart_crusher.variance_threshold',
    'smart_crusher.uniqueness_threshold',
    'smart_crusher.similarity_threshold',
    'smart_crusher.max_items_after_crush',
    'smart_crusher.preserve_change_points',
    'smart_crusher.use_feedback_hints',
    'smart_crusher.toin_confidence_threshold',
    'smart_crusher.dedup_identical_items',
    'smart_crusher.first_fraction',
    'smart_crusher.last_fraction',
    ...RELEVANCE_SCORER_READS,
    'smart_crusher.relevance.relevance_threshold',
    'smart_crusher.anchor.anchor_budget_pct',
    'smart_crusher.anchor.min_anchor_slots',
    'smart_crusher.anchor.max_anchor_slots',
    'smart_crusher.anchor.default_front_weight',
    'smart_crusher.anchor.default_back_weight',
    'smart_crusher.anchor.default_middle_weight',
    'smart_crusher.anchor.search_front_weight',
    'smart_crusher.anchor.search_back_weight',
    'smart_crusher.anchor.logs_front_weight',
    'smart_crusher.anchor.logs_back_weight',
    'smart_crusher.anchor.recency_keywords',
    'smart_crusher.anchor.historical_keywords',
    'smart_crusher.anchor.use_information_density',
    'smart_crusher.anchor.candidate_multiplier',
    'smart_crusher.anchor.dedup_identical_items',
  ],
  create: (config, services) => createSmartCrusher(config, services),
};

/** The transform for a configuration (null when disabled); `select` is replaceable so tests can drive each selection outcome. */
export function createSmartCrusher(config: HeadroomConfig, services: TransformServices, select: Selector = selectItems): Transform | null {
  const crusher = config.smartCrusher;
  if (!crusher.enabled) return null;
  const setup: CrusherSetup = {
    config: crusher,
    table: tableSettings(config),
    scorer: createRelevanceScorer(crusher.relevance, (message) => services.warn(message)),
    feedback: crusher.useFeedbackHints ? services.feedback : null,
    select,
  };
  return {
    name: SMART_CRUSHER,
    lossless: false,
    accepts: ['json-array', 'json-object'],
    apply: (block, context) => crushBlock(block, context, setup),
  };
}

async function crushBlock(block: TransformBlock, context: TransformContext, setup: CrusherSetup): Promise<Rewrite | Decline> {
  // Multi-line JSON is minified first: json_compaction's rewrite may have been dropped (a structured value
  // counts no whitespace), and a structured value must come back on one line. Literals stay as written.
  // A line break is always whitespace in JSON text (inside strings it is escaped), so one-line text skips the pass.
  const compact = block.text.includes('\n') || block.text.includes('\r') ? minifyJson(block.text) : block.text;
  const doc = compact === null ? null : parseRawJson(compact);
  if (doc === null || (doc.root.type !== 'array' && doc.root.type !== 'object')) return { decline: 'unsupported-shape' };
  const crusher = new BlockCrusher(setup, context);
  const edits = await walkDocument(doc, crusher);
  if (edits.length === 0) return { decline: crusher.declineReason() };
  return { text: splice(doc.text, edits), label: lossyLabel(crusher.tally) };
}

/**
 * What the selection ranks for one collection: an array's elements; a record
 * map's values (its keys are ids); a scalar map's entries as strings
 * (`"alice":true` — the values alone, a column of `true`, would say nothing),
 * in a document of their own.
 */
function selectionItems(doc: RawDocument, node: ArrayNode | ObjectNode, pieces: readonly string[]): { selectDoc: RawDocument; items: readonly RawNode[]; itemTexts: readonly string[] } {
  if (node.type === 'array') return { selectDoc: doc, items: node.items, itemTexts: pieces };
  const entries = isScalarMap(node) ? parseRawJson(JSON.stringify(pieces)) : null;
  if (entries !== null && entries.root.type === 'array') return { selectDoc: entries, items: entries.root.items, itemTexts: pieces };
  const items = node.entries.map((entry) => entry.value);
  return { selectDoc: doc, items, itemTexts: items.map((item) => rawText(doc, item)) };
}

/** Crushes the candidate arrays of one block and remembers what it did, for the label or the decline. */
class BlockCrusher implements Walker {
  readonly minItems: number;
  readonly tally: CrushTally = emptyTally();
  private readonly query: string | null;
  /** The biggest candidate left whole, and why: the block's reason when nothing was crushed. */
  private biggestDecline: { size: number; reason: ArrayDecline } | null = null;
  private sawMarked = false;
  /** Marker text length for a count and detail (the key has a fixed length), to weigh a marker against what it replaces. */
  private readonly placeholderKey = '0'.repeat(CCR_KEY_LENGTH);

  constructor(
    private readonly setup: CrusherSetup,
    private readonly context: TransformContext,
  ) {
    this.minItems = Math.max(1, setup.config.minItemsToAnalyze);
    this.query = queryText(context);
  }

  marked(): void {
    this.sawMarked = true;
  }

  declineReason(): DeclineReason {
    if (this.biggestDecline) return this.biggestDecline.reason;
    return this.sawMarked ? 'already-marked' : 'no-large-array';
  }

  async crush(doc: RawDocument, node: ArrayNode | ObjectNode): Promise<{ text: string } | null> {
    const map = node.type === 'object';
    // What is copied or stored per item: the element, or a map's `"key":value` entry.
    const pieces = map ? node.entries.map((entry) => entryText(doc, entry)) : node.items.map((item) => rawText(doc, item));
    const { selectDoc, items, itemTexts } = selectionItems(doc, node, pieces);
    const relevance = this.setup.scorer !== null && this.query !== null ? await this.setup.scorer.score(this.query, itemTexts) : null;
    const selection = this.setup.select({
      doc: selectDoc,
      items,
      itemTexts,
      query: this.query,
      relevance,
      hints: this.hints(items),
      config: this.setup.config,
      bias: NEUTRAL_BIAS,
    });
    if (selection.strategy === 'skip') return this.decline(node, 'nothing-to-rank');

    const kept = new Uint8Array(items.length);
    for (const index of selection.keep) if (index >= 0 && index < items.length) kept[index] = 1;
    const dropped: number[] = [];
    for (let index = 0; index < items.length; index++) if (kept[index] === 0) dropped.push(index);
    if (dropped.length === 0) return this.decline(node, 'within-budget');

    const chunks = selectionChunks(dropped, items.length);
    // Each dropped item costs its text and a comma; each marker its quoted text and a comma.
    const droppedChars = dropped.reduce((sum, index) => sum + (pieces[index] as string).length + 1, 0);
    // The markers as they will be written, with a stand-in key of the real length: what they cost is known before anything is stored.
    const placeholders = chunks.map((chunk, n) =>
      markerElement(formatMarker({ key: this.placeholderKey, count: chunk.indices.length, unit: 'items', detail: chunk.detail }), map ? n : null),
    );
    const markerChars = placeholders.reduce((sum, placeholder) => sum + placeholder.length + 1, 0);
    if (droppedChars <= markerChars) return this.decline(node, 'marker-costs-more');

    const [open, close] = map ? ['{', '}'] : ['[', ']'];
    const parts: string[] = [];
    for (let index = 0; index < items.length; index++) if (kept[index] === 1) parts.push(pieces[index] as string);
    if (!this.worthDropping(doc, node, [...parts, ...placeholders], open, close)) return this.decline(node, 'lossless-enough');
    if (!this.context.canOffload) return this.decline(node, 'needs-offload');

    for (const [n, chunk] of chunks.entries()) {
      const original = `${open}${chunk.indices.map((index) => pieces[index] as string).join(',')}${close}`;
      const marker = this.context.offload({ original, unit: 'items', count: chunk.indices.length, detail: chunk.detail });
      parts.push(markerElement(marker, map ? n : null));
    }
    addToTally(this.tally, items.length - dropped.length, items.length, selection.counts, map);
    return { text: `${open}${parts.join(',')}${close}` };
  }

  /**
   * Lossless first: items are dropped only when what is left — the kept
   * items and their markers, laid out as json_table would — costs at most
   * `1 − lossless_min_savings_ratio` of the whole array laid out losslessly.
   * Dropping a few rows of a small table to save a handful of tokens is not
   * worth a retrieval round trip.
   */
  private worthDropping(doc: RawDocument, node: RawNode, leftParts: readonly string[], open: string, close: string): boolean {
    const left = `${open}${leftParts.join(',')}${close}`;
    const budget = 1 - this.setup.config.losslessMinSavingsRatio;
    if (node.end - node.start > WEIGH_IN_TOKENS_UP_TO) return left.length <= budget * (node.end - node.start);
    const leftDoc = parseRawJson(left);
    // The whole array is already parsed: lay it out from its own node instead of parsing its text again.
    return this.losslessTokens(leftDoc ?? left) <= budget * this.losslessTokens({ text: doc.text, root: node });
  }

  /** Tokens of a compact JSON value once json_table has laid its arrays out (or as it is, where no layout pays). */
  private losslessTokens(value: RawDocument | string): number {
    if (typeof value === 'string') return this.context.count(value);
    const encoded = encodeDocument(value, { settings: this.setup.table, count: (part) => this.context.count(part), rootAsText: true });
    return this.context.count(encoded.ambiguous ? value.text.slice(value.root.start, value.root.end) : encoded.text);
  }

  /** Learned hints for this tool and item shape, at or above the confidence threshold. */
  private hints(items: readonly RawNode[]): readonly FeedbackHint[] {
    const feedback = this.setup.feedback;
    if (feedback === null) return [];
    const threshold = this.setup.config.toinConfidenceThreshold;
    return feedback.hintsFor(this.context.toolName, itemsShape(items)).filter((hint) => hint.confidence >= threshold);
  }

  private decline(node: RawNode, reason: ArrayDecline): null {
    const size = node.end - node.start;
    if (this.biggestDecline === null || size > this.biggestDecline.size) this.biggestDecline = { size, reason };
    return null;
  }
}

/** A marker as written in a crushed array (a JSON string), or in a crushed map (the `n`-th `"_headroom_omitted…":` entry). */
function markerElement(marker: string, mapEntry: number | null): string {
  const text = JSON.stringify(marker);
  return mapEntry === null ? text : `${JSON.stringify(omittedKey(mapEntry))}:${text}`;
}
