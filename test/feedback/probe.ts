/**
 * A transform that reports the hints it is lent, through the run's warning
 * sink: it shows that the CLI and the library hand the learned feedback to
 * the transforms, whatever the registered compressors then make of it.
 */
import { itemsShape } from '../../src/feedback/shape.js';
import { parseRawJson } from '../../src/json/index.js';
import { TRANSFORM_FACTORIES } from '../../src/transforms/index.js';
import type { TransformFactory } from '../../src/transforms/types.js';

export const hintProbe: TransformFactory = {
  name: 'toin_probe',
  reads: [],
  create: (_config, services) => ({
    name: 'toin_probe',
    lossless: true,
    accepts: ['json-array'],
    apply: (block, context) => {
      const doc = parseRawJson(block.text);
      if (doc?.root.type !== 'array') return { decline: 'unsupported-shape' };
      const hints = services.feedback === null ? 'no feedback' : JSON.stringify(services.feedback.hintsFor(context.toolName, itemsShape(doc.root.items)));
      services.warn(`probe ${context.toolName}: ${hints}`);
      return { decline: 'no-match' };
    },
  }),
};

/** Runs `run` with the probe registered before the real transforms, so it sees the JSON as given (each test file runs in its own process). */
export async function withProbe<T>(run: () => Promise<T>): Promise<T> {
  const factories = TRANSFORM_FACTORIES as TransformFactory[];
  factories.unshift(hintProbe);
  try {
    return await run();
  } finally {
    factories.splice(factories.indexOf(hintProbe), 1);
  }
}
