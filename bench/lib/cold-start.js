/**
 * Cold start: whole `headroom` processes (node start, module loading, config,
 * tokenizer) timed from spawn to exit, median of `runs`; and the time one
 * fresh process takes to load each encoding's rank table.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

/** What a user types first: one short message to one model. */
const ONE_MESSAGE = `${JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Summarize the release notes below in three bullet points.' }] })}\n`;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeProcess(args, input, runs) {
  const times = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    const result = spawnSync(process.execPath, args, {
      input,
      encoding: 'utf8',
      // A store in the temp dir, should optimize write one: the bench leaves the user's data dir alone.
      env: { ...process.env, HEADROOM_CCR_STORE: path.join(os.tmpdir(), 'headroom-bench-ccr.db') },
    });
    times.push(performance.now() - start);
    if (result.status !== 0) throw new Error(`headroom ${args.slice(1).join(' ')} exited ${result.status}: ${result.stderr.trim().split('\n').pop()}`);
  }
  return median(times);
}

/** Loads one encoding's rank table in a fresh process; prints the milliseconds. */
function rankLoadScript(root, encoding) {
  const module = pathToFileURL(path.join(root, 'dist/tokens/rank-file.js')).href;
  return `const { loadRankTable } = await import(${JSON.stringify(module)});
const start = performance.now();
await loadRankTable(${JSON.stringify(encoding)});
console.log(performance.now() - start);`;
}

export function coldStart(root, runs) {
  const bin = path.join(root, 'bin/headroom.js');
  const smallRequest = readFileSync(path.join(root, 'fixtures/openai-chat/tool-output-waste.json'));
  const rows = [
    { what: 'headroom --help', ms: timeProcess([bin, '--help'], '', runs) },
    { what: 'headroom audit (one message)', ms: timeProcess([bin, 'audit', '-q'], ONE_MESSAGE, runs) },
    { what: `headroom optimize (${(smallRequest.length / 1000).toFixed(0)} KB request)`, ms: timeProcess([bin, 'optimize', '-q', '--report', 'none'], smallRequest, runs) },
  ];
  for (const encoding of ['o200k_base', 'cl100k_base']) {
    const times = [];
    for (let run = 0; run < runs; run++) {
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', rankLoadScript(root, encoding)], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`loading the ${encoding} rank table failed: ${result.stderr.trim().split('\n').pop()}`);
      times.push(Number(result.stdout.trim()));
    }
    rows.push({ what: `rank table load (${encoding})`, ms: median(times) });
  }
  return rows;
}
