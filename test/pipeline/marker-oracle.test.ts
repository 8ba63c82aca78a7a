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
import { expandMarkers, findMarkers, MARKER_PATTERN, type MarkerInfo } from '../../src/ccr/markers.js';
import { parseSelectionDetail, restoreSelections, selectionChunks } from '../../src/ccr/selections.js';
import type { CcrStore } from '../../src/ccr/store.js';
import { defaultConfig } from '../../src/config/index.js';
import { parseRawJson, rawText } from '../../src/json/index.js';
import type { BlockRewrites } from '../../src/pipeline/optimize-request.js';
import { buildTransforms, TRANSFORM_FACTORIES } from '../../src/transforms/index.js';
import type { Transform } from '../../src/transforms/types.js';
import { normalizedJson } from '../support/normalized-json.js';
import { anyInputArb } from '../support/request-arbitraries.js';
import { promValues, sqlRows } from '../transforms/smart-crusher/support.js';
import { keepFirstLine, optimizeText } from './helpers.js';

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
interface OracleTally {
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

/** Optimizes one chat request whose tool output is `content` with the default transforms, checking the oracle on every step; returns the tally and the rewritten tool output. */
async function crushToolOutput(question: string, toolName: string, content: string): Promise<{ seen: OracleTally; tool: string }> {
  const request = {
    model: 'gpt-4o',
    messages: [
      { role: 'user', content: question },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: toolName, arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content },
    ],
  };
  const transforms = buildTransforms(defaultConfig());
  const optimized = await optimizeText(JSON.stringify(request), { transforms });
  const seen: OracleTally = { selectionSteps: 0, summarySteps: 0 };
  for (const result of optimized.results) for (const rewrites of result.rewrites) checkChain(rewrites, transforms, optimized.store, seen);
  return { seen, tool: (JSON.parse(optimized.output) as { messages: { content: string }[] }).messages[2]?.content ?? '' };
}

describe('the marker oracle', () => {
  it('every registered transform: markers expand from the store to exactly what each step was given', async () => {
    const config = defaultConfig();
    // Code outlines run only when tool results are intercepted (file reads pass through by default).
    config.interceptToolResults = true;
    const registered = buildTransforms(config);
    assert.equal(registered.length, TRANSFORM_FACTORIES.length, 'the default configuration with interception on turns every registered transform on');
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

  it('a summary transform (derived text, then one marker holding the entire input) passes, by the summary rule', async () => {
    const seen = await assertMarkerOracle([summaryOf((input, marker) => `${firstWord(input)}\n\n${marker}`)]);
    assert.ok(seen.summarySteps > 0, 'some generated outputs were summarized');
  });

  it('catches a summary whose marker holds less than the entire input', async () => {
    await assert.rejects(
      assertMarkerOracle([
        summaryOf(
          (input, marker) => `${firstWord(input)}\n\n${marker}`,
          (input) => input.slice(1),
        ),
      ]),
    );
  });

  it('catches a summary whose marker is not at the end, or comes with a second marker', async () => {
    await assert.rejects(assertMarkerOracle([summaryOf((input, marker) => `${marker}\n${firstWord(input)}`)]));
    await assert.rejects(assertMarkerOracle([summaryOf((input, marker) => `${marker}\n${marker}`)]));
  });

  it('smart_crusher with a small item budget: restoring its selection markers gives back exactly what it was given', async () => {
    const config = defaultConfig();
    config.smartCrusher.minItemsToAnalyze = 2;
    config.smartCrusher.maxItemsAfterCrush = 1;
    // Small generated arrays: dropping must only beat keeping them all, not by the usual margin.
    config.smartCrusher.losslessMinSavingsRatio = 0;
    const seen = await assertMarkerOracle(buildTransforms(config));
    assert.ok(seen.selectionSteps > 0, 'some generated outputs were crushed');
  });

  it('smart_crusher on scalar maps and large records: restoring gives back exactly what it was given', async () => {
    // A package document: a map of 120 users (name → true), a map of 80 dates, and 30 large version records.
    const users = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`user${i.toString(36)}x${(i * 7919) % 1000}`, true]));
    const time = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`1.${i}.0`, `2016-0${1 + (i % 9)}-1${i % 10}T10:00:00.000Z`]));
    const versions = Array.from({ length: 30 }, (_, i) => ({
      version: `1.${i}.0`,
      readme: `Release ${i}: `.padEnd(1800, i % 2 === 0 ? 'notes ' : 'changes '),
      status: i === 17 ? 'failed' : 'ok',
    }));
    const { seen, tool } = await crushToolOutput('Which release failed?', 'npm_view', JSON.stringify({ name: 'pkg', users, time, versions }));
    assert.equal(seen.selectionSteps, 1);
    assert.equal((tool.match(/_headroom_omitted/g) ?? []).length >= 2, true, 'both maps end with marker entries');
    assert.ok(tool.includes('"status":"failed"'), 'the failed release is kept');
  });

  it('smart_crusher on rows as tuples (a Prometheus matrix, SQL rows): restoring gives back exactly what it was given', async () => {
    const content = JSON.stringify({ result: [{ metric: { job: 'node' }, values: promValues(400, 123) }], table: { columns: ['id', 'level', 'msg'], rows: sqlRows(300, 77) } });
    const { seen, tool } = await crushToolOutput('What went wrong?', 'query', content);
    assert.equal(seen.selectionSteps, 1);
    assert.equal(findMarkers(tool).length, 2, 'both arrays of rows end with a marker');
  });

  it('catches a selection transform that stores the wrong items', async () => {
    const wrongItems: Transform = {
      name: 'wrong_items',
      lossless: false,
      accepts: ['json-array', 'json-object'],
      apply(block, context) {
        const doc = parseRawJson(block.text);
        if (doc === null || doc.root.type !== 'array' || doc.root.items.length < 3 || !context.canOffload) return { decline: 'unsupported-shape' };
        const items = doc.root.items.map((item) => rawText(doc, item));
        const dropped = items.map((_, index) => index).slice(1);
        // Marks items 1… as dropped but stores items 0… (shifted by one).
        const markers = selectionChunks(dropped, items.length).map((chunk) =>
          JSON.stringify(
            context.offload({ original: `[${chunk.indices.map((index) => items[index - 1]).join(',')}]`, unit: 'items', count: chunk.indices.length, detail: chunk.detail }),
          ),
        );
        return { text: `[${[items[0], ...markers].join(',')}]`, label: 'wrong' };
      },
    };
    await assert.rejects(assertMarkerOracle([wrongItems]));
  });
});

/** A transform that writes `write(input, marker)`, the marker storing `stored(input)` (the entire input for an honest summary). */
function summaryOf(write: (input: string, marker: string) => string, stored: (input: string) => string = (input) => input): Transform {
  return {
    ...keepFirstLine,
    name: 'summary',
    apply(block, context) {
      if (!context.canOffload || findMarkers(block.text).length > 0 || block.text.length < 40) return { decline: 'unsupported-shape' };
      const marker = context.offload({ original: stored(block.text), unit: 'page', count: 1 });
      return { text: write(block.text, marker), label: 'summary' };
    },
  };
}

function firstWord(text: string): string {
  return /\w+/.exec(text)?.[0] ?? '';
}
