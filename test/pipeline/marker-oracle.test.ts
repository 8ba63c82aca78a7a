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
import { findMarkers } from '../../src/ccr/markers.js';
import { selectionChunks } from '../../src/ccr/selections.js';
import { defaultConfig } from '../../src/config/index.js';
import { parseRawJson, rawText } from '../../src/json/index.js';
import { buildTransforms, TRANSFORM_FACTORIES } from '../../src/transforms/index.js';
import type { Transform } from '../../src/transforms/types.js';
import { promValues, sqlRows } from '../transforms/smart-crusher/support.js';
import { keepFirstLine } from './helpers.js';
import { assertMarkerOracle, crushToolOutput } from './marker-oracle-support.js';

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
    // On a known array, so the check does not depend on the generator producing one.
    const items = JSON.stringify(Array.from({ length: 30 }, (_, i) => ({ id: i, name: `item ${i}` })));
    await assert.rejects(crushToolOutput('Which items?', 'list_items', items, [wrongItems]));
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
