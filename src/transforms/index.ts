/**
 * The one ordered registry of compressors. A new compressor adds its factory
 * here; the router hands each tool output to the registered transforms that
 * accept its content kind, in this order — lossless ones first, so lossy ones
 * see the smallest text.
 */
import type { HeadroomConfig } from '../config/headroom-config.js';
import { codeOutlineFactory } from './code-outline/index.js';
import { htmlExtractorFactory } from './html-extractor/index.js';
import { diffCompressorFactory } from './diff-compressor/index.js';
import { jsonCompactionFactory } from './json-compaction.js';
import { jsonTableFactory } from './json-table/index.js';
import { logCompressorFactory } from './log-compressor/index.js';
import { searchCompressorFactory } from './search-compressor/index.js';
import { smartCrusherFactory } from './smart-crusher/index.js';
import { textCompressorFactory } from './text-compressor/index.js';
import { NO_SERVICES, type Transform, type TransformFactory, type TransformServices } from './types.js';

/** Minify, then drop items (lossy), then lay out what is left as tables (lossless; it keeps the crusher's markers as lines); the text compressors each take their own content kinds. */
// One line per factory, so compressors added in parallel merge cleanly.
// prettier-ignore
export const TRANSFORM_FACTORIES: readonly TransformFactory[] = [
  jsonCompactionFactory,
  smartCrusherFactory,
  jsonTableFactory,
  htmlExtractorFactory,
  codeOutlineFactory,
  diffCompressorFactory,
  searchCompressorFactory,
  logCompressorFactory,
  textCompressorFactory,
];

/** The transforms a configuration turns on, in pipeline order. */
export function buildTransforms(config: HeadroomConfig, factories: readonly TransformFactory[] = TRANSFORM_FACTORIES, services: TransformServices = NO_SERVICES): Transform[] {
  const transforms: Transform[] = [];
  for (const factory of factories) {
    const transform = factory.create(config, services);
    if (transform) transforms.push(transform);
  }
  return transforms;
}

/** Every configuration key some registered transform reads. */
export function settingsReadByTransforms(factories: readonly TransformFactory[] = TRANSFORM_FACTORIES): Set<string> {
  return new Set(factories.flatMap((factory) => factory.reads));
}
