/**
 * The contract every compressor implements (docs/writing-a-compressor.md).
 *
 * A compressor is made once per run from the resolved configuration
 * (`TransformFactory.create`) and then sees one block at a time — only tool
 * outputs the pipeline has not protected, and only of the content kinds it
 * accepts (the router classifies each output once). It answers with new text
 * or a typed reason to leave the block alone. It never edits JSON structure
 * or provider shapes: the pipeline puts accepted text back into the block's
 * slot, records the decision, and keeps the original when the new text does
 * not save tokens (DESIGN rule 3). A transform must be a pure function of its
 * input, context and configuration — no clocks, no randomness — so the same
 * request always optimizes to the same bytes (rule 5).
 */
import type { ContentClass, ContentKind } from '../analysis/content-kind.js';
import type { HeadroomConfig } from '../config/headroom-config.js';
import type { FeedbackReader } from '../feedback/types.js';
import type { BlockKind, FormatId, JsonValue, PartFlags, Provider } from '../formats/types.js';

export interface TransformBlock {
  /** Position of the block in the request's block list. */
  readonly index: number;
  /** Position of the block's message in the request. */
  readonly messageIndex: number;
  readonly kind: BlockKind;
  /** Current text: the original, or what an earlier transform made of it. */
  readonly text: string;
  /** Tokens of `text`. */
  readonly tokens: number;
  readonly flags: Readonly<PartFlags>;
  /** What the router found the original text to be. */
  readonly content: ContentClass;
  /**
   * True when the block is a structured tool output (a JSON value, not a
   * string): `text` is that value's JSON as written, and a rewrite must be
   * JSON text of a value the provider accepts in that place, or the pipeline
   * rejects it (`invalid-output`).
   */
  readonly structured: boolean;
}

/** The tool call that produced a tool output, when the request pairs them. */
export interface ProducingCall {
  readonly name: string;
  /** The call's arguments as parsed JSON; a string when they were not JSON. */
  readonly arguments: JsonValue;
}

/** What is the same for every block of one request. */
export interface RequestFacts {
  readonly provider: Provider;
  readonly format: FormatId;
  readonly model: string | null;
  /** The last text the user wrote in this request (not a tool result), or null. */
  readonly query: string | null;
}

/** A span a lossy transform removes; the pipeline stores it and hands back the marker to put in its place. */
export interface OffloadedSpan {
  /**
   * Exactly the text the marker replaces, so expanding every marker gives the
   * transform's input back (the generic oracle of the test suite). In JSON, a
   * marker that is a whole string element (`"[headroom: …]"`) stands for the
   * raw elements it replaced, quotes included.
   */
  original: string;
  /** What was removed, in the words of the marker: `rows`, `lines`, `hunks`… */
  unit: string;
  count: number;
  /** Which ones, where that is short: `rows 16-100`. */
  detail?: string;
}

export interface TransformContext {
  readonly request: RequestFacts;
  /** The call that produced this output, with its arguments (a grep pattern, a file path, a query). */
  readonly call: ProducingCall | null;
  /** The tool's name, where known (from the output or its call). */
  readonly toolName: string | null;
  /** The file the producing call read or wrote, where it names one. */
  readonly filePath: string | null;
  /** Tokens of a text, with the request's tokenizer. */
  count(text: string): number;
  /**
   * Whether spans may be removed behind a retrieval marker. False under
   * `--lossless-only`, with CCR disabled, or where the request has no place
   * for the retrieval tool; a transform must then not remove anything.
   */
  readonly canOffload: boolean;
  /** Stores `span` for retrieval and returns the marker text to write in its place. Throws when `canOffload` is false. */
  offload(span: OffloadedSpan): string;
}

/** New text for a block; `label` names what was done, e.g. `json-compact`, `json 120→16 rows`. */
export interface Rewrite {
  text: string;
  label: string;
}

/**
 * Why a transform left a block alone. Reporters turn these codes into words
 * (`src/cli/optimize-report.ts`); add a code here, with its words there,
 * when a compressor needs a new one.
 */
export const DECLINE_REASONS = [
  /** Not in a shape this transform reads (e.g. not one JSON value). */
  'unsupported-shape',
  /** Nothing this transform would remove is there. */
  'already-compact',
  /** Below the transform's own size threshold. */
  'too-small',
  /** The transform would have to remove content, and offloading is not allowed here. */
  'needs-offload',
  /** The content is already the output of a headroom marker or retrieval. */
  'already-marked',
  /** Nothing in the block relates to what the transform looks for (query, arguments). */
  'no-match',
  /** JSON without an array of at least `smart_crusher.min_items_to_analyze` items. */
  'no-large-array',
  /** The items are unique entities with no signal to rank them by, so none can be dropped safely. */
  'nothing-to-rank',
  /** Every item is worth keeping (the array is within the item budget). */
  'within-budget',
  /** What would be dropped is smaller than the marker that would replace it. */
  'marker-costs-more',
  /** Keeping every item in the lossless layout costs about as much as dropping some (SmartCrusher: lossless first). */
  'lossless-enough',
  /** The rewrite would save less than the compressor's `min_savings_ratio`: not worth a marker and a round trip. */
  'small-gain',
  /** The output is a file read from disk (`Read`, `cat index.html`): source under discussion, kept as it is. */
  'file-read',
  /** The output is the range of lines a read asked for (`offset`/`limit`, `sed -n 40,90p`): the agent wants those lines, not their outline. */
  'partial-read',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export interface Decline {
  decline: DeclineReason;
}

export interface Transform {
  /** Stable name, used in reports, timing keys and diff artifacts. */
  readonly name: string;
  /** True when the transform never removes information; only these run under `--lossless-only`. */
  readonly lossless: boolean;
  /** The content kinds the router may hand it. */
  readonly accepts: readonly ContentKind[];
  apply(block: TransformBlock, context: TransformContext): Rewrite | Decline | Promise<Rewrite | Decline>;
}

// The feedback interfaces belong to src/feedback (below the transforms), which implements them; they are part of this contract.
export type { FeedbackHint, FeedbackReader } from '../feedback/types.js';

/** What a run lends its transforms besides the configuration. */
export interface TransformServices {
  /** The learned hints, or null when there is no feedback store (tests, simulate without one). */
  readonly feedback: FeedbackReader | null;
  /** Reports a problem once per run (e.g. a configured model that cannot load); the CLI prints it on stderr. */
  warn(message: string): void;
}

/** Services for runs that have none: no feedback, warnings dropped. */
export const NO_SERVICES: TransformServices = { feedback: null, warn: () => undefined };

/** Makes a transform from the resolved configuration; null when its settings turn it off. */
export interface TransformFactory {
  readonly name: string;
  /** The configuration keys it reads (snake_case paths), so `config --describe` can say which settings are live. */
  readonly reads: readonly string[];
  create(config: HeadroomConfig, services: TransformServices): Transform | null;
}

export function isRewrite(outcome: Rewrite | Decline): outcome is Rewrite {
  return 'text' in outcome;
}
