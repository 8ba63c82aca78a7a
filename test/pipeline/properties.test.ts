/**
 * Rules 1–5 as properties over generated inputs of every format: the output
 * parses and is valid for its provider, never has more tokens than the input,
 * is idempotent and deterministic, every marker's key retrieves exactly what
 * it replaced, and --lossless-only leaves no markers and the original JSON
 * values recoverable.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { findMarkers } from '../../src/ccr/markers.js';
import { minifyJson } from '../../src/json/index.js';
import { runAudit } from '../../src/pipeline/audit.js';
import { rewrittenParts } from '../../src/pipeline/write-back.js';
import { jsonCompaction } from '../../src/transforms/json-compaction.js';
import { validityProblems, type BodyDialect } from '../support/provider-validity.js';
import { anyInputArb, transcriptArb, type GeneratedFormat, type GeneratedInput } from '../support/request-arbitraries.js';
import { keepFirstLine, memoryStore, optimizeText, type Optimized } from './helpers.js';

const RUNS = 60;
/** Low enough that generated tool outputs are rewritten, so the properties have something to check. */
const MIN_TOKENS = 20;
/** Prefix freeze threshold for the idempotence property: generated sessions are far smaller than real ones. */
const MIN_CACHED = 32;
const WITH_MARKERS = { transforms: [jsonCompaction, keepFirstLine], minTokensToCrush: MIN_TOKENS };

function bodyDialect(format: GeneratedFormat): BodyDialect {
  if (format === 'claude-code') return 'anthropic';
  if (format === 'codex') return 'openai-responses';
  return format;
}

/** The request bodies in an output: one document, or one per line. */
function outputBodies(input: GeneratedInput, output: string): unknown[] {
  const oneDocument = input.fileName.endsWith('.json');
  return oneDocument
    ? [JSON.parse(output)]
    : output
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line));
}

async function auditTokens(text: string): Promise<number> {
  const result = await runAudit({ paths: [], cwd: process.cwd(), stdin: [text] });
  assert.equal(result.errors, 0, 'the output audits without errors');
  return result.summary.tokens.total;
}

function property(name: string, check: (input: GeneratedInput) => Promise<void>): void {
  it(name, async () => {
    await fc.assert(fc.asyncProperty(anyInputArb(), check), { numRuns: RUNS });
  });
}

async function checkValidAndSmaller(input: GeneratedInput): Promise<void> {
  const optimized = await optimizeText(input.text, WITH_MARKERS);
  assert.deepEqual(
    optimized.problems.filter((problem) => problem.severity === 'error'),
    [],
  );
  for (const body of outputBodies(input, optimized.output)) {
    assert.deepEqual(validityProblems(bodyDialect(input.format), body), []);
  }
  const before = optimized.results.reduce((sum, result) => sum + result.result.tokens_before, 0);
  const after = optimized.results.reduce((sum, result) => sum + result.result.tokens_after, 0);
  assert.ok(after <= before);
  const recounted = await auditTokens(optimized.output);
  if (input.format === 'claude-code' || input.format === 'codex') {
    assert.ok(recounted <= before, `output ${recounted} tokens, final requests ${before}`);
  } else {
    assert.equal(recounted, after, 'the output recounts to what optimize reported');
    assert.ok(recounted <= (await auditTokens(input.text)));
  }
}

/**
 * Prefix freeze stays on for Claude Code transcripts: the body written for
 * one marks the frozen prefix with cache_control, which a second pass
 * respects. A Responses body (Codex) has no breakpoint to carry it, so a
 * Codex rollout's two passes are still compared without the freeze.
 */
async function checkIdempotent(input: GeneratedInput): Promise<void> {
  const options = { ...WITH_MARKERS, prefixFreeze: input.format !== 'codex', minCachedTokens: MIN_CACHED };
  const first = await optimizeText(input.text, options);
  const second = await optimizeText(input.text, options);
  assert.equal(second.output, first.output);
  const again = await optimizeText(first.output, options);
  assert.equal(again.output, first.output);
}

function rewrittenTexts(optimized: Optimized): { before: string; after: string }[] {
  return optimized.results.flatMap((result) => [...rewrittenParts(result.edits)].map(([part, after]) => ({ before: part.text, after })));
}

describe('optimize properties over generated requests', () => {
  property('the output parses, is valid for its provider and has no more tokens than the input', checkValidAndSmaller);

  property('is idempotent and deterministic', checkIdempotent);

  it('Claude Code transcripts (parallel tool calls, microcompact, partly frozen prefixes): valid bodies, idempotent', async () => {
    // Most generated inputs are not transcripts: this gives the transcript case its own runs.
    const check = async (input: GeneratedInput): Promise<void> => {
      await checkValidAndSmaller(input);
      await checkIdempotent(input);
    };
    await fc.assert(fc.asyncProperty(transcriptArb('claude-code'), check), { numRuns: RUNS / 2 });
  });

  property('every marker retrieves exactly what it replaced; 64-bit ids survive', async (input) => {
    const optimized = await optimizeText(input.text, WITH_MARKERS);
    for (const { before, after } of rewrittenTexts(optimized)) {
      const markers = findMarkers(after);
      if (markers.length === 0) {
        assert.equal(after, minifyJson(before), 'a rewrite without a marker is lossless compaction');
        continue;
      }
      const [marker] = markers;
      const lookup = optimized.store.get(marker?.key ?? '');
      assert.equal(lookup.status, 'available');
      if (lookup.status !== 'available') continue;
      const firstLine = after.slice(0, after.indexOf('\n'));
      const compacted = minifyJson(before);
      assert.ok(`${firstLine}\n${lookup.entry.original}` === before || `${firstLine}\n${lookup.entry.original}` === compacted);
    }
    for (const id of input.bigIds) {
      const stored = rewrittenTexts(optimized).some(({ before }) => before.includes(id));
      if (input.format === 'claude-code' || input.format === 'codex') continue; // transcript metadata is not part of a request body
      assert.ok(optimized.output.includes(id) || stored, `64-bit literal ${id} survives`);
    }
  });

  property('--lossless-only: no markers, no tool, JSON values recoverable exactly', async (input) => {
    const store = memoryStore();
    const optimized = await optimizeText(input.text, { ...WITH_MARKERS, losslessOnly: true, store });
    assert.equal(findMarkers(optimized.output).length, 0);
    assert.equal(optimized.output.includes('headroom_retrieve'), input.text.includes('headroom_retrieve'));
    assert.equal(store.size(), 0);
    for (const { before, after } of rewrittenTexts(optimized)) {
      assert.equal(after, minifyJson(before));
      assert.deepEqual(JSON.parse(after), JSON.parse(before));
    }
    for (const id of input.bigIds) {
      if (input.format !== 'claude-code' && input.format !== 'codex') assert.ok(optimized.output.includes(id));
    }
  });
});
