import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectRereads, isStatusCheck, REREAD_MIN_TOKENS, holdsRetrievalMarker } from '../../src/analysis/waste/rereads.js';
import { block, prose, toolExchange } from './helpers.js';

const fileText = prose(1200, 1);

describe('rereads', () => {
  it('counts a re-issued call returning the same content', () => {
    const blocks = [
      ...toolExchange('t1', 'Read', '{"file_path":"src/a.ts"}', fileText, 1, { filePath: 'src/a.ts', fileAccess: 'read' }),
      block('assistant', 'Let me look again.', 3),
      ...toolExchange('t2', 'Read', '{"file_path":"src/a.ts"}', fileText, 4, { filePath: 'src/a.ts', fileAccess: 'read' }),
    ];
    const { reread, rereadCompressed, findings } = detectRereads(blocks);
    assert.equal(reread, blocks[4]?.tokens);
    assert.equal(rereadCompressed, 0);
    assert.equal(findings.length, 1);
    assert.deepEqual(
      { reason: findings[0]?.reason, sourceIndex: findings[0]?.sourceIndex, first: findings[0]?.firstSourceIndex, tool: findings[0]?.toolName, path: findings[0]?.filePath },
      { reason: 'same_call', sourceIndex: 5, first: 2, tool: 'Read', path: 'src/a.ts' },
    );
  });

  it('counts the same content reached by a different call', () => {
    const blocks = [...toolExchange('t1', 'Read', '{"file_path":"src/a.ts"}', fileText, 1), ...toolExchange('t2', 'Bash', '{"command":"cat src/a.ts"}', fileText, 3)];
    const { findings } = detectRereads(blocks);
    assert.equal(findings[0]?.reason, 'same_content');
    assert.equal(findings[0]?.toolName, 'Bash');
  });

  it('does not count the same call when its result changed (state changed)', () => {
    const blocks = [
      ...toolExchange('t1', 'Bash', '{"command":"npm test"}', `${prose(600, 2)}\n3 failing`, 1),
      ...toolExchange('t2', 'Bash', '{"command":"npm test"}', `${prose(600, 2)}\n0 failing`, 3),
    ];
    assert.equal(detectRereads(blocks).reread, 0);
  });

  it('does not count polling: the same status check answered the same within a few messages', () => {
    const status = prose(500, 4);
    const blocks = [
      ...toolExchange('t1', 'BashOutput', '{"bash_id":"b1"}', status, 1),
      ...toolExchange('t2', 'BashOutput', '{"bash_id":"b1"}', status, 3),
      ...toolExchange('t3', 'Bash', '{"command":"kubectl get pods"}', prose(400, 5), 5),
      ...toolExchange('t4', 'Bash', '{"command":"kubectl get pods"}', prose(400, 5), 7),
    ];
    assert.equal(detectRereads(blocks).reread, 0);
  });

  it('counts an identical status check issued long after the last one', () => {
    const status = prose(500, 4);
    const blocks = [...toolExchange('t1', 'BashOutput', '{"bash_id":"b1"}', status, 1), ...toolExchange('t2', 'BashOutput', '{"bash_id":"b1"}', status, 9)];
    assert.equal(detectRereads(blocks).findings.length, 1);
  });

  it('ignores results below REREAD_MIN_TOKENS and media results without text', () => {
    const small = 'ok';
    const blocks = [
      ...toolExchange('t1', 'Read', '{"file_path":"a"}', small, 1),
      ...toolExchange('t2', 'Read', '{"file_path":"a"}', small, 3),
      block('tool_result', '', 5, { toolCallId: 'img1' }, 1500),
      block('tool_result', '', 6, { toolCallId: 'img2' }, 1500),
    ];
    assert.ok((blocks[1]?.tokens ?? 0) < REREAD_MIN_TOKENS);
    assert.equal(detectRereads(blocks).reread, 0);
  });

  it('counts a re-issued call after a compressed result as reread_compressed', () => {
    const compressed = `${prose(300, 6)}\n[177 lines compressed to 12. Retrieve more: hash=80a6e711dbe62fc84e7b2b56]`;
    assert.ok(holdsRetrievalMarker(compressed));
    const blocks = [...toolExchange('t1', 'Read', '{"file_path":"big.log"}', compressed, 1), ...toolExchange('t2', 'Read', '{"file_path":"big.log"}', prose(1500, 6), 3)];
    const { reread, rereadCompressed, findings } = detectRereads(blocks);
    assert.equal(reread, blocks[3]?.tokens);
    assert.equal(rereadCompressed, reread);
    assert.equal(findings[0]?.compressed, true);
  });

  it("recognises our markers and the reference's, not plain hashes", () => {
    assert.ok(holdsRetrievalMarker('see [headroom: omitted 3 lines; headroom_retrieve hash=0123456789abcdef01234567]'));
    assert.ok(holdsRetrievalMarker('[177 lines compressed to 12. Retrieve more: hash=80a6e711dbe62fc84e7b2b56]'));
    assert.ok(!holdsRetrievalMarker('commit 80a6e711dbe62fc84e7b2b56 hash'));
  });

  it('knows status checks from tool names and shell commands, never file reads', () => {
    assert.equal(isStatusCheck({ toolName: 'get_job_status' }), true);
    assert.equal(isStatusCheck({ toolName: 'Bash', callText: 'Bash({"command":"git status"})' }), true);
    assert.equal(isStatusCheck({ toolName: 'Bash', callText: 'Bash({"command":"grep ps notes.txt"})' }), false);
    assert.equal(isStatusCheck({ toolName: 'Read', callText: 'Read({"file_path":"status.md"})' }), false);
    assert.equal(isStatusCheck({ toolName: 'check_output', fileAccess: 'read' }), false);
  });
});
