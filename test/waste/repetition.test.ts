import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectRepetition, repetitionUnits } from '../../src/analysis/waste/repetition.js';
import { block, count, prose } from './helpers.js';

const reminder = `<system-reminder>${prose(300, 1)}</system-reminder>`;

describe('repetitionUnits', () => {
  it('splits on blank lines and keeps paragraphs of at least 200 characters', () => {
    const long = prose(250, 2);
    const text = `short intro\n\n${long}\n   \n\n  ${prose(220, 4)}  \n\ntiny`;
    assert.deepEqual(repetitionUnits(text), [long, prose(220, 4)]);
    assert.deepEqual(repetitionUnits('too short'), []);
  });
});

describe('repetition', () => {
  it('counts a later copy of a whole block', () => {
    const blocks = [block('system', 'You are terse.', 0), block('user', reminder, 1), block('assistant', 'ok', 2), block('user', reminder, 3)];
    const { tokens, findings } = detectRepetition(blocks, count);
    assert.equal(tokens, blocks[3]?.tokens);
    assert.deepEqual(
      findings.map((finding) => [finding.scope, finding.sourceIndex, finding.firstSourceIndex]),
      [['block', 3, 1]],
    );
    assert.match(findings[0]?.preview ?? '', /^<system-reminder>/);
  });

  it('ignores short repeated blocks', () => {
    const blocks = [block('user', 'continue', 0), block('assistant', 'done', 1), block('user', 'continue', 2)];
    assert.equal(detectRepetition(blocks, count).tokens, 0);
  });

  it('counts a paragraph repeated in a different block, once per later copy', () => {
    const paragraph = prose(400, 7);
    const blocks = [block('user', `Please review:\n\n${paragraph}\n\nThanks.`, 0), block('assistant', `You wrote:\n\n${paragraph}\n\nHere is my review.`, 1)];
    const { tokens, findings } = detectRepetition(blocks, count);
    assert.equal(tokens, count(paragraph));
    assert.equal(findings[0]?.scope, 'paragraph');
    assert.equal(findings[0]?.firstSourceIndex, 0);
  });

  it('does not count a paragraph repeated inside its first block', () => {
    const paragraph = prose(300, 9);
    const blocks = [block('user', `${paragraph}\n\n${paragraph}`, 0)];
    assert.equal(detectRepetition(blocks, count).tokens, 0);
  });

  it('leaves tool results and tool calls to the reread detector', () => {
    const output = prose(800, 3);
    const blocks = [
      block('tool_call', 'Read({"file_path":"a.ts"})', 0),
      block('tool_result', output, 1),
      block('tool_call', 'Read({"file_path":"a.ts"})', 2),
      block('tool_result', output, 3),
      block('user', `As the tool said:\n\n${output}`, 4),
    ];
    assert.equal(detectRepetition(blocks, count).tokens, 0);
  });
});
