/**
 * The generic marker oracle (DESIGN rules 1 and 2), shared by the oracle's
 * own tests (marker-oracle.test.ts) and any compressor's: expanding the
 * markers a lossy step wrote, from the store, gives back exactly the text
 * that step was given; a lossless step writes no marker. A module of its
 * own, not exported from the test file, so importing it does not run that
 * file's suite a second time.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { expandMarkers, findMarkers, MARKER_PATTERN, type MarkerInfo } from '../../src/ccr/markers.js';
import { parseSelectionDetail, restoreSelections } from '../../src/ccr/selections.js';
import type { CcrStore } from '../../src/ccr/store.js';
import { defaultConfig } from '../../src/config/index.js';
import type { BlockRewrites } from '../../src/pipeline/optimize-request.js';
import { buildTransforms } from '../../src/transforms/index.js';
import type { Transform } from '../../src/transforms/types.js';
import { normalizedJson } from '../support/normalized-json.js';
import { anyInputArb } from '../support/request-arbitraries.js';
import { optimizeText } from './helpers.js';

const RUNS = 60;

function originalIn(store: CcrStore): (key: string) => string | null {
  return (key) => {
    const lookup = store.peek(key);
    return lookup.status === 'available' ? lookup.entry.original : null;
  };
}

/** Checks one block's chain of rewrites, step by step, back to the input's text. */
function checkChain(rewrites: BlockRewrites, transforms: readonly Transform[], store: CcrStore, seen: OracleTally): void {
  let previous = rewrites.original;
  for (const step of rewrites.steps) {
    const transform = transforms.find((candidate) => candidate.name === step.transform);
    assert.ok(transform, `step by a transform of the run: ${step.transform}`);
    const markers = findMarkers(step.text);
    const written = markers.length - findMarkers(previous).length;
    if (transform.lossless) {
      assert.ok(written <= 0, `${step.transform} is lossless and wrote no marker`);
    } else if (written > 0 && markers.some(isSelectionMarker)) {
      // Selection markers stand for elements at their indices, not for the text they replace.
      const restored = restoreSelections(step.text, originalIn(store));
      assert.ok(restored !== null, `${step.transform}: every selection marker restores from the store`);
      assert.equal(normalizedJson(restored), normalizedJson(previous), `${step.transform}: restoring the selections gives its input`);
      seen.selectionSteps++;
    } else if (written > 0) {
      const expanded = expandMarkers(step.text, originalIn(store));
      if (expanded !== previous && isSummaryStep(step.text, previous, store)) seen.summarySteps++;
      else assert.equal(expanded, previous, `${step.transform}: markers expand to its input`);
    }
    previous = step.text;
  }
}

/**
 * The summary rule. A summary transform (the HTML extractor) writes text
 * derived from its input — not kept spans of it — followed by one marker
 * under which the entire input is stored. Expanding that marker in place
 * gives summary + input, not the input; what makes it lossless is that the
 * marker alone retrieves everything. So a step is a summary when its input
 * had no marker, its text has exactly one, at its very end, and that
 * marker's original is the whole input, byte for byte. A marker that holds
 * part of the input, sits anywhere but the end, or comes with a second
 * marker is still checked by in-place expansion, and fails it.
 */
function isSummaryStep(text: string, input: string, store: CcrStore): boolean {
  if (findMarkers(input).length > 0) return false;
  const markers = findMarkers(text);
  const marker = markers[0];
  if (markers.length !== 1 || marker === undefined) return false;
  const last = MARKER_AT_END.exec(text);
  return last !== null && last[4] === marker.key && originalIn(store)(marker.key) === input;
}

const MARKER_AT_END = new RegExp(`${MARKER_PATTERN.source}$`);

function isSelectionMarker(marker: MarkerInfo): boolean {
  return marker.unit === 'items' && marker.detail !== undefined && parseSelectionDetail(marker.detail) !== null;
}

/** What the oracle checked, so a test can tell it saw the kind of step it is about. */
export interface OracleTally {
  selectionSteps: number;
  /** Steps accepted by the summary rule (derived text + one marker holding the entire input). */
  summarySteps: number;
}

export async function assertMarkerOracle(transforms: readonly Transform[]): Promise<OracleTally> {
  const seen: OracleTally = { selectionSteps: 0, summarySteps: 0 };
  await fc.assert(
    fc.asyncProperty(anyInputArb(), async (input) => {
      const optimized = await optimizeText(input.text, { transforms, minTokensToCrush: 20 });
      for (const result of optimized.results) for (const rewrites of result.rewrites) checkChain(rewrites, transforms, optimized.store, seen);
    }),
    { numRuns: RUNS },
  );
  return seen;
}

/** Optimizes one chat request whose tool output is `content` with `transforms` (the default ones unless given), checking the oracle on every step; returns the tally and the rewritten tool output. */
export async function crushToolOutput(
  question: string,
  toolName: string,
  content: string,
  transforms: readonly Transform[] = buildTransforms(defaultConfig()),
): Promise<{ seen: OracleTally; tool: string }> {
  const request = {
    model: 'gpt-4o',
    messages: [
      { role: 'user', content: question },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: toolName, arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content },
    ],
  };
  const optimized = await optimizeText(JSON.stringify(request), { transforms: [...transforms] });
  const seen: OracleTally = { selectionSteps: 0, summarySteps: 0 };
  for (const result of optimized.results) for (const rewrites of result.rewrites) checkChain(rewrites, transforms, optimized.store, seen);
  return { seen, tool: (JSON.parse(optimized.output) as { messages: { content: string }[] }).messages[2]?.content ?? '' };
}
