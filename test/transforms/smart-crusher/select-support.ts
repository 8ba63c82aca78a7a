/** Builds `selectItems` inputs from plain values, the way the transform does (raw tree, compact item texts). */
import { DEFAULT_CONFIG, type AnchorConfig, type RelevanceConfig, type SmartCrusherConfig } from '../../../src/config/index.js';
import { parseRawJson, rawText } from '../../../src/json/index.js';
import { selectItems, type Selection, type SelectionInput } from '../../../src/transforms/smart-crusher/select/index.js';
import type { FeedbackHint } from '../../../src/transforms/types.js';

export type ConfigOverrides = Partial<Omit<SmartCrusherConfig, 'anchor' | 'relevance'>> & { anchor?: Partial<AnchorConfig>; relevance?: Partial<RelevanceConfig> };

export interface InputOptions {
  query?: string | null;
  relevance?: readonly number[] | null;
  hints?: readonly FeedbackHint[];
  config?: ConfigOverrides;
  bias?: number;
}

export function configWith(overrides: ConfigOverrides = {}): SmartCrusherConfig {
  const base = DEFAULT_CONFIG.smartCrusher;
  return { ...base, ...overrides, anchor: { ...base.anchor, ...overrides.anchor }, relevance: { ...base.relevance, ...overrides.relevance } };
}

export function inputOf(values: readonly unknown[], options: InputOptions = {}): SelectionInput {
  const doc = parseRawJson(JSON.stringify(values));
  if (doc === null || doc.root.type !== 'array') throw new Error('not an array');
  const items = doc.root.items;
  return {
    doc,
    items,
    itemTexts: items.map((item) => rawText(doc, item)),
    query: options.query ?? null,
    relevance: options.relevance ?? null,
    hints: options.hints ?? [],
    config: configWith(options.config),
    bias: options.bias ?? 1,
  };
}

export function select(values: readonly unknown[], options: InputOptions = {}): Selection {
  return selectItems(inputOf(values, options));
}

const VERBS = ['opened', 'closed', 'renamed', 'moved', 'copied', 'shared', 'archived'];
const NOUNS = ['report', 'invoice', 'ticket', 'draft', 'photo', 'contract', 'budget', 'memo', 'slide', 'sheet', 'note'];

/** `count` distinct rows: sequential ids, a varied message (77 templates), a user and a four-valued host. */
export function rows(count: number, extra: (index: number) => Record<string, unknown> = () => ({})): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => ({
    id: index + 1,
    message: `User ${VERBS[index % 7]} the ${NOUNS[(index * 3) % 11]} in folder ${index}`,
    host: `web-${index % 4}`,
    ...extra(index),
  }));
}
