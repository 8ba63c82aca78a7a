// SmartCrusher selection on the reference's benchmark scenarios: what selectItems keeps, and how fast.
//   npm run build && node bench/select.js
// For each scenario (../shared/corpus/headroom-scenarios), with the scoreboard's query: n, kept, strategy,
// the per-signal counts, whether every must-keep item (needles, failed/error items, anomalies, ERROR and
// CRITICAL log lines) is kept, and the median time of selectItems over several runs.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRawJson, rawText } from '../dist/json/index.js';
import { DEFAULT_CONFIG } from '../dist/config/index.js';
import { selectItems } from '../dist/transforms/smart-crusher/select/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.resolve(root, '../shared/corpus/headroom-scenarios');
const SCENARIOS = [
  ['search_results_1000_needles10_errors20.json', 'Which results mention errors or failures, and which are most relevant to authentication?'],
  ['log_entries_1000_err30_crit5.json', 'Why is the service failing? Show me the errors.'],
  ['database_rows_metrics_1000.json', 'Are there any anomalies in these metrics?'],
  ['api_responses_500.json', 'Summarize these API responses and point out failures.'],
  ['database_rows_mixed_300.json', 'Summarize this and point out anything that failed or looks anomalous.'],
  ['search_results_10000.json', 'Which results mention errors or failures, and which are most relevant to authentication?'],
];

function mustKeep(values) {
  const must = [];
  values.forEach((item, index) => {
    if (item.is_needle || item.status === 'failed' || item.error || item.is_anomaly || item.level === 'ERROR' || item.level === 'CRITICAL') must.push(index);
  });
  return must;
}

if (!existsSync(dir)) {
  console.log(`no scenarios at ${dir}`);
  process.exit(0);
}
for (const [file, query] of SCENARIOS) {
  const text = JSON.stringify(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
  const doc = parseRawJson(text);
  const items = doc.root.items;
  const input = { doc, items, itemTexts: items.map((item) => rawText(doc, item)), query, relevance: null, hints: [], config: DEFAULT_CONFIG.smartCrusher, bias: 1 };
  const times = [];
  let selection;
  for (let run = 0; run < 10; run++) {
    const start = performance.now();
    selection = selectItems(input);
    if (run >= 3) times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const kept = new Set(selection.keep);
  const must = mustKeep(JSON.parse(text));
  const missing = must.filter((index) => !kept.has(index));
  const counts = Object.entries(selection.counts)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  console.log(
    `${file}: n=${items.length} kept=${selection.keep.length} strategy=${selection.strategy}${selection.skipReason ? `(${selection.skipReason})` : ''} must=${must.length - missing.length}/${must.length} p50=${times[3].toFixed(1)}ms max=${times[6].toFixed(1)}ms | ${counts}`,
  );
}
