/**
 * The generic oracle every compressor answers to (DESIGN rules 1 and 2):
 * expanding the markers a lossy step wrote, from the store, gives back
 * exactly the text that step was given; a lossless step writes no marker.
 * It runs every registered transform (TRANSFORM_FACTORIES, so a new
 * compressor is checked the day it is registered), the documented example
 * compressor, and the CCR test transform, over generated requests of every
 * format.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { expandMarkers, findMarkers } from '../../src/ccr/markers.js';
import type { CcrStore } from '../../src/ccr/store.js';
import { defaultConfig } from '../../src/config/index.js';
import type { BlockRewrites } from '../../src/pipeline/optimize-request.js';
import { buildTransforms, TRANSFORM_FACTORIES } from '../../src/transforms/index.js';
import type { Transform } from '../../src/transforms/types.js';
import { anyInputArb } from '../support/request-arbitraries.js';
import { keepFirstLine, optimizeText } from './helpers.js';

const RUNS = 60;

function originalIn(store: CcrStore): (key: string) => string | null {
  return (key) => {
    const lookup = store.peek(key);
    return lookup.status === 'available' ? lookup.entry.original : null;
  };
}

/** Checks one block's chain of rewrites, step by step, back to the input's text. */
function checkChain(rewrites: BlockRewrites, transforms: readonly Transform[], store: CcrStore): void {
  let previous = rewrites.original;
  for (const step of rewrites.steps) {
    const transform = transforms.find((candidate) => candidate.name === step.transform);
    assert.ok(transform, `step by a transform of the run: ${step.transform}`);
    const written = findMarkers(step.text).length - findMarkers(previous).length;
    if (transform.lossless) {
      assert.ok(written <= 0, `${step.transform} is lossless and wrote no marker`);
    } else if (written > 0) {
      assert.equal(expandMarkers(step.text, originalIn(store)), previous, `${step.transform}: markers expand to its input`);
    }
    previous = step.text;
  }
}

export async function assertMarkerOracle(transforms: readonly Transform[]): Promise<void> {
  await fc.assert(
    fc.asyncProperty(anyInputArb(), async (input) => {
      const optimized = await optimizeText(input.text, { transforms, minTokensToCrush: 20 });
      for (const result of optimized.results) for (const rewrites of result.rewrites) checkChain(rewrites, transforms, optimized.store);
    }),
    { numRuns: RUNS },
  );
}

describe('the marker oracle', () => {
  it('every registered transform: markers expand from the store to exactly what each step was given', async () => {
    const registered = buildTransforms(defaultConfig());
    assert.equal(registered.length, TRANSFORM_FACTORIES.length, 'the default configuration turns every registered transform on');
    await assertMarkerOracle([...registered, keepFirstLine]);
  });

  it('catches a transform whose marker does not stand for what it removed', async () => {
    const sloppy: Transform = {
      ...keepFirstLine,
      name: 'sloppy',
      apply(block, context) {
        const newline = block.text.indexOf('\n');
        if (newline < 0 || !context.canOffload) return { decline: 'unsupported-shape' };
        // Stores one line fewer than it removes.
        const rest = block.text.slice(newline + 1);
        const marker = context.offload({ original: rest.slice(rest.indexOf('\n') + 1), unit: 'lines', count: 1 });
        return { text: `${block.text.slice(0, newline)}\n${marker}`, label: 'sloppy' };
      },
    };
    await assert.rejects(assertMarkerOracle([sloppy]));
  });
});
