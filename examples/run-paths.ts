import { writeFileSync } from 'node:fs';
import { resolveConfig, runAudit, runOptimize } from 'headroom';

const config = resolveConfig({ audit: { budget_tokens: 100_000 } });

// Every request under the paths (files, directories, globs); relative to `cwd`.
const audit = await runAudit(['requests/'], {
  config,
  onRequest: (report) => console.log(report.id, report.tokens),
  onProblem: (problem) => console.error(problem.message),
});
console.log(audit.summary.requests, 'requests,', audit.summary.waste.total, 'waste tokens');

// Optimized records go to `write` in their own format; originals behind markers to `ccrStore`.
let output = '';
const run = await runOptimize(['requests/'], { config, write: (chunk) => (output += String(chunk)) });
writeFileSync('optimized.jsonl', output);
console.log(run.tokensBefore, '→', run.tokensAfter, 'tokens');
