/**
 * Runs the smart_crusher transform directly on a text, with a context whose
 * offload stores originals in a map, the way the pipeline's does.
 */
import { defaultConfig } from '../../../src/config/index.js';
import type { HeadroomConfig } from '../../../src/config/headroom-config.js';
import { createSmartCrusher, type Selector } from '../../../src/transforms/smart-crusher/index.js';
import { selectItems } from '../../../src/transforms/smart-crusher/select/index.js';
import {
  NO_SERVICES,
  type Decline,
  type OffloadedSpan,
  type ProducingCall,
  type Rewrite,
  type TransformBlock,
  type TransformContext,
  type TransformServices,
} from '../../../src/transforms/types.js';
import { storingContext, toolBlock } from '../harness.js';

export interface CrushOptions {
  config?: (config: HeadroomConfig) => void;
  services?: TransformServices;
  select?: Selector;
  query?: string | null;
  call?: ProducingCall | null;
  toolName?: string | null;
  canOffload?: boolean;
  structured?: boolean;
}

export interface Crushed {
  outcome: Rewrite | Decline;
  /** Key → original, as offloaded. */
  store: Map<string, string>;
  /** The offloaded spans in order. */
  spans: OffloadedSpan[];
}

export function contextFor(options: CrushOptions, store: Map<string, string>, spans: Crushed['spans']): TransformContext {
  return storingContext({ query: options.query ?? null, call: options.call ?? null, toolName: options.toolName ?? null, canOffload: options.canOffload ?? true }, store, spans).context;
}

export function blockOf(text: string, structured = false): TransformBlock {
  return toolBlock(text, { structured });
}

export async function crush(text: string, options: CrushOptions = {}): Promise<Crushed> {
  const config = defaultConfig();
  options.config?.(config);
  const transform = createSmartCrusher(config, options.services ?? NO_SERVICES, options.select ?? selectItems);
  if (transform === null) throw new Error('smart_crusher is disabled by this configuration');
  const store = new Map<string, string>();
  const spans: Crushed['spans'] = [];
  const outcome = await transform.apply(blockOf(text, options.structured), contextFor(options, store, spans));
  return { outcome, store, spans };
}

export function textOf(outcome: Rewrite | Decline): string {
  if (!('text' in outcome)) throw new Error(`expected a rewrite, got the decline ${outcome.decline}`);
  return outcome.text;
}

/** `count` records with a 64-bit id, unicode and a nested object; every 10th is an error. */
export function records(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, index) => ({
    id: index,
    name: `item ${index} — ünïcødé 名前`,
    status: index % 10 === 7 ? 'error' : 'ok',
    meta: { shard: index % 3, tags: ['a', 'b'] },
  }));
}

const LEVELS = ['INFO', 'DEBUG', 'WARN'];

/** SQL-style rows `[id, level, msg]`; row `errorAt` is the one failure. */
export function sqlRows(count: number, errorAt: number): unknown[][] {
  return Array.from({ length: count }, (_, i) => (i === errorAt ? [i + 1, 'ERROR', 'disk full'] : [i + 1, LEVELS[i % 3], `request ${i % 40} ok`]));
}

/** A Prometheus range result's `values` (sample values are strings): `[ts, "v"]` every 15 s, a steady reading with one spike at `spikeAt`. */
export function promValues(count: number, spikeAt: number): [number, string][] {
  return Array.from({ length: count }, (_, i) => [1_700_000_000 + 15 * i, i === spikeAt ? '9.87' : (0.5 + 0.01 * Math.sin(i)).toFixed(2)]);
}
