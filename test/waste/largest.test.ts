import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { largestToolOutputs } from '../../src/analysis/waste/largest.js';
import { block, prose, toolExchange } from './helpers.js';

describe('largest tool outputs', () => {
  const blocks = [
    block('user', prose(5000), 0),
    ...toolExchange('t1', 'Read', '{"file_path":"small.ts"}', 'tiny', 1, { filePath: 'small.ts', fileAccess: 'read' }),
    ...toolExchange('t2', 'Bash', '{"command":"ls"}', `line one\n  line two ${prose(2000)}`, 3),
    block('tool_result', 'same size', 5, {}, 40),
    block('tool_result', 'same size too', 6, {}, 40),
  ];

  it('sorts tool results by tokens, ties by message order, and limits the list', () => {
    const outputs = largestToolOutputs(blocks, 3);
    assert.deepEqual(
      outputs.map((output) => output.sourceIndex),
      [4, 5, 6],
    );
    assert.equal(outputs[0]?.toolName, 'Bash');
    assert.equal(outputs[0]?.preview, `line one line two ${prose(2000)}`.slice(0, 80));
  });

  it('names the file of a read and never lists other blocks', () => {
    const outputs = largestToolOutputs(blocks, 10);
    assert.equal(outputs.length, 4);
    assert.equal(outputs.at(-1)?.filePath, 'small.ts');
  });

  it('returns nothing for a non-positive limit', () => {
    assert.deepEqual(largestToolOutputs(blocks, 0), []);
  });
});
