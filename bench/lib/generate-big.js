/**
 * Writes a JSONL log of OpenAI Chat Completions request bodies of at least the
 * given size, for the streaming check. Like a real log, most content repeats
 * across lines (system prompt, tools, a pool of tool outputs) and a little is
 * new on every line. Deterministic: same size, same bytes.
 *   node bench/lib/generate-big.js OUT_FILE MIN_BYTES [jsonl|array]
 * `array` writes the same records as one JSON array on a single line: the
 * shape of a big request document, to compare with the JSONL.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const [out, minBytesArg, shape = 'jsonl'] = process.argv.slice(2);
const minBytes = Number(minBytesArg);
const asArray = shape === 'array';

/** A small deterministic generator (mulberry32) so the file is reproducible. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(42);
const pick = (items) => items[Math.floor(next() * items.length)];

const words = 'error warning request response cache token deploy build index query user session timeout retry worker queue batch'.split(' ');
function logOutput(lines, seed) {
  const rows = [];
  for (let i = 0; i < lines; i++) {
    rows.push(
      `2026-11-${String(1 + ((seed + i) % 28)).padStart(2, '0')} 10:${String(i % 60).padStart(2, '0')}:00 ${pick(['INFO', 'WARN', 'ERROR'])} ${pick(words)} ${pick(words)} id=${seed * 1000 + i}`,
    );
  }
  return rows.join('\n');
}
function jsonOutput(items, seed) {
  const rows = [];
  for (let i = 0; i < items; i++) rows.push({ id: seed * 100 + i, name: `${pick(words)}-${i}`, status: pick(['open', 'closed']), score: Math.round(next() * 1000) / 10 });
  return JSON.stringify(rows, null, 2);
}

const pool = [];
for (let i = 0; i < 200; i++) pool.push(i % 2 === 0 ? logOutput(60, i) : jsonOutput(25, i));
const system = 'You are a careful operations assistant. Use the tools to inspect logs and tickets before answering.';
const tools = [
  {
    type: 'function',
    function: { name: 'read_logs', description: 'Read service logs', parameters: { type: 'object', properties: { service: { type: 'string' } }, required: ['service'] } },
  },
  { type: 'function', function: { name: 'list_tickets', description: 'List open tickets', parameters: { type: 'object', properties: { team: { type: 'string' } } } } },
];

const stream = createWriteStream(out);
let written = 0;
let line = 0;
if (asArray) {
  stream.write('[');
  written += 1;
}
while (written < minBytes) {
  line++;
  const first = pick(pool);
  const second = pick(pool);
  const body = {
    model: 'gpt-4o',
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: `Ticket ${line}: why did ${pick(words)} ${pick(words)} fail for customer ${Math.floor(next() * 1e6)}?` },
      { role: 'assistant', content: null, tool_calls: [{ id: `call_${line}_a`, type: 'function', function: { name: 'read_logs', arguments: `{"service":"${pick(words)}"}` } }] },
      { role: 'tool', tool_call_id: `call_${line}_a`, content: first },
      { role: 'assistant', content: null, tool_calls: [{ id: `call_${line}_b`, type: 'function', function: { name: 'list_tickets', arguments: '{"team":"ops"}' } }] },
      { role: 'tool', tool_call_id: `call_${line}_b`, content: second },
    ],
    tools,
  };
  const text = asArray ? `${line > 1 ? ',' : ''}${JSON.stringify(body)}` : `${JSON.stringify(body)}\n`;
  written += Buffer.byteLength(text);
  if (!stream.write(text)) await once(stream, 'drain');
}
stream.end(asArray ? ']\n' : '');
await once(stream, 'finish');
console.error(`wrote ${(written / 1e9).toFixed(2)} GB, ${line} lines to ${out}`);
