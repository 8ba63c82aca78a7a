/**
 * JSON text speed: minify and array element ranges over a ~10 MB
 * pretty-printed document (deterministic rows with unicode, escapes and
 * 64-bit ids), the size of a large tool output. `json` is the module under
 * test (dist/json/index.js), passed in so the same measurement can run
 * against an older build.
 */
const TARGET_CHARS = 10e6;
const RUNS = 5;

/** A pretty-printed array of rows, about TARGET_CHARS long. */
export function prettyJsonDocument() {
  const rows = [];
  let length = 0;
  for (let id = 0; length < TARGET_CHARS; id++) {
    const row = {
      id: `${9007199254740993n + BigInt(id)}`,
      name: `service-${id} café ☕`,
      status: id % 3 ? 'running' : 'pending "queued"',
      path: `C:\\srv\\${id}\\log`,
      cpu: id * 0.25,
      labels: { team: `team-${id % 7}`, tier: 'backend', zones: ['eu-west-1a', 'eu-west-1b'] },
    };
    const text = JSON.stringify(row, null, 2);
    rows.push(text);
    length += text.length + 4;
  }
  // The ids are written as bare 64-bit integer literals, as an API would send them.
  return `[\n  ${rows
    .join(',\n')
    .replace(/\n/g, '\n  ')
    .replace(/"id": "(\d+)"/g, '"id": $1')}\n]`;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(run) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

export function benchJsonText(json) {
  const text = prettyJsonDocument();
  const mb = Buffer.byteLength(text) / 1e6;
  const minifyMs = time(() => json.minifyJson(text));
  const result = { mb, minify_ms: minifyMs, minify_mb_s: mb / (minifyMs / 1000) };
  if (json.arrayElementRanges) {
    const rangesMs = time(() => json.arrayElementRanges(text));
    result.element_ranges_ms = rangesMs;
    result.element_ranges_mb_s = mb / (rangesMs / 1000);
  }
  return result;
}
