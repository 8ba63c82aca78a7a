/**
 * What TOIN has learned, as counts, and the hints computed from them. The
 * hints are a pure function of the counts — no clocks, no recency — so the
 * same store state always gives the same hints and the same optimized bytes
 * (DESIGN rule 5). Both stores (SQLite and memory) keep these counts and
 * share this computation.
 */
import type { FeedbackHint, FeedbackReader } from './types.js';

/** How often one value of one field was among what a `retrieve --query` asked for. */
export interface LearnedValue {
  readonly field: string;
  readonly value: string;
  /** Retrievals whose matching items held this value in this field (each retrieval counts once). */
  readonly count: number;
}

/** Everything learned about the outputs of one tool with one items shape. */
export interface LearnedOutput {
  /** null: the output's tool was not known when it was compressed. */
  readonly toolName: string | null;
  /** `itemsShape` of the stored items (src/feedback/shape.ts). */
  readonly shape: string;
  /** Retrievals of the whole original (no query): counted and listed, but they say nothing about which items mattered. */
  readonly fullRetrievals: number;
  /** Retrievals with a query. */
  readonly queryRetrievals: number;
  readonly values: readonly LearnedValue[];
}

/** A hint with the count its confidence comes from, for `headroom toin`. */
export interface LearnedHint extends FeedbackHint {
  /** How many retrievals asked for each of `values`. */
  readonly count: number;
}

/** Values per field handed to a compressor: the most asked for (ties by value), so a hint stays small. */
export const MAX_VALUES_PER_FIELD = 10;
/** Fields per tool output with hints: those whose values were asked for most. */
export const MAX_HINT_FIELDS = 20;

/**
 * The confidence of a value asked for in `count` retrievals: count/(count+3).
 * It grows with every retrieval and never reaches 1: one retrieval gives 0.25
 * (under the default `toin_confidence_threshold` of 0.3, so a single look is
 * not yet a pattern), two 0.4, three 0.5, six 0.67, twelve 0.8.
 */
export function confidenceOf(count: number): number {
  return count <= 0 ? 0 : count / (count + 3);
}

/**
 * The hints of one tool output's learned values: per field, its most asked
 * values; values asked equally often share one hint (and one confidence).
 * Ordered by confidence (highest first), then field, then values.
 */
export function hintsFrom(values: readonly LearnedValue[]): LearnedHint[] {
  const byField = new Map<string, LearnedValue[]>();
  for (const value of values) {
    if (value.count <= 0) continue;
    const list = byField.get(value.field) ?? [];
    list.push(value);
    byField.set(value.field, list);
  }
  const fields = [...byField.entries()].map(([field, list]) => {
    const top = [...list].sort((a, b) => b.count - a.count || compare(a.value, b.value)).slice(0, MAX_VALUES_PER_FIELD);
    return { field, top, best: top[0]?.count ?? 0 };
  });
  fields.sort((a, b) => b.best - a.best || compare(a.field, b.field));
  const hints: LearnedHint[] = [];
  for (const { field, top } of fields.slice(0, MAX_HINT_FIELDS)) {
    const groups = new Map<number, string[]>();
    for (const { value, count } of top) groups.set(count, [...(groups.get(count) ?? []), value]);
    for (const [count, grouped] of groups) hints.push({ field, values: [...grouped].sort(compare), confidence: confidenceOf(count), count });
  }
  return hints.sort((a, b) => b.confidence - a.confidence || compare(a.field, b.field) || compare(a.values[0] ?? '', b.values[0] ?? ''));
}

/** The tool name as stored: '' stands for an unknown tool (null), so it can be part of a key. */
export function toolKey(toolName: string | null): string {
  return toolName ?? '';
}

/**
 * A fixed view of learned outputs: what optimize reads, loaded once per run
 * so every block of the run sees the same hints.
 */
export class LearnedSnapshot implements FeedbackReader {
  private readonly outputs = new Map<string, LearnedOutput>();
  private readonly computed = new Map<string, readonly LearnedHint[]>();

  constructor(outputs: readonly LearnedOutput[]) {
    for (const output of outputs) this.outputs.set(outputKey(output.toolName, output.shape), output);
  }

  hintsFor(toolName: string | null, shape: string): readonly LearnedHint[] {
    const key = outputKey(toolName, shape);
    let hints = this.computed.get(key);
    if (hints === undefined) {
      hints = hintsFrom(this.outputs.get(key)?.values ?? []);
      this.computed.set(key, hints);
    }
    return hints;
  }
}

export function outputKey(toolName: string | null, shape: string): string {
  return `${toolKey(toolName)}\u0000${shape}`;
}

/** Code-unit order: the same on every machine and locale (localeCompare is not). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Learned outputs in a stable order: by tool (unknown first), then shape. */
export function sortOutputs<T extends Pick<LearnedOutput, 'toolName' | 'shape'>>(outputs: T[]): T[] {
  return outputs.sort((a, b) => compare(toolKey(a.toolName), toolKey(b.toolName)) || compare(a.shape, b.shape));
}
