import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findStaleReads } from '../../src/analysis/waste/stale-reads.js';
import { block, prose, toolExchange } from './helpers.js';

const read = (id: string, path: string, at: number, text = prose(400, at)) =>
  toolExchange(id, 'Read', JSON.stringify({ file_path: path }), text, at, { filePath: path, fileAccess: 'read' });
const edit = (id: string, path: string, at: number) =>
  toolExchange(id, 'Edit', JSON.stringify({ file_path: path, old_string: 'a', new_string: 'b' }), 'ok', at, { filePath: path, fileAccess: 'write' });

describe('stale reads', () => {
  it('flags a read made stale by a later edit of the same file', () => {
    const blocks = [...read('r1', 'src/a.ts', 1), ...edit('e1', 'src/a.ts', 3)];
    const stale = findStaleReads(blocks);
    assert.deepEqual(stale, [{ filePath: 'src/a.ts', tokens: blocks[1]?.tokens, sourceIndex: 2, laterSourceIndex: 3, reason: 'edited', toolName: 'Read' }]);
  });

  it('flags a read superseded by a later read of the same file', () => {
    const blocks = [...read('r1', 'src/a.ts', 1), ...read('r2', './src/a.ts', 3)];
    const stale = findStaleReads(blocks);
    assert.equal(stale.length, 1);
    assert.equal(stale[0]?.reason, 'superseded');
    assert.equal(stale[0]?.sourceIndex, 2);
  });

  it('takes the earliest later event when both follow', () => {
    const blocks = [...read('r1', 'a.py', 1), ...read('r2', 'a.py', 3), ...edit('e1', 'a.py', 5)];
    const stale = findStaleReads(blocks);
    assert.deepEqual(
      stale.map((entry) => [entry.sourceIndex, entry.reason, entry.laterSourceIndex]),
      [
        [2, 'superseded', 3],
        [4, 'edited', 5],
      ],
    );
  });

  it('does not flag the latest read, reads of other files, or a write before the read', () => {
    const blocks = [...edit('e1', 'a.ts', 1), ...read('r1', 'a.ts', 3), ...read('r2', 'b.ts', 5)];
    assert.deepEqual(findStaleReads(blocks), []);
  });

  it('decides by call order when calls are issued together', () => {
    // One assistant message issues Read then Edit; both results come back afterwards.
    const [readCall, readResult] = read('r1', 'a.ts', 1);
    const [editCall, editResult] = edit('e1', 'a.ts', 1);
    const stale = findStaleReads([readCall, editCall, { ...readResult, sourceIndex: 2 }, { ...editResult, sourceIndex: 2 }]);
    assert.equal(stale[0]?.reason, 'edited');
  });

  it('ignores failed reads', () => {
    const [call, result] = read('r1', 'a.ts', 1);
    const failed = { ...result, flags: { ...result.flags, isError: true } };
    assert.deepEqual(findStaleReads([call, failed, ...edit('e1', 'a.ts', 3)]), []);
  });

  it('uses file flags carried by a result that has no call in the request', () => {
    const blocks = [
      block('tool_result', prose(300), 0, { toolName: 'Read', filePath: 'x.md', fileAccess: 'read' }),
      block('tool_result', prose(300, 2), 1, { toolName: 'Write', filePath: 'x.md', fileAccess: 'write' }),
    ];
    assert.deepEqual(
      findStaleReads(blocks).map((entry) => entry.reason),
      ['edited'],
    );
  });
});
