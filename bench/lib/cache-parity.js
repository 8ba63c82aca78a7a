/**
 * The cache-parity section of `npm run bench` (`--only cache-parity`): the
 * reference's recorded `ccr` fixtures
 * (../shared/corpus/headroom-fixtures/tests/parity/fixtures/ccr) through our
 * pipeline. A bench, not a test: the fixtures are not in a user's clone.
 *
 * Each ccr fixture records the reference adding its retrieval tool to an
 * Anthropic tools list. Here the same tools go into an Anthropic request
 * whose one tool output is large enough to be crushed, so optimize writes a
 * marker and adds `headroom_retrieve` itself; the tools list it writes back is
 * compared with the reference's: the same tools in the same order with the
 * retrieval tool last, and the same tool shape — name, input_schema type,
 * property names and types, required. Descriptions are each project's own
 * words and are not compared.
 *
 * Without ../shared the section says so and is empty.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const FIXTURES = 'headroom-fixtures/tests/parity/fixtures';

/** A tool output SmartCrusher crushes (so a marker, and with it the retrieval tool, is written). */
function crushableOutput() {
  return JSON.stringify(Array.from({ length: 120 }, (_, i) => ({ id: i, status: i === 77 ? 'failed' : 'ok', region: 'eu-west-1', latency_ms: 100 + (i % 17) })));
}

/** An OpenAI chat request with the same tools and output (the reference's fixtures add the OpenAI-shaped tool to half of the lists). */
function openaiRequest(tools) {
  return JSON.stringify({
    model: 'gpt-4o',
    tools,
    messages: [
      { role: 'user', content: 'Which job failed?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_01', type: 'function', function: { name: tools[0]?.name ?? 'list_jobs', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_01', content: crushableOutput() },
    ],
  });
}

function anthropicRequest(tools) {
  return JSON.stringify({
    model: 'claude-sonnet-4-5',
    max_tokens: 1024,
    tools,
    messages: [
      { role: 'user', content: 'Which job failed?' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: tools[0]?.name ?? 'list_jobs', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: crushableOutput() }] },
    ],
  });
}

/** A tool's name in either shape: Anthropic `{name}` or OpenAI chat `{type: "function", function: {name}}`. */
const nameOf = (tool) => tool.function?.name ?? tool.name;

/** What is compared of a tool: everything but descriptions, in either shape. */
function shape(tool) {
  const schema = tool.function?.parameters ?? tool.input_schema ?? {};
  const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, property.type ?? null]));
  return { dialect: tool.function ? 'openai' : 'anthropic', name: nameOf(tool), type: schema.type ?? null, properties, required: [...(schema.required ?? [])].sort() };
}

export async function benchCacheParity(corpus, library) {
  const dir = path.join(corpus, FIXTURES, 'ccr');
  if (!existsSync(dir)) return { available: false, rows: [] };
  const config = library.defaultConfig();
  const rows = [];
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()) {
    const fixture = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    const [theirTools, theyAdded] = fixture.output;
    const retrieve = (tools) => tools.find((tool) => nameOf(tool) === 'headroom_retrieve');
    // The fixture does not record the provider; the shape of the tool the reference added says which it was.
    const dialect = retrieve(theirTools)?.function ? 'openai' : 'anthropic';
    const request = dialect === 'openai' ? openaiRequest(fixture.input) : anthropicRequest(fixture.input);
    const { body } = await library.optimizeRequest(request, { config });
    const ourTools = JSON.parse(body).tools ?? [];
    const names = (tools) => tools.map(nameOf).join(',');
    const sameOrder = names(ourTools) === names(theirTools);
    const sameShape =
      retrieve(ourTools) !== undefined && retrieve(theirTools) !== undefined && JSON.stringify(shape(retrieve(ourTools))) === JSON.stringify(shape(retrieve(theirTools)));
    const kept = fixture.input.every((tool, index) => JSON.stringify(ourTools[index]) === JSON.stringify(tool));
    rows.push({
      fixture: `ccr/${name.replace(/\.json$/, '')}`,
      dialect,
      their_tools: names(theirTools),
      our_tools: names(ourTools),
      they_added: theyAdded === true,
      same_order: sameOrder,
      same_shape: sameShape,
      client_tools_unchanged: kept,
    });
  }
  return { available: true, rows };
}

export function printCacheParity(section) {
  console.log("\ncache parity: the reference's ccr fixtures (its retrieval tool added to an Anthropic tools list) against the tools list optimize writes");
  if (!section.available) {
    console.log('  no corpus (../shared/corpus) beside the project: nothing to compare');
    return;
  }
  console.log(`${'fixture'.padEnd(20)} ${'shape'.padEnd(9)} ${'tools (ours)'.padEnd(40)} order  shape  client tools`);
  for (const row of section.rows) {
    console.log(
      `${row.fixture.padEnd(20)} ${row.dialect.padEnd(9)} ${row.our_tools.padEnd(40)} ${(row.same_order ? 'same' : 'DIFF').padEnd(6)} ${(row.same_shape ? 'same' : 'DIFF').padEnd(6)} ${row.client_tools_unchanged ? 'byte-identical' : 'CHANGED'}`,
    );
  }
  const same = section.rows.filter((row) => row.same_order && row.same_shape && row.client_tools_unchanged).length;
  console.log(
    `${same}/${section.rows.length} fixtures: same tools in the same order, the same retrieval-tool shape (name, schema type, properties and their types, required), the client's tools byte-identical`,
  );
}
